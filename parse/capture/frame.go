package capture

import (
	"net/netip"
)

// Frame is what a packet was found to carry, layer by layer. A layer the
// packet does not have (or that was cut off) is nil.
type Frame struct {
	// Cooked is the Linux cooked-capture header of "tcpdump -i any".
	Cooked *Cooked   `json:"cooked,omitempty"`
	Eth    *Ethernet `json:"eth,omitempty"`
	VLANs  []VLAN    `json:"vlans,omitempty"` // outermost first
	ARP    *ARP      `json:"arp,omitempty"`
	IP     *IP       `json:"ip,omitempty"`
	ICMP   *ICMP     `json:"icmp,omitempty"`
	TCP    *TCP      `json:"tcp,omitempty"`
	UDP    *UDP      `json:"udp,omitempty"`
	DHCP   *DHCP     `json:"dhcp,omitempty"`
	Tunnel *Tunnel   `json:"tunnel,omitempty"`
	// Other names what the decoder does not summarise (an EtherType or IP
	// protocol it does not know, LLDP, STP...).
	Other string `json:"other,omitempty"`
	// Malformed says why decoding stopped on bytes that were all there.
	Malformed string `json:"malformed,omitempty"`
	// Cut says where decoding of a Truncated packet stopped, at the snap
	// length: expected, not a problem.
	Cut string `json:"cut,omitempty"`
}

// malformed returns the first Malformed of f and its inner frames.
func (f *Frame) malformed() *Frame {
	for fr := f; fr != nil; fr = fr.inner() {
		if fr.Malformed != "" {
			return fr
		}
	}
	return nil
}

func (f *Frame) inner() *Frame {
	if f.Tunnel == nil {
		return nil
	}
	return f.Tunnel.Inner
}

// Cooked is a Linux SLL or SLL2 header.
type Cooked struct {
	Version int `json:"version"` // 1 (SLL) or 2 (SLL2)
	// PacketType is host, broadcast, multicast, otherhost or outgoing.
	PacketType string `json:"packet_type"`
	// Ifindex is the interface index (SLL2 only; 0 otherwise).
	Ifindex int `json:"ifindex,omitempty"`
	// Addr is the link-layer source address (a MAC for Ethernet devices).
	Addr     string `json:"addr,omitempty"`
	Protocol uint16 `json:"protocol"`
}

// Ethernet is the Ethernet header; MACs are lower case.
type Ethernet struct {
	Src       string `json:"src"`
	Dst       string `json:"dst"`
	EtherType uint16 `json:"ethertype"`
}

// VLAN is one 802.1Q (or 802.1ad) tag.
type VLAN struct {
	ID       uint16 `json:"id"`
	Priority uint8  `json:"priority,omitempty"`
}

// ARP is an ARP (or RARP) packet.
type ARP struct {
	// Op is "request", "reply" or the number of another operation.
	Op        string     `json:"op"`
	SenderMAC string     `json:"sender_mac"`
	SenderIP  netip.Addr `json:"sender_ip"`
	TargetMAC string     `json:"target_mac"`
	TargetIP  netip.Addr `json:"target_ip"`
}

// IP is an IPv4 or IPv6 header (the first one; IP in IP is a Tunnel).
type IP struct {
	Version int        `json:"version"`
	Src     netip.Addr `json:"src"`
	Dst     netip.Addr `json:"dst"`
	// Proto is the IP protocol (IPv6: the next header after extension
	// headers gopacket understood).
	Proto uint8 `json:"proto"`
	// TTL is the TTL (IPv6: hop limit).
	TTL uint8 `json:"ttl"`
	// Length is the IP packet length from the header (IPv6: 40 + payload
	// length), which can exceed the bytes captured.
	Length int `json:"length"`
	// ID, DF, MF and FragOffset are IPv4's fragmentation fields.
	ID         uint16 `json:"id,omitempty"`
	DF         bool   `json:"df,omitempty"`
	MF         bool   `json:"mf,omitempty"`
	FragOffset uint16 `json:"frag_offset,omitempty"`
}

// ICMP is an ICMP or ICMPv6 message.
type ICMP struct {
	V6   bool  `json:"v6,omitempty"`
	Type uint8 `json:"type"`
	Code uint8 `json:"code"`
	// Name is echo-request, echo-reply, unreachable, frag-needed,
	// time-exceeded, redirect, packet-too-big, neighbor-solicitation,
	// neighbor-advertisement, router-solicitation, router-advertisement,
	// or "type T code C".
	Name string `json:"name"`
	// ID and Seq are set for echo messages.
	ID  uint16 `json:"id,omitempty"`
	Seq uint16 `json:"seq,omitempty"`
	// MTU is the next-hop MTU of frag-needed or packet-too-big.
	MTU uint32 `json:"mtu,omitempty"`
	// Target is the address a neighbor solicitation or advertisement is
	// about.
	Target netip.Addr `json:"target,omitzero"`
}

// TCP is a TCP header.
type TCP struct {
	SrcPort uint16 `json:"src_port"`
	DstPort uint16 `json:"dst_port"`
	// Flags are tcpdump's letters: F S R P U E W, and "." for ACK.
	Flags  string `json:"flags"`
	Seq    uint32 `json:"seq"`
	Ack    uint32 `json:"ack,omitempty"`
	Window uint16 `json:"window"`
	// MSS is the maximum segment size option (SYNs), 0 when absent.
	MSS uint16 `json:"mss,omitempty"`
}

// UDP is a UDP header.
type UDP struct {
	SrcPort uint16 `json:"src_port"`
	DstPort uint16 `json:"dst_port"`
	Length  uint16 `json:"length"`
}

// DHCP is a DHCPv4 or DHCPv6 message.
type DHCP struct {
	V6 bool `json:"v6,omitempty"`
	// MsgType is discover, offer, request, ack, nak, release, inform,
	// decline (DHCPv4) or solicit, advertise, request, reply... (DHCPv6).
	MsgType string `json:"msg_type"`
	XID     uint32 `json:"xid"`
	// ClientMAC and YourIP are DHCPv4's chaddr and yiaddr.
	ClientMAC string     `json:"client_mac,omitempty"`
	YourIP    netip.Addr `json:"your_ip,omitzero"`
}

// Tunnel is an encapsulation and the frame inside it.
type Tunnel struct {
	// Kind is vxlan, geneve, gre or ipip.
	Kind string `json:"kind"`
	// VNI is the tunnel id: the VXLAN or Geneve VNI, the GRE key.
	VNI uint32 `json:"vni"`
	// NoKey is set for a GRE packet without a key.
	NoKey bool   `json:"no_key,omitempty"`
	Inner *Frame `json:"inner,omitempty"`
}
