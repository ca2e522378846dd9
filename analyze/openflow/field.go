package openflow

import (
	"fmt"
	"math/bits"
	"strconv"
	"strings"
)

// u128 is a field value or mask; fields of 64 bits or less use lo only.
type u128 struct{ hi, lo uint64 }

func (a u128) and(b u128) u128 { return u128{a.hi & b.hi, a.lo & b.lo} }
func (a u128) or(b u128) u128  { return u128{a.hi | b.hi, a.lo | b.lo} }
func (a u128) not() u128       { return u128{^a.hi, ^a.lo} }
func (a u128) isZero() bool    { return a.hi == 0 && a.lo == 0 }

func (a u128) shl(n uint) u128 {
	switch {
	case n == 0:
		return a
	case n >= 128:
		return u128{}
	case n >= 64:
		return u128{a.lo << (n - 64), 0}
	}
	return u128{a.hi<<n | a.lo>>(64-n), a.lo << n}
}

func (a u128) shr(n uint) u128 {
	switch {
	case n == 0:
		return a
	case n >= 128:
		return u128{}
	case n >= 64:
		return u128{0, a.hi >> (n - 64)}
	}
	return u128{a.hi >> n, a.lo>>n | a.hi<<(64-n)}
}

// ones returns a value with the low n bits set.
func ones(n uint) u128 {
	switch {
	case n >= 128:
		return u128{^uint64(0), ^uint64(0)}
	case n > 64:
		return u128{(uint64(1) << (n - 64)) - 1, ^uint64(0)}
	case n == 64:
		return u128{0, ^uint64(0)}
	}
	return u128{0, (uint64(1) << n) - 1}
}

// Word layout of a Packet. Every field lives in one word (at a shift) or, for
// 128-bit fields, in two consecutive words (hi, lo). Registers are packed two
// per word so that xregN (reg2N:reg2N+1) and xxregN are plain views, as in
// OVS where reg0 is the most significant half of xreg0.
const (
	wInPort      = iota // in_port(16) | actset_output(16)<<16 | skb_priority(32)<<32
	wMetadata           // metadata
	wReg0               // reg0<<32|reg1 ... 8 words
	wTunID       = wReg0 + 8
	wTunIPv4     = wTunID + 1   // tun_src<<32 | tun_dst
	wTunIPv6Src  = wTunIPv4 + 1 // 2 words
	wTunIPv6Dst  = wTunIPv6Src + 2
	wTunMisc     = wTunIPv6Dst + 2 // tun_flags(16) | tun_gbp_id(16)<<16 | tun_gbp_flags(8)<<32 | tun_tos<<40 | tun_ttl<<48
	wMark        = wTunMisc + 1    // pkt_mark(32) | dp_hash(32)<<32
	wCT          = wMark + 1       // ct_state(32) | ct_mark(32)<<32
	wCTZone      = wCT + 1         // ct_zone(16) | ct_nw_proto(8)<<16 | ct_tp_src(16)<<24 | ct_tp_dst(16)<<40
	wCTLabel     = wCTZone + 1     // 2 words
	wCTNw        = wCTLabel + 2    // ct_nw_src<<32 | ct_nw_dst
	wCTIPv6Src   = wCTNw + 1
	wCTIPv6Dst   = wCTIPv6Src + 2
	wRecirc      = wCTIPv6Dst + 2 // recirc_id(32) | conj_id(32)<<32
	wEthSrc      = wRecirc + 1    // eth_src(48) | eth_type(16)<<48
	wEthDst      = wEthSrc + 1    // eth_dst(48) | vlan_tci(16)<<48
	wNw          = wEthDst + 1    // nw_src<<32 | nw_dst
	wIPv6Src     = wNw + 1
	wIPv6Dst     = wIPv6Src + 2
	wNDTarget    = wIPv6Dst + 2
	wL4          = wNDTarget + 2 // nw_proto(8) | nw_tos(8)<<8 | nw_ttl(8)<<16 | nw_frag(8)<<24 | tp_src(16)<<32 | tp_dst(16)<<48
	wArpSha      = wL4 + 1       // arp_sha(48) | tcp_flags(16)<<48
	wArpTha      = wArpSha + 1   // arp_tha(48) | nd_options_type(8)<<48
	wIPv6Label   = wArpTha + 1   // ipv6_label(20) | nd_reserved(32)<<20
	wTunMeta     = wIPv6Label + 1
	wPacketType  = wTunMeta + 1
	nWords       = wPacketType + 1
	tunMetaCount = 1
)

// Packet is the simulated struct flow: every header and metadata field.
type Packet struct{ w [nWords]uint64 }

type valueKind uint8

const (
	kDec valueKind = iota
	kHex
	kMAC
	kIPv4
	kIPv6
	kCTState
	kFrag
	kTCPFlags
	kPort
)

type prereq uint8

const (
	pNone prereq = iota
	pEth
	pVLAN
	pARP
	pIPv4
	pIPv6
	pIP
	pTCP
	pUDP
	pSCTP
	pICMPv4
	pICMPv6
	pND
	pNDSol
	pNDAdv
	pCT
	pMPLS
	// pICMPAny: ovs-ofctl reads icmp_type/icmp_code as the ICMPv6 fields
	// when the flow is icmp6.
	pICMPAny
)

