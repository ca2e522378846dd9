package ovs

import (
	"errors"
	"net/netip"
	"strings"
)

// ValueFormat says how OVS writes a field's values (meta-flow "Formatting").
// Parsers accept both decimal and 0x-hex for the numeric formats, as OVS
// does; the format is what OVS prints in set_field, trace details and
// learned specs. Matches print a few fields differently (recirc_id and
// pkt_mark as hex, ct_zone as decimal), which changes nothing for parsing.
type ValueFormat uint8

// Value formats.
const (
	FormatDecimal ValueFormat = iota
	FormatHex
	FormatMAC
	FormatIPv4
	FormatIPv6
	// FormatFlags: named flags, "+trk-new" (masked) or "new|trk" (exact),
	// or a number with an optional mask (ct_state, tcp_flags, tun_flags).
	FormatFlags
	// FormatPort: an OpenFlow port number, a reserved name (LOCAL,
	// IN_PORT, ...) or a port name, quoted when not alphanumeric.
	FormatPort
	// FormatFrag: no, yes, first, later or not_later (ip_frag).
	FormatFrag
	// FormatPacketType: "(ns,type)", e.g. (1,0x800).
	FormatPacketType
)

var formatNames = [...]string{"decimal", "hex", "mac", "ipv4", "ipv6", "flags", "port", "frag", "packet_type"}

func (f ValueFormat) String() string {
	if int(f) < len(formatNames) {
		return formatNames[f]
	}
	return "format?"
}

// FieldDef is one OpenFlow match/set field as Open vSwitch names it
// (lib/meta-flow.h): the canonical name, every alias OVS accepts or prints
// for it (OpenFlow 1.0 names such as dl_src, NXM_* and OXM_* names used in
// subfields like NXM_NX_REG6[0..15]), its width and value format.
type FieldDef struct {
	// Name is the canonical meta-flow name ("eth_src", "reg5", "tun_id").
	Name string
	// Aliases are the other names: OpenFlow 1.0 spellings first
	// ("dl_src"), then the NXM name, then OXM names. The first NXM/OXM
	// alias is what OVS prints in subfields (NXMName).
	Aliases []string
	// Bits is the field width (dl_vlan 12, eth_src 48, reg5 32).
	Bits int
	// Format is how OVS writes values of this field.
	Format ValueFormat
	// Maskable reports whether OpenFlow can match the field with a mask.
	Maskable bool
	// Prereq is the meta-flow prerequisite ("IPv4", "TCP", "ARP", "CT",
	// ...), "" when there is none.
	Prereq string
}

// NXMName returns the NXM or OXM name OVS prints for the field in
// subfields (load:...->NXM_NX_REG5[]), or the canonical name when the field
// has none.
func (d *FieldDef) NXMName() string {
	for _, a := range d.Aliases {
		if strings.HasPrefix(a, "NXM_") || strings.Contains(a, "OXM_") {
			return a
		}
	}
	return d.Name
}

func fieldDef(name string, bits int, format ValueFormat, maskable bool, prereq string, aliases ...string) FieldDef {
	return FieldDef{Name: name, Aliases: aliases, Bits: bits, Format: format, Maskable: maskable, Prereq: prereq}
}

// Fields is the vocabulary of OpenFlow fields, in meta-flow order, followed
// by the numbered families (registers, tunnel metadata, NSH context) and the
// names OVS prints only for a second VLAN tag or MPLS label. It covers OVS
// up to 3.7 (reg16..31, xreg8..15 and xxreg4..7 are 3.7 additions).
//
// icmp_type/icmp_code are also printed for ICMPv6 matches (OVS writes
// "icmp6,icmp_type=136"); tp_src/tp_dst alias tcp_src/tcp_dst but denote the
// L4 port of whatever protocol the flow matches.
var Fields = buildFields()

