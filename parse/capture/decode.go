package capture

import (
	"encoding/binary"
	"fmt"
	"net"
	"net/netip"
	"strings"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"
)

// vxlanLinuxPort is the port the Linux kernel's vxlan driver (and the
// Linux bridge agent) uses by default; gopacket only knows IANA's 4789.
const vxlanLinuxPort = 8472

// decode summarises one packet of link type lt.
func decode(data []byte, lt int) Frame {
	var f Frame
	first, payload, ok := firstDecoder(&f, data, lt)
	if ok {
		walk(&f, decodeFrom(payload, first))
	}
	return f
}

// firstDecoder returns the decoder of a link type's first layer and the
// bytes it starts at. SLL2 is decoded here: gopacket v1.1.19 has no SLL2.
func firstDecoder(f *Frame, data []byte, lt int) (gopacket.Decoder, []byte, bool) {
	switch lt {
	case 1:
		return layers.LayerTypeEthernet, data, true
	case 113:
		return layers.LayerTypeLinuxSLL, data, true
	case linkTypeSLL2:
		return sll2(f, data)
	case 12, 14, 101:
		return layers.LinkTypeRaw, data, true
	case 228:
		return layers.LayerTypeIPv4, data, true
	case 229:
		return layers.LayerTypeIPv6, data, true
	case 0, 108:
		return layers.LayerTypeLoopback, data, true
	}
	f.Other = fmt.Sprintf("link type %d not decoded", lt)
	return nil, nil, false
}

// sll2 reads the 20-byte LINKTYPE_LINUX_SLL2 header: protocol (2),
// reserved (2), interface index (4), ARPHRD type (2), packet type (1),
// address length (1), address (8).
func sll2(f *Frame, data []byte) (gopacket.Decoder, []byte, bool) {
	if len(data) < 20 {
		f.Malformed = fmt.Sprintf("SLL2 header needs 20 bytes, have %d", len(data))
		return nil, nil, false
	}
	alen := min(int(data[11]), 8)
	f.Cooked = &Cooked{
		Version:    2,
		Protocol:   binary.BigEndian.Uint16(data[0:2]),
		Ifindex:    int(binary.BigEndian.Uint32(data[4:8])),
		PacketType: packetType(uint16(data[10])),
		Addr:       mac(data[12 : 12+alen]),
	}
	return layers.EthernetType(f.Cooked.Protocol), data[20:], true
}

func decodeFrom(data []byte, first gopacket.Decoder) []gopacket.Layer {
	return gopacket.NewPacket(data, first, gopacket.DecodeOptions{NoCopy: true}).Layers()
}

var packetTypes = []string{"host", "broadcast", "multicast", "otherhost", "outgoing", "loopback", "fastroute"}

func packetType(t uint16) string {
	if int(t) < len(packetTypes) {
		return packetTypes[t]
	}
	return fmt.Sprintf("type %d", t)
}