// Field describes one OVS field: where it lives in a Packet and how its
// values are written.
type Field struct {
	Name  string
	Bits  uint
	word  int
	shift uint
	wide  bool // 128 bits in words word (hi), word+1 (lo)
	kind  valueKind
	pre   prereq
	// vlanCFI: matching or setting this field implies the VLAN-present bit
	// (dl_vlan, dl_vlan_pcp in OpenFlow 1.0 semantics).
	vlanCFI bool
	// scale: the written value is the stored value << scale (nw_tos stores
	// DSCP bits and prints them as the TOS byte).
	scale uint
	// protoNames: for tp_src-style aliases, the protocol the name implies
	// (tcp_src implies tcp); informational.
	noMask bool
}

func (f *Field) get(p *Packet) u128 {
	if f.wide {
		return u128{p.w[f.word], p.w[f.word+1]}
	}
	return u128{0, (p.w[f.word] >> f.shift) & ones(f.Bits).lo}
}

func (f *Field) set(p *Packet, v u128) { f.setMasked(p, v, ones(f.Bits)) }

func (f *Field) setMasked(p *Packet, v, m u128) {
	m = m.and(ones(f.Bits))
	if f.wide {
		p.w[f.word] = p.w[f.word]&^m.hi | v.hi&m.hi
		p.w[f.word+1] = p.w[f.word+1]&^m.lo | v.lo&m.lo
		return
	}
	mm := m.lo << f.shift
	p.w[f.word] = p.w[f.word]&^mm | (v.lo<<f.shift)&mm
	if f.vlanCFI && m.lo != 0 {
		p.w[wEthDst] |= uint64(vlanCFI) << 48
	}
}

// getBits returns n bits of f starting at bit ofs.
func (f *Field) getBits(p *Packet, ofs, n uint) u128 {
	return f.get(p).shr(ofs).and(ones(n))
}

// setBits stores v into n bits of f starting at bit ofs.
func (f *Field) setBits(p *Packet, ofs, n uint, v u128) {
	f.setMasked(p, v.shl(ofs), ones(n).shl(ofs))
}

const (
	vlanCFI   = 0x1000
	vlanVIDM  = 0x0fff
	ethIP     = 0x0800
	ethARP    = 0x0806
	ethRARP   = 0x8035
	ethIPv6   = 0x86dd
	ethVLAN   = 0x8100
	protoICMP = 1
	protoTCP  = 6
	protoUDP  = 17
	protoSCTP = 132
	protoIC6  = 58
)

// Accessors for the fields the simulator itself reads.
func (p *Packet) ethType() uint16 { return uint16(p.w[wEthSrc] >> 48) }
func (p *Packet) vlanTCI() uint16 { return uint16(p.w[wEthDst] >> 48) }
func (p *Packet) setVLANTCI(t uint16) {
	p.w[wEthDst] = p.w[wEthDst]&(1<<48-1) | uint64(t)<<48
}
func (p *Packet) inPort() uint16      { return uint16(p.w[wInPort]) }
func (p *Packet) setInPort(v uint16)  { p.w[wInPort] = p.w[wInPort]&^0xffff | uint64(v) }
func (p *Packet) ethDst() uint64      { return p.w[wEthDst] & (1<<48 - 1) }
func (p *Packet) ethSrc() uint64      { return p.w[wEthSrc] & (1<<48 - 1) }
func (p *Packet) nwProto() uint8      { return uint8(p.w[wL4]) }
func (p *Packet) nwTTL() uint8        { return uint8(p.w[wL4] >> 16) }
func (p *Packet) nwFrag() uint8       { return uint8(p.w[wL4] >> 24) }
func (p *Packet) tpSrc() uint16       { return uint16(p.w[wL4] >> 32) }
func (p *Packet) tpDst() uint16       { return uint16(p.w[wL4] >> 48) }
func (p *Packet) ctState() uint32     { return uint32(p.w[wCT]) }
func (p *Packet) isIPAny() bool       { t := p.ethType(); return t == ethIP || t == ethIPv6 }
func (p *Packet) tunID() uint64       { return p.w[wTunID] }
func (p *Packet) setCTState(s uint32) { p.w[wCT] = p.w[wCT]&^0xffffffff | uint64(s) }

// clearConntrack zeroes every ct_* field, as OVS does after ct() and when
// crossing a patch port.
func (p *Packet) clearConntrack() {
	p.w[wCT] = 0
	p.w[wCTZone] = 0
	p.w[wCTLabel], p.w[wCTLabel+1] = 0, 0
	p.w[wCTNw] = 0
	for i := 0; i < 4; i++ {
		p.w[wCTIPv6Src+i] = 0
	}
}

