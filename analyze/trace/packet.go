package trace

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"netxray/analyze/openflow"
)

// packet is the headers the trace follows. It is rebuilt from the
// simulator's output at every switch exit, so what a flow rewrote (MACs,
// VLAN, TTL) carries on.
type packet struct {
	srcMAC, dstMAC string
	srcIP, dstIP   netip.Addr
	proto          string // icmp, tcp, udp
	sport, dport   int
	ttl            int
	// reply marks the answer of a connection (ICMP echo reply, TCP
	// SYN-ACK), which conntrack sees as established.
	reply bool
	// tunID, tunSrc and tunDst are set while the packet arrives from a
	// tunnel.
	tunID          uint64
	tunSrc, tunDst string
}

// microflow writes p as ofproto/trace's microflow entering inPort.
func (p packet) microflow(inPort string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "in_port=%s", inPort)
	if p.tunSrc != "" {
		fmt.Fprintf(&b, ",tun_id=%#x,tun_src=%s,tun_dst=%s", p.tunID, p.tunSrc, p.tunDst)
	}
	fmt.Fprintf(&b, ",dl_src=%s,dl_dst=%s", p.srcMAC, p.dstMAC)
	switch p.proto {
	case "icmp":
		typ := 8
		if p.reply {
			typ = 0
		}
		fmt.Fprintf(&b, ",icmp,nw_src=%s,nw_dst=%s,nw_ttl=%d,icmp_type=%d,icmp_code=0", p.srcIP, p.dstIP, p.ttl, typ)
	case "tcp", "udp":
		fmt.Fprintf(&b, ",%s,nw_src=%s,nw_dst=%s,nw_ttl=%d,tp_src=%d,tp_dst=%d", p.proto, p.srcIP, p.dstIP, p.ttl, p.sport, p.dport)
		if p.proto == "tcp" {
			flags := "0x002" // SYN
			if p.reply {
				flags = "0x012" // SYN-ACK
			}
			b.WriteString(",tcp_flags=" + flags)
		}
	}
	return b.String()
}

// fromSwitch reads back the headers the packet left a switch with.
func (p packet) fromSwitch(op *openflow.Packet) packet {
	get := func(name string) string {
		v, _ := op.Get(name)
		return v
	}
	q := p
	q.srcMAC, q.dstMAC = get("dl_src"), get("dl_dst")
	if a, err := netip.ParseAddr(get("nw_src")); err == nil {
		q.srcIP = a
	}
	if a, err := netip.ParseAddr(get("nw_dst")); err == nil {
		q.dstIP = a
	}
	if t, err := strconv.Atoi(get("nw_ttl")); err == nil {
		q.ttl = t
	}
	q.tunID, q.tunSrc, q.tunDst = 0, "", ""
	return q
}
