package ovs

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestParseFDBShow(t *testing.T) {
	tests := []struct {
		name       string
		input      string
		want       []FDBEntry
		bridges    []string
		wantIssues []string
	}{
		{"single bridge",
			" port  VLAN  MAC                Age\n    3     1  FA:16:3e:5e:1f:2a    1\nLOCAL     0  e2:ba:65:6e:be:59  static\n    2     1  fa:16:3e:00:00:01    ?\n    2     x  fa:16:3e:00:00:02    1\n    2     1  fa:16:3e:00:00:03  old\n",
			[]FDBEntry{
				{Pos: stPos(2), Port: "3", OFPort: 3, VLAN: 1, MAC: "fa:16:3e:5e:1f:2a", Age: 1},
				{Pos: stPos(3), Port: "LOCAL", OFPort: LocalPort, MAC: "e2:ba:65:6e:be:59", Age: -1, Static: true},
				{Pos: stPos(4), Port: "2", OFPort: 2, VLAN: 1, MAC: "fa:16:3e:00:00:01", Age: -1},
				{Pos: stPos(6), Port: "2", OFPort: 2, VLAN: 1, MAC: "fa:16:3e:00:00:03", Age: -1},
			}, nil,
			[]string{"5:error:not an fdb/show line", "6:warning:age \"old\" is not a number"}},
		{"several bridges",
			" Bridge   Port  VLAN  MAC                Age\n br-ex       4     0  fa:16:3e:5c:90:e0    1\n             1     0  00:50:56:c0:00:01    5\n br-int\n ovs-appctl: no such bridge br-x\n",
			[]FDBEntry{
				{Pos: stPos(2), Bridge: "br-ex", Port: "4", OFPort: 4, MAC: "fa:16:3e:5c:90:e0", Age: 1},
				{Pos: stPos(3), Bridge: "br-ex", Port: "1", OFPort: 1, MAC: "00:50:56:c0:00:01", Age: 5},
			}, []string{"br-ex", "br-int"},
			[]string{"5:info:command failed"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseFDBShow(strings.NewReader(tt.input), "f")
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got.Entries, cmpopts.IgnoreFields(FDBEntry{}, "Raw")); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			if !cmp.Equal(tt.bridges, got.Bridges, cmpopts.EquateEmpty()) {
				t.Errorf("bridges %q", got.Bridges)
			}
			ofCheckIssues(t, got.Issues, tt.wantIssues)
			stCheckCoverage(t, tt.input, got.Issues, got.understood)
		})
	}
	f, _ := ParseFDBShow(strings.NewReader(tests[0].input), "f")
	if e := f.Lookup(1, "FA:16:3E:5E:1F:2A"); e == nil || e.OFPort != 3 {
		t.Errorf("Lookup = %+v", e)
	}
}