func buildFields() []FieldDef {
	fs := []FieldDef{
		fieldDef("dp_hash", 32, FormatHex, true, "", "NXM_NX_DP_HASH", "NXOXM_ET_DP_HASH"),
		fieldDef("recirc_id", 32, FormatDecimal, false, "", "NXM_NX_RECIRC_ID"),
		fieldDef("packet_type", 32, FormatPacketType, false, "", "OXM_OF_PACKET_TYPE"),
		fieldDef("conj_id", 32, FormatDecimal, false, "", "NXM_NX_CONJ_ID"),
		fieldDef("tun_id", 64, FormatHex, true, "", "tunnel_id", "NXM_NX_TUN_ID", "OXM_OF_TUNNEL_ID"),
		fieldDef("tun_src", 32, FormatIPv4, true, "", "NXM_NX_TUN_IPV4_SRC"),
		fieldDef("tun_dst", 32, FormatIPv4, true, "", "NXM_NX_TUN_IPV4_DST"),
		fieldDef("tun_ipv6_src", 128, FormatIPv6, true, "", "NXM_NX_TUN_IPV6_SRC"),
		fieldDef("tun_ipv6_dst", 128, FormatIPv6, true, "", "NXM_NX_TUN_IPV6_DST"),
		fieldDef("tun_flags", 1, FormatFlags, true, "", "NXM_NX_TUN_FLAGS"),
		fieldDef("tun_ttl", 8, FormatDecimal, false, ""),
		fieldDef("tun_tos", 8, FormatDecimal, false, ""),
		fieldDef("tun_gbp_id", 16, FormatDecimal, true, "", "NXM_NX_TUN_GBP_ID"),
		fieldDef("tun_gbp_flags", 8, FormatHex, true, "", "NXM_NX_TUN_GBP_FLAGS"),
		fieldDef("tun_erspan_idx", 20, FormatHex, true, "", "NXOXM_ET_ERSPAN_IDX"),
		fieldDef("tun_erspan_ver", 4, FormatDecimal, true, "", "NXOXM_ET_ERSPAN_VER"),
		fieldDef("tun_erspan_dir", 1, FormatDecimal, true, "", "NXOXM_ET_ERSPAN_DIR"),
		fieldDef("tun_erspan_hwid", 6, FormatHex, true, "", "NXOXM_ET_ERSPAN_HWID"),
		fieldDef("tun_gtpu_flags", 8, FormatHex, true, "", "NXOXM_ET_GTPU_FLAGS"),
		fieldDef("tun_gtpu_msgtype", 8, FormatDecimal, true, "", "NXOXM_ET_GTPU_MSGTYPE"),
		fieldDef("metadata", 64, FormatHex, true, "", "OXM_OF_METADATA"),
		fieldDef("in_port", 16, FormatPort, false, "", "NXM_OF_IN_PORT"),
		fieldDef("in_port_oxm", 32, FormatPort, false, "", "OXM_OF_IN_PORT"),
		fieldDef("actset_output", 32, FormatPort, false, "", "ONFOXM_ET_ACTSET_OUTPUT"),
		fieldDef("skb_priority", 32, FormatHex, false, ""),
		fieldDef("pkt_mark", 32, FormatHex, true, "", "NXM_NX_PKT_MARK"),
		fieldDef("ct_state", 32, FormatFlags, true, "", "NXM_NX_CT_STATE"),
		fieldDef("ct_zone", 16, FormatHex, false, "", "NXM_NX_CT_ZONE"),
		fieldDef("ct_mark", 32, FormatHex, true, "", "NXM_NX_CT_MARK"),
		fieldDef("ct_label", 128, FormatHex, true, "", "NXM_NX_CT_LABEL"),
		fieldDef("ct_nw_proto", 8, FormatDecimal, false, "CT", "NXM_NX_CT_NW_PROTO"),
		fieldDef("ct_nw_src", 32, FormatIPv4, true, "CT", "NXM_NX_CT_NW_SRC"),
		fieldDef("ct_nw_dst", 32, FormatIPv4, true, "CT", "NXM_NX_CT_NW_DST"),
		fieldDef("ct_ipv6_src", 128, FormatIPv6, true, "CT", "NXM_NX_CT_IPV6_SRC"),
		fieldDef("ct_ipv6_dst", 128, FormatIPv6, true, "CT", "NXM_NX_CT_IPV6_DST"),
		fieldDef("ct_tp_src", 16, FormatDecimal, true, "CT", "NXM_NX_CT_TP_SRC"),
		fieldDef("ct_tp_dst", 16, FormatDecimal, true, "CT", "NXM_NX_CT_TP_DST"),
		fieldDef("eth_src", 48, FormatMAC, true, "Ethernet", "dl_src", "NXM_OF_ETH_SRC", "OXM_OF_ETH_SRC"),
		fieldDef("eth_dst", 48, FormatMAC, true, "Ethernet", "dl_dst", "NXM_OF_ETH_DST", "OXM_OF_ETH_DST"),
		fieldDef("eth_type", 16, FormatHex, false, "Ethernet", "dl_type", "NXM_OF_ETH_TYPE", "OXM_OF_ETH_TYPE"),
		fieldDef("vlan_tci", 16, FormatHex, true, "Ethernet", "NXM_OF_VLAN_TCI"),
		fieldDef("dl_vlan", 12, FormatDecimal, false, "Ethernet"),
		fieldDef("vlan_vid", 12, FormatDecimal, true, "Ethernet", "OXM_OF_VLAN_VID"),
		fieldDef("dl_vlan_pcp", 3, FormatDecimal, false, "Ethernet"),
		fieldDef("vlan_pcp", 3, FormatDecimal, false, "VLAN VID", "OXM_OF_VLAN_PCP"),
		fieldDef("mpls_label", 20, FormatDecimal, false, "MPLS", "OXM_OF_MPLS_LABEL"),
		fieldDef("mpls_tc", 3, FormatDecimal, false, "MPLS", "OXM_OF_MPLS_TC"),
		fieldDef("mpls_bos", 1, FormatDecimal, false, "MPLS", "OXM_OF_MPLS_BOS"),
		fieldDef("mpls_ttl", 8, FormatDecimal, false, "MPLS", "NXM_NX_MPLS_TTL"),
		fieldDef("ip_src", 32, FormatIPv4, true, "IPv4", "nw_src", "NXM_OF_IP_SRC", "OXM_OF_IPV4_SRC"),
		fieldDef("ip_dst", 32, FormatIPv4, true, "IPv4", "nw_dst", "NXM_OF_IP_DST", "OXM_OF_IPV4_DST"),
		fieldDef("ipv6_src", 128, FormatIPv6, true, "IPv6", "NXM_NX_IPV6_SRC", "OXM_OF_IPV6_SRC"),
		fieldDef("ipv6_dst", 128, FormatIPv6, true, "IPv6", "NXM_NX_IPV6_DST", "OXM_OF_IPV6_DST"),
		fieldDef("ipv6_label", 20, FormatHex, true, "IPv6", "NXM_NX_IPV6_LABEL", "OXM_OF_IPV6_FLABEL"),
		fieldDef("nw_proto", 8, FormatDecimal, false, "IPv4/IPv6", "ip_proto", "NXM_OF_IP_PROTO", "OXM_OF_IP_PROTO"),
		fieldDef("nw_tos", 8, FormatDecimal, false, "IPv4/IPv6", "NXM_OF_IP_TOS"),
		fieldDef("ip_dscp", 6, FormatDecimal, false, "IPv4/IPv6", "OXM_OF_IP_DSCP"),
		fieldDef("nw_ecn", 2, FormatDecimal, false, "IPv4/IPv6", "ip_ecn", "NXM_NX_IP_ECN", "OXM_OF_IP_ECN"),
		fieldDef("nw_ttl", 8, FormatDecimal, false, "IPv4/IPv6", "NXM_NX_IP_TTL"),
		fieldDef("ip_frag", 2, FormatFrag, true, "IPv4/IPv6", "nw_frag", "NXM_NX_IP_FRAG"),
		fieldDef("arp_op", 16, FormatDecimal, false, "ARP", "NXM_OF_ARP_OP", "OXM_OF_ARP_OP"),
		fieldDef("arp_spa", 32, FormatIPv4, true, "ARP", "NXM_OF_ARP_SPA", "OXM_OF_ARP_SPA"),
		fieldDef("arp_tpa", 32, FormatIPv4, true, "ARP", "NXM_OF_ARP_TPA", "OXM_OF_ARP_TPA"),
		fieldDef("arp_sha", 48, FormatMAC, true, "ARP", "NXM_NX_ARP_SHA", "OXM_OF_ARP_SHA"),
		fieldDef("arp_tha", 48, FormatMAC, true, "ARP", "NXM_NX_ARP_THA", "OXM_OF_ARP_THA"),
		fieldDef("tcp_src", 16, FormatDecimal, true, "TCP", "tp_src", "NXM_OF_TCP_SRC", "OXM_OF_TCP_SRC"),
		fieldDef("tcp_dst", 16, FormatDecimal, true, "TCP", "tp_dst", "NXM_OF_TCP_DST", "OXM_OF_TCP_DST"),
		fieldDef("tcp_flags", 12, FormatFlags, true, "TCP", "NXM_NX_TCP_FLAGS", "ONFOXM_ET_TCP_FLAGS"),
		fieldDef("udp_src", 16, FormatDecimal, true, "UDP", "NXM_OF_UDP_SRC", "OXM_OF_UDP_SRC"),
		fieldDef("udp_dst", 16, FormatDecimal, true, "UDP", "NXM_OF_UDP_DST", "OXM_OF_UDP_DST"),
		fieldDef("sctp_src", 16, FormatDecimal, true, "SCTP", "OXM_OF_SCTP_SRC"),
		fieldDef("sctp_dst", 16, FormatDecimal, true, "SCTP", "OXM_OF_SCTP_DST"),
		fieldDef("icmp_type", 8, FormatDecimal, false, "ICMPv4", "NXM_OF_ICMP_TYPE", "OXM_OF_ICMPV4_TYPE"),
		fieldDef("icmp_code", 8, FormatDecimal, false, "ICMPv4", "NXM_OF_ICMP_CODE", "OXM_OF_ICMPV4_CODE"),
		fieldDef("icmpv6_type", 8, FormatDecimal, false, "ICMPv6", "NXM_NX_ICMPV6_TYPE", "OXM_OF_ICMPV6_TYPE"),
		fieldDef("icmpv6_code", 8, FormatDecimal, false, "ICMPv6", "NXM_NX_ICMPV6_CODE", "OXM_OF_ICMPV6_CODE"),
		fieldDef("nd_target", 128, FormatIPv6, true, "ND", "NXM_NX_ND_TARGET", "OXM_OF_IPV6_ND_TARGET"),
		fieldDef("nd_sll", 48, FormatMAC, true, "ND solicit", "NXM_NX_ND_SLL", "OXM_OF_IPV6_ND_SLL"),
		fieldDef("nd_tll", 48, FormatMAC, true, "ND advert", "NXM_NX_ND_TLL", "OXM_OF_IPV6_ND_TLL"),
		fieldDef("nd_reserved", 32, FormatDecimal, false, "ND", "ERICOXM_OF_ICMPV6_ND_RESERVED"),
		fieldDef("nd_options_type", 8, FormatDecimal, false, "ND", "ERICOXM_OF_ICMPV6_ND_OPTIONS_TYPE"),
		fieldDef("nsh_flags", 8, FormatDecimal, true, "NSH", "NXOXM_NSH_FLAGS"),
		fieldDef("nsh_mdtype", 8, FormatDecimal, false, "NSH", "NXOXM_NSH_MDTYPE"),
		fieldDef("nsh_np", 8, FormatDecimal, false, "NSH", "NXOXM_NSH_NP"),
		fieldDef("nsh_spi", 24, FormatHex, false, "NSH", "nsp", "NXOXM_NSH_SPI"),
		fieldDef("nsh_si", 8, FormatDecimal, false, "NSH", "nsi", "NXOXM_NSH_SI"),
		fieldDef("nsh_ttl", 8, FormatDecimal, false, "NSH", "NXOXM_NSH_TTL"),
	}
	for i := 0; i < 64; i++ {
		fs = append(fs, fieldDef(fieldN("tun_metadata", i), 992, FormatHex, true, "", fieldN("NXM_NX_TUN_METADATA", i)))
	}
	for i := 0; i < 32; i++ {
		nxm := fieldN("NXM_NX_REG", i)
		if i >= 16 {
			nxm = fieldN("NXOXM_ET_REG", i)
		}
		fs = append(fs, fieldDef(fieldN("reg", i), 32, FormatHex, true, "", nxm))
	}
	for i := 0; i < 16; i++ {
		fs = append(fs, fieldDef(fieldN("xreg", i), 64, FormatHex, true, "", fieldN("OXM_OF_PKT_REG", i)))
	}
	for i := 0; i < 8; i++ {
		nxm := fieldN("NXM_NX_XXREG", i)
		if i >= 4 {
			nxm = fieldN("NXOXM_ET_XXREG", i)
		}
		fs = append(fs, fieldDef(fieldN("xxreg", i), 128, FormatHex, true, "", nxm))
	}
	for i := 1; i <= 4; i++ {
		fs = append(fs, fieldDef(fieldN("nsh_c", i), 32, FormatHex, true, "NSH", fieldN("nshc", i), fieldN("NXOXM_NSH_C", i)))
	}
	// Printed by match_format/flow_format for the second VLAN header and
	// the second and third MPLS label stack entries; not settable names.
	fs = append(fs,
		fieldDef("vlan_tci1", 16, FormatHex, true, "Ethernet"),
		fieldDef("dl_vlan1", 12, FormatDecimal, false, "Ethernet"),
		fieldDef("dl_vlan_pcp1", 3, FormatDecimal, false, "Ethernet"),
		fieldDef("mpls_lse1", 32, FormatDecimal, true, "MPLS"),
		fieldDef("mpls_lse2", 32, FormatDecimal, true, "MPLS"),
	)
	return fs
}