func (pr prereq) ok(p *Packet) bool {
	switch pr {
	case pNone, pEth:
		return true
	case pVLAN:
		return p.vlanTCI()&vlanCFI != 0
	case pARP:
		t := p.ethType()
		return t == ethARP || t == ethRARP
	case pIPv4:
		return p.ethType() == ethIP
	case pIPv6:
		return p.ethType() == ethIPv6
	case pIP:
		return p.isIPAny()
	case pTCP:
		return p.isIPAny() && p.nwProto() == protoTCP
	case pUDP:
		return p.isIPAny() && p.nwProto() == protoUDP
	case pSCTP:
		return p.isIPAny() && p.nwProto() == protoSCTP
	case pICMPv4:
		return p.ethType() == ethIP && p.nwProto() == protoICMP
	case pICMPv6:
		return p.ethType() == ethIPv6 && p.nwProto() == protoIC6
	case pND:
		return pICMPv6.ok(p) && (p.tpSrc() == 135 || p.tpSrc() == 136) && p.tpDst() == 0
	case pNDSol:
		return pICMPv6.ok(p) && p.tpSrc() == 135 && p.tpDst() == 0
	case pNDAdv:
		return pICMPv6.ok(p) && p.tpSrc() == 136 && p.tpDst() == 0
	case pCT:
		return p.ctState()&ctTrk != 0
	case pICMPAny:
		return pICMPv4.ok(p) || pICMPv6.ok(p)
	case pMPLS:
		return false
	}
	return false
}

// ct_state bits.
const (
	ctNew  = 0x01
	ctEst  = 0x02
	ctRel  = 0x04
	ctRpl  = 0x08
	ctInv  = 0x10
	ctTrk  = 0x20
	ctSNAT = 0x40
	ctDNAT = 0x80
)

var ctStateNames = []struct {
	name string
	bit  uint32
}{{"new", ctNew}, {"est", ctEst}, {"rel", ctRel}, {"rpl", ctRpl}, {"inv", ctInv}, {"trk", ctTrk}, {"snat", ctSNAT}, {"dnat", ctDNAT}}

var fields = map[string]*Field{}

// fieldOrder lists canonical fields in the order flows are formatted.
var fieldOrder []*Field

func def(f *Field, names ...string) *Field {
	if f.Name == "" {
		f.Name = names[0]
	}
	for _, n := range append([]string{f.Name}, names...) {
		fields[n] = f
	}
	fieldOrder = append(fieldOrder, f)
	return f
}

