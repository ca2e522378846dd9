package capture

import (
	"strconv"
	"strings"
)

// String is the frame's one-line summary, outer layers first, in the
// spirit of tcpdump -e -n:
//
//	fa:16:3e:09:41:b5 > fa:16:3e:43:7c:b3, vlan 5, IPv4 10.10.1.132 > 10.10.2.38 ttl 63 len 84, ICMP echo-request id 7 seq 1
//	9e:5b:2d:6f:c6:4f > 66:43:e6:ba:5c:4b, IPv4 192.168.253.12 > 192.168.253.13 ttl 64 len 134 DF, UDP 40886 > 4789 len 114, VXLAN vni 1476: fa:16:3f:91:2c:66 > fa:16:3e:43:7c:b3, IPv4 10.10.1.23 > 10.10.2.38 ttl 63 len 84 DF, ICMP echo-request id 18063 seq 48
//
// It is built with appends, not fmt: it runs once per packet.
func (f *Frame) String() string {
	var s summary
	f.write(&s)
	return string(s.b)
}

// summary accumulates ", "-separated parts.
type summary struct {
	b     []byte
	fresh bool // the next part needs no separator
}

// part starts a new part.
func (s *summary) part() {
	if len(s.b) > 0 && !s.fresh {
		s.b = append(s.b, ", "...)
	}
	s.fresh = false
}

func (s *summary) str(parts ...string) {
	for _, p := range parts {
		s.b = append(s.b, p...)
	}
}

func (s *summary) num(n uint64) { s.b = strconv.AppendUint(s.b, n, 10) }

// ports starts a transport part: "TCP 37924 > 22".
func (s *summary) ports(proto string, src, dst uint16) {
	s.part()
	s.str(proto)
	s.num(uint64(src))
	s.str(" > ")
	s.num(uint64(dst))
}

func (f *Frame) write(s *summary) {
	if c := f.Cooked; c != nil {
		s.part()
		if c.Version == 2 {
			s.str("SLL2 ifindex ")
			s.num(uint64(c.Ifindex))
			s.str(" ")
		} else {
			s.str("SLL ")
		}
		s.str(c.PacketType, " ", orDash(c.Addr), " proto 0x")
		s.b = append(s.b, hex4(c.Protocol)...)
	}
	if e := f.Eth; e != nil {
		s.part()
		s.str(e.Src, " > ", e.Dst)
	}
	for _, v := range f.VLANs {
		s.part()
		s.str("vlan ")
		s.num(uint64(v.ID))
	}
	if f.ARP != nil {
		f.writeARP(s)
	}
	if f.IP != nil {
		f.writeIP(s)
	}
	if f.ICMP != nil {
		f.writeICMP(s)
	}
	if f.TCP != nil {
		f.writeTCP(s)
	}
	if u := f.UDP; u != nil {
		s.ports("UDP ", u.SrcPort, u.DstPort)
		s.str(" len ")
		s.num(uint64(u.Length))
	}
	if f.DHCP != nil {
		f.writeDHCP(s)
	}
	for _, p := range [][2]string{{"", f.Other}, {"malformed: ", f.Malformed}, {"cut at snap length: ", f.Cut}} {
		if p[1] != "" {
			s.part()
			s.str(p[0], p[1])
		}
	}
	if t := f.Tunnel; t != nil {
		s.part()
		switch {
		case t.Kind == "ipip":
			s.str("IP-in-IP")
		case t.NoKey:
			s.str("GRE")
		case t.Kind == "gre":
			s.str("GRE key ")
			s.num(uint64(t.VNI))
		default:
			s.str(strings.ToUpper(t.Kind), " vni ")
			s.num(uint64(t.VNI))
		}
		s.str(": ")
		s.fresh = true
		t.Inner.write(s)
	}
}

func (f *Frame) writeARP(s *summary) {
	a := f.ARP
	s.part()
	switch a.Op {
	case "request":
		s.str("ARP request who-has ", a.TargetIP.String(), " tell ", a.SenderIP.String(), " (", a.SenderMAC, ")")
	case "reply":
		s.str("ARP reply ", a.SenderIP.String(), " is-at ", a.SenderMAC)
	default:
		s.str("ARP op ", a.Op, " ", a.SenderIP.String(), " (", a.SenderMAC, ") > ", a.TargetIP.String(), " (", a.TargetMAC, ")")
	}
}

func (f *Frame) writeIP(s *summary) {
	ip := f.IP
	s.part()
	s.str("IPv")
	s.num(uint64(ip.Version))
	s.str(" ")
	s.b = ip.Src.AppendTo(s.b)
	s.str(" > ")
	s.b = ip.Dst.AppendTo(s.b)
	s.str(" ttl ")
	s.num(uint64(ip.TTL))
	s.str(" len ")
	s.num(uint64(ip.Length))
	if ip.DF {
		s.str(" DF")
	}
	if ip.MF || ip.FragOffset != 0 {
		s.str(" frag ")
		s.num(uint64(ip.FragOffset) * 8)
		if ip.MF {
			s.str("+")
		}
	}
}

func (f *Frame) writeICMP(s *summary) {
	m := f.ICMP
	s.part()
	if m.V6 {
		s.str("ICMPv6 ")
	} else {
		s.str("ICMP ")
	}
	s.str(m.Name)
	switch {
	case m.ID != 0 || m.Seq != 0:
		s.str(" id ")
		s.num(uint64(m.ID))
		s.str(" seq ")
		s.num(uint64(m.Seq))
	case m.MTU != 0:
		s.str(" mtu ")
		s.num(uint64(m.MTU))
	case m.Target.IsValid():
		s.str(" ")
		s.b = m.Target.AppendTo(s.b)
	case m.Name == "unreachable" || m.Name == "time-exceeded":
		s.str(" code ")
		s.num(uint64(m.Code))
	}
}

func (f *Frame) writeTCP(s *summary) {
	t := f.TCP
	s.ports("TCP ", t.SrcPort, t.DstPort)
	s.str(" [", t.Flags, "] seq ")
	s.num(uint64(t.Seq))
	if strings.Contains(t.Flags, ".") {
		s.str(" ack ")
		s.num(uint64(t.Ack))
	}
	s.str(" win ")
	s.num(uint64(t.Window))
	if t.MSS != 0 {
		s.str(" mss ")
		s.num(uint64(t.MSS))
	}
}

func (f *Frame) writeDHCP(s *summary) {
	d := f.DHCP
	s.part()
	s.str("DHCP")
	if d.V6 {
		s.str("v6")
	}
	s.str(" ", d.MsgType, " xid 0x")
	s.b = strconv.AppendUint(s.b, uint64(d.XID), 16)
	if d.ClientMAC != "" {
		s.str(" chaddr ", d.ClientMAC)
	}
	if d.YourIP.IsValid() {
		s.str(" yiaddr ")
		s.b = d.YourIP.AppendTo(s.b)
	}
}

func hex4(v uint16) string {
	h := strconv.FormatUint(uint64(v), 16)
	return strings.Repeat("0", 4-len(h)) + h
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
