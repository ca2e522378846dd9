package openflow

import (
	"fmt"
	"sort"
	"strings"

	"netxray/parse/ovs"
)

// cond is one masked word comparison: packet.w[word] & mask == val.
type cond struct {
	word int
	mask uint64
	val  uint64
}

// matcher is a compiled match: conditions merged per word, sorted by word.
type matcher struct{ conds []cond }

func (m *matcher) matches(p *Packet) bool {
	for _, c := range m.conds {
		if p.w[c.word]&c.mask != c.val {
			return false
		}
	}
	return true
}

// add ANDs a field condition into the matcher. Conflicting conditions (same
// bits, different values) make the match impossible, as OVS would refuse
// such a flow; we keep it and it never matches.
func (m *matcher) add(f *Field, v, mask u128) {
	if f.wide {
		m.addWord(f.word, mask.hi, v.hi)
		m.addWord(f.word+1, mask.lo, v.lo)
		return
	}
	m.addWord(f.word, mask.lo<<f.shift, v.lo<<f.shift)
}

func (m *matcher) addWord(word int, mask, val uint64) {
	if mask == 0 {
		return
	}
	val &= mask
	for i := range m.conds {
		c := &m.conds[i]
		if c.word == word {
			c.val |= val
			c.mask |= mask
			return
		}
	}
	m.conds = append(m.conds, cond{word, mask, val})
	sort.Slice(m.conds, func(i, j int) bool { return m.conds[i].word < m.conds[j].word })
}

func (m *matcher) set(f *Field, v u128) { m.add(f, v, ones(f.Bits)) }

// protocol shorthands as OVS defines them (lib/ofp-protocol.c).
var shorthands = map[string][2]uint64{ // eth_type, nw_proto (0 = none)
	"eth": {0, 0}, "ip": {ethIP, 0}, "ipv4": {ethIP, 0}, "ipv6": {ethIPv6, 0},
	"icmp": {ethIP, protoICMP}, "icmp6": {ethIPv6, protoIC6},
	"tcp": {ethIP, protoTCP}, "tcp6": {ethIPv6, protoTCP},
	"udp": {ethIP, protoUDP}, "udp6": {ethIPv6, protoUDP},
	"sctp": {ethIP, protoSCTP}, "sctp6": {ethIPv6, protoSCTP},
	"arp": {ethARP, 0}, "rarp": {ethRARP, 0}, "igmp": {ethIP, 2},
}

// compileMatch turns a dump's match items into a matcher. Port names
// resolve through ports.
func compileMatch(items []ovs.Match, ports portNamer) (matcher, error) {
	var m matcher
	for _, it := range items {
		if err := m.addItem(it.Key, it.Value, ports); err != nil {
			return m, err
		}
	}
	return m, nil
}

// partialMatch compiles the items of a match that can be compiled.
func partialMatch(items []ovs.Match, ports portNamer) matcher {
	var m matcher
	for _, it := range items {
		var one matcher
		if one.addItem(it.Key, it.Value, ports) == nil {
			m.addItem(it.Key, it.Value, ports)
		}
	}
	return m
}

func (m *matcher) addItem(key, value string, ports portNamer) error {
	key = strings.TrimSpace(key)
	if sh, ok := shorthands[key]; ok && value == "" {
		if sh[0] != 0 {
			m.set(fields["eth_type"], u128{0, sh[0]})
		}
		if sh[1] != 0 {
			m.set(fields["nw_proto"], u128{0, sh[1]})
		}
		return nil
	}
	if value == "" && key != "" {
		return fmt.Errorf("match item %q has no value", key)
	}
	switch key {
	case "dl_vlan":
		v, _, err := fields["dl_vlan"].parseValue(value, nil)
		if err != nil && (value == "0xffff" || value == "65535") {
			// OFP10_VLAN_NONE: no 802.1Q header.
			m.add(fields["vlan_tci"], u128{}, ones(16))
			return nil
		}
		if err != nil {
			return err
		}
		m.add(fields["vlan_tci"], u128{0, vlanCFI | v.lo}, u128{0, vlanCFI | vlanVIDM})
		return nil
	case "dl_vlan_pcp":
		v, _, err := fields["dl_vlan_pcp"].parseValue(value, nil)
		if err != nil {
			return err
		}
		m.add(fields["vlan_tci"], u128{0, vlanCFI | v.lo<<13}, u128{0, vlanCFI | 0xe000})
		return nil
	case "priority", "table", "cookie", "actions":
		return fmt.Errorf("%s is not a match field", key)
	}
	f := fields[key]
	if f == nil {
		if strings.HasPrefix(key, "tun_metadata") || strings.HasPrefix(key, "mpls") || strings.HasPrefix(key, "nsh") {
			return fmt.Errorf("unsupported match field %s", key)
		}
		return fmt.Errorf("unknown match field %s", key)
	}
	v, mask, err := f.parseValue(value, ports)
	if err != nil {
		return err
	}
	m.add(f, v, mask)
	return nil
}

// String prints the matcher in ovs-ofctl's field=value style (used for
// learned flows, which have no dump text).
func (m *matcher) String() string {
	var p, mk Packet
	for _, c := range m.conds {
		p.w[c.word] = c.val
		mk.w[c.word] = c.mask
	}
	var parts []string
	for _, f := range fieldOrder {
		if f.vlanCFI || f.scale > 0 || skipInString[f.Name] || strings.HasPrefix(f.Name, "xreg") || strings.HasPrefix(f.Name, "xxreg") {
			continue
		}
		mv := f.get(&mk)
		if mv.isZero() {
			continue
		}
		parts = append(parts, f.Name+"="+f.formatValue(f.get(&p), mv))
	}
	return strings.Join(parts, ",")
}

// Fields that are views of storage printed under another name.
var skipInString = map[string]bool{
	"vlan_vid": true, "vlan_pcp": true, "ip_dscp": true, "arp_op": true, "arp_spa": true, "arp_tpa": true,
	"tcp_src": true, "tcp_dst": true, "udp_src": true, "udp_dst": true, "sctp_src": true, "sctp_dst": true,
	"icmp_type": true, "icmp_code": true, "icmpv6_type": true, "icmpv6_code": true, "nd_sll": true, "nd_tll": true,
}
