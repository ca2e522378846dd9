package iproute

import (
	"errors"
	"net"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"netxray/parse"
)

func mac(s string) net.HardwareAddr {
	hw, err := net.ParseMAC(s)
	if err != nil {
		panic(err)
	}
	return hw
}

func TestParseAddr(t *testing.T) {
	tests := []tableCase[Interface]{
		{
			name: "dvr rfp veth in other namespace",
			input: `2: rfp-7c2d9e10-5@if3: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default qlen 1000
    link/ether 6a:41:0e:2c:9d:12 brd ff:ff:ff:ff:ff:ff link-netns fip-e1f2a3b4
    inet 169.254.106.114/31 scope global rfp-7c2d9e10-5
       valid_lft forever preferred_lft forever
    inet 203.0.113.50/32 brd 203.0.113.50 scope global rfp-7c2d9e10-5
       valid_lft forever preferred_lft forever
    inet6 fe80::6841:eff:fe2c:9d12/64 scope link 
       valid_lft forever preferred_lft forever
`,
			want: []Interface{{
				Pos: pos(1), End: 8, Index: 2, Name: "rfp-7c2d9e10-5", Link: "if3", LinkIndex: 3,
				Flags: []string{"BROADCAST", "MULTICAST", "UP", "LOWER_UP"}, MTU: 1500, Qdisc: "noqueue",
				State: "UP", Group: "default", Qlen: 1000, LinkType: "ether", Address: "6a:41:0e:2c:9d:12",
				MAC: mac("6a:41:0e:2c:9d:12"), Broadcast: "ff:ff:ff:ff:ff:ff", LinkNetns: "fip-e1f2a3b4", LinkNetnsID: -1,
				Addrs: []Addr{
					{Pos: pos(3), Family: "inet", Prefix: pfx("169.254.106.114/31"), Scope: "global", Label: "rfp-7c2d9e10-5", ValidLft: "forever", PreferredLft: "forever"},
					{Pos: pos(5), Family: "inet", Prefix: pfx("203.0.113.50/32"), Broadcast: ip("203.0.113.50"), Scope: "global", Label: "rfp-7c2d9e10-5", ValidLft: "forever", PreferredLft: "forever"},
					{Pos: pos(7), Family: "inet6", Prefix: pfx("fe80::6841:eff:fe2c:9d12/64"), Scope: "link", ValidLft: "forever", PreferredLft: "forever"},
				},
			}},
		},
		{
			name: "rhel6 qlen in header, no lifetimes on inet, secondary with label",
			input: `71: ns-f14c598d-98: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc pfifo_fast state UP qlen 1000
    link/ether fa:16:3e:10:2f:03 brd ff:ff:ff:ff:ff:ff
    inet 10.1.0.3/24 brd 10.1.0.255 scope global ns-f14c598d-98
    inet 10.1.0.4/24 brd 10.1.0.255 scope global secondary ns-f14c598d-98:1
    inet6 fe80::f816:3eff:fe10:2f03/64 scope link 
       valid_lft forever preferred_lft forever
`,
			want: []Interface{{
				Pos: pos(1), End: 6, Index: 71, Name: "ns-f14c598d-98",
				Flags: []string{"BROADCAST", "MULTICAST", "UP", "LOWER_UP"}, MTU: 1500, Qdisc: "pfifo_fast",
				State: "UP", Qlen: 1000, LinkType: "ether", Address: "fa:16:3e:10:2f:03",
				MAC: mac("fa:16:3e:10:2f:03"), Broadcast: "ff:ff:ff:ff:ff:ff", LinkNetnsID: -1,
				Addrs: []Addr{
					{Pos: pos(3), Family: "inet", Prefix: pfx("10.1.0.3/24"), Broadcast: ip("10.1.0.255"), Scope: "global", Label: "ns-f14c598d-98"},
					{Pos: pos(4), Family: "inet", Prefix: pfx("10.1.0.4/24"), Broadcast: ip("10.1.0.255"), Scope: "global", Flags: []string{"secondary"}, Label: "ns-f14c598d-98:1"},
					{Pos: pos(5), Family: "inet6", Prefix: pfx("fe80::f816:3eff:fe10:2f03/64"), Scope: "link", ValidLft: "forever", PreferredLft: "forever"},
				},
			}},
		},
		{
			name: "ip -d link vxlan enslaved to a linux bridge",
			input: `9: vxlan-1001: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue master brq0c8d2a6e-91 state UNKNOWN mode DEFAULT group default qlen 1000
    link/ether 3a:5c:7e:10:20:30 brd ff:ff:ff:ff:ff:ff promiscuity 1 minmtu 68 maxmtu 65535 
    vxlan id 1001 local 10.0.0.11 dev eth1 srcport 0 0 dstport 8472 proxy ttl auto ageing 300 udpcsum noudp6zerocsumtx noudp6zerocsumrx 
    bridge_slave state forwarding priority 32 cost 100 hairpin off hold_timer    0.00 addrgenmode eui64 numtxqueues 1
`,
			want: []Interface{{
				Pos: pos(1), End: 4, Index: 9, Name: "vxlan-1001",
				Flags: []string{"BROADCAST", "MULTICAST", "UP", "LOWER_UP"}, MTU: 1450, Qdisc: "noqueue", Master: "brq0c8d2a6e-91",
				State: "UNKNOWN", Mode: "DEFAULT", Group: "default", Qlen: 1000, LinkType: "ether", Address: "3a:5c:7e:10:20:30",
				MAC: mac("3a:5c:7e:10:20:30"), Broadcast: "ff:ff:ff:ff:ff:ff", LinkNetnsID: -1,
				Detailed: true, Promiscuity: 1, MinMTU: 68, MaxMTU: 65535,
				Kind: "vxlan",
				KindParams: Params{{"id", "1001"}, {"local", "10.0.0.11"}, {"dev", "eth1"}, {"srcport", "0 0"}, {"dstport", "8472"},
					{"proxy", ""}, {"ttl", "auto"}, {"ageing", "300"}, {"udpcsum", ""}, {"noudp6zerocsumtx", ""}, {"noudp6zerocsumrx", ""}},
				Tunnel:      &Tunnel{ID: 1001, HasID: true, Local: ip("10.0.0.11"), Dev: "eth1", DstPort: 8472, Learning: true, Proxy: true},
				SlaveKind:   "bridge",
				SlaveParams: Params{{"state", "forwarding"}, {"priority", "32"}, {"cost", "100"}, {"hairpin", "off"}, {"hold_timer", "0.00"}},
				Details:     Params{{"addrgenmode", "eui64"}, {"numtxqueues", "1"}},
			}},
		},
		{
			name: "ovs vxlan_sys and a physical nic with only a slave kind line",
			input: `5: vxlan_sys_4789: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 65000 qdisc noqueue master ovs-system state UNKNOWN mode DEFAULT group default qlen 1000
    link/ether 1e:2d:3c:4b:5a:69 brd ff:ff:ff:ff:ff:ff promiscuity 1  allmulti 0 minmtu 68 maxmtu 65535
    vxlan external id 0 srcport 0 0 dstport 4789 nolearning ttl auto ageing 300 udpcsum noudp6zerocsumtx udp6zerocsumrx
    openvswitch_slave addrgenmode eui64 numtxqueues 1 numrxqueues 1
4: eth2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc mq master ovs-system state UP mode DEFAULT group default qlen 1000
    link/ether 00:15:5d:bf:ba:58 brd ff:ff:ff:ff:ff:ff promiscuity 1  allmulti 0 minmtu 68 maxmtu 65521
    openvswitch_slave addrgenmode none gro_max_size 65536 parentbus vmbu
`,
			want: []Interface{{
				Pos: pos(1), End: 4, Index: 5, Name: "vxlan_sys_4789",
				Flags: []string{"BROADCAST", "MULTICAST", "UP", "LOWER_UP"}, MTU: 65000, Qdisc: "noqueue", Master: "ovs-system",
				State: "UNKNOWN", Mode: "DEFAULT", Group: "default", Qlen: 1000, LinkType: "ether", Address: "1e:2d:3c:4b:5a:69",
				MAC: mac("1e:2d:3c:4b:5a:69"), Broadcast: "ff:ff:ff:ff:ff:ff", LinkNetnsID: -1,
				Detailed: true, Promiscuity: 1, MinMTU: 68, MaxMTU: 65535,
				Kind: "vxlan",
				KindParams: Params{{"external", ""}, {"id", "0"}, {"srcport", "0 0"}, {"dstport", "4789"}, {"nolearning", ""},
					{"ttl", "auto"}, {"ageing", "300"}, {"udpcsum", ""}, {"noudp6zerocsumtx", ""}, {"udp6zerocsumrx", ""}},
				Tunnel:    &Tunnel{ID: 0, HasID: true, DstPort: 4789, External: true},
				SlaveKind: "openvswitch",
				Details:   Params{{"allmulti", "0"}, {"addrgenmode", "eui64"}, {"numtxqueues", "1"}, {"numrxqueues", "1"}},
			}, {
				Pos: pos(5), End: 7, Index: 4, Name: "eth2",
				Flags: []string{"BROADCAST", "MULTICAST", "UP", "LOWER_UP"}, MTU: 1500, Qdisc: "mq", Master: "ovs-system",
				State: "UP", Mode: "DEFAULT", Group: "default", Qlen: 1000, LinkType: "ether", Address: "00:15:5d:bf:ba:58",
				MAC: mac("00:15:5d:bf:ba:58"), Broadcast: "ff:ff:ff:ff:ff:ff", LinkNetnsID: -1,
				Detailed: true, Promiscuity: 1, MinMTU: 68, MaxMTU: 65521,
				SlaveKind: "openvswitch",
				// The truncated "parentbus vmbu" of a real file is still a
				// keyword and a value.
				Details: Params{{"allmulti", "0"}, {"addrgenmode", "none"}, {"gro_max_size", "65536"}, {"parentbus", "vmbu"}},
			}},
		},
		{
			name: "gre@NONE point-to-point and stats (old column names)",
			input: `12: gre1@NONE: <POINTOPOINT,NOARP,UP,LOWER_UP> mtu 1476 qdisc noqueue state UNKNOWN mode DEFAULT qlen 1
    link/gre 10.211.47.217 peer 172.168.10.25 promiscuity 0
    gre remote 172.168.10.25 local 10.211.47.217 ttl 255 key 7 addrgenmode eui64
      Drop packets out of sequence.
    RX: bytes  packets  errors  dropped overrun mcast
    0          0        0       0       0       0
    TX: bytes  packets  errors  dropped carrier collsns
    168        3        0       0       0       0
`,
			want: []Interface{{
				Pos: pos(1), End: 8, Index: 12, Name: "gre1", Link: "NONE",
				Flags: []string{"POINTOPOINT", "NOARP", "UP", "LOWER_UP"}, MTU: 1476, Qdisc: "noqueue",
				State: "UNKNOWN", Mode: "DEFAULT", Qlen: 1, LinkType: "gre", Address: "10.211.47.217", Peer: "172.168.10.25",
				LinkNetnsID: -1, Detailed: true,
				Kind:       "gre",
				KindParams: Params{{"remote", "172.168.10.25"}, {"local", "10.211.47.217"}, {"ttl", "255"}, {"key", "7"}, {"Drop packets out of sequence.", ""}},
				Tunnel:     &Tunnel{ID: 7, HasID: true, Local: ip("10.211.47.217"), Remote: ip("172.168.10.25"), Learning: true},
				Details:    Params{{"addrgenmode", "eui64"}},
				Stats: &Stats{Pos: pos(5),
					RX: Counters{Other: []Counter{{"over_errors", 0}, {"multicast", 0}}},
					TX: Counters{Bytes: 168, Packets: 3, Other: []Counter{{"carrier_errors", 0}, {"collisions", 0}}},
				},
			}},
		},
		{
			name: "vlan flags and qos maps, bond slave port state",
			input: `20: eth0.100@eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default qlen 1000
    link/ether 52:54:00:12:34:56 brd ff:ff:ff:ff:ff:ff promiscuity 0
    vlan protocol 802.1Q id 100 <REORDER_HDR> ingress-qos-map { 0:0 1:1 } egress-qos-map { 0:0 }
    bond_slave state ACTIVE mii_status UP ad_actor_oper_port_state 63 <active,short_timeout,aggregating> addrgenmode eui64
`,
			want: []Interface{{
				Pos: pos(1), End: 4, Index: 20, Name: "eth0.100", Link: "eth0",
				Flags: []string{"BROADCAST", "MULTICAST", "UP", "LOWER_UP"}, MTU: 1500, Qdisc: "noqueue",
				State: "UP", Mode: "DEFAULT", Group: "default", Qlen: 1000, LinkType: "ether", Address: "52:54:00:12:34:56",
				MAC: mac("52:54:00:12:34:56"), Broadcast: "ff:ff:ff:ff:ff:ff", LinkNetnsID: -1, Detailed: true,
				Kind:        "vlan",
				KindParams:  Params{{"protocol", "802.1Q"}, {"id", "100"}, {"flags", "<REORDER_HDR>"}, {"ingress-qos-map", "{ 0:0 1:1 }"}, {"egress-qos-map", "{ 0:0 }"}},
				SlaveKind:   "bond",
				SlaveParams: Params{{"state", "ACTIVE"}, {"mii_status", "UP"}, {"ad_actor_oper_port_state", "63"}, {"ad_actor_oper_port_state_str", "<active,short_timeout,aggregating>"}},
				Details:     Params{{"addrgenmode", "eui64"}},
			}},
		},
		{
			name: "ip -o addr lines join their interface",
			input: `1: lo    inet 127.0.0.1/8 scope host lo\       valid_lft forever preferred_lft forever
1: lo    inet6 ::1/128 scope host \       valid_lft forever preferred_lft forever
7: nxt-mv    inet 10.0.0.1 peer 10.0.0.2/32 scope global nxt-mv\       valid_lft forever preferred_lft forever
`,
			want: []Interface{{
				Pos: pos(1), End: 2, Index: 1, Name: "lo", LinkNetnsID: -1,
				Addrs: []Addr{
					{Pos: pos(1), Family: "inet", Prefix: pfx("127.0.0.1/8"), Scope: "host", Label: "lo", ValidLft: "forever", PreferredLft: "forever"},
					{Pos: pos(2), Family: "inet6", Prefix: pfx("::1/128"), Scope: "host", ValidLft: "forever", PreferredLft: "forever"},
				},
			}, {
				Pos: pos(3), End: 3, Index: 7, Name: "nxt-mv", LinkNetnsID: -1,
				Addrs: []Addr{
					{Pos: pos(3), Family: "inet", Prefix: pfx("10.0.0.1/32"), Peer: pfx("10.0.0.2/32"), Scope: "global", Label: "nxt-mv", ValidLft: "forever", PreferredLft: "forever"},
				},
			}},
		},
		{
			name: "ip -o link with its link/ line after the marker",
			input: `6: rfp-7c2d9e10-5@if2: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000\    link/ether e6:89:65:ca:d0:16 brd ff:ff:ff:ff:ff:ff link-netnsid 0
`,
			want: []Interface{{
				Pos: pos(1), End: 1, Index: 6, Name: "rfp-7c2d9e10-5", Link: "if2", LinkIndex: 2,
				Flags: []string{"BROADCAST", "MULTICAST"}, MTU: 1500, Qdisc: "noop", State: "DOWN", Mode: "DEFAULT",
				Group: "default", Qlen: 1000, LinkType: "ether", Address: "e6:89:65:ca:d0:16", MAC: mac("e6:89:65:ca:d0:16"),
				Broadcast: "ff:ff:ff:ff:ff:ff", LinkNetnsID: 0,
			}},
		},
		{
			name: "altname, alias, dynamic address lifetimes, -s -s columns",
			input: "5: qr-1a2b3c4d-5e@qvo-peer0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue state UP mode DEFAULT group default qlen 1000\n" +
				"    link/ether 3e:a7:87:c2:32:6b brd ff:ff:ff:ff:ff:ff\n" +
				"    alias router port 1a2b\n" +
				"    RX:  bytes packets errors dropped  missed   mcast           \n" +
				"          2298      35      0       0       0       0 \n" +
				"    RX errors:  length    crc   frame    fifo overrun\n" +
				"                     0      1       0       0       0 \n" +
				"    altname qr-altname-1\n" +
				"    inet6 2001:db8:11::1/64 scope global nodad dynamic noprefixroute \n" +
				"       valid_lft 3600sec preferred_lft 1800sec\n",
			want: []Interface{{
				Pos: pos(1), End: 10, Index: 5, Name: "qr-1a2b3c4d-5e", Link: "qvo-peer0",
				Flags: []string{"BROADCAST", "MULTICAST", "UP", "LOWER_UP"}, MTU: 1450, Qdisc: "noqueue", State: "UP", Mode: "DEFAULT",
				Group: "default", Qlen: 1000, LinkType: "ether", Address: "3e:a7:87:c2:32:6b", MAC: mac("3e:a7:87:c2:32:6b"),
				Broadcast: "ff:ff:ff:ff:ff:ff", LinkNetnsID: -1,
				Alias:    "router port 1a2b",
				AltNames: []string{"qr-altname-1"},
				Stats: &Stats{Pos: pos(4), RX: Counters{Bytes: 2298, Packets: 35, Other: []Counter{
					{"missed_errors", 0}, {"multicast", 0}, {"length_errors", 0}, {"crc_errors", 1}, {"frame_errors", 0}, {"fifo_errors", 0}, {"over_errors", 0},
				}}},
				Addrs: []Addr{{Pos: pos(9), Family: "inet6", Prefix: pfx("2001:db8:11::1/64"), Scope: "global",
					Flags: []string{"nodad", "dynamic", "noprefixroute"}, ValidLft: "3600sec", PreferredLft: "1800sec"}},
			}},
		},
		{
			name: "banner, failure text, unknown keywords, stray lines",
			input: "# ip netns exec qrouter-x ip addr\n" +
				"    inet 10.9.9.9/24 scope global\n" +
				"Cannot open network namespace \"qrouter-x\": No such file or directory\n" +
				"3: eth9: <UP> mtu 1500 wobble 7 qdisc noqueue\n" +
				"    link/ether 00:11:22:33:44:55 brd ff:ff:ff:ff:ff:ff frobnicate\n" +
				"    inet 10.0.0.9/24 weird 1 scope global eth9\n" +
				"    vf 0 MAC 00:00:00:00:00:00, spoof checking on\n",
			want: []Interface{{
				Pos: pos(4), End: 7, Index: 3, Name: "eth9", Flags: []string{"UP"}, MTU: 1500, Qdisc: "noqueue",
				LinkType: "ether", Address: "00:11:22:33:44:55", MAC: mac("00:11:22:33:44:55"), Broadcast: "ff:ff:ff:ff:ff:ff",
				LinkNetnsID: -1,
				Extra:       Params{{"wobble", "7"}, {"frobnicate", ""}, {"vf", "0 MAC 00:00:00:00:00:00, spoof checking on"}},
				Addrs: []Addr{{Pos: pos(6), Family: "inet", Prefix: pfx("10.0.0.9/24"), Scope: "global", Label: "eth9",
					Extra: Params{{"weird", "1"}}}},
			}},
			wantIssues: []string{
				"1: info: collector banner skipped",
				"2: error: line outside any interface block",
				"3: info: command failed: Cannot open network namespace",
				"4: warning: unknown interface header keyword(s) kept in Extra: wobble",
				"5: warning: unknown link keyword(s) kept in Extra: frobnicate",
				"6: warning: unknown address keyword(s) kept in Extra: weird",
				"7: warning: unrecognised line in interface eth9 kept in Extra",
			},
		},
		{
			name:  "CRLF and colour",
			input: "1: \x1b[36mlo\x1b[0m: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state \x1b[32mUNKNOWN \x1b[0mgroup default\r\n    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\r\n",
			want: []Interface{{
				Pos: pos(1), End: 2, Index: 1, Name: "lo", Flags: []string{"LOOPBACK", "UP", "LOWER_UP"}, MTU: 65536, Qdisc: "noqueue",
				State: "UNKNOWN", Group: "default", LinkType: "loopback", Address: "00:00:00:00:00:00", MAC: mac("00:00:00:00:00:00"),
				Broadcast: "00:00:00:00:00:00", LinkNetnsID: -1,
			}},
		},
		{
			name: "ip a | grep: header lines only, unindented link/ line of a pasted post",
			input: `550: qbr3238a480-ba: <BROADCAST,MULTICAST,UP,LOWER_UP>
552: qvb3238a480-ba@qvo3238a480-ba: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue master qbr3238a480-ba state UP group default qlen 1000
link/ether 12:29:ce:98:c8:ae brd ff:ff:ff:ff:ff:ff
`,
			want: []Interface{{
				Pos: pos(1), End: 1, Index: 550, Name: "qbr3238a480-ba", Flags: []string{"BROADCAST", "MULTICAST", "UP", "LOWER_UP"}, LinkNetnsID: -1,
			}, {
				Pos: pos(2), End: 3, Index: 552, Name: "qvb3238a480-ba", Link: "qvo3238a480-ba",
				Flags: []string{"BROADCAST", "MULTICAST", "UP", "LOWER_UP"}, MTU: 1450, Qdisc: "noqueue", Master: "qbr3238a480-ba",
				State: "UP", Group: "default", Qlen: 1000, LinkType: "ether", Address: "12:29:ce:98:c8:ae", MAC: mac("12:29:ce:98:c8:ae"),
				Broadcast: "ff:ff:ff:ff:ff:ff", LinkNetnsID: -1,
			}},
		},
	}
	runTable(t, tests, ParseAddr, func(x *Interfaces) []Interface { return x.Interfaces }, cmpopts.IgnoreFields(Interface{}, "Raw"), cmpopts.IgnoreFields(Addr{}, "Raw"))
}

