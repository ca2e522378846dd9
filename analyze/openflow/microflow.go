package openflow

import (
	"fmt"
	"strings"
)

// ParseMicroflow parses a microflow as `ovs-appctl ofproto/trace` accepts it:
// comma-separated field=value items and protocol shorthands ("tcp",
// "arp", ...), in_port by number, by name or LOCAL, every field exact,
// unspecified fields zero (so nw_ttl is 0 unless given, as in the real
// tool). Port names resolve on bridge of sw.
func ParseMicroflow(s string, sw *Switch, bridge string) (*Packet, error) {
	var names portNamer
	if sw != nil {
		cb := sw.bridge(bridge)
		if cb == nil {
			return nil, fmt.Errorf("no bridge %q", bridge)
		}
		names = cb
	}
	p := &Packet{}
	if err := parseMicroflow(s, names, p); err != nil {
		return nil, err
	}
	return p, nil
}

// parseMicroflow parses s into p (which must be zero) without allocating
// on the success path: a trace starts here.
func parseMicroflow(s string, names portNamer, p *Packet) error {
	p.w[wInPort] |= uint64(portNone) << 16 // actset_output unset
	var setBuf [24]*Field
	set := setBuf[:0]
	s = strings.TrimSpace(s)
	nested := strings.IndexByte(s, '(') >= 0 || strings.IndexByte(s, '[') >= 0
	for len(s) > 0 {
		var item string
		item, s = nextItem(s, nested)
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		key, value, hasEq := strings.Cut(item, "=")
		key = strings.TrimSpace(key)
		k := microflowKeys.get(key)
		if k.short && !hasEq {
			if k.sh[0] != 0 {
				fEthType.set(p, u128{0, k.sh[0]})
			}
			if k.sh[1] != 0 {
				fNwProto.set(p, u128{0, k.sh[1]})
			}
			continue
		}
		if !hasEq {
			return fmt.Errorf("microflow item %q: expected field=value", item)
		}
		value = strings.Trim(strings.TrimSpace(value), `"`)
		f := k.f
		if f == nil {
			return fmt.Errorf("microflow: unknown field %s", key)
		}
		switch key {
		case "dl_vlan":
			v, _, err := f.parseValue(value, nil)
			if err != nil {
				return fmt.Errorf("microflow: %w", err)
			}
			p.setVLANTCI(p.vlanTCI()&0xe000 | vlanCFI | uint16(v.lo))
			continue
		case "dl_vlan_pcp":
			v, _, err := f.parseValue(value, nil)
			if err != nil {
				return fmt.Errorf("microflow: %w", err)
			}
			p.setVLANTCI(p.vlanTCI()&0x0fff | vlanCFI | uint16(v.lo)<<13)
			continue
		}
		v, m, err := f.parseValue(value, names)
		if err != nil {
			return fmt.Errorf("microflow: %w", err)
		}
		if f.kind == kCTState {
			m = ones(32)
		}
		if m != ones(f.Bits) && !(f.scale > 0) && f.kind != kFrag && f.kind != kTCPFlags {
			return fmt.Errorf("microflow: field %s cannot be masked", key)
		}
		f.setMasked(p, v, m)
		set = append(set, f)
	}
	for _, f := range set {
		if !f.pre.ok(p) {
			return fmt.Errorf("microflow: prerequisites not met for setting %s", f.Name)
		}
	}
	return nil
}

// nextItem splits the first comma-separated item off s, outside
// parentheses and brackets when nested.
func nextItem(s string, nested bool) (item, rest string) {
	if !nested {
		if i := strings.IndexByte(s, ','); i >= 0 {
			return s[:i], s[i+1:]
		}
		return s, ""
	}
	depth := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '(', '[':
			depth++
		case ')', ']':
			depth--
		case ',':
			if depth == 0 {
				return s[:i], s[i+1:]
			}
		}
	}
	return s, ""
}

// Fields the parser sets by hand (filled in init, after field.go's).
var fEthType, fNwProto *Field

// microflowKeys maps every key a microflow may use to its protocol
// shorthand or field, in one lookup. Some names mean another field in an
// exact flow than in a flow match: OVS reads tp_src as tcp_src there (only
// flow matches get the protocol-generic meaning), and icmp_type/icmp_code
// as the ICMPv4 fields only.
var microflowKeys keyTable

// keyTable is a fixed open-addressing hash table from key to microflowKey:
// a trace spends a good part of its microflow parsing looking keys up, and
// this costs a third of a Go map lookup.
type keyTable struct {
	slots [1024]struct {
		key string
		val int16 // index in vals + 1; 0: empty
	}
	vals []microflowKey
}

func keyHash(s string) uint32 {
	h := uint32(len(s))
	for i := 0; i < len(s); i++ {
		h = h*31 + uint32(s[i])
	}
	return h ^ h>>10
}

func (t *keyTable) get(key string) microflowKey {
	for i := keyHash(key); ; i++ {
		sl := &t.slots[i&uint32(len(t.slots)-1)]
		if sl.val == 0 {
			return microflowKey{}
		}
		if sl.key == key {
			return t.vals[sl.val-1]
		}
	}
}