func init() {
	def(&Field{Name: "in_port", Bits: 16, word: wInPort, kind: kPort, noMask: true}, "NXM_OF_IN_PORT", "OXM_OF_IN_PORT", "in_port_oxm")
	def(&Field{Name: "actset_output", Bits: 16, word: wInPort, shift: 16, kind: kPort, noMask: true})
	def(&Field{Name: "skb_priority", Bits: 32, word: wInPort, shift: 32, kind: kHex, noMask: true})
	def(&Field{Name: "metadata", Bits: 64, word: wMetadata, kind: kHex}, "OXM_OF_METADATA")
	for i := 0; i < 16; i++ {
		def(&Field{Name: fmt.Sprintf("reg%d", i), Bits: 32, word: wReg0 + i/2, shift: uint(32 * (1 - i%2)), kind: kHex},
			fmt.Sprintf("NXM_NX_REG%d", i))
	}
	for i := 0; i < 8; i++ {
		def(&Field{Name: fmt.Sprintf("xreg%d", i), Bits: 64, word: wReg0 + i, kind: kHex}, fmt.Sprintf("OXM_OF_PKT_REG%d", i))
	}
	for i := 0; i < 4; i++ {
		def(&Field{Name: fmt.Sprintf("xxreg%d", i), Bits: 128, word: wReg0 + 2*i, wide: true, kind: kHex}, fmt.Sprintf("NXM_NX_XXREG%d", i))
	}
	def(&Field{Name: "tun_id", Bits: 64, word: wTunID, kind: kHex}, "tunnel_id", "NXM_NX_TUN_ID", "OXM_OF_TUNNEL_ID")
	def(&Field{Name: "tun_src", Bits: 32, word: wTunIPv4, shift: 32, kind: kIPv4}, "NXM_NX_TUN_IPV4_SRC")
	def(&Field{Name: "tun_dst", Bits: 32, word: wTunIPv4, kind: kIPv4}, "NXM_NX_TUN_IPV4_DST")
	def(&Field{Name: "tun_ipv6_src", Bits: 128, word: wTunIPv6Src, wide: true, kind: kIPv6}, "NXM_NX_TUN_IPV6_SRC")
	def(&Field{Name: "tun_ipv6_dst", Bits: 128, word: wTunIPv6Dst, wide: true, kind: kIPv6}, "NXM_NX_TUN_IPV6_DST")
	def(&Field{Name: "tun_flags", Bits: 16, word: wTunMisc, kind: kHex}, "NXM_NX_TUN_FLAGS")
	def(&Field{Name: "tun_gbp_id", Bits: 16, word: wTunMisc, shift: 16, kind: kHex}, "NXM_NX_TUN_GBP_ID")
	def(&Field{Name: "tun_gbp_flags", Bits: 8, word: wTunMisc, shift: 32, kind: kHex}, "NXM_NX_TUN_GBP_FLAGS")
	def(&Field{Name: "tun_tos", Bits: 8, word: wTunMisc, shift: 40, kind: kDec, noMask: true})
	def(&Field{Name: "tun_ttl", Bits: 8, word: wTunMisc, shift: 48, kind: kDec, noMask: true})
	def(&Field{Name: "tun_metadata0", Bits: 64, word: wTunMeta, kind: kHex}, "NXM_NX_TUN_METADATA0")
	def(&Field{Name: "pkt_mark", Bits: 32, word: wMark, kind: kHex}, "NXM_NX_PKT_MARK")
	def(&Field{Name: "dp_hash", Bits: 32, word: wMark, shift: 32, kind: kHex}, "NXM_NX_DP_HASH")
	def(&Field{Name: "ct_state", Bits: 32, word: wCT, kind: kCTState}, "NXM_NX_CT_STATE")
	def(&Field{Name: "ct_mark", Bits: 32, word: wCT, shift: 32, kind: kHex}, "NXM_NX_CT_MARK")
	def(&Field{Name: "ct_zone", Bits: 16, word: wCTZone, kind: kDec, noMask: true}, "NXM_NX_CT_ZONE")
	def(&Field{Name: "ct_nw_proto", Bits: 8, word: wCTZone, shift: 16, kind: kDec, pre: pCT, noMask: true}, "NXM_NX_CT_NW_PROTO")
	def(&Field{Name: "ct_tp_src", Bits: 16, word: wCTZone, shift: 24, kind: kDec, pre: pCT}, "NXM_NX_CT_TP_SRC")
	def(&Field{Name: "ct_tp_dst", Bits: 16, word: wCTZone, shift: 40, kind: kDec, pre: pCT}, "NXM_NX_CT_TP_DST")
	def(&Field{Name: "ct_label", Bits: 128, word: wCTLabel, wide: true, kind: kHex}, "NXM_NX_CT_LABEL")
	def(&Field{Name: "ct_nw_src", Bits: 32, word: wCTNw, shift: 32, kind: kIPv4, pre: pCT}, "NXM_NX_CT_NW_SRC")
	def(&Field{Name: "ct_nw_dst", Bits: 32, word: wCTNw, kind: kIPv4, pre: pCT}, "NXM_NX_CT_NW_DST")
	def(&Field{Name: "ct_ipv6_src", Bits: 128, word: wCTIPv6Src, wide: true, kind: kIPv6, pre: pCT}, "NXM_NX_CT_IPV6_SRC")
	def(&Field{Name: "ct_ipv6_dst", Bits: 128, word: wCTIPv6Dst, wide: true, kind: kIPv6, pre: pCT}, "NXM_NX_CT_IPV6_DST")
	def(&Field{Name: "recirc_id", Bits: 32, word: wRecirc, kind: kHex, noMask: true}, "NXM_NX_RECIRC_ID")
	def(&Field{Name: "conj_id", Bits: 32, word: wRecirc, shift: 32, kind: kDec, noMask: true}, "NXM_NX_CONJ_ID")
	def(&Field{Name: "packet_type", Bits: 32, word: wPacketType, kind: kHex, noMask: true})
	def(&Field{Name: "eth_src", Bits: 48, word: wEthSrc, kind: kMAC}, "dl_src", "NXM_OF_ETH_SRC", "OXM_OF_ETH_SRC")
	def(&Field{Name: "eth_dst", Bits: 48, word: wEthDst, kind: kMAC}, "dl_dst", "NXM_OF_ETH_DST", "OXM_OF_ETH_DST")
	def(&Field{Name: "eth_type", Bits: 16, word: wEthSrc, shift: 48, kind: kHex, noMask: true}, "dl_type", "NXM_OF_ETH_TYPE", "OXM_OF_ETH_TYPE")
	def(&Field{Name: "vlan_tci", Bits: 16, word: wEthDst, shift: 48, kind: kHex}, "NXM_OF_VLAN_TCI")
	def(&Field{Name: "dl_vlan", Bits: 12, word: wEthDst, shift: 48, kind: kDec, vlanCFI: true, noMask: true})
	def(&Field{Name: "vlan_vid", Bits: 13, word: wEthDst, shift: 48, kind: kDec}, "OXM_OF_VLAN_VID")
	def(&Field{Name: "dl_vlan_pcp", Bits: 3, word: wEthDst, shift: 61, kind: kDec, vlanCFI: true, noMask: true})
	def(&Field{Name: "vlan_pcp", Bits: 3, word: wEthDst, shift: 61, kind: kDec, pre: pVLAN, noMask: true}, "OXM_OF_VLAN_PCP")
	def(&Field{Name: "ip_src", Bits: 32, word: wNw, shift: 32, kind: kIPv4, pre: pIPv4}, "nw_src", "NXM_OF_IP_SRC", "OXM_OF_IPV4_SRC")
	def(&Field{Name: "ip_dst", Bits: 32, word: wNw, kind: kIPv4, pre: pIPv4}, "nw_dst", "NXM_OF_IP_DST", "OXM_OF_IPV4_DST")
	def(&Field{Name: "ipv6_src", Bits: 128, word: wIPv6Src, wide: true, kind: kIPv6, pre: pIPv6}, "NXM_NX_IPV6_SRC", "OXM_OF_IPV6_SRC")
	def(&Field{Name: "ipv6_dst", Bits: 128, word: wIPv6Dst, wide: true, kind: kIPv6, pre: pIPv6}, "NXM_NX_IPV6_DST", "OXM_OF_IPV6_DST")
	def(&Field{Name: "ipv6_label", Bits: 20, word: wIPv6Label, kind: kHex, pre: pIPv6}, "NXM_NX_IPV6_LABEL", "OXM_OF_IPV6_FLABEL")
	def(&Field{Name: "nw_proto", Bits: 8, word: wL4, kind: kDec, pre: pIP, noMask: true}, "ip_proto", "NXM_OF_IP_PROTO", "OXM_OF_IP_PROTO")
	def(&Field{Name: "nw_tos", Bits: 6, word: wL4, shift: 10, scale: 2, kind: kDec, pre: pIP, noMask: true}, "NXM_OF_IP_TOS")
	def(&Field{Name: "ip_dscp", Bits: 6, word: wL4, shift: 10, kind: kDec, pre: pIP, noMask: true}, "OXM_OF_IP_DSCP")
	def(&Field{Name: "nw_ecn", Bits: 2, word: wL4, shift: 8, kind: kDec, pre: pIP, noMask: true}, "ip_ecn", "NXM_NX_IP_ECN", "OXM_OF_IP_ECN")
	def(&Field{Name: "nw_ttl", Bits: 8, word: wL4, shift: 16, kind: kDec, pre: pIP, noMask: true}, "NXM_NX_IP_TTL")
	def(&Field{Name: "ip_frag", Bits: 2, word: wL4, shift: 24, kind: kFrag, pre: pIP}, "nw_frag", "NXM_NX_IP_FRAG")
	def(&Field{Name: "arp_op", Bits: 8, word: wL4, kind: kDec, pre: pARP, noMask: true}, "NXM_OF_ARP_OP", "OXM_OF_ARP_OP")
	def(&Field{Name: "arp_spa", Bits: 32, word: wNw, shift: 32, kind: kIPv4, pre: pARP}, "NXM_OF_ARP_SPA", "OXM_OF_ARP_SPA")
	def(&Field{Name: "arp_tpa", Bits: 32, word: wNw, kind: kIPv4, pre: pARP}, "NXM_OF_ARP_TPA", "OXM_OF_ARP_TPA")
	def(&Field{Name: "arp_sha", Bits: 48, word: wArpSha, kind: kMAC, pre: pARP}, "NXM_NX_ARP_SHA", "OXM_OF_ARP_SHA")
	def(&Field{Name: "arp_tha", Bits: 48, word: wArpTha, kind: kMAC, pre: pARP}, "NXM_NX_ARP_THA", "OXM_OF_ARP_THA")
	def(&Field{Name: "tcp_src", Bits: 16, word: wL4, shift: 32, kind: kDec, pre: pTCP}, "NXM_OF_TCP_SRC", "OXM_OF_TCP_SRC")
	def(&Field{Name: "tcp_dst", Bits: 16, word: wL4, shift: 48, kind: kDec, pre: pTCP}, "NXM_OF_TCP_DST", "OXM_OF_TCP_DST")
	def(&Field{Name: "tcp_flags", Bits: 12, word: wArpSha, shift: 48, kind: kTCPFlags, pre: pTCP}, "NXM_NX_TCP_FLAGS")
	def(&Field{Name: "udp_src", Bits: 16, word: wL4, shift: 32, kind: kDec, pre: pUDP}, "NXM_OF_UDP_SRC", "OXM_OF_UDP_SRC")
	def(&Field{Name: "udp_dst", Bits: 16, word: wL4, shift: 48, kind: kDec, pre: pUDP}, "NXM_OF_UDP_DST", "OXM_OF_UDP_DST")
	def(&Field{Name: "sctp_src", Bits: 16, word: wL4, shift: 32, kind: kDec, pre: pSCTP}, "OXM_OF_SCTP_SRC")
	def(&Field{Name: "sctp_dst", Bits: 16, word: wL4, shift: 48, kind: kDec, pre: pSCTP}, "OXM_OF_SCTP_DST")
	def(&Field{Name: "icmp_type", Bits: 8, word: wL4, shift: 32, kind: kDec, pre: pICMPAny, noMask: true}, "NXM_OF_ICMP_TYPE", "OXM_OF_ICMPV4_TYPE")
	def(&Field{Name: "icmp_code", Bits: 8, word: wL4, shift: 48, kind: kDec, pre: pICMPAny, noMask: true}, "NXM_OF_ICMP_CODE", "OXM_OF_ICMPV4_CODE")
	def(&Field{Name: "icmpv6_type", Bits: 8, word: wL4, shift: 32, kind: kDec, pre: pICMPv6, noMask: true}, "NXM_NX_ICMPV6_TYPE", "OXM_OF_ICMPV6_TYPE")
	def(&Field{Name: "icmpv6_code", Bits: 8, word: wL4, shift: 48, kind: kDec, pre: pICMPv6, noMask: true}, "NXM_NX_ICMPV6_CODE", "OXM_OF_ICMPV6_CODE")
	def(&Field{Name: "nd_target", Bits: 128, word: wNDTarget, wide: true, kind: kIPv6, pre: pND}, "NXM_NX_ND_TARGET", "OXM_OF_IPV6_ND_TARGET")
	def(&Field{Name: "nd_sll", Bits: 48, word: wArpSha, kind: kMAC, pre: pNDSol}, "NXM_NX_ND_SLL", "OXM_OF_IPV6_ND_SLL")
	def(&Field{Name: "nd_tll", Bits: 48, word: wArpTha, kind: kMAC, pre: pNDAdv}, "NXM_NX_ND_TLL", "OXM_OF_IPV6_ND_TLL")
	def(&Field{Name: "nd_reserved", Bits: 32, word: wIPv6Label, shift: 20, kind: kDec, pre: pND})
	def(&Field{Name: "nd_options_type", Bits: 8, word: wArpTha, shift: 48, kind: kDec, pre: pND})
	// Generic transport-port names: OVS resolves tp_src to tcp_src, but a
	// dump prints tp_src for udp and sctp too; storage is shared, so the
	// protocol shorthand of the same flow carries the prerequisite.
	fields["tp_src"] = &Field{Name: "tp_src", Bits: 16, word: wL4, shift: 32, kind: kDec, pre: pIP}
	fields["tp_dst"] = &Field{Name: "tp_dst", Bits: 16, word: wL4, shift: 48, kind: kDec, pre: pIP}
	// OpenFlow 1.0 VLAN PCP / ICMP aliases.
	fields["icmpv4_type"] = fields["icmp_type"]
	fields["icmpv4_code"] = fields["icmp_code"]
}