func fieldN(prefix string, i int) string {
	if i < 10 {
		return prefix + string(rune('0'+i))
	}
	return prefix + string(rune('0'+i/10)) + string(rune('0'+i%10))
}

// fieldIndex maps every name and alias to its entry in Fields.
var fieldIndex = func() map[string]*FieldDef {
	m := make(map[string]*FieldDef, len(Fields)*3)
	for i := range Fields {
		d := &Fields[i]
		m[d.Name] = d
		for _, a := range d.Aliases {
			m[a] = d
		}
	}
	return m
}()

// fieldFast is a hash table in front of fieldIndex: a match key is looked
// up for every match item of every flow, and a simple hash into small
// buckets beats the generic map. A bucket that overflows sends lookups of
// its names to the map.
var fieldFast = func() (t [1024]fieldBucket) {
	for name, d := range fieldIndex {
		b := &t[fieldHash(name)]
		if b.n == len(b.names) {
			b.overflow = true
			continue
		}
		b.names[b.n], b.defs[b.n] = name, d
		b.n++
	}
	return t
}()

type fieldBucket struct {
	names    [4]string
	defs     [4]*FieldDef
	n        int
	overflow bool
}

// fieldHash mixes the length with the first three and last three bytes:
// field names differ there (reg5/reg15, tun_metadata1/tun_metadata21).
func fieldHash(s string) int {
	n := len(s)
	h := uint32(n) * 0x9e3779b1
	if n >= 3 {
		h += uint32(s[0])<<16 | uint32(s[1])<<8 | uint32(s[2])
		h *= 0x85ebca6b
		h += uint32(s[n-3])<<16 | uint32(s[n-2])<<8 | uint32(s[n-1])
	} else {
		for i := 0; i < n; i++ {
			h = h*31 + uint32(s[i])
		}
	}
	h *= 0xc2b2ae35
	return int((h ^ h>>15) % 1024)
}

