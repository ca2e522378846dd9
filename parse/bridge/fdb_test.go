package bridge

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"netxray/parse"
)

func intp(n int) *int { return &n }

func TestParseFDB(t *testing.T) {
	const f = "fdb"
	pos := func(n int) parse.Pos { return parse.Pos{File: f, Line: n} }
	tests := []struct {
		name       string
		input      string
		want       []FDBEntry
		wantIssues parse.Issues
	}{
		{
			name: "l2pop vxlan entries and learned entry",
			input: "00:00:00:00:00:00 dev vxlan-1001 dst 10.0.0.10 self permanent\n" +
				"fa:16:3e:77:66:55 dev vxlan-1001 master brq0c8d2a6e-91 \n" +
				"33:33:00:00:00:01 dev eth1 self permanent\n",
			want: []FDBEntry{
				{Pos: pos(1), Raw: "00:00:00:00:00:00 dev vxlan-1001 dst 10.0.0.10 self permanent",
					MAC: "00:00:00:00:00:00", Dev: "vxlan-1001", Dst: netip.MustParseAddr("10.0.0.10"),
					Flags: []string{"self"}, State: "permanent"},
				{Pos: pos(2), Raw: "fa:16:3e:77:66:55 dev vxlan-1001 master brq0c8d2a6e-91 ",
					MAC: "fa:16:3e:77:66:55", Dev: "vxlan-1001", Master: "brq0c8d2a6e-91"},
				{Pos: pos(3), Raw: "33:33:00:00:00:01 dev eth1 self permanent",
					MAC: "33:33:00:00:00:01", Dev: "eth1", Flags: []string{"self"}, State: "permanent"},
			},
		},
		{
			name:  "sos -s -s -d -t with timers",
			input: "e6:fc:d5:c0:cf:46 dev vxlan-1001 used 3/120 master br0 permanent\n",
			want: []FDBEntry{{Pos: pos(1), Raw: "e6:fc:d5:c0:cf:46 dev vxlan-1001 used 3/120 master br0 permanent",
				MAC: "e6:fc:d5:c0:cf:46", Dev: "vxlan-1001", Used: intp(3), Updated: intp(120),
				Master: "br0", State: "permanent"}},
		},
		{
			name:  "filtered by dev: no dev token",
			input: "FA:16:3E:3C:4D:5E dst 10.0.0.10 self permanent\n",
			want: []FDBEntry{{Pos: pos(1), Raw: "FA:16:3E:3C:4D:5E dst 10.0.0.10 self permanent",
				MAC: "fa:16:3e:3c:4d:5e", Dst: netip.MustParseAddr("10.0.0.10"), Flags: []string{"self"}, State: "permanent"}},
		},
		{
			name: "all keywords, bare master flag, vlan, stale",
			input: "Deleted aa:bb:cc:dd:ee:ff dev vx0 dst 2001:db8::1 vlan 10 port 4789 vni 1001 src_vni 5 via eth0 nhid 7 link-netnsid 0 self router extern_learn offload master sticky stale\n" +
				"aa:bb:cc:dd:ee:01 dev vx0 via ifindex 12 link-netnsid 1 self state=0x40\n",
			want: []FDBEntry{
				{Pos: pos(1), Raw: "Deleted aa:bb:cc:dd:ee:ff dev vx0 dst 2001:db8::1 vlan 10 port 4789 vni 1001 src_vni 5 via eth0 nhid 7 link-netnsid 0 self router extern_learn offload master sticky stale",
					Deleted: true, MAC: "aa:bb:cc:dd:ee:ff", Dev: "vx0", Dst: netip.MustParseAddr("2001:db8::1"),
					VLAN: 10, Port: 4789, VNI: 1001, SrcVNI: 5, Via: "eth0", NHID: 7, LinkNetNsID: intp(0),
					Flags: []string{"self", "router", "extern_learn", "offload", "master", "sticky"}, State: "stale"},
				{Pos: pos(2), Raw: "aa:bb:cc:dd:ee:01 dev vx0 via ifindex 12 link-netnsid 1 self state=0x40",
					MAC: "aa:bb:cc:dd:ee:01", Dev: "vx0", ViaIfIndex: 12, LinkNetNsID: intp(1),
					Flags: []string{"self"}, State: "state=0x40"},
			},
		},
		{
			name: "banner, tool error, garbage, unknown token, bad value",
			input: "# bridge fdb show\n" +
				"Cannot find device \"vxlan-9\"\n" +
				"hello world\n" +
				"aa:bb:cc:dd:ee:ff dev vx0 frobnicate vlan x\n",
			want: []FDBEntry{{Pos: pos(4), Raw: "aa:bb:cc:dd:ee:ff dev vx0 frobnicate vlan x",
				MAC: "aa:bb:cc:dd:ee:ff", Dev: "vx0", Extra: []string{"frobnicate", "vlan", "x"}}},
			wantIssues: parse.Issues{
				{Pos: pos(1), Severity: parse.SevInfo, Msg: "collector banner skipped: # bridge fdb show"},
				{Pos: pos(2), Severity: parse.SevInfo, Msg: `command failed: Cannot find device "vxlan-9"`},
				{Pos: pos(3), Severity: parse.SevError, Msg: `not a bridge fdb entry (no MAC address first): "hello world"`},
				{Pos: pos(4), Severity: parse.SevWarning, Msg: `unknown bridge fdb token "frobnicate" kept`},
				{Pos: pos(4), Severity: parse.SevWarning, Msg: `vlan "x": strconv.Atoi: parsing "x": invalid syntax`},
			},
		},
		{
			name:  "CRLF and blank lines",
			input: "\r\n\r\naa:bb:cc:dd:ee:ff dev vx0 master br0 permanent\r\n  \r\n",
			want: []FDBEntry{{Pos: pos(3), Raw: "aa:bb:cc:dd:ee:ff dev vx0 master br0 permanent",
				MAC: "aa:bb:cc:dd:ee:ff", Dev: "vx0", Master: "br0", State: "permanent"}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseFDB(strings.NewReader(tc.input), f)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got.Entries, cmpopts.EquateEmpty(), cmpopts.EquateComparable(netip.Addr{})); diff != "" {
				t.Errorf("entries (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.wantIssues, got.Issues, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("issues (-want +got):\n%s", diff)
			}
		})
	}
}

