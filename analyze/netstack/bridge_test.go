package netstack

import (
	"errors"
	"net"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"netxray/parse/bridge"
	"netxray/parse/iproute"
)

// The cmp2 hybrid-firewall bridge of the lab (fixtures/bundles/healthy),
// with a foreign bridge's entries and a device's own entry mixed in.
const qbrFDB = `
fa:16:3e:fd:f0:40 dev qvb0778ad0d-cb used 0/0 master qbr0778ad0d-cb
fa:16:3e:73:34:5c dev qvb0778ad0d-cb used 16/20 master qbr0778ad0d-cb
ca:07:21:ff:30:0e dev qvb0778ad0d-cb used 905/905 master qbr0778ad0d-cb permanent
fa:16:3e:09:41:b5 dev tap0778ad0d-cb used 0/0 master qbr0778ad0d-cb
2a:3b:11:d2:d9:58 dev tap0778ad0d-cb used 905/905 master qbr0778ad0d-cb permanent
fa:16:3e:5d:ca:29 dev qvba9685f22-90 used 0/0 master qbra9685f22-90
33:33:00:00:00:01 dev tap0778ad0d-cb self permanent
fa:16:3e:aa:aa:aa dev tap0778ad0d-cb self permanent
`

const qbrAddrs = `
10: qbr0778ad0d-cb: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue state UP group default qlen 1000
    link/ether 2a:3b:11:d2:d9:58 brd ff:ff:ff:ff:ff:ff promiscuity 0  allmulti 0 minmtu 68 maxmtu 65535
    bridge forward_delay 0 hello_time 200 max_age 2000 ageing_time 30000 stp_state 0 priority 32768 vlan_filtering 0 vlan_protocol 802.1Q
11: qvo0778ad0d-cb@qvb0778ad0d-cb: <BROADCAST,MULTICAST,PROMISC,UP,LOWER_UP> mtu 1450 qdisc noqueue master ovs-system state UP group default qlen 1000
    link/ether fa:6f:4d:2e:bd:74 brd ff:ff:ff:ff:ff:ff promiscuity 1  allmulti 0 minmtu 68 maxmtu 65535
    veth
    openvswitch_slave
12: qvb0778ad0d-cb@qvo0778ad0d-cb: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue master qbr0778ad0d-cb state UP group default qlen 1000
    link/ether ca:07:21:ff:30:0e brd ff:ff:ff:ff:ff:ff promiscuity 1  allmulti 1 minmtu 68 maxmtu 65535
    veth
    bridge_slave state forwarding priority 32 cost 2 hairpin off guard off
13: tap0778ad0d-cb@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue master qbr0778ad0d-cb state UP group default qlen 1000
    link/ether 2a:3b:11:d2:d9:58 brd ff:ff:ff:ff:ff:ff link-netnsid 1 promiscuity 1  allmulti 1 minmtu 68 maxmtu 65535
    veth
    bridge_slave state forwarding priority 32 cost 2 hairpin off guard off
`

func fdbText(t testing.TB, s string) *bridge.FDB {
	t.Helper()
	x, err := bridge.ParseFDB(strings.NewReader(dedent(s)), "bridge_fdb")
	must(t, err, x.Issues)
	return x
}

func ifsText(t testing.TB, s string) []*iproute.Interface {
	t.Helper()
	x, err := iproute.ParseAddr(strings.NewReader(dedent(s)), "ip_addr")
	must(t, err, x.Issues)
	var out []*iproute.Interface
	for i := range x.Interfaces {
		out = append(out, &x.Interfaces[i])
	}
	return out
}

func mac(s string) net.HardwareAddr {
	m, err := net.ParseMAC(s)
	if err != nil {
		panic(err)
	}
	return m
}