// LookupField finds a field by canonical name or any alias. NXM names with
// the "_W" (masked) suffix are accepted too.
func LookupField(name string) (*FieldDef, bool) {
	b := &fieldFast[fieldHash(name)]
	for i := 0; i < b.n; i++ {
		if b.names[i] == name {
			return b.defs[i], true
		}
	}
	if !b.overflow && !strings.HasSuffix(name, "_W") {
		return nil, false
	}
	if d, ok := fieldIndex[name]; ok {
		return d, true
	}
	if base, ok := strings.CutSuffix(name, "_W"); ok && strings.Contains(base, "XM_") {
		d, ok := fieldIndex[base]
		return d, ok
	}
	return nil, false
}

// Protocol is a match shorthand that implies eth_type (and nw_proto).
type Protocol struct {
	Name    string
	EthType uint16
	// IPProto is the implied nw_proto, 0 when the shorthand implies none.
	IPProto uint8
}

// Protocols lists the shorthands of ovs-ofctl(8) (lib/ofp-parse.c) plus
// "igmp", which other tools print though OVS itself does not accept it, and
// "eth", which OVS prints in megaflows for packet_type=(0,0) (Ethernet).
var Protocols = []Protocol{
	{"ip", 0x0800, 0}, {"ipv4", 0x0800, 0}, {"ip4", 0x0800, 0},
	{"icmp", 0x0800, 1}, {"igmp", 0x0800, 2}, {"tcp", 0x0800, 6}, {"udp", 0x0800, 17}, {"sctp", 0x0800, 132},
	{"ipv6", 0x86dd, 0}, {"ip6", 0x86dd, 0},
	{"icmp6", 0x86dd, 58}, {"tcp6", 0x86dd, 6}, {"udp6", 0x86dd, 17}, {"sctp6", 0x86dd, 132},
	{"arp", 0x0806, 0}, {"rarp", 0x8035, 0},
	{"mpls", 0x8847, 0}, {"mplsm", 0x8848, 0},
	{"eth", 0, 0},
}