// set adds or replaces key; the table holds at most half its slots.
func (t *keyTable) set(key string, v microflowKey) {
	for i := keyHash(key); ; i++ {
		sl := &t.slots[i&uint32(len(t.slots)-1)]
		if sl.val == 0 {
			if len(t.vals) >= len(t.slots)/2 {
				panic("openflow: microflow key table full")
			}
			t.vals = append(t.vals, v)
			sl.key, sl.val = key, int16(len(t.vals))
			return
		}
		if sl.key == key {
			t.vals[sl.val-1] = v
			return
		}
	}
}

type microflowKey struct {
	short bool
	sh    [2]uint64 // eth_type, nw_proto of a shorthand
	f     *Field
}

func init() {
	fEthType, fNwProto = fields["eth_type"], fields["nw_proto"]
	for name, f := range fields {
		microflowKeys.set(name, microflowKey{f: f})
	}
	for name, sh := range shorthands {
		k := microflowKeys.get(name)
		k.short, k.sh = true, sh
		microflowKeys.set(name, k)
	}
	for _, n := range []string{"icmp_type", "icmp_code"} {
		f := *fields[n]
		f.pre = pICMPv4
		microflowKeys.set(n, microflowKey{f: &f})
	}
	microflowKeys.set("tp_src", microflowKey{f: fields["tcp_src"]})
	microflowKeys.set("tp_dst", microflowKey{f: fields["tcp_dst"]})
}

// FormatPacket prints a packet the way ofproto/trace prints its "Flow:"
// line.
func FormatPacket(p *Packet) string {
	var parts []string
	add := func(name string) {
		f := fields[name]
		parts = append(parts, name+"="+f.formatValue(f.get(p), ones(f.Bits)))
	}
	nonzero := func(name string) {
		if !fields[name].get(p).isZero() {
			add(name)
		}
	}
	for _, n := range []string{"recirc_id", "dp_hash", "skb_priority", "pkt_mark", "ct_state", "ct_zone", "ct_mark", "ct_label"} {
		nonzero(n)
	}
	if p.w[wTunIPv4] != 0 || p.w[wTunID] != 0 {
		for _, n := range []string{"tun_id", "tun_src", "tun_dst"} {
			nonzero(n)
		}
	}
	et := p.ethType()
	proto := p.nwProto()
	short := ""
	switch et {
	case ethIP, ethIPv6:
		six := map[bool]string{true: "6"}[et == ethIPv6]
		short = map[uint16]string{ethIP: "ip", ethIPv6: "ipv6"}[et]
		switch {
		case proto == protoTCP:
			short = "tcp" + six
		case proto == protoUDP:
			short = "udp" + six
		case proto == protoSCTP:
			short = "sctp" + six
		case proto == protoICMP && et == ethIP:
			short = "icmp"
		case proto == protoIC6 && et == ethIPv6:
			short = "icmp6"
		}
	case ethARP:
		short = "arp"
	case ethRARP:
		short = "rarp"
	}
	if short != "" {
		parts = append(parts, short)
	}
	for i := 0; i < 16; i++ {
		nonzero(fmt.Sprintf("reg%d", i))
	}
	nonzero("metadata")
	add("in_port")
	add("vlan_tci")
	add("dl_src")
	add("dl_dst")
	if short == "" {
		add("dl_type")
	}
	switch et {
	case ethIP:
		for _, n := range []string{"nw_src", "nw_dst"} {
			add(n)
		}
		if short == "ip" {
			add("nw_proto")
		}
		for _, n := range []string{"nw_tos", "nw_ecn", "nw_ttl"} {
			add(n)
		}
	case ethIPv6:
		for _, n := range []string{"ipv6_src", "ipv6_dst", "ipv6_label"} {
			add(n)
		}
		if short == "ipv6" {
			add("nw_proto")
		}
		for _, n := range []string{"nw_tos", "nw_ecn", "nw_ttl"} {
			add(n)
		}
	case ethARP, ethRARP:
		for _, n := range []string{"arp_spa", "arp_tpa", "arp_op", "arp_sha", "arp_tha"} {
			add(n)
		}
	}
	if p.isIPAny() && p.nwFrag() != 0 {
		add("nw_frag")
	}
	switch {
	case short == "icmp":
		add("icmp_type")
		add("icmp_code")
	case short == "icmp6":
		add("icmp_type")
		add("icmp_code")
		if pND.ok(p) {
			add("nd_target")
			if p.tpSrc() == 135 {
				add("nd_sll")
			} else {
				add("nd_tll")
			}
		}
	case strings.HasPrefix(short, "tcp") || strings.HasPrefix(short, "udp") || strings.HasPrefix(short, "sctp"):
		add("tp_src")
		add("tp_dst")
		if strings.HasPrefix(short, "tcp") {
			f := fields["tcp_flags"]
			if v := f.get(p); !v.isZero() {
				parts = append(parts, "tcp_flags="+fmtHex(v))
			}
		}
	}
	return strings.Join(parts, ",")
}
