package iptables

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const accessSample = `*filter
:X - [0:0]
-A X -m physdev --physdev-in tap0778ad0d-cb --physdev-is-bridged -m comment --comment "Direct traffic." -m comment --comment two -j neutron-openvswi-o0778ad0d-c
-A X ! -s 10.0.0.0/8 -p udp -m udp --sport 67 ! --dport 68 -j RETURN
-A X -p tcp -m multiport ! --dports 22,80,1000:2000 -m state --state RELATED,ESTABLISHED -j ACCEPT
-A X -m set --match-set NIPv4abc src,dst -m mark ! --mark 0x4000000/0xffff0000 -j DROP
-A X -m connmark --mark 0x1 -j CONNMARK --restore-mark --nfmask 0xffff0000 --ctmask 0xffff0000
-A X -m conntrack ! --ctstate DNAT -j MARK --set-mark 0x2
-A X -m physdev ! --physdev-out qvb+ ! --physdev-is-bridged -j CT --zone 4097
-A X -i qr-+ -j DNAT --to-destination 10.0.0.5:8080
-A X -j SNAT --to-source 172.24.4.10-172.24.4.20:1024-2048
-A X -j DNAT --to-destination [fd00::5]:80
-A X -j MARK --set-xmark 0x1/0xffff
-A X -j REJECT --reject-with icmp-port-unreachable
-A X -j NFQUEUE --queue-num 1
-A X -j LOG
-A X
-A X -j MARK --and-mark 0xff
-A X -j MARK --or-mark 0x10
-A X -j CONNMARK --xor-mark 0x3
-A X -j CONNMARK --save-mark
COMMIT
`

func TestAccessors(t *testing.T) {
	s, err := ParseSave(strings.NewReader(accessSample), "f")
	if err != nil {
		t.Fatal(err)
	}
	rs := s.Table("filter").Chain("X").Rules
	type row struct {
		Comment         string
		DPorts, SPorts  *PortMatch
		CTState         *ListMatch
		PhysIn, PhysOut *IfaceMatch
		Bridged         *Flag
		Sets            []SetMatch
		Mark, ConnMark  *MarkMatch
		Verdict         string
		NAT             *NATSpec
		SetMark         [2]uint32
		SetMarkOK       bool
		Zone            uint16
		ZoneOK          bool
	}
	var got []row
	for _, r := range rs {
		v, m, ok := r.SetMark()
		z, zok := r.Zone()
		got = append(got, row{r.Comment(), r.DPorts(), r.SPorts(), r.CTState(), r.PhysdevIn(), r.PhysdevOut(),
			r.PhysdevIsBridged(), r.MatchSets(), r.Mark(), r.ConnMark(), r.Verdict(), r.NAT(), [2]uint32{v, m}, ok, z, zok})
	}
	want := []row{
		{Comment: "Direct traffic.; two", PhysIn: &IfaceMatch{Name: "tap0778ad0d-cb"}, Bridged: &Flag{}, Verdict: VerdictJump},
		{DPorts: &PortMatch{Not: true, Ranges: []PortRange{{68, 68}}}, SPorts: &PortMatch{Ranges: []PortRange{{67, 67}}}, Verdict: VerdictReturn},
		{DPorts: &PortMatch{Not: true, Ranges: []PortRange{{22, 22}, {80, 80}, {1000, 2000}}},
			CTState: &ListMatch{Values: []string{"RELATED", "ESTABLISHED"}}, Verdict: VerdictAccept},
		{Sets: []SetMatch{{Name: "NIPv4abc", Flags: []string{"src", "dst"}}},
			Mark: &MarkMatch{Not: true, Value: 0x4000000, Mask: 0xffff0000}, Verdict: VerdictDrop},
		{ConnMark: &MarkMatch{Value: 1, Mask: 0xffffffff}, Verdict: VerdictContinue},
		{CTState: &ListMatch{Not: true, Values: []string{"DNAT"}}, Verdict: VerdictContinue, SetMark: [2]uint32{2, 0xffffffff}, SetMarkOK: true},
		{PhysOut: &IfaceMatch{Not: true, Name: "qvb+"}, Bridged: &Flag{Not: true}, Verdict: VerdictContinue, Zone: 4097, ZoneOK: true},
		{Verdict: VerdictNAT, NAT: &NATSpec{Text: "10.0.0.5:8080", Lo: netip.MustParseAddr("10.0.0.5"), Hi: netip.MustParseAddr("10.0.0.5"), Ports: &PortRange{8080, 8080}}},
		{Verdict: VerdictNAT, NAT: &NATSpec{Text: "172.24.4.10-172.24.4.20:1024-2048", Lo: netip.MustParseAddr("172.24.4.10"), Hi: netip.MustParseAddr("172.24.4.20"), Ports: &PortRange{1024, 2048}}},
		{Verdict: VerdictNAT, NAT: &NATSpec{Text: "[fd00::5]:80", Lo: netip.MustParseAddr("fd00::5"), Hi: netip.MustParseAddr("fd00::5"), Ports: &PortRange{80, 80}}},
		{Verdict: VerdictContinue, SetMark: [2]uint32{1, 0xffff}, SetMarkOK: true},
		{Verdict: VerdictDrop},
		{Verdict: VerdictQueue},
		{Verdict: VerdictContinue},
		{Verdict: VerdictContinue},
		{Verdict: VerdictContinue, SetMark: [2]uint32{0, 0xffffff00}, SetMarkOK: true},
		{Verdict: VerdictContinue, SetMark: [2]uint32{0x10, 0x10}, SetMarkOK: true},
		{Verdict: VerdictContinue, SetMark: [2]uint32{3, 0}, SetMarkOK: true},
		{Verdict: VerdictContinue},
	}
	if diff := cmp.Diff(want, got, cmp.Comparer(func(a, b netip.Addr) bool { return a == b })); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if o, ok := rs[1].Option("", "--source"); !ok || o.Arg() != "10.0.0.0/8" || !o.Not {
		t.Errorf("Option(\"\", --source) = %v, %v", o, ok)
	}
	if _, ok := rs[1].Option("udp", "--destination-port"); !ok {
		t.Errorf("Option(udp, --destination-port) not found")
	}
	if _, ok := rs[1].Option("tcp", "--dport"); ok {
		t.Errorf("Option(tcp, --dport) found in a udp rule")
	}
	if rs[0].Match("physdev") == nil || rs[0].Match("tcp") != nil {
		t.Errorf("Match lookups wrong")
	}
}