// LookupProtocol finds a protocol shorthand by name.
func LookupProtocol(name string) (Protocol, bool) {
	for _, p := range Protocols {
		if p.Name == name {
			return p, true
		}
	}
	return Protocol{}, false
}

// ReservedPorts are the OpenFlow port names OVS prints instead of numbers.
var ReservedPorts = []string{"IN_PORT", "TABLE", "NORMAL", "FLOOD", "ALL", "CONTROLLER", "LOCAL", "ANY", "NONE", "UNSET"}

func isReservedPort(s string) bool {
	for _, p := range ReservedPorts {
		if p == s {
			return true
		}
	}
	return false
}

// Errors returned by FieldDef.CheckValue; static so that checking a valid
// value costs no allocation.
var (
	errEmptyValue = errors.New("empty value")
	errNumber     = errors.New("not a decimal or 0x-hex number")
	errMAC        = errors.New("not a MAC address")
	errIPv4       = errors.New("not an IPv4 address or prefix")
	errIPv6       = errors.New("not an IPv6 address or prefix")
	errFlags      = errors.New("not a flag list or number")
	errFrag       = errors.New("not one of no, yes, first, later, not_later")
	errPort       = errors.New("not a port number or name")
	errPktType    = errors.New("not a (namespace,type) pair")
)