func TestFDBHasFlag(t *testing.T) {
	e := FDBEntry{Flags: []string{"self"}}
	if !e.HasFlag("self") || e.HasFlag("master") {
		t.Errorf("HasFlag wrong for %v", e.Flags)
	}
}

func TestSniff(t *testing.T) {
	tests := []struct {
		kind parse.Kind
		head string
		want bool
	}{
		{KindFDB, "# bridge fdb show\n33:33:00:00:00:01 dev br0 self permanent\n", true},
		{KindFDB, "33:33:00:00:00:01 dst 1.2.3.4 self\n", true},
		{KindFDB, "bridge name\tbridge id\n", false},
		{KindLink, "3: vxlan-1001: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 master br0 state forwarding priority 32 cost 100 \n", true},
		{KindLink, "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT\n", false},
		{KindBrctl, "bridge name\tbridge id\t\tSTP enabled\tinterfaces\n", true},
		{KindBrctl, "33:33:00:00:00:01 dev br0 self permanent\n", false},
	}
	for _, tc := range tests {
		if got := formatOf(t, tc.kind).Sniff([]byte(tc.head)); got != tc.want {
			t.Errorf("Sniff %s(%q) = %v, want %v", tc.kind, tc.head, got, tc.want)
		}
	}
}

func FuzzParseFDB(f *testing.F) {
	f.Add("00:00:00:00:00:00 dev vxlan-1001 dst 10.0.0.10 self permanent\n")
	f.Add("e6:fc:d5:c0:cf:46 dev vxlan-1001 used 0/0 master br0 permanent\nDeleted aa:bb:cc:dd:ee:ff via ifindex 3 link-netnsid 0 master\n")
	f.Add("# x\nhello\n\x1b[0m\r\n")
	f.Fuzz(func(t *testing.T, input string) {
		got, err := ParseFDB(strings.NewReader(input), "fuzz")
		if err != nil {
			t.Fatal(err)
		}
		lines := map[int]bool{}
		for _, e := range got.Entries {
			lines[e.Pos.Line] = true
		}
		covered(t, input, lines, got.Issues)
	})
}