// LookupField returns the field called name (OVS name, alias, or NXM/OXM
// name), or nil.
func LookupField(name string) *Field { return fields[name] }

// parseValue parses a field value as ovs-ofctl writes it; masked values
// ("v/m") return the mask too (all ones when absent).
func (f *Field) parseValue(s string, ports portNamer) (v, m u128, err error) {
	full := ones(f.Bits)
	if f.kind == kCTState {
		v, m, err = parseCTState(s)
		return
	}
	if f.kind == kFrag {
		return parseFrag(s)
	}
	if f.kind == kTCPFlags && (strings.HasPrefix(s, "+") || strings.HasPrefix(s, "-")) {
		return parseTCPFlags(s)
	}
	val, mask, hasMask := strings.Cut(s, "/")
	v, err = f.parseOne(val, ports)
	if err != nil {
		return
	}
	m = full
	if hasMask {
		if f.noMask {
			return v, m, fmt.Errorf("field %s cannot be masked", f.Name)
		}
		if f.kind == kIPv4 && !strings.Contains(mask, ".") {
			n, err2 := strconv.Atoi(mask)
			if err2 != nil || n < 0 || n > 32 {
				return v, m, fmt.Errorf("bad prefix length %q", mask)
			}
			m = ones(32).shl(uint(32 - n)).and(full)
		} else if f.kind == kIPv6 && !strings.Contains(mask, ":") {
			n, err2 := strconv.Atoi(mask)
			if err2 != nil || n < 0 || n > 128 {
				return v, m, fmt.Errorf("bad prefix length %q", mask)
			}
			m = ones(128).shl(uint(128 - n))
		} else {
			m, err = f.parseOne(mask, nil)
			if err != nil {
				return
			}
		}
	}
	if f.scale > 0 {
		v, m = v.shr(f.scale), m.shr(f.scale)
	}
	return v.and(m), m, nil
}