func TestBridgesFromSources(t *testing.T) {
	brs := Bridges(ifsText(t, qbrAddrs), fdbText(t, qbrFDB), nil, nil)
	if len(brs) != 1 {
		t.Fatalf("%d bridges, want qbr0778ad0d-cb only (qvo's master is ovs-system)", len(brs))
	}
	b := brs[0]
	var ports []string
	for _, p := range b.Ports {
		ports = append(ports, p.Name)
	}
	if b.Name != "qbr0778ad0d-cb" || b.MAC.String() != "2a:3b:11:d2:d9:58" || b.Pos.Line != 1 ||
		!cmp.Equal(ports, []string{"qvb0778ad0d-cb", "tap0778ad0d-cb"}) {
		t.Errorf("bridge %s mac %s pos %s ports %v", b.Name, b.MAC, b.Pos, ports)
	}
	links, err := bridge.ParseLinks(strings.NewReader("12: qvb0778ad0d-cb@qvo0778ad0d-cb: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 master qbr0778ad0d-cb state blocking priority 32 cost 2\n"), "bridge_link")
	must(t, err, links.Issues)
	brctl, err := bridge.ParseBrctlShow(strings.NewReader("bridge name\tbridge id\t\tSTP enabled\tinterfaces\nqbrx\t\t8000.525400263a23\tno\t\tethx\n"), "brctl_show")
	must(t, err, brctl.Issues)
	brs = Bridges(ifsText(t, qbrAddrs), nil, links, brctl)
	if len(brs) != 2 || brs[0].Name != "qbr0778ad0d-cb" || brs[0].Ports[0].State != "blocking" || brs[1].Name != "qbrx" || brs[1].Ports[0].Name != "ethx" {
		t.Errorf("with bridge link and brctl: %+v", brs)
	}
}

