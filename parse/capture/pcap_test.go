package capture

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"
	"github.com/google/gopacket/pcapgo"

	"netxray/parse"
)

var (
	macA = net.HardwareAddr{0xfa, 0x16, 0x3e, 0x09, 0x41, 0xb5}
	macB = net.HardwareAddr{0xfa, 0x16, 0x3e, 0x43, 0x7c, 0xb3}
	ipA  = net.IP{10, 10, 1, 132}
	ipB  = net.IP{10, 10, 2, 38}
	vtA  = net.IP{192, 168, 253, 12}
	vtB  = net.IP{192, 168, 253, 13}
	t0   = time.Date(2026, 11, 22, 15, 47, 53, 273884000, time.UTC)
)

// ser serialises layers into a frame, fixing lengths and checksums.
func ser(t testing.TB, ls ...gopacket.SerializableLayer) []byte {
	t.Helper()
	buf := gopacket.NewSerializeBuffer()
	if err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}, ls...); err != nil {
		t.Fatal(err)
	}
	return append([]byte(nil), buf.Bytes()...)
}

func eth(t layers.EthernetType) *layers.Ethernet {
	return &layers.Ethernet{SrcMAC: macA, DstMAC: macB, EthernetType: t}
}

func ip4(src, dst net.IP, proto layers.IPProtocol) *layers.IPv4 {
	return &layers.IPv4{Version: 4, IHL: 5, TTL: 64, Protocol: proto, SrcIP: src, DstIP: dst, Flags: layers.IPv4DontFragment}
}

func arpReq() *layers.ARP {
	return &layers.ARP{AddrType: layers.LinkTypeEthernet, Protocol: layers.EthernetTypeIPv4, HwAddressSize: 6, ProtAddressSize: 4,
		Operation: layers.ARPRequest, SourceHwAddress: macA, SourceProtAddress: ipA, DstHwAddress: make([]byte, 6), DstProtAddress: ipB}
}

func echo(t testing.TB) []byte {
	return ser(t, eth(layers.EthernetTypeIPv4), ip4(ipA, ipB, layers.IPProtocolICMPv4),
		&layers.ICMPv4{TypeCode: layers.CreateICMPv4TypeCode(8, 0), Id: 7, Seq: 1}, gopacket.Payload("ping"))
}

// outer wraps payload in Ethernet/IPv4/UDP to dport.
func outer(t testing.TB, dport layers.UDPPort, payload []byte) []byte {
	udp := &layers.UDP{SrcPort: 40886, DstPort: dport}
	ip := ip4(vtA, vtB, layers.IPProtocolUDP)
	if err := udp.SetNetworkLayerForChecksum(ip); err != nil {
		t.Fatal(err)
	}
	return ser(t, eth(layers.EthernetTypeIPv4), ip, udp, gopacket.Payload(payload))
}

// rec is one packet record: bytes kept and length on the wire.
type rec struct {
	data []byte
	orig int
}

func full(data []byte) rec { return rec{data, len(data)} }

// pcapFile writes a libpcap file by hand (gopacket's writer cannot write a
// link type above 255, nor big-endian).
func pcapFile(lt, snap uint32, nano, big bool, recs ...rec) []byte {
	var order binary.ByteOrder = binary.LittleEndian
	if big {
		order = binary.BigEndian
	}
	var b bytes.Buffer
	magic := uint32(magicPcapMicro)
	if nano {
		magic = magicPcapNano
	}
	w := func(v any) { _ = binary.Write(&b, order, v) }
	w(magic)
	w(uint16(2))
	w(uint16(4))
	w(uint32(0))
	w(uint32(0))
	w(snap)
	w(lt)
	for i, r := range recs {
		ts := t0.Add(time.Duration(i) * time.Millisecond)
		frac := uint32(ts.Nanosecond() / 1000)
		if nano {
			frac = uint32(ts.Nanosecond())
		}
		w(uint32(ts.Unix()))
		w(frac)
		w(uint32(len(r.data)))
		w(uint32(r.orig))
		b.Write(r.data)
	}
	return b.Bytes()
}

// rawEth builds an Ethernet frame without the padding gopacket adds.
func rawEth(et uint16, payload []byte) []byte {
	b := append(append([]byte{}, macB...), macA...)
	return append(binary.BigEndian.AppendUint16(b, et), payload...)
}

func eth1(recs ...rec) []byte { return pcapFile(1, 262144, false, false, recs...) }