// CheckValue reports whether v is a well-formed value for the field as OVS
// prints it, with an optional /mask. Port names are not checked against any
// port list.
func (d *FieldDef) CheckValue(v string) error {
	if v == "" {
		return errEmptyValue
	}
	switch d.Format {
	case FormatDecimal, FormatHex:
		return checkMasked(v, checkNumber, errNumber)
	case FormatMAC:
		return checkMasked(v, checkMAC, errMAC)
	case FormatIPv4:
		return checkIPv4Value(v)
	case FormatIPv6:
		return checkIPv6Value(v)
	case FormatFlags:
		return checkFlags(d.Name, v)
	case FormatPort:
		if !checkPort(v) {
			return errPort
		}
	case FormatFrag:
		switch v {
		case "no", "yes", "first", "later", "not_later":
		default:
			return checkMasked(v, checkNumber, errFrag)
		}
	case FormatPacketType:
		in, ok := strings.CutPrefix(v, "(")
		in, ok2 := strings.CutSuffix(in, ")")
		a, b, ok3 := strings.Cut(in, ",")
		if !ok || !ok2 || !ok3 || checkMasked(a, checkNumber, errPktType) != nil || checkMasked(b, checkNumber, errPktType) != nil {
			return errPktType
		}
	}
	return nil
}

