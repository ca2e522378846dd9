package iproute

import (
	"errors"
	"strings"
	"testing"

	"netxray/parse"
)

func TestSniff(t *testing.T) {
	tests := []struct {
		head string
		want parse.Kind // "" for none
	}{
		{"1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN\n", KindAddr},
		{"# ip -o addr\n1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever\n", KindAddr},
		{"2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP>\n", KindAddr},
		{`[{"ifindex":1,"ifname":"lo","flags":["LOOPBACK"]}]`, KindAddr},
		{"default via 10.0.0.1 dev eth0 proto static\n", KindRoute},
		{"unreachable ::/96 dev lo  metric 1024  error -101\n", KindRoute},
		{"198.51.101.0/24\n\tnexthop via 10.0.0.1 dev eth0 weight 1\n", KindRoute},
		{`[{"dst":"default","gateway":"10.0.0.1","dev":"eth0","flags":[]}]`, KindRoute},
		{"0:\tfrom all lookup local\n", KindRule},
		{"1000:\tnot from 10.0.0.0/8 lookup 100\n", KindRule},
		{`[{"priority":0,"src":"all","table":"local"}]`, KindRule},
		{"10.0.0.1 dev eth0 lladdr 00:11:22:33:44:55 REACHABLE\n", KindNeigh},
		{"10.101.5.71 dev bond0.102  INCOMPLETE\n", KindNeigh},
		{`[{"dst":"10.0.0.1","dev":"eth0","lladdr":"00:11:22:33:44:55","state":["STALE"]}]`, KindNeigh},
		{"qrouter-7c2d9e10-5b6a-4f1e-9a3c-2b8d7e6f5a41\n", KindNetns},
		{"ns1 (id: 0)\nns2\n", KindNetns},
		{`[{"name":"ns1","id":0}]`, KindNetns},
		// Not recognisable, or another format.
		{"ns1\nns2\n", ""},
		{"[]", ""},
		{"hello world\n", ""},
		{"NXST_FLOW reply (xid=0x4):\n cookie=0x0, duration=1.0s, table=0, priority=0 actions=NORMAL\n", ""},
	}
	for _, tt := range tests {
		for _, f := range sniffed() {
			if got, want := f.Sniff([]byte(tt.head)), f.Kind == tt.want; got != want {
				t.Errorf("%s Sniff(%q) = %v, want %v", f.Kind, tt.head, got, want)
			}
		}
	}
}

func TestFormatsParse(t *testing.T) {
	for _, f := range Formats {
		if f.Doc == "" || f.Parse == nil || f.Sniff == nil && f.Kind != KindLink {
			t.Errorf("%s: incomplete Format", f.Kind)
		}
		res, err := f.Parse(strings.NewReader("hello world\n"), "t")
		if !errors.Is(err, parse.ErrFormat) || res != nil {
			t.Errorf("%s: Parse(garbage) = %v, %v; want nil result and ErrFormat", f.Kind, res, err)
		}
		res, err = f.Parse(strings.NewReader(""), "t")
		if err != nil || res == nil || res.Records() != 0 {
			t.Errorf("%s: Parse(empty) = %v, %v", f.Kind, res, err)
		}
	}
}

// sniffed returns the formats told by content (ip-link is told by file
// name only: its content is ip-addr's).
func sniffed() []parse.Format {
	var out []parse.Format
	for _, f := range Formats {
		if f.Sniff != nil {
			out = append(out, f)
		}
	}
	return out
}

// TestParseLink: ip-link is ip-addr's parser under its own kind; sos's `ip
// -s -d link` (iproute2 6.1, as in the lab bundles) gives interfaces with
// counters.
func TestParseLink(t *testing.T) {
	const in = `1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000
    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00 promiscuity 0  allmulti 0 minmtu 0 maxmtu 0 addrgenmode eui64 numtxqueues 1 numrxqueues 1 gso_max_size 65536 gso_max_segs 65535 tso_max_size 524280 tso_max_segs 65535 gro_max_size 65536 
    RX:  bytes packets errors dropped  missed   mcast           
        852990    5897      0       0       0       0 
    TX:  bytes packets errors dropped carrier collsns           
        852990    5897      0       0       0       0 
5: ovs-netdev: <BROADCAST,MULTICAST,PROMISC> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000
    link/ether 42:34:bd:82:2a:77 brd ff:ff:ff:ff:ff:ff promiscuity 1  allmulti 0 minmtu 68 maxmtu 65521 
    tun type tap pi off vnet_hdr off persist on addrgenmode eui64 numtxqueues 1 numrxqueues 1 gso_max_size 65536 gso_max_segs 65535 tso_max_size 65536 tso_max_segs 65535 gro_max_size 65536 
    RX:  bytes packets errors dropped  missed   mcast           
             0       0      0       0       0       0 
    TX:  bytes packets errors dropped carrier collsns           
          1216      18      0       0       0       0 
`
	res, err := parserOf(t, KindLink).Parse(strings.NewReader(in), "ip_-s_-d_link")
	if err != nil {
		t.Fatal(err)
	}
	x := res.(*Interfaces)
	if len(x.Issues) != 0 || len(x.Interfaces) != 2 {
		t.Fatalf("interfaces %d, issues %v", len(x.Interfaces), x.Issues)
	}
	in5 := x.Interfaces[1]
	if in5.Name != "ovs-netdev" || in5.Kind != "tun" || in5.Stats == nil {
		t.Fatalf("interface 5 = %+v", in5)
	}
	if v, ok := in5.Stats.TX.Get("bytes"); !ok || v != 1216 {
		t.Errorf("TX bytes = %d, %v", v, ok)
	}
}