func (f *Field) parseOne(s string, ports portNamer) (u128, error) {
	switch f.kind {
	case kMAC:
		return parseMAC(s)
	case kIPv4:
		return parseIPv4(s)
	case kIPv6:
		return parseIPv6(s)
	case kPort:
		if s != "" && (s[0] < '0' || s[0] > '9') {
			if ports != nil {
				if n, ok := ports.portNumber(s); ok {
					return u128{0, uint64(n)}, nil
				}
			}
			for name, n := range reservedPorts {
				if strings.EqualFold(name, s) {
					return u128{0, uint64(n)}, nil
				}
			}
		}
	}
	if f.Bits > 64 && strings.HasPrefix(s, "0x") && len(s) > 18 {
		hex := s[2:]
		hi, err := strconv.ParseUint(hex[:len(hex)-16], 16, 64)
		if err != nil {
			return u128{}, fmt.Errorf("bad value %q for %s", s, f.Name)
		}
		lo, err := strconv.ParseUint(hex[len(hex)-16:], 16, 64)
		if err != nil {
			return u128{}, fmt.Errorf("bad value %q for %s", s, f.Name)
		}
		return u128{hi, lo}, nil
	}
	n, err := strconv.ParseUint(s, 0, 64)
	if err != nil {
		return u128{}, fmt.Errorf("bad value %q for %s", s, f.Name)
	}
	if f.scale == 0 && f.Bits < 64 && n>>f.Bits != 0 {
		return u128{}, fmt.Errorf("value %q too wide for %d-bit field %s", s, f.Bits, f.Name)
	}
	return u128{0, n}, nil
}

// parseMAC reads "fa:16:3e:00:00:01" (one or two hex digits per byte)
// without allocating: microflows and flows are full of them.
func parseMAC(s string) (u128, error) {
	v, ok := parseBytes(s, ':', 16, 2, 6)
	if !ok {
		return u128{}, fmt.Errorf("bad MAC %q", s)
	}
	return u128{0, v}, nil
}

// parseIPv4 reads a dotted quad without allocating.
func parseIPv4(s string) (u128, error) {
	v, ok := parseBytes(s, '.', 10, 3, 4)
	if !ok {
		return u128{}, fmt.Errorf("bad IPv4 address %q", s)
	}
	return u128{0, v}, nil
}