func TestMatchHelpers(t *testing.T) {
	src := &AddrMatch{Not: true, Prefix: netip.MustParsePrefix("10.0.0.0/8")}
	if src.Contains(netip.MustParseAddr("10.1.2.3")) || !src.Contains(netip.MustParseAddr("192.168.0.1")) {
		t.Errorf("AddrMatch.Contains wrong")
	}
	if (&AddrMatch{Text: "host"}).Contains(netip.MustParseAddr("10.1.2.3")) {
		t.Errorf("unparsed AddrMatch must not match")
	}
	wild := &IfaceMatch{Name: "qr-+"}
	if !wild.Matches("qr-2e3a3302-66") || wild.Matches("qg-1") {
		t.Errorf("IfaceMatch wildcard wrong")
	}
	if (&IfaceMatch{Not: true, Name: "eth0"}).Matches("eth0") {
		t.Errorf("negated IfaceMatch wrong")
	}
	pm := &PortMatch{Ranges: []PortRange{{1000, 2000}}}
	if !pm.Contains(1500) || pm.Contains(80) {
		t.Errorf("PortMatch.Contains wrong")
	}
	mk := &MarkMatch{Value: 0x4000000, Mask: 0xffff0000}
	if !mk.Matches(0x4000001) || mk.Matches(0x1) {
		t.Errorf("MarkMatch.Matches wrong")
	}
	if l := (&ListMatch{Values: []string{"NEW"}}); !l.Has("NEW") || l.Has("INVALID") {
		t.Errorf("ListMatch.Has wrong")
	}
	for _, bad := range []string{"[fd00::5", "a-b", "1.2.3.4:x", "1.2.3.4:1-y"} {
		if parseNATSpec(bad) != nil {
			t.Errorf("parseNATSpec(%q) accepted", bad)
		}
	}
	if _, ok := parsePorts(Option{Args: []string{"ssh"}}); ok {
		t.Errorf("service names are not ports")
	}
	if pm, _ := parsePorts(Option{Args: []string{":1023"}}); pm.Ranges[0] != (PortRange{0, 1023}) {
		t.Errorf(":1023 = %v", pm.Ranges)
	}
	for _, bad := range []string{"x", "0x1/y"} {
		if _, _, ok := ParseMark(bad); ok {
			t.Errorf("ParseMark(%q) accepted", bad)
		}
	}
}
