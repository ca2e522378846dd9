package bridge

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"netxray/parse"
)

func TestParseLinks(t *testing.T) {
	const f = "link"
	pos := func(n int) parse.Pos { return parse.Pos{File: f, Line: n} }
	flags := []string{"BROADCAST", "MULTICAST", "UP", "LOWER_UP"}
	tests := []struct {
		name       string
		input      string
		want       []Link
		wantIssues parse.Issues
	}{
		{
			// Captured with iproute2 6.1 `bridge -s -s -d link show`.
			name: "details on continuation line",
			input: "3: vxlan-1001: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 master br0 state forwarding priority 32 cost 100 \n" +
				"    hairpin off guard off learning on mcast_router 1 locked off \n" +
				"5: veth0@veth1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 master br0 state forwarding priority 32 cost 2 \n",
			want: []Link{
				{Pos: pos(1), Raw: "3: vxlan-1001: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 master br0 state forwarding priority 32 cost 100 ",
					Details: []parse.Line{{Pos: pos(2), Text: "    hairpin off guard off learning on mcast_router 1 locked off "}},
					Index:   3, Name: "vxlan-1001", LinkFlags: flags, MTU: 1500, Master: "br0", State: "forwarding",
					Priority: 32, Cost: 100,
					Options: []Option{{"hairpin", "off"}, {"guard", "off"}, {"learning", "on"}, {"mcast_router", "1"}, {"locked", "off"}}},
				{Pos: pos(3), Raw: "5: veth0@veth1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 master br0 state forwarding priority 32 cost 2 ",
					Index: 5, Name: "veth0", Peer: "veth1", LinkFlags: flags, MTU: 1500, Master: "br0", State: "forwarding",
					Priority: 32, Cost: 2},
			},
		},
		{
			name:  "old iproute2 with operstate and hwmode",
			input: "Deleted 2: eth0 state UP @NONE: <BROADCAST,UP> mtu 1500 master br0 state (7) priority 32 cost 4 hwmode VEPA\n",
			want: []Link{{Pos: pos(1), Raw: "Deleted 2: eth0 state UP @NONE: <BROADCAST,UP> mtu 1500 master br0 state (7) priority 32 cost 4 hwmode VEPA",
				Deleted: true, Index: 2, Name: "eth0", OperState: "UP", Peer: "NONE", LinkFlags: []string{"BROADCAST", "UP"},
				MTU: 1500, Master: "br0", State: "(7)", Priority: 32, Cost: 4, HWMode: "VEPA"}},
		},
		{
			name: "garbage, unknown option, dangling token, bad number",
			input: "    hairpin off\n" +
				"7: tap1: <UP> mtu x frob on dangling\n" +
				"Cannot find device \"x\"\n",
			want: []Link{{Pos: pos(2), Raw: "7: tap1: <UP> mtu x frob on dangling",
				Index: 7, Name: "tap1", LinkFlags: []string{"UP"}, Options: []Option{{"frob", "on"}},
				Extra: []string{"mtu", "x", "dangling"}}},
			wantIssues: parse.Issues{
				{Pos: pos(1), Severity: parse.SevError, Msg: `not a bridge link line: "    hairpin off"`},
				{Pos: pos(2), Severity: parse.SevWarning, Msg: `bridge link mtu "x" is not a number`},
				{Pos: pos(2), Severity: parse.SevWarning, Msg: `unknown bridge link option "frob" kept`},
				{Pos: pos(2), Severity: parse.SevWarning, Msg: `bridge link token "dangling" without a value kept`},
				{Pos: pos(3), Severity: parse.SevInfo, Msg: `command failed: Cannot find device "x"`},
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseLinks(strings.NewReader(tc.input), f)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got.Links, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("links (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.wantIssues, got.Issues, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("issues (-want +got):\n%s", diff)
			}
		})
	}
	l := Link{Options: []Option{{"learning", "on"}}}
	if v, ok := l.Option("learning"); !ok || v != "on" {
		t.Errorf("Option(learning) = %q, %v", v, ok)
	}
	if _, ok := l.Option("flood"); ok {
		t.Error("Option(flood) found")
	}
}

func FuzzParseLinks(f *testing.F) {
	f.Add("3: vxlan-1001: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 master br0 state forwarding priority 32 cost 100 \n    hairpin off guard off\n")
	f.Add("2: eth0 state UP @NONE: <> mtu\n\t x\n")
	f.Fuzz(func(t *testing.T, input string) {
		got, err := ParseLinks(strings.NewReader(input), "fuzz")
		if err != nil {
			t.Fatal(err)
		}
		lines := map[int]bool{}
		for _, l := range got.Links {
			lines[l.Pos.Line] = true
			for _, d := range l.Details {
				lines[d.Pos.Line] = true
			}
		}
		covered(t, input, lines, got.Issues)
	})
}