// walk fills f from decoded layers; layers after a tunnel header fill the
// tunnel's inner frame.
func walk(f *Frame, ls []gopacket.Layer) {
	cur := f
	for i, l := range ls {
		if i+1 < len(ls) && len(l.LayerContents()) == 0 {
			if _, failed := ls[i+1].(*gopacket.DecodeFailure); failed {
				continue // gopacket adds the layer it failed to decode
			}
		}
		switch l := l.(type) {
		case *layers.LinuxSLL:
			cur.Cooked = &Cooked{Version: 1, PacketType: packetType(uint16(l.PacketType)),
				Addr: mac(l.Addr), Protocol: uint16(l.EthernetType)}
		case *layers.Ethernet:
			cur.Eth = &Ethernet{Src: mac(l.SrcMAC), Dst: mac(l.DstMAC), EtherType: uint16(l.EthernetType)}
		case *layers.Dot1Q:
			cur.VLANs = append(cur.VLANs, VLAN{ID: l.VLANIdentifier, Priority: l.Priority})
		case *layers.ARP:
			cur.ARP = arp(l)
		case *layers.IPv4:
			cur = ipLayer(cur, &IP{Version: 4, Src: addr(l.SrcIP), Dst: addr(l.DstIP), Proto: uint8(l.Protocol),
				TTL: l.TTL, Length: int(l.Length), ID: l.Id, DF: l.Flags&layers.IPv4DontFragment != 0,
				MF: l.Flags&layers.IPv4MoreFragments != 0, FragOffset: l.FragOffset})
		case *layers.IPv6:
			cur = ipLayer(cur, &IP{Version: 6, Src: addr(l.SrcIP), Dst: addr(l.DstIP), Proto: uint8(l.NextHeader),
				TTL: l.HopLimit, Length: 40 + int(l.Length)})
		case *layers.ICMPv4:
			cur.ICMP = icmp4(l)
		case *layers.ICMPv6:
			cur.ICMP = icmp6(l)
		case *layers.ICMPv6Echo:
			if cur.ICMP != nil {
				cur.ICMP.ID, cur.ICMP.Seq = l.Identifier, l.SeqNumber
			}
		case *layers.ICMPv6NeighborSolicitation:
			if cur.ICMP != nil {
				cur.ICMP.Target = addr(l.TargetAddress)
			}
		case *layers.ICMPv6NeighborAdvertisement:
			if cur.ICMP != nil {
				cur.ICMP.Target = addr(l.TargetAddress)
			}
		case *layers.TCP:
			cur.TCP = tcp(l)
		case *layers.UDP:
			cur.UDP = &UDP{SrcPort: uint16(l.SrcPort), DstPort: uint16(l.DstPort), Length: l.Length}
		case *layers.DHCPv4:
			cur.DHCP = dhcp4(l)
		case *layers.DHCPv6:
			cur.DHCP = &DHCP{V6: true, MsgType: strings.ToLower(l.MsgType.String()), XID: xid6(l.TransactionID)}
		case *layers.VXLAN:
			cur = tunnel(cur, "vxlan", l.VNI, false)
		case *layers.Geneve:
			cur = tunnel(cur, "geneve", l.VNI, false)
		case *layers.GRE:
			cur = tunnel(cur, "gre", l.Key, !l.KeyPresent)
		case *gopacket.Payload:
			vxlanOnLinuxPort(cur, *l)
		case gopacket.Payload:
			vxlanOnLinuxPort(cur, l)
		case *gopacket.DecodeFailure:
			failure(cur, l.Error().Error())
		case *layers.Loopback, *layers.IPv6HopByHop, *layers.IPv6Fragment, *layers.IPv6Destination,
			*layers.IPv6Routing, *layers.ICMPv6RouterSolicitation, *layers.ICMPv6RouterAdvertisement:
			// Headers the summary does not need.
		default:
			if cur.Other == "" {
				cur.Other = l.LayerType().String()
			}
		}
	}
}

// ipLayer records an IP header: the frame's own, or, if the frame already
// has one, an IP-in-IP tunnel's inner header.
func ipLayer(cur *Frame, ip *IP) *Frame {
	if cur.IP != nil {
		cur = tunnel(cur, "ipip", 0, true)
	}
	cur.IP = ip
	return cur
}

// tunnel starts the inner frame of an encapsulation and returns it.
func tunnel(cur *Frame, kind string, vni uint32, noKey bool) *Frame {
	inner := &Frame{}
	cur.Tunnel = &Tunnel{Kind: kind, VNI: vni, NoKey: noKey, Inner: inner}
	return inner
}

// vxlanOnLinuxPort decodes the payload of UDP port 8472 as VXLAN (flags
// byte 0x08, the I bit), which gopacket leaves as application data.
func vxlanOnLinuxPort(cur *Frame, p gopacket.Payload) {
	u := cur.UDP
	if u == nil || cur.Tunnel != nil || (u.DstPort != vxlanLinuxPort && u.SrcPort != vxlanLinuxPort) ||
		len(p) < 8 || p[0]&0x08 == 0 {
		return
	}
	walk(cur, decodeFrom(p, layers.LayerTypeVXLAN))
}

// failure sorts a gopacket decode error: an unknown protocol is not a
// malformed packet.
func failure(cur *Frame, msg string) {
	if strings.HasPrefix(msg, "Unable to decode") || strings.Contains(msg, "not supported") {
		if cur.Other == "" {
			cur.Other = msg
		}
		return
	}
	if cur.Malformed == "" {
		cur.Malformed = msg
	}
}

