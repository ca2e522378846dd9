package ovs

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestParseUpcallShow(t *testing.T) {
	tests := []struct {
		name       string
		input      string
		want       []UpcallDatapath
		wantIssues []string
	}{{
		// Open vSwitch 3.1 in the lab (netdev datapath, one revalidator).
		name: "lab",
		input: `netdev@ovs-netdev:
  flows         : (current 59) (avg 66) (max 154) (limit 125000)
  dump duration : 1ms
  ufid enabled : true

  5: (keys 59)
`,
		want: []UpcallDatapath{{Pos: stPos(1), Name: "netdev@ovs-netdev",
			Flows: UpcallFlows{59, 66, 154, 125000}, DumpMillis: 1, UFID: true,
			Revalidators: []Revalidator{{Pos: stPos(6), ID: 5, Keys: 59}}}},
	}, {
		// Older OVS: no ufid line; two datapaths; a key of a newer
		// version and a bad value are kept.
		name: "old, two datapaths, unknown key",
		input: `# ovs-appctl upcall/show
system@ovs-system:
 flows         : (current 2) (avg 164) (max 16622) (limit 200000)
 dump duration : 2ms
 offloaded flows : 3
 ufid enabled : maybe
 12: (keys 1)
 13: (keys 1)
netdev@ovs-netdev:
 flows         : (current 0) (avg 0) (max 0) (limit 10000)
 what is this
`,
		want: []UpcallDatapath{
			{Pos: stPos(2), Name: "system@ovs-system", Flows: UpcallFlows{2, 164, 16622, 200000}, DumpMillis: 2,
				Revalidators: []Revalidator{{Pos: stPos(7), ID: 12, Keys: 1}, {Pos: stPos(8), ID: 13, Keys: 1}},
				Extra:        []KeyVal{{"offloaded flows", "3"}, {"ufid enabled", "maybe"}}},
			{Pos: stPos(9), Name: "netdev@ovs-netdev", Flows: UpcallFlows{Limit: 10000}},
		},
		wantIssues: []string{"1:info:collector banner skipped", `5:warning:upcall/show "offloaded flows": "3" kept as text`,
			`6:warning:upcall/show "ufid enabled": "maybe" kept as text`, "11:error:not an upcall/show line"},
	}, {
		name:       "failed",
		input:      "2026-11-22T15:47:32Z|00001|unixctl|WARN|failed to connect to /var/run/openvswitch/ovs-vswitchd.1.ctl\novs-appctl: cannot connect to \"/var/run/openvswitch/ovs-vswitchd.1.ctl\" (No such file or directory)\n  5: (keys 59)\n",
		wantIssues: []string{"1:info:tool log message skipped", "2:info:command failed", "3:error:not an upcall/show line"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseUpcallShow(strings.NewReader(tt.input), "f")
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got.Datapaths, cmpopts.IgnoreFields(UpcallDatapath{}, "Raw"),
				cmpopts.IgnoreFields(Revalidator{}, "Raw"), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			ofCheckIssues(t, got.Issues, tt.wantIssues)
			stCheckCoverage(t, tt.input, got.Issues, got.understood)
		})
	}
}

func TestSniffUpcallShow(t *testing.T) {
	upcall := "netdev@ovs-netdev:\n  flows         : (current 59) (avg 66) (max 154) (limit 125000)\n"
	dpShow := "netdev@ovs-netdev:\n  lookups: hit:43123 missed:3599 lost:1\n  flows: 54\n"
	for _, tc := range []struct {
		head         string
		upcall, show bool
	}{
		{upcall, true, false},
		{"# ovs-appctl upcall/show\n\n" + upcall, true, false},
		{dpShow, false, true},
		{"netdev@ovs-netdev:\n", false, true},
		{"flows : (current 1) (avg 1) (max 1) (limit 1)\n", false, false},
	} {
		if got := sniffUpcallShow([]byte(tc.head)); got != tc.upcall {
			t.Errorf("sniffUpcallShow(%q) = %v", tc.head, got)
		}
		if got := sniffDPShow([]byte(tc.head)); got != tc.show {
			t.Errorf("sniffDPShow(%q) = %v", tc.head, got)
		}
	}
}

func FuzzParseUpcallShow(f *testing.F) {
	stFuzz(f, "ovs-appctl-upcall-show",
		"system@ovs-system:\n  flows         : (current 2) (avg 164) (max 16622) (limit 200000)\n  dump duration : 2ms\n  ufid enabled : true\n\n  5: (keys 59)\n",
		"x@y:\n a : b\n1: (keys 2)\nz\n")
}