func TestParseAddrRaw(t *testing.T) {
	in := "1: lo: <LOOPBACK> mtu 65536\n    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n    inet 127.0.0.1/8 scope host lo\n       valid_lft forever preferred_lft forever\n"
	got, err := ParseAddr(strings.NewReader(in), "t")
	if err != nil {
		t.Fatal(err)
	}
	if want := strings.TrimSuffix(in, "\n"); got.Interfaces[0].Raw != want {
		t.Errorf("interface Raw = %q, want %q", got.Interfaces[0].Raw, want)
	}
	if want := "    inet 127.0.0.1/8 scope host lo\n       valid_lft forever preferred_lft forever"; got.Interfaces[0].Addrs[0].Raw != want {
		t.Errorf("address Raw = %q, want %q", got.Interfaces[0].Addrs[0].Raw, want)
	}
}

func TestParseAddrJSON(t *testing.T) {
	in := `[{"ifindex":2,"link_index":3,"ifname":"rfp-7c2d9e10-5","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],"mtu":1500,"qdisc":"noqueue","operstate":"UP","group":"default","txqlen":1000,"link_type":"ether","address":"6a:41:0e:2c:9d:12","broadcast":"ff:ff:ff:ff:ff:ff","link_netnsid":0,"promiscuity":0,"min_mtu":68,"max_mtu":65535,
  "linkinfo":{"info_kind":"vxlan","info_data":{"id":1001,"local":"10.0.0.11","link":"eth1","port_range":{"low":0,"high":0},"port":8472,"learning":false,"proxy":true},"info_slave_kind":"openvswitch"},
  "num_tx_queues":1,"altnames":["alt0"],"stats64":{"rx":{"bytes":10,"packets":1,"errors":0,"dropped":0,"over_errors":0,"multicast":0},"tx":{"bytes":20,"packets":2,"errors":0,"dropped":1,"carrier_errors":0,"collisions":0}},"frobnicate":1,
  "addr_info":[{"family":"inet","local":"169.254.106.114","prefixlen":31,"scope":"global","label":"rfp-7c2d9e10-5","valid_life_time":4294967295,"preferred_life_time":4294967295},
               {"family":"inet6","local":"fd00::1","prefixlen":64,"scope":"global","nodad":true,"dynamic":true,"valid_life_time":3600,"preferred_life_time":1800}]},
 {"ifindex":10,"link":null,"ifname":"gre0","flags":["NOARP"],"mtu":1476}]
RTNETLINK answers: Operation not permitted
`
	got, err := ParseAddr(strings.NewReader(in), "t")
	if err != nil {
		t.Fatal(err)
	}
	want := []Interface{{
		Pos: pos(1), End: 5, Index: 2, Name: "rfp-7c2d9e10-5", Link: "if3", LinkIndex: 3,
		Flags: []string{"BROADCAST", "MULTICAST", "UP", "LOWER_UP"}, MTU: 1500, Qdisc: "noqueue", State: "UP", Group: "default",
		Qlen: 1000, LinkType: "ether", Address: "6a:41:0e:2c:9d:12", MAC: mac("6a:41:0e:2c:9d:12"), Broadcast: "ff:ff:ff:ff:ff:ff",
		LinkNetnsID: 0, Detailed: true, MinMTU: 68, MaxMTU: 65535,
		Kind:       "vxlan",
		KindParams: Params{{"id", "1001"}, {"local", "10.0.0.11"}, {"link", "eth1"}, {"port_range.low", "0"}, {"port_range.high", "0"}, {"port", "8472"}, {"learning", "false"}, {"proxy", "true"}},
		Tunnel:     &Tunnel{ID: 1001, HasID: true, Local: ip("10.0.0.11"), Dev: "eth1", DstPort: 8472, Proxy: true},
		SlaveKind:  "openvswitch",
		Details:    Params{{"numtxqueues", "1"}},
		AltNames:   []string{"alt0"},
		Stats: &Stats{Pos: pos(3),
			RX: Counters{Bytes: 10, Packets: 1, Other: []Counter{{"over_errors", 0}, {"multicast", 0}}},
			TX: Counters{Bytes: 20, Packets: 2, Dropped: 1, Other: []Counter{{"carrier_errors", 0}, {"collisions", 0}}}},
		Extra: Params{{"frobnicate", "1"}},
		Addrs: []Addr{
			{Pos: pos(4), Family: "inet", Prefix: pfx("169.254.106.114/31"), Scope: "global", Label: "rfp-7c2d9e10-5", ValidLft: "forever", PreferredLft: "forever"},
			{Pos: pos(5), Family: "inet6", Prefix: pfx("fd00::1/64"), Scope: "global", Flags: []string{"nodad", "dynamic"}, ValidLft: "3600sec", PreferredLft: "1800sec"},
		},
	}, {
		Pos: pos(6), End: 6, Index: 10, Name: "gre0", Link: "NONE", Flags: []string{"NOARP"}, MTU: 1476, LinkNetnsID: -1,
	}}
	opts := append([]cmp.Option{cmpopts.IgnoreFields(Interface{}, "Raw"), cmpopts.IgnoreFields(Addr{}, "Raw")}, cmpOpts...)
	if diff := cmp.Diff(want, got.Interfaces, opts...); diff != "" {
		t.Errorf("interfaces (-want +got):\n%s", diff)
	}
	if !got.JSON {
		t.Error("JSON not set")
	}
	matchIssues(t, got.Issues, []string{
		"1: warning: unknown interface JSON keyword(s) kept in Extra: frobnicate",
		"7: info: command failed: RTNETLINK answers",
	})
}