func arp(l *layers.ARP) *ARP {
	a := &ARP{SenderMAC: mac(l.SourceHwAddress), TargetMAC: mac(l.DstHwAddress),
		SenderIP: addr(l.SourceProtAddress), TargetIP: addr(l.DstProtAddress)}
	switch l.Operation {
	case layers.ARPRequest:
		a.Op = "request"
	case layers.ARPReply:
		a.Op = "reply"
	default:
		a.Op = fmt.Sprint(l.Operation)
	}
	return a
}

var icmp4Names = map[uint8]string{0: "echo-reply", 3: "unreachable", 5: "redirect", 8: "echo-request", 11: "time-exceeded"}

func icmp4(l *layers.ICMPv4) *ICMP {
	m := &ICMP{Type: l.TypeCode.Type(), Code: l.TypeCode.Code()}
	m.Name = icmpName(icmp4Names, m.Type, m.Code)
	switch m.Type {
	case 0, 8:
		m.ID, m.Seq = l.Id, l.Seq
	case 3:
		if m.Code == 4 {
			m.Name, m.MTU = "frag-needed", uint32(l.Seq) // bytes 6-7: next-hop MTU
		}
	}
	return m
}

var icmp6Names = map[uint8]string{
	1: "unreachable", 2: "packet-too-big", 3: "time-exceeded", 128: "echo-request", 129: "echo-reply",
	133: "router-solicitation", 134: "router-advertisement", 135: "neighbor-solicitation",
	136: "neighbor-advertisement", 137: "redirect",
}

func icmp6(l *layers.ICMPv6) *ICMP {
	m := &ICMP{V6: true, Type: l.TypeCode.Type(), Code: l.TypeCode.Code()}
	m.Name = icmpName(icmp6Names, m.Type, m.Code)
	if m.Type == 2 && len(l.Payload) >= 4 {
		m.MTU = binary.BigEndian.Uint32(l.Payload[:4])
	}
	return m
}

func icmpName(names map[uint8]string, t, c uint8) string {
	if n, ok := names[t]; ok {
		return n
	}
	return fmt.Sprintf("type %d code %d", t, c)
}

func tcp(l *layers.TCP) *TCP {
	t := &TCP{SrcPort: uint16(l.SrcPort), DstPort: uint16(l.DstPort), Seq: l.Seq, Window: l.Window}
	var b strings.Builder
	for _, fl := range []struct {
		on bool
		c  byte
	}{{l.FIN, 'F'}, {l.SYN, 'S'}, {l.RST, 'R'}, {l.PSH, 'P'}, {l.ACK, '.'}, {l.URG, 'U'}, {l.ECE, 'E'}, {l.CWR, 'W'}} {
		if fl.on {
			b.WriteByte(fl.c)
		}
	}
	t.Flags = b.String()
	if l.ACK {
		t.Ack = l.Ack
	}
	for _, o := range l.Options {
		if o.OptionType == layers.TCPOptionKindMSS && len(o.OptionData) == 2 {
			t.MSS = binary.BigEndian.Uint16(o.OptionData)
		}
	}
	return t
}

func dhcp4(l *layers.DHCPv4) *DHCP {
	d := &DHCP{XID: l.Xid, ClientMAC: mac(l.ClientHWAddr), YourIP: addr(l.YourClientIP)}
	if d.YourIP.IsUnspecified() {
		d.YourIP = netip.Addr{}
	}
	d.MsgType = "bootp-" + strings.ToLower(l.Operation.String())
	for _, o := range l.Options {
		if o.Type == layers.DHCPOptMessageType && len(o.Data) == 1 {
			d.MsgType = strings.ToLower(layers.DHCPMsgType(o.Data[0]).String())
		}
	}
	return d
}

func xid6(b []byte) uint32 {
	var x uint32
	for _, c := range b {
		x = x<<8 | uint32(c)
	}
	return x
}

func mac(b net.HardwareAddr) string {
	if len(b) == 0 {
		return ""
	}
	return strings.ToLower(b.String())
}

func addr(ip net.IP) netip.Addr {
	a, _ := netip.AddrFromSlice(ip)
	return a
}