func info(line int, msg string) parse.Issue {
	return parse.Issue{Pos: parse.Pos{File: "f", Line: line}, Severity: parse.SevInfo, Msg: msg}
}

func warn(line int, msg string) parse.Issue {
	return parse.Issue{Pos: parse.Pos{File: "f", Line: line}, Severity: parse.SevWarning, Msg: msg}
}

func TestParsePcapSummaries(t *testing.T) {
	vxlanInner := ser(t, eth(layers.EthernetTypeARP), arpReq())
	vxlanHdr := []byte{0x08, 0, 0, 0, 0, 0x03, 0xe9, 0}     // VNI 1001
	geneveHdr := []byte{0, 0, 0x65, 0x58, 0, 0x04, 0x4c, 0} // Ethernet, VNI 1100
	icmpFrag := ser(t, eth(layers.EthernetTypeIPv4), ip4(vtB, vtA, layers.IPProtocolICMPv4),
		&layers.ICMPv4{TypeCode: layers.CreateICMPv4TypeCode(3, 4), Seq: 1450}, gopacket.Payload(make([]byte, 28)))
	ptb := func() []byte {
		ip6 := &layers.IPv6{Version: 6, HopLimit: 64, NextHeader: layers.IPProtocolICMPv6,
			SrcIP: net.ParseIP("fd00::1"), DstIP: net.ParseIP("fd00::2")}
		ic := &layers.ICMPv6{TypeCode: layers.CreateICMPv6TypeCode(2, 0)}
		_ = ic.SetNetworkLayerForChecksum(ip6)
		return ser(t, eth(layers.EthernetTypeIPv6), ip6, ic, gopacket.Payload([]byte{0, 0, 0x05, 0x8a, 1, 2, 3, 4}))
	}()
	ns := func() []byte {
		ip6 := &layers.IPv6{Version: 6, HopLimit: 255, NextHeader: layers.IPProtocolICMPv6,
			SrcIP: net.ParseIP("fe80::1"), DstIP: net.ParseIP("ff02::1:ff00:2")}
		ic := &layers.ICMPv6{TypeCode: layers.CreateICMPv6TypeCode(135, 0)}
		_ = ic.SetNetworkLayerForChecksum(ip6)
		return ser(t, eth(layers.EthernetTypeIPv6), ip6, ic, &layers.ICMPv6NeighborSolicitation{TargetAddress: net.ParseIP("fd00::2")})
	}()
	syn := func() []byte {
		ip := ip4(ipA, ipB, layers.IPProtocolTCP)
		tc := &layers.TCP{SrcPort: 37924, DstPort: 22, SYN: true, Seq: 100, Window: 64860,
			Options: []layers.TCPOption{{OptionType: layers.TCPOptionKindMSS, OptionLength: 4, OptionData: []byte{0x05, 0x82}}}}
		_ = tc.SetNetworkLayerForChecksum(ip)
		return ser(t, eth(layers.EthernetTypeIPv4), ip, tc)
	}()
	dhcp := func() []byte {
		ip := ip4(net.IPv4zero, net.IPv4bcast, layers.IPProtocolUDP)
		u := &layers.UDP{SrcPort: 68, DstPort: 67}
		_ = u.SetNetworkLayerForChecksum(ip)
		d := &layers.DHCPv4{Operation: layers.DHCPOpRequest, HardwareType: layers.LinkTypeEthernet, HardwareLen: 6,
			Xid: 0x1234, ClientHWAddr: macA, Options: layers.DHCPOptions{layers.NewDHCPOption(layers.DHCPOptMessageType, []byte{1})}}
		return ser(t, eth(layers.EthernetTypeIPv4), ip, u, d)
	}()
	gre := ser(t, eth(layers.EthernetTypeIPv4), ip4(vtA, vtB, layers.IPProtocolGRE),
		&layers.GRE{KeyPresent: true, Key: 77, Protocol: layers.EthernetTypeTransparentEthernetBridging}, gopacket.Payload(vxlanInner))
	vlan := ser(t, eth(layers.EthernetTypeDot1Q), &layers.Dot1Q{VLANIdentifier: 5, Type: layers.EthernetTypeARP}, arpReq())
	sll := append([]byte{0, 4, 0, 1, 0, 6, 0xfa, 0x16, 0x3e, 0x09, 0x41, 0xb5, 0, 0, 0x08, 0x00}, echo(t)[14:]...)
	sll2 := append([]byte{0x08, 0x00, 0, 0, 0, 0, 0, 14, 0, 1, 4, 6, 0xfa, 0x16, 0x3e, 0x09, 0x41, 0xb5, 0, 0}, echo(t)[14:]...)
	lldp := rawEth(0x88b5, []byte{1, 2, 3})
	badIP := rawEth(0x0800, []byte{0x45, 0, 0, 20, 0, 0}) // IPv4 header cut at 6 bytes

	tests := []struct {
		name       string
		file       []byte
		linkType   string
		want       []string
		wantIssues parse.Issues
	}{
		{"icmp echo", eth1(full(echo(t))), "Ethernet",
			[]string{"fa:16:3e:09:41:b5 > fa:16:3e:43:7c:b3, IPv4 10.10.1.132 > 10.10.2.38 ttl 64 len 32 DF, ICMP echo-request id 7 seq 1"}, nil},
		{"vlan arp", eth1(full(vlan)), "Ethernet",
			[]string{"fa:16:3e:09:41:b5 > fa:16:3e:43:7c:b3, vlan 5, ARP request who-has 10.10.2.38 tell 10.10.1.132 (fa:16:3e:09:41:b5)"}, nil},
		{"vxlan 4789 and 8472", eth1(full(outer(t, 4789, append(vxlanHdr, vxlanInner...))), full(outer(t, 8472, append(vxlanHdr, vxlanInner...)))), "Ethernet",
			[]string{
				"fa:16:3e:09:41:b5 > fa:16:3e:43:7c:b3, IPv4 192.168.253.12 > 192.168.253.13 ttl 64 len 96 DF, UDP 40886 > 4789 len 76, VXLAN vni 1001: fa:16:3e:09:41:b5 > fa:16:3e:43:7c:b3, ARP request who-has 10.10.2.38 tell 10.10.1.132 (fa:16:3e:09:41:b5)",
				"fa:16:3e:09:41:b5 > fa:16:3e:43:7c:b3, IPv4 192.168.253.12 > 192.168.253.13 ttl 64 len 96 DF, UDP 40886 > 8472 len 76, VXLAN vni 1001: fa:16:3e:09:41:b5 > fa:16:3e:43:7c:b3, ARP request who-has 10.10.2.38 tell 10.10.1.132 (fa:16:3e:09:41:b5)",
			}, nil},
		{"geneve and gre", eth1(full(outer(t, 6081, append(geneveHdr, vxlanInner...))), full(gre)), "Ethernet",
			[]string{
				"fa:16:3e:09:41:b5 > fa:16:3e:43:7c:b3, IPv4 192.168.253.12 > 192.168.253.13 ttl 64 len 96 DF, UDP 40886 > 6081 len 76, GENEVE vni 1100: fa:16:3e:09:41:b5 > fa:16:3e:43:7c:b3, ARP request who-has 10.10.2.38 tell 10.10.1.132 (fa:16:3e:09:41:b5)",
				"fa:16:3e:09:41:b5 > fa:16:3e:43:7c:b3, IPv4 192.168.253.12 > 192.168.253.13 ttl 64 len 88 DF, GRE key 77: fa:16:3e:09:41:b5 > fa:16:3e:43:7c:b3, ARP request who-has 10.10.2.38 tell 10.10.1.132 (fa:16:3e:09:41:b5)",
			}, nil},
		{"mtu signals, nd, tcp mss, dhcp", eth1(full(icmpFrag), full(ptb), full(ns), full(syn), full(dhcp)), "Ethernet",
			[]string{
				"fa:16:3e:09:41:b5 > fa:16:3e:43:7c:b3, IPv4 192.168.253.13 > 192.168.253.12 ttl 64 len 56 DF, ICMP frag-needed mtu 1450",
				"fa:16:3e:09:41:b5 > fa:16:3e:43:7c:b3, IPv6 fd00::1 > fd00::2 ttl 64 len 52, ICMPv6 packet-too-big mtu 1418",
				"fa:16:3e:09:41:b5 > fa:16:3e:43:7c:b3, IPv6 fe80::1 > ff02::1:ff00:2 ttl 255 len 64, ICMPv6 neighbor-solicitation fd00::2",
				"fa:16:3e:09:41:b5 > fa:16:3e:43:7c:b3, IPv4 10.10.1.132 > 10.10.2.38 ttl 64 len 44 DF, TCP 37924 > 22 [S] seq 100 win 64860 mss 1410",
				"fa:16:3e:09:41:b5 > fa:16:3e:43:7c:b3, IPv4 0.0.0.0 > 255.255.255.255 ttl 64 len 272 DF, UDP 68 > 67 len 252, DHCP discover xid 0x1234 chaddr fa:16:3e:09:41:b5",
			}, nil},
		{"linux cooked v1", pcapFile(113, 262144, false, false, full(sll)), "Linux SLL",
			[]string{"SLL outgoing fa:16:3e:09:41:b5 proto 0x0800, IPv4 10.10.1.132 > 10.10.2.38 ttl 64 len 32 DF, ICMP echo-request id 7 seq 1"}, nil},
		{"linux cooked v2, nanoseconds, big-endian", pcapFile(276, 262144, true, true, full(sll2), full(sll2[:10])), "Linux SLL2",
			[]string{
				"SLL2 ifindex 14 outgoing fa:16:3e:09:41:b5 proto 0x0800, IPv4 10.10.1.132 > 10.10.2.38 ttl 64 len 32 DF, ICMP echo-request id 7 seq 1",
				"malformed: SLL2 header needs 20 bytes, have 10",
			}, parse.Issues{warn(2, "packet 2: SLL2 header needs 20 bytes, have 10")}},
		{"snap length cut is not an issue", pcapFile(1, 40, false, false, rec{echo(t)[:40], 60}, rec{badIP, len(badIP) + 20}), "Ethernet",
			[]string{
				"fa:16:3e:09:41:b5 > fa:16:3e:43:7c:b3, IPv4 10.10.1.132 > 10.10.2.38 ttl 64 len 32 DF, cut at snap length: ICMP layer less then 8 bytes for ICMPv4 packet",
				"fa:16:3e:09:41:b5 > fa:16:3e:43:7c:b3, cut at snap length: Invalid ip4 header. Length 6 less than 20",
			}, nil},
		{"malformed and unknown protocols", eth1(full(badIP), full(lldp)), "Ethernet",
			[]string{
				"fa:16:3e:09:41:b5 > fa:16:3e:43:7c:b3, malformed: Invalid ip4 header. Length 6 less than 20",
				"fa:16:3e:09:41:b5 > fa:16:3e:43:7c:b3, Unable to decode EthernetType 34997",
			}, parse.Issues{warn(1, "packet 1: Invalid ip4 header. Length 6 less than 20")}},
		{"file cut inside the second packet", eth1(full(echo(t)), full(echo(t)))[:24+16+60+16+10], "Ethernet",
			[]string{"fa:16:3e:09:41:b5 > fa:16:3e:43:7c:b3, IPv4 10.10.1.132 > 10.10.2.38 ttl 64 len 32 DF, ICMP echo-request id 7 seq 1"},
			parse.Issues{warn(2, "file ends inside packet 2 (capture cut short); the 1 packets before it are kept")}},
		{"file cut inside a record header", eth1(full(echo(t)))[:24+16+60+5], "Ethernet",
			[]string{"fa:16:3e:09:41:b5 > fa:16:3e:43:7c:b3, IPv4 10.10.1.132 > 10.10.2.38 ttl 64 len 32 DF, ICMP echo-request id 7 seq 1"},
			parse.Issues{warn(2, "file ends inside packet 2 (capture cut short); the 1 packets before it are kept")}},
		{"unknown link type", pcapFile(147, 100, false, false, full([]byte{1, 2})), "link type 147",
			[]string{"link type 147 not decoded"}, nil},
		{"empty capture (header only)", eth1(), "Ethernet", nil, nil},
		{"empty file", nil, "", nil, parse.Issues{{Pos: parse.Pos{File: "f"}, Severity: parse.SevInfo, Msg: "empty file: no capture header"}}},
		{"tcpdump error text", []byte("tcpdump: eth9: No such device exists\n(SIOCGIFHWADDR: No such device)\n"), "", nil,
			parse.Issues{info(1, "command failed, no capture: tcpdump: eth9: No such device exists")}},
		{"header cut short", eth1()[:12], "", nil,
			parse.Issues{{Pos: parse.Pos{File: "f"}, Severity: parse.SevError, Msg: "unreadable pcap file header: unexpected EOF"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := ParsePcap(bytes.NewReader(tt.file), "f")
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for i, p := range c.Packets {
				got = append(got, p.Raw)
				if p.Pos.Line != i+1 || p.Pos.File != "f" {
					t.Errorf("packet %d at %v", i+1, p.Pos)
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("summaries (-want +got):\n%s", diff)
			}
			if c.LinkType != tt.linkType {
				t.Errorf("link type %q, want %q", c.LinkType, tt.linkType)
			}
			if diff := cmp.Diff(tt.wantIssues, c.Issues, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("issues (-want +got):\n%s", diff)
			}
			if c.Records() != len(c.Packets) {
				t.Errorf("Records() = %d", c.Records())
			}
		})
	}
}

// TestParsePcapFields checks the decoded structure, not just the summary.
func TestParsePcapFields(t *testing.T) {
	vx := outer(t, 4789, append([]byte{0x08, 0, 0, 0, 0, 0x03, 0xe9, 0}, echo(t)...))
	c, err := ParsePcap(bytes.NewReader(pcapFile(1, 65535, true, false, rec{vx, len(vx) + 4})), "f")
	if err != nil {
		t.Fatal(err)
	}
	p := c.Packets[0]
	a := netip.MustParseAddr
	want := Packet{
		Pos: parse.Pos{File: "f", Line: 1}, Raw: p.Raw, Time: t0, Length: len(vx) + 4, CapLen: len(vx), Truncated: true,
		Frame: Frame{
			Eth: &Ethernet{Src: "fa:16:3e:09:41:b5", Dst: "fa:16:3e:43:7c:b3", EtherType: 0x0800},
			IP:  &IP{Version: 4, Src: a("192.168.253.12"), Dst: a("192.168.253.13"), Proto: 17, TTL: 64, Length: 96, DF: true},
			UDP: &UDP{SrcPort: 40886, DstPort: 4789, Length: 76},
			Tunnel: &Tunnel{Kind: "vxlan", VNI: 1001, Inner: &Frame{
				Eth:  &Ethernet{Src: "fa:16:3e:09:41:b5", Dst: "fa:16:3e:43:7c:b3", EtherType: 0x0800},
				IP:   &IP{Version: 4, Src: a("10.10.1.132"), Dst: a("10.10.2.38"), Proto: 1, TTL: 64, Length: 32, DF: true},
				ICMP: &ICMP{Type: 8, Name: "echo-request", ID: 7, Seq: 1},
			}},
		},
	}
	if diff := cmp.Diff(want, p, cmp.Comparer(func(x, y netip.Addr) bool { return x == y })); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if c.Format != "pcap" || !c.Nanosecond || c.Snaplen != 65535 || c.LinkTypeNum != 1 {
		t.Errorf("header: %+v", c)
	}
}

func TestParsePcapng(t *testing.T) {
	var b bytes.Buffer
	w, err := pcapgo.NewNgWriterInterface(&b, pcapgo.NgInterface{Name: "tap0778ad0d-cb", LinkType: layers.LinkTypeEthernet, SnapLength: 262144},
		pcapgo.NgWriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	id, err := w.AddInterface(pcapgo.NgInterface{Name: "any", LinkType: layers.LinkTypeLinuxSLL, SnapLength: 96})
	if err != nil {
		t.Fatal(err)
	}
	e := echo(t)
	sll := append([]byte{0, 4, 0, 1, 0, 6, 0xfa, 0x16, 0x3e, 0x09, 0x41, 0xb5, 0, 0, 0x08, 0x00}, e[14:]...)
	for _, p := range []struct {
		data  []byte
		iface int
	}{{e, 0}, {sll, id}} {
		ci := gopacket.CaptureInfo{Timestamp: t0, CaptureLength: len(p.data), Length: len(p.data), InterfaceIndex: p.iface}
		if err := w.WritePacket(ci, p.data); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	c, err := ParsePcap(bytes.NewReader(b.Bytes()), "f")
	if err != nil {
		t.Fatal(err)
	}
	wantIfaces := []Interface{
		{Name: "tap0778ad0d-cb", LinkType: "Ethernet", LinkTypeNum: 1, Snaplen: 262144},
		{Name: "any", LinkType: "Linux SLL", LinkTypeNum: 113, Snaplen: 96},
	}
	if diff := cmp.Diff(wantIfaces, c.Interfaces); diff != "" {
		t.Errorf("interfaces (-want +got):\n%s", diff)
	}
	if c.Format != "pcapng" || len(c.Packets) != 2 || len(c.Issues) != 0 {
		t.Fatalf("format %s, %d packets, issues %v", c.Format, len(c.Packets), c.Issues)
	}
	if p := c.Packets[1]; p.Interface != 1 || p.Cooked == nil || p.ICMP == nil || !p.Time.Equal(t0) {
		t.Errorf("second packet: %+v", p)
	}
	// A pcapng file cut in its second packet keeps the first.
	cut, err := ParsePcap(bytes.NewReader(b.Bytes()[:b.Len()-10]), "f")
	if err != nil {
		t.Fatal(err)
	}
	if len(cut.Packets) != 1 || len(cut.Issues) != 1 || cut.Issues[0].Pos.Line != 2 {
		t.Errorf("cut pcapng: %d packets, issues %v", len(cut.Packets), cut.Issues)
	}
	// dumpcap ends files with interface statistics: a clean end.
	if err := w.WriteInterfaceStats(0, pcapgo.NgInterfaceStatistics{PacketsReceived: 2}); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	withStats := b.Bytes()
	st, err := ParsePcap(bytes.NewReader(withStats), "f")
	if err != nil || len(st.Packets) != 2 || len(st.Issues) != 0 {
		t.Errorf("pcapng with statistics: %v, %d packets, issues %v", err, len(st.Packets), st.Issues)
	}
}

// Corrupt lengths stop the reading with an error issue, without
// allocating what they claim.
func TestParsePcapCorrupt(t *testing.T) {
	var b bytes.Buffer
	w, err := pcapgo.NewNgWriter(&b, layers.LinkTypeEthernet)
	if err != nil {
		t.Fatal(err)
	}
	e := echo(t)
	for range 2 {
		if err := w.WritePacket(gopacket.CaptureInfo{Timestamp: t0, CaptureLength: len(e), Length: len(e)}, e); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	ng := b.Bytes()
	epb2 := len(ng) - (32 + len(e)) // the second enhanced packet block
	hugeBlock := append([]byte(nil), ng...)
	binary.LittleEndian.PutUint32(hugeBlock[epb2+4:], 0xfffffff0)
	hugeCap := append([]byte(nil), ng...)
	binary.LittleEndian.PutUint32(hugeCap[epb2+20:], 0x7fffffff)
	hugePcap := eth1(full(e))
	binary.LittleEndian.PutUint32(hugePcap[24+8:], 0x7fffffff) // caplen of packet 1

	for _, tt := range []struct {
		name string
		in   []byte
		want parse.Issues
		n    int
	}{
		{"pcapng block length", hugeBlock, parse.Issues{{Pos: parse.Pos{File: "f", Line: 2}, Severity: parse.SevError,
			Msg: fmt.Sprintf("packet 2 unreadable, rest of the file skipped: pcapng block at offset %d: block length 4294967280", epb2)}}, 1},
		{"pcapng captured length", hugeCap, parse.Issues{{Pos: parse.Pos{File: "f", Line: 2}, Severity: parse.SevError,
			Msg: fmt.Sprintf("packet 2 unreadable, rest of the file skipped: pcapng block at offset %d: packet block of %d bytes claims 2147483647 captured bytes", epb2, 32+len(e))}}, 1},
		{"pcap captured length", hugePcap, parse.Issues{{Pos: parse.Pos{File: "f", Line: 1}, Severity: parse.SevError,
			Msg: "packet 1 unreadable, rest of the file skipped: capture length exceeds snap length: 2147483647 > 262144"}}, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c, err := ParsePcap(bytes.NewReader(tt.in), "f")
			if err != nil {
				t.Fatal(err)
			}
			if len(c.Packets) != tt.n {
				t.Errorf("%d packets, want %d", len(c.Packets), tt.n)
			}
			if diff := cmp.Diff(tt.want, c.Issues); diff != "" {
				t.Errorf("issues (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParsePcapNotACapture(t *testing.T) {
	for _, in := range [][]byte{{0x00, 0x01, 0x02, 0x03, 0xff, 0xfe}, {1, 2}} {
		if _, err := ParsePcap(bytes.NewReader(in), "f"); !errors.Is(err, parse.ErrFormat) {
			t.Errorf("ParsePcap(%x) error = %v, want ErrFormat", in, err)
		}
	}
}

func TestSniffPcap(t *testing.T) {
	for in, want := range map[string]bool{
		"\xd4\xc3\xb2\xa1\x02\x00": true, "\xa1\xb2\xc3\xd4": true, "\x4d\x3c\xb2\xa1": true, "\xa1\xb2\x3c\x4d": true,
		"\x0a\x0d\x0d\x0a": true, "*filter": false, "\xd4\xc3": false,
	} {
		if got := sniffPcap([]byte(in)); got != want {
			t.Errorf("sniffPcap(%q) = %v, want %v", in, got, want)
		}
	}
}