func checkMasked(v string, check func(string) bool, err error) error {
	val, mask, masked := strings.Cut(v, "/")
	if !check(val) || masked && !check(mask) {
		return err
	}
	return nil
}

// checkNumber accepts decimal, 0x-hex and the all-ones shorthand -1.
func checkNumber(s string) bool {
	if s == "" {
		return false
	}
	if len(s) > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') {
		return isHex(s[2:])
	}
	if s == "-1" {
		return true
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func isHex(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if hexVal(s[i]) < 0 {
			return false
		}
	}
	return true
}

func hexVal(c byte) int { return int(hexTable[c]) }

var hexTable = func() (t [256]int8) {
	for i := range t {
		t[i] = -1
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = int8(c - '0')
	}
	for c := 'a'; c <= 'f'; c++ {
		t[c] = int8(c-'a') + 10
		t[c-'a'+'A'] = int8(c-'a') + 10
	}
	return t
}()

func checkMAC(s string) bool {
	if len(s) != 17 {
		return false
	}
	for i := 0; i < 17; i++ {
		if i%3 == 2 {
			if s[i] != ':' {
				return false
			}
		} else if hexVal(s[i]) < 0 {
			return false
		}
	}
	return true
}

func checkIPv4Value(v string) error {
	addr, mask, masked := strings.Cut(v, "/")
	if !checkIPv4(addr) {
		return errIPv4
	}
	if masked && !checkIPv4(mask) && !checkPrefixLen(mask, 32) {
		return errIPv4
	}
	return nil
}

// checkIPv4 is a hand-rolled dotted-quad check: it is on the hot path of
// every flow with an address and must not allocate.
func checkIPv4(s string) bool {
	parts, n, digits := 0, 0, 0
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == '.' {
			if digits == 0 || n > 255 {
				return false
			}
			parts++
			n, digits = 0, 0
			continue
		}
		c := s[i]
		if c < '0' || c > '9' || digits == 3 {
			return false
		}
		n = n*10 + int(c-'0')
		digits++
	}
	return parts == 4
}

func checkPrefixLen(s string, max int) bool {
	if s == "" || len(s) > 3 {
		return false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n <= max
}

func checkIPv6Value(v string) error {
	addr, mask, masked := strings.Cut(v, "/")
	if a, err := netip.ParseAddr(addr); err != nil || !a.Is6() {
		return errIPv6
	}
	if masked && !checkPrefixLen(mask, 128) {
		if a, err := netip.ParseAddr(mask); err != nil || !a.Is6() {
			return errIPv6
		}
	}
	return nil
}

// flagNames are the flag words OVS prints for each flags field.
var flagNames = map[string][]string{
	"ct_state":  {"new", "est", "rel", "rpl", "inv", "trk", "snat", "dnat"},
	"tcp_flags": {"fin", "syn", "rst", "psh", "ack", "urg", "ece", "cwr", "ns"},
	"tun_flags": {"oam"},
}

// checkFlags accepts "+a-b" (masked), "a|b" (exact), "0" and numbers.
func checkFlags(field, v string) error {
	if checkMasked(v, checkNumber, errFlags) == nil {
		return nil
	}
	names := flagNames[field]
	known := func(w string) bool {
		for _, n := range names {
			if n == w {
				return true
			}
		}
		return false
	}
	if v[0] == '+' || v[0] == '-' {
		start := 1
		for i := 1; i <= len(v); i++ {
			if i == len(v) || v[i] == '+' || v[i] == '-' {
				if !known(v[start:i]) {
					return errFlags
				}
				start = i + 1
			}
		}
		return nil
	}
	for w := range strings.SplitSeq(v, "|") {
		if !known(w) {
			return errFlags
		}
	}
	return nil
}

// checkPort accepts numbers, reserved names and port names (bare or
// quoted). A bare name must start with a letter, as OVS quotes the rest.
func checkPort(v string) bool {
	if v == "" {
		return false
	}
	if v[0] == '"' {
		_, ok := unquoteName(v)
		return ok
	}
	if checkNumber(v) {
		return true
	}
	c := v[0]
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}