func TestParseAddrErrors(t *testing.T) {
	for _, in := range []string{
		"default via 10.0.0.1 dev eth0\n10.0.0.0/24 dev eth0 proto kernel\n",
		"hello world\n",
	} {
		_, err := ParseAddr(strings.NewReader(in), "t")
		if !errors.Is(err, parse.ErrFormat) {
			t.Errorf("ParseAddr(%q) error = %v, want ErrFormat", in, err)
		}
	}
	x, err := ParseAddr(strings.NewReader("\n\n# ip addr\n"), "t")
	if err != nil || x.Records() != 0 {
		t.Errorf("empty output: %v, %d records", err, x.Records())
	}
	x, err = ParseAddr(strings.NewReader(`[{},{"ifindex":2,"ifname":"eth0","addr_info":[{}]}]`), "t")
	if err != nil || x.Records() != 1 || len(x.Interfaces[0].Addrs) != 0 || len(x.Issues) != 1 || x.Issues[0].Severity != parse.SevInfo {
		t.Errorf("ip -j -4 addr with {} objects: %v, %d records, issues %v", err, x.Records(), x.Issues)
	}
	x, err = ParseAddr(strings.NewReader(`[{"ifindex":1,"ifname":"lo"},{"ifindex":`), "t")
	if err != nil || x.Records() != 1 || len(x.Issues) != 1 || x.Issues[0].Severity != parse.SevError {
		t.Errorf("truncated JSON: %v, %d records, issues %v", err, x.Records(), x.Issues)
	}
}