// parseBytes reads n byte values separated by sep, each of 1 to digits
// digits in base, most significant first.
func parseBytes(s string, sep byte, base uint64, digits, n int) (uint64, bool) {
	var v, cur uint64
	parts, nd := 0, 0
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == sep {
			if nd == 0 || cur > 255 {
				return 0, false
			}
			v, parts, nd, cur = v<<8|cur, parts+1, 0, 0
			continue
		}
		d, ok := hexDigit(s[i])
		if !ok || uint64(d) >= base || nd == digits {
			return 0, false
		}
		cur, nd = cur*base+uint64(d), nd+1
	}
	return v, parts == n
}

func hexDigit(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

func parseIPv6(s string) (u128, error) {
	head, tail, double := strings.Cut(s, "::")
	var hs, ts []string
	if head != "" {
		hs = strings.Split(head, ":")
	}
	if double && tail != "" {
		ts = strings.Split(tail, ":")
	}
	// An embedded IPv4 tail counts as two groups.
	expand := func(groups []string) ([]uint64, error) {
		var out []uint64
		for i, g := range groups {
			if i == len(groups)-1 && strings.Contains(g, ".") {
				v4, err := parseIPv4(g)
				if err != nil {
					return nil, err
				}
				out = append(out, v4.lo>>16, v4.lo&0xffff)
				continue
			}
			n, err := strconv.ParseUint(g, 16, 16)
			if err != nil {
				return nil, fmt.Errorf("bad IPv6 address %q", s)
			}
			out = append(out, n)
		}
		return out, nil
	}
	hg, err := expand(hs)
	if err != nil {
		return u128{}, err
	}
	tg, err := expand(ts)
	if err != nil {
		return u128{}, err
	}
	if (!double && len(hg) != 8) || len(hg)+len(tg) > 8 {
		return u128{}, fmt.Errorf("bad IPv6 address %q", s)
	}
	groups := make([]uint64, 8)
	copy(groups, hg)
	copy(groups[8-len(tg):], tg)
	var v u128
	for i, g := range groups {
		if i < 4 {
			v.hi = v.hi<<16 | g
		} else {
			v.lo = v.lo<<16 | g
		}
	}
	return v, nil
}

func parseCTState(s string) (v, m u128, err error) {
	if !strings.HasPrefix(s, "+") && !strings.HasPrefix(s, "-") {
		// Numeric form "0x21/0x21", or flag names joined by '|'.
		if strings.Contains(s, "|") || (s != "" && s[0] >= 'a' && s[0] <= 'z') {
			for _, name := range strings.Split(s, "|") {
				bit, ok := ctStateBit(name)
				if !ok {
					return v, m, fmt.Errorf("unknown ct_state flag %q", name)
				}
				v.lo |= uint64(bit)
			}
			return v, ones(32), nil
		}
		val, mask, has := strings.Cut(s, "/")
		a, err := strconv.ParseUint(val, 0, 32)
		if err != nil {
			return v, m, fmt.Errorf("bad ct_state %q", s)
		}
		m = ones(32)
		if has {
			b, err := strconv.ParseUint(mask, 0, 32)
			if err != nil {
				return v, m, fmt.Errorf("bad ct_state %q", s)
			}
			m = u128{0, b}
		}
		return u128{0, a & m.lo}, m, nil
	}
	for i := 0; i < len(s); {
		sign := s[i]
		j := i + 1
		for j < len(s) && s[j] != '+' && s[j] != '-' {
			j++
		}
		bit, ok := ctStateBit(s[i+1 : j])
		if !ok || (sign != '+' && sign != '-') {
			return v, m, fmt.Errorf("unknown ct_state flag %q", s[i:j])
		}
		m.lo |= uint64(bit)
		if sign == '+' {
			v.lo |= uint64(bit)
		}
		i = j
	}
	return v, m, nil
}

func ctStateBit(name string) (uint32, bool) {
	for _, c := range ctStateNames {
		if c.name == name {
			return c.bit, true
		}
	}
	return 0, false
}

// ip_frag: bit 0 "is a fragment", bit 1 "later fragment".
func parseFrag(s string) (v, m u128, err error) {
	switch s {
	case "no":
		return u128{0, 0}, u128{0, 1}, nil
	case "yes":
		return u128{0, 1}, u128{0, 1}, nil
	case "first":
		return u128{0, 1}, u128{0, 3}, nil
	case "later":
		return u128{0, 3}, u128{0, 3}, nil
	case "not_later":
		return u128{0, 0}, u128{0, 2}, nil
	}
	val, mask, has := strings.Cut(s, "/")
	a, err := strconv.ParseUint(val, 0, 8)
	if err != nil {
		return v, m, fmt.Errorf("bad ip_frag %q", s)
	}
	m = u128{0, 3}
	if has {
		b, err := strconv.ParseUint(mask, 0, 8)
		if err != nil {
			return v, m, fmt.Errorf("bad ip_frag %q", s)
		}
		m = u128{0, b & 3}
	}
	return u128{0, a & m.lo}, m, nil
}

var tcpFlagNames = []string{"fin", "syn", "rst", "psh", "ack", "urg", "ece", "cwr", "ns"}

func parseTCPFlags(s string) (v, m u128, err error) {
	for i := 0; i < len(s); {
		sign := s[i]
		j := i + 1
		for j < len(s) && s[j] != '+' && s[j] != '-' {
			j++
		}
		name := s[i+1 : j]
		found := false
		for b, n := range tcpFlagNames {
			if n == name {
				m.lo |= 1 << b
				if sign == '+' {
					v.lo |= 1 << b
				}
				found = true
			}
		}
		if !found {
			return v, m, fmt.Errorf("unknown tcp flag %q", name)
		}
		i = j
	}
	return v, m, nil
}

// Reserved OpenFlow 1.0 port numbers (OVS's internal ofp_port_t space).
const (
	portInPort     = 0xfff8
	portTable      = 0xfff9
	portNormal     = 0xfffa
	portFlood      = 0xfffb
	portAll        = 0xfffc
	portController = 0xfffd
	portLocal      = 0xfffe
	portNone       = 0xffff
)

var reservedPorts = map[string]uint16{
	"IN_PORT": portInPort, "TABLE": portTable, "NORMAL": portNormal, "FLOOD": portFlood,
	"ALL": portAll, "CONTROLLER": portController, "LOCAL": portLocal, "NONE": portNone, "ANY": portNone,
}

type portNamer interface {
	portNumber(name string) (uint16, bool)
}

// formatValue writes v (with mask m, all ones meaning exact) as ovs-ofctl
// prints it.
func (f *Field) formatValue(v, m u128) string {
	full := ones(f.Bits)
	exact := m == full
	if f.scale > 0 {
		v, m = v.shl(f.scale), m.shl(f.scale)
		exact = true
	}
	switch f.kind {
	case kMAC:
		s := fmtMAC(v.lo)
		if !exact {
			s += "/" + fmtMAC(m.lo)
		}
		return s
	case kIPv4:
		s := fmtIPv4(uint32(v.lo))
		if !exact {
			if n := bits.LeadingZeros32(^uint32(m.lo)); uint32(m.lo) == ^uint32(0)<<(32-n) || n == 32 {
				return fmt.Sprintf("%s/%d", s, n)
			}
			s += "/" + fmtIPv4(uint32(m.lo))
		}
		return s
	case kIPv6:
		s := fmtIPv6(v)
		if !exact {
			s += "/" + fmtIPv6(m)
		}
		return s
	case kCTState:
		return fmtCTState(uint32(v.lo), uint32(m.lo))
	case kPort:
		for name, n := range reservedPorts {
			if uint64(n) == v.lo && name != "ANY" {
				return name
			}
		}
		return strconv.FormatUint(v.lo, 10)
	case kFrag:
		switch {
		case m.lo == 1 && v.lo == 0:
			return "no"
		case m.lo == 1 && v.lo == 1:
			return "yes"
		case m.lo == 3 && v.lo == 1:
			return "first"
		case m.lo == 3 && v.lo == 3:
			return "later"
		case m.lo == 2 && v.lo == 0:
			return "not_later"
		}
	case kDec:
		if exact {
			return strconv.FormatUint(v.lo, 10)
		}
	}
	s := fmtHex(v)
	if !exact {
		s += "/" + fmtHex(m)
	}
	return s
}

func fmtHex(v u128) string {
	if v.hi != 0 {
		return fmt.Sprintf("0x%x%016x", v.hi, v.lo)
	}
	return fmt.Sprintf("%#x", v.lo)
}

func fmtMAC(v uint64) string {
	return fmt.Sprintf("%02x:%02x:%02x:%02x:%02x:%02x", byte(v>>40), byte(v>>32), byte(v>>24), byte(v>>16), byte(v>>8), byte(v))
}

func fmtIPv4(v uint32) string {
	return fmt.Sprintf("%d.%d.%d.%d", byte(v>>24), byte(v>>16), byte(v>>8), byte(v))
}

func fmtIPv6(v u128) string {
	var g [8]uint16
	for i := 0; i < 4; i++ {
		g[i] = uint16(v.hi >> (48 - 16*i))
		g[4+i] = uint16(v.lo >> (48 - 16*i))
	}
	// Longest run of zero groups (length >= 2) becomes "::".
	best, bestLen := -1, 1
	for i := 0; i < 8; {
		if g[i] != 0 {
			i++
			continue
		}
		j := i
		for j < 8 && g[j] == 0 {
			j++
		}
		if j-i > bestLen {
			best, bestLen = i, j-i
		}
		i = j
	}
	var b strings.Builder
	for i := 0; i < 8; i++ {
		if i == best {
			b.WriteString("::")
			i += bestLen - 1
			continue
		}
		if i > 0 && !(best >= 0 && i == best+bestLen) {
			b.WriteByte(':')
		}
		b.WriteString(strconv.FormatUint(uint64(g[i]), 16))
	}
	return b.String()
}

func fmtCTState(v, m uint32) string {
	if m == 0xffffffff {
		var parts []string
		for _, c := range ctStateNames {
			if v&c.bit != 0 {
				parts = append(parts, c.name)
			}
		}
		if len(parts) == 0 {
			return "0"
		}
		return strings.Join(parts, "|")
	}
	var b strings.Builder
	for _, c := range ctStateNames {
		if m&c.bit != 0 {
			if v&c.bit != 0 {
				b.WriteByte('+')
			} else {
				b.WriteByte('-')
			}
			b.WriteString(c.name)
		}
	}
	return b.String()
}