func TestBridgeForward(t *testing.T) {
	const qvb, tap = "qvb0778ad0d-cb", "tap0778ad0d-cb"
	type want struct {
		Verdict   L2Verdict
		Out       []string
		Host      bool
		EntryLine int
	}
	tests := []struct {
		name   string
		ports  []BridgePort // nil: qvb and tap, forwarding
		fdb    string       // "": qbrFDB
		in     string
		dst    string
		vlan   int
		want   want
		reason string
		note   string
	}{
		{name: "VM to a MAC learned behind qvb", in: tap, dst: "fa:16:3e:73:34:5c",
			want: want{Verdict: Unicast, Out: []string{qvb}, EntryLine: 2}, reason: "FDB sends fa:16:3e:73:34:5c to qvb0778ad0d-cb (bridge_fdb:2)"},
		{name: "towards the VM", in: qvb, dst: "fa:16:3e:09:41:b5",
			want: want{Verdict: Unicast, Out: []string{tap}, EntryLine: 4}},
		{name: "unknown unicast floods, not back to the ingress", in: tap, dst: "fa:16:3e:12:34:56",
			want: want{Verdict: Flood, Out: []string{qvb}}, reason: "unknown unicast"},
		{name: "a foreign bridge's entry is not ours", in: tap, dst: "fa:16:3e:5d:ca:29",
			want: want{Verdict: Flood, Out: []string{qvb}}},
		{name: "a device's own (self) entry is not the bridge's", in: qvb, dst: "fa:16:3e:aa:aa:aa",
			want: want{Verdict: Flood, Out: []string{tap}}},
		{name: "broadcast floods and goes up to the host", in: qvb, dst: "ff:ff:ff:ff:ff:ff",
			want: want{Verdict: Flood, Out: []string{tap}, Host: true}},
		{name: "multicast floods (no snooping)", in: qvb, dst: "01:00:5e:00:00:01",
			want: want{Verdict: Flood, Out: []string{tap}, Host: true}, note: "snooping"},
		{name: "a port's own address is local", in: tap, dst: "ca:07:21:ff:30:0e",
			want: want{Verdict: ToHost, EntryLine: 3}},
		{name: "the bridge's own address is local", in: qvb, dst: "2a:3b:11:d2:d9:58",
			want: want{Verdict: ToHost, EntryLine: 5}},
		{name: "the bridge's own address without an FDB entry", in: qvb, dst: "2a:3b:11:d2:d9:58", fdb: "\n",
			want: want{Verdict: ToHost}, reason: "address of bridge"},
		{name: "destination behind the ingress port is filtered", in: qvb, dst: "fa:16:3e:73:34:5c",
			want: want{Verdict: L2Drop, EntryLine: 2}, reason: "behind the ingress port"},
		{name: "hairpin sends it back", in: qvb, dst: "fa:16:3e:73:34:5c",
			ports: []BridgePort{{Name: qvb, Options: map[string]string{"hairpin": "on"}}, {Name: tap}},
			want:  want{Verdict: Unicast, Out: []string{qvb}, EntryLine: 2}},
		{name: "blocking ingress drops", in: qvb, dst: "fa:16:3e:09:41:b5",
			ports: []BridgePort{{Name: qvb, State: "blocking"}, {Name: tap}},
			want:  want{Verdict: L2Drop}, reason: "STP state blocking"},
		{name: "blocking egress drops", in: qvb, dst: "fa:16:3e:09:41:b5",
			ports: []BridgePort{{Name: qvb}, {Name: tap, State: "disabled"}},
			want:  want{Verdict: L2Drop, EntryLine: 4}},
		{name: "flood skips ports with flood off and non-forwarding ports", in: "p1", dst: "fa:16:3e:12:34:56", fdb: "\n",
			ports: []BridgePort{{Name: "p1"}, {Name: "p2", Options: map[string]string{"flood": "off"}}, {Name: "p3", State: "listening"}, {Name: "p4"}},
			want:  want{Verdict: Flood, Out: []string{"p4"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fdb := tc.fdb
			if fdb == "" {
				fdb = qbrFDB
			}
			ports := tc.ports
			if ports == nil {
				ports = []BridgePort{{Name: qvb}, {Name: tap}}
			}
			b := &Bridge{Name: "qbr0778ad0d-cb", MAC: mac("2a:3b:11:d2:d9:58"), Ports: ports, FDB: fdbText(t, fdb).Entries}
			d, err := b.Forward(tc.in, mac(tc.dst), tc.vlan)
			if err != nil {
				t.Fatal(err)
			}
			got := want{Verdict: d.Verdict, Out: d.Out, Host: d.Host}
			if d.Entry != nil {
				got.EntryLine = d.Entry.Pos.Line
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s\nreason: %s", diff, d.Reason)
			}
			if !strings.Contains(d.Reason, tc.reason) {
				t.Errorf("reason %q lacks %q", d.Reason, tc.reason)
			}
			if tc.note != "" && !strings.Contains(strings.Join(d.Notes, "\n"), tc.note) {
				t.Errorf("notes %q lack %q", d.Notes, tc.note)
			}
		})
	}
}

func TestBridgeVLAN(t *testing.T) {
	b := &Bridge{Name: "br0", Ports: []BridgePort{{Name: "p1"}, {Name: "p2"}, {Name: "p3"}}, FDB: fdbText(t, `
	52:54:00:00:00:aa dev p2 vlan 10 master br0
	52:54:00:00:00:aa dev p3 vlan 20 master br0
	52:54:00:00:00:bb dev p3 vlan 20 master br0
	52:54:00:00:00:cc dev p2 master br0
	`).Entries}
	for _, tc := range []struct {
		dst  string
		vlan int
		want L2Verdict
		out  string
		note string
	}{
		{"52:54:00:00:00:aa", 10, Unicast, "p2", ""},
		{"52:54:00:00:00:aa", 20, Unicast, "p3", ""},
		{"52:54:00:00:00:bb", 10, Flood, "p2 p3", ""},
		{"52:54:00:00:00:bb", 0, Unicast, "p3", "PVID unknown"},
		{"52:54:00:00:00:aa", 0, Flood, "p2 p3", "several ports"},
		{"52:54:00:00:00:cc", 10, Flood, "p2 p3", ""},
	} {
		d, err := b.Forward("p1", mac(tc.dst), tc.vlan)
		if err != nil {
			t.Fatal(err)
		}
		if d.Verdict != tc.want || strings.Join(d.Out, " ") != tc.out || !strings.Contains(strings.Join(d.Notes, "\n"), tc.note) {
			t.Errorf("%s vlan %d: %s %v notes %q, want %s %s (%s)", tc.dst, tc.vlan, d.Verdict, d.Out, d.Notes, tc.want, tc.out, tc.note)
		}
	}
	if _, err := b.Forward("p9", mac("52:54:00:00:00:aa"), 10); !errors.Is(err, ErrPacket) {
		t.Errorf("ingress not a port: %v", err)
	}
}
