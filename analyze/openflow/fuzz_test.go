package openflow

import (
	"strings"
	"testing"
)

// FuzzParseMicroflow feeds arbitrary microflows to the parser and traces
// what parses through a small Neutron-shaped switch. Properties: nothing
// panics; a parsed packet prints as a "Flow:" line that, when the parser
// takes it back, prints the same (the printed view is stable); the trace
// text and JSON render.
func FuzzParseMicroflow(f *testing.F) {
	for _, tc := range traceCases {
		f.Add(tc.flow)
	}
	for _, p := range neutronProbes(8, 2, 3) {
		f.Add(p)
	}
	for _, s := range []string{
		"", ",", "=", "in_port", "in_port=", "in_port=LOCAL,dl_vlan=4095,dl_vlan_pcp=7",
		"tcp6,in_port=1,ipv6_src=::1,ipv6_dst=fe80::1:2:3:4,tp_src=1,tp_dst=65535,tcp_flags=0x12",
		"icmp6,in_port=1,icmpv6_type=135,icmpv6_code=0,nd_target=fe80::1,nd_sll=fa:16:3e:00:00:01",
		"ct_state=trk|est|rpl,ct_zone=65535,ct_mark=0xffffffff,ct_label=0x1234567890abcdef1234567890abcdef,ip,in_port=1",
		"in_port=1,tun_id=0xffffffffffffffff,tun_src=10.0.0.1,tun_dst=10.0.0.2,reg0=1,reg15=0xffffffff,xreg7=1,metadata=0x1",
		"ip,in_port=1,nw_frag=later,nw_tos=252,nw_ecn=3,nw_ttl=0",
		`in_port="tap3",arp,arp_op=2,arp_sha=00:00:00:00:00:01,arp_tha=ff:ff:ff:ff:ff:ff,arp_spa=1.2.3.4,arp_tpa=255.255.255.255`,
		"in_port=1,dl_type=0x8100", "in_port=99999", "reg0=0x1/0x1", "ipv6,ipv6_label=0xfffff", "udp,in_port=1,udp_src=x",
	} {
		f.Add(s)
	}
	sw := neutronNode(f, 8, 2, 3)
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParseMicroflow(s, sw, "br-int")
		if err != nil {
			if p != nil {
				t.Fatalf("error %v with a packet", err)
			}
			return
		}
		line := FormatPacket(p)
		if q, err := ParseMicroflow(line, sw, "br-int"); err == nil {
			if again := FormatPacket(q); again != line {
				t.Fatalf("unstable print of %q:\n%s\n%s", s, line, again)
			}
		}
		r, err := TracePacket(sw, "br-int", p, TraceOptions{CTNext: []uint32{ctTrk | ctEst}})
		if err != nil {
			t.Fatalf("trace: %v", err)
		}
		var b strings.Builder
		if err := r.WriteText(&b); err != nil {
			t.Fatal(err)
		}
		if _, err := r.MarshalJSON(); err != nil {
			t.Fatal(err)
		}
	})
}
