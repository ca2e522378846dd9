package iproute

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestParseNeigh(t *testing.T) {
	tests := []tableCase[Neighbor]{
		{
			name: "states, router flag, no lladdr, double space",
			input: `192.168.10.3 dev qr-1a2b3c4d-5e lladdr fa:16:3e:3c:4d:5e PERMANENT
fe80::22a:6aff:fe65:c3c2 dev bond0.104 lladdr 00:2a:6a:65:c3:c2 router STALE
10.101.5.71 dev bond0.102  INCOMPLETE
192.168.10.8 dev qr-1 lladdr fa:16:3e:5e:1f:2c extern_learn NOARP PERMANENT proto zebra
192.168.10.7 dev qr-1 
192.168.10.77 dev qr-1 proxy
`,
			want: []Neighbor{
				{Pos: pos(1), Dst: ip("192.168.10.3"), Dev: "qr-1a2b3c4d-5e", LLAddr: "fa:16:3e:3c:4d:5e", MAC: mac("fa:16:3e:3c:4d:5e"), States: []string{"PERMANENT"}},
				{Pos: pos(2), Dst: ip("fe80::22a:6aff:fe65:c3c2"), Dev: "bond0.104", LLAddr: "00:2a:6a:65:c3:c2", MAC: mac("00:2a:6a:65:c3:c2"), Flags: []string{"router"}, States: []string{"STALE"}},
				{Pos: pos(3), Dst: ip("10.101.5.71"), Dev: "bond0.102", States: []string{"INCOMPLETE"}},
				{Pos: pos(4), Dst: ip("192.168.10.8"), Dev: "qr-1", LLAddr: "fa:16:3e:5e:1f:2c", MAC: mac("fa:16:3e:5e:1f:2c"), Flags: []string{"extern_learn"},
					States: []string{"NOARP", "PERMANENT"}, Proto: "zebra"},
				{Pos: pos(5), Dst: ip("192.168.10.7"), Dev: "qr-1"},
				{Pos: pos(6), Dst: ip("192.168.10.77"), Dev: "qr-1", Flags: []string{"proxy"}},
			},
		},
		{
			name: "-s -s statistics, with the 6.1 missing space",
			input: `192.168.10.5 dev qr-1 lladdr fa:16:3e:5e:1f:2a  ref 1 used 13/13/13 probes 0 REACHABLE
192.0.2.12 dev nxt-bridge  used 13/86/10probes 6 FAILED 
`,
			want: []Neighbor{
				{Pos: pos(1), Dst: ip("192.168.10.5"), Dev: "qr-1", LLAddr: "fa:16:3e:5e:1f:2a", MAC: mac("fa:16:3e:5e:1f:2a"), States: []string{"REACHABLE"},
					Stats: &NeighStats{Ref: 1, HasRef: true, Used: 13, Confirmed: 13, Updated: 13, HasUse: true, HasProbes: true}},
				{Pos: pos(2), Dst: ip("192.0.2.12"), Dev: "nxt-bridge", States: []string{"FAILED"},
					Stats: &NeighStats{Used: 13, Confirmed: 86, Updated: 10, HasUse: true, Probes: 6, HasProbes: true}},
			},
		},
		{
			name:  "bad lines",
			input: "Device \"eth7\" does not exist.\nlladdr fa:16:3e:00:00:01\n10.0.0.1 dev eth0 lladdr 00:11:22:33:44:55 sparkle STALE\n",
			want: []Neighbor{
				{Pos: pos(3), Dst: ip("10.0.0.1"), Dev: "eth0", LLAddr: "00:11:22:33:44:55", MAC: mac("00:11:22:33:44:55"), States: []string{"STALE"}, Extra: Params{{"sparkle", ""}}},
			},
			wantIssues: []string{
				"1: info: command failed",
				"2: error: not a neighbour entry",
				"3: warning: unknown neighbour keyword(s) kept in Extra: sparkle",
			},
		},
	}
	runTable(t, tests, ParseNeigh, func(x *Neighbors) []Neighbor { return x.Neighbors }, cmpopts.IgnoreFields(Neighbor{}, "Raw"))
}

func TestParseNeighJSON(t *testing.T) {
	in := `[{"dst":"192.168.10.5","dev":"qr-1","lladdr":"fa:16:3e:5e:1f:2a","refcnt":1,"used":518,"confirmed":518,"updated":495,"probes":0,"state":["STALE"]},
{"dst":"2001:db8:10::fe","dev":"qr-1","lladdr":"fa:16:3e:00:00:fe","router":null,"state":["STALE"],"sparkle":1}]`
	got, err := ParseNeigh(strings.NewReader(in), "t")
	if err != nil {
		t.Fatal(err)
	}
	want := []Neighbor{
		{Pos: pos(1), Dst: ip("192.168.10.5"), Dev: "qr-1", LLAddr: "fa:16:3e:5e:1f:2a", MAC: mac("fa:16:3e:5e:1f:2a"), States: []string{"STALE"},
			Stats: &NeighStats{Ref: 1, HasRef: true, Used: 518, Confirmed: 518, Updated: 495, HasUse: true, HasProbes: true}},
		{Pos: pos(2), Dst: ip("2001:db8:10::fe"), Dev: "qr-1", LLAddr: "fa:16:3e:00:00:fe", MAC: mac("fa:16:3e:00:00:fe"), Flags: []string{"router"},
			States: []string{"STALE"}, Extra: Params{{"sparkle", "1"}}},
	}
	opts := append([]cmp.Option{cmpopts.IgnoreFields(Neighbor{}, "Raw")}, cmpOpts...)
	if diff := cmp.Diff(want, got.Neighbors, opts...); diff != "" {
		t.Errorf("neighbours (-want +got):\n%s", diff)
	}
	matchIssues(t, got.Issues, []string{"2: warning: unknown neighbour JSON keyword(s) kept in Extra: sparkle"})
	if !got.Neighbors[1].HasFlag("router") || !got.Neighbors[0].HasState("STALE") || got.Neighbors[0].HasState("FAILED") {
		t.Error("HasFlag/HasState wrong")
	}
}