func TestInterfacesByName(t *testing.T) {
	x, _ := ParseAddr(strings.NewReader("1: lo: <LOOPBACK>\n2: eth0: <UP>\n"), "t")
	if in, ok := x.ByName("eth0"); !ok || in.Index != 2 {
		t.Errorf("ByName(eth0) = %v, %v", in, ok)
	}
	if _, ok := x.ByName("eth1"); ok {
		t.Error("ByName(eth1) found")
	}
}

func TestAccessors(t *testing.T) {
	p := Params{{"id", "5"}, {"proxy", ""}}
	if v, ok := p.Get("id"); !ok || v != "5" || !p.Has("proxy") || p.Has("dev") {
		t.Errorf("Params accessors wrong: %v %v", v, ok)
	}
	a := Addr{Flags: []string{"secondary"}}
	if !a.HasFlag("secondary") || a.HasFlag("dynamic") {
		t.Error("Addr.HasFlag wrong")
	}
	c := Counters{Bytes: 1, Packets: 2, Errors: 3, Dropped: 4, Other: []Counter{{"multicast", 5}}}
	for name, want := range map[string]uint64{"bytes": 1, "packets": 2, "errors": 3, "dropped": 4, "multicast": 5} {
		if got, ok := c.Get(name); !ok || got != want {
			t.Errorf("Counters.Get(%s) = %d, %v", name, got, ok)
		}
	}
	if _, ok := c.Get("collisions"); ok {
		t.Error("Counters.Get(collisions) found")
	}
}
