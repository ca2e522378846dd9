package iptables

import (
	"net/netip"
	"strconv"
	"strings"
)

// The accessors below decode the options a packet trace needs. They read
// the stored options (no text is re-parsed) and report absence with a nil
// or false result.

// Match returns the rule's first match of module (tcp, physdev, ...), or
// nil.
func (r *Rule) Match(module string) *Match {
	for _, m := range r.Matches {
		if m.Module == module {
			return m
		}
	}
	return nil
}

// Option returns option name of the first match of module that has it;
// module "" looks in the built-in criteria.
func (r *Rule) Option(module, name string) (Option, bool) {
	name = canonical(name)
	if module == "" {
		if s := baseLong[name]; s != "" {
			name = s
		}
		for _, o := range r.Criteria {
			if o.Name == name {
				return o, true
			}
		}
		return Option{}, false
	}
	for _, m := range r.Matches {
		if m.Module != module {
			continue
		}
		if o, ok := m.Option(name); ok {
			return o, true
		}
	}
	return Option{}, false
}

// Comment returns the rule's -m comment text ("" without one; several are
// joined with "; ").
func (r *Rule) Comment() string {
	var cs []string
	for _, m := range r.Matches {
		if m.Module != "comment" {
			continue
		}
		if o, ok := m.Option("--comment"); ok {
			cs = append(cs, o.Arg())
		}
	}
	return strings.Join(cs, "; ")
}

// PortRange is an inclusive port range; a single port has Lo == Hi.
type PortRange struct {
	Lo uint16 `json:"lo"`
	Hi uint16 `json:"hi"`
}

// PortMatch is a set of port ranges, negated or not.
type PortMatch struct {
	Not    bool        `json:"not,omitempty"`
	Ranges []PortRange `json:"ranges"`
}

// Contains reports whether the criterion accepts port.
func (m *PortMatch) Contains(port uint16) bool {
	in := false
	for _, r := range m.Ranges {
		if port >= r.Lo && port <= r.Hi {
			in = true
			break
		}
	}
	return in != m.Not
}

// DPorts returns the destination-port criterion of the rule's tcp, udp,
// sctp, dccp or multiport match (--dport, --dports, --ports), or nil.
func (r *Rule) DPorts() *PortMatch { return r.ports("--dport", "--dports") }

// SPorts returns the source-port criterion, like DPorts.
func (r *Rule) SPorts() *PortMatch { return r.ports("--sport", "--sports") }

func (r *Rule) ports(single, multi string) *PortMatch {
	for _, m := range r.Matches {
		for _, o := range m.Options {
			if (o.Name == single && m.Module != "multiport") || (m.Module == "multiport" && (o.Name == multi || o.Name == "--ports")) {
				if pm, ok := parsePorts(o); ok {
					return pm
				}
			}
		}
	}
	return nil
}

// parsePorts reads "22", "1000:2000", ":1023", "22,80,1000:2000".
func parsePorts(o Option) (*PortMatch, bool) {
	pm := &PortMatch{Not: o.Not}
	for _, item := range strings.Split(o.Arg(), ",") {
		lo, hi, isRange := strings.Cut(item, ":")
		if !isRange {
			hi = lo
		}
		if lo == "" {
			lo = "0"
		}
		if hi == "" {
			hi = "65535"
		}
		a, err1 := strconv.ParseUint(lo, 10, 16)
		b, err2 := strconv.ParseUint(hi, 10, 16)
		if err1 != nil || err2 != nil {
			return nil, false // a service name: iptables-save prints numbers
		}
		pm.Ranges = append(pm.Ranges, PortRange{Lo: uint16(a), Hi: uint16(b)})
	}
	return pm, true
}

// ListMatch is a comma-separated list criterion (connection states).
type ListMatch struct {
	Not    bool     `json:"not,omitempty"`
	Values []string `json:"values"`
}

// Has reports whether v is in the list (regardless of Not).
func (m *ListMatch) Has(v string) bool {
	for _, x := range m.Values {
		if x == v {
			return true
		}
	}
	return false
}

// CTState returns the connection-state criterion of -m state --state or
// -m conntrack --ctstate (NEW, ESTABLISHED, RELATED, INVALID, UNTRACKED,
// SNAT, DNAT), or nil.
func (r *Rule) CTState() *ListMatch {
	for _, m := range r.Matches {
		for _, o := range m.Options {
			if (m.Module == "state" && o.Name == "--state") || (m.Module == "conntrack" && o.Name == "--ctstate") {
				return &ListMatch{Not: o.Not, Values: strings.Split(o.Arg(), ",")}
			}
		}
	}
	return nil
}

// PhysdevIn returns -m physdev --physdev-in (the bridge port a bridged
// packet came in on: tap… or qvb… on a hybrid-plug qbr bridge), or nil.
func (r *Rule) PhysdevIn() *IfaceMatch { return r.physdev("--physdev-in") }

// PhysdevOut returns -m physdev --physdev-out, or nil.
func (r *Rule) PhysdevOut() *IfaceMatch { return r.physdev("--physdev-out") }

func (r *Rule) physdev(name string) *IfaceMatch {
	if o, ok := r.Option("physdev", name); ok {
		return &IfaceMatch{Not: o.Not, Name: o.Arg()}
	}
	return nil
}

// PhysdevIsBridged returns -m physdev --physdev-is-bridged (the packet is
// being bridged, not routed), or nil.
func (r *Rule) PhysdevIsBridged() *Flag {
	if o, ok := r.Option("physdev", "--physdev-is-bridged"); ok {
		return &Flag{Not: o.Not}
	}
	return nil
}

// SetMatch is -m set --match-set NAME FLAGS: the packet's FLAGS fields
// (src, dst, "src,dst", ...) looked up in ipset NAME.
type SetMatch struct {
	Not   bool     `json:"not,omitempty"`
	Name  string   `json:"name"`
	Flags []string `json:"flags"`
}

// MatchSets returns every -m set criterion (Neutron's remote-group sets:
// NIPv4<sg-id prefix>).
func (r *Rule) MatchSets() []SetMatch {
	var out []SetMatch
	for _, m := range r.Matches {
		if m.Module != "set" {
			continue
		}
		for _, o := range m.Options {
			if (o.Name == "--match-set" || o.Name == "--set") && len(o.Args) == 2 {
				out = append(out, SetMatch{Not: o.Not, Name: o.Args[0], Flags: strings.Split(o.Args[1], ",")})
			}
		}
	}
	return out
}

// MarkMatch is a mark criterion: packet mark & Mask == Value.
type MarkMatch struct {
	Not   bool   `json:"not,omitempty"`
	Value uint32 `json:"value"`
	Mask  uint32 `json:"mask"`
}

// Matches reports whether a mark satisfies the criterion.
func (m *MarkMatch) Matches(mark uint32) bool { return (mark&m.Mask == m.Value) != m.Not }

// Mark returns -m mark --mark VALUE[/MASK] (the packet mark), or nil.
func (r *Rule) Mark() *MarkMatch { return r.mark("mark") }

// ConnMark returns -m connmark --mark VALUE[/MASK] (the connection mark),
// or nil.
func (r *Rule) ConnMark() *MarkMatch { return r.mark("connmark") }

func (r *Rule) mark(module string) *MarkMatch {
	o, ok := r.Option(module, "--mark")
	if !ok {
		return nil
	}
	v, m, ok := ParseMark(o.Arg())
	if !ok {
		return nil
	}
	return &MarkMatch{Not: o.Not, Value: v, Mask: m}
}

// ParseMark reads a mark with an optional mask, as iptables-save prints
// them: "0x4000000/0xffff0000", or "0x1" (mask all ones).
func ParseMark(s string) (value, mask uint32, ok bool) {
	v, m, hasMask := strings.Cut(s, "/")
	a, err := strconv.ParseUint(v, 0, 32)
	if err != nil {
		return 0, 0, false
	}
	mask = 0xffffffff
	if hasMask {
		b, err := strconv.ParseUint(m, 0, 32)
		if err != nil {
			return 0, 0, false
		}
		mask = uint32(b)
	}
	return uint32(a), mask, true
}

// Verdict kinds of a target, for walking a chain.
const (
	VerdictAccept = "accept" // ACCEPT
	VerdictDrop   = "drop"   // DROP, REJECT
	VerdictReturn = "return" // RETURN
	VerdictJump   = "jump"   // a user chain (-j or -g)
	VerdictQueue  = "queue"  // QUEUE, NFQUEUE: userspace decides
	// VerdictContinue: a non-terminating target (MARK, CONNMARK, CT, LOG,
	// CHECKSUM, ...) and the rule-less counter rule; the walk goes on.
	VerdictContinue = "continue"
	// VerdictNAT: DNAT, SNAT, MASQUERADE, REDIRECT, NETMAP rewrite the
	// packet and end the walk of the nat chain.
	VerdictNAT = "nat"
)

// Verdict classifies the rule's target: what happens to a packet that
// matches it. A name that is neither a known target nor a chain of table
// is reported as VerdictJump (a chain missing from the dump is still a
// jump).
func (r *Rule) Verdict() string {
	if r.Target == nil {
		return VerdictContinue
	}
	switch r.Target.Name {
	case "ACCEPT":
		return VerdictAccept
	case "DROP", "REJECT":
		return VerdictDrop
	case "RETURN":
		return VerdictReturn
	case "QUEUE", "NFQUEUE":
		return VerdictQueue
	case "DNAT", "SNAT", "MASQUERADE", "REDIRECT", "NETMAP":
		return VerdictNAT
	}
	if knownTargets[r.Target.Name] != nil {
		return VerdictContinue
	}
	return VerdictJump
}

// NATSpec is the --to-destination / --to-source of DNAT / SNAT:
// "10.0.0.5", "10.0.0.5-10.0.0.9", "10.0.0.5:8080", "[fd00::5]:80-90".
type NATSpec struct {
	Text string `json:"text"`
	// Lo and Hi are the address range (equal for one address); invalid
	// when the spec has only ports.
	Lo netip.Addr `json:"lo"`
	Hi netip.Addr `json:"hi"`
	// Ports is the port range, nil when unchanged.
	Ports *PortRange `json:"ports,omitempty"`
}

// NAT returns the DNAT --to-destination or SNAT --to-source of the rule,
// or nil for other targets or an unreadable spec.
func (r *Rule) NAT() *NATSpec {
	if r.Target == nil {
		return nil
	}
	var o Option
	var ok bool
	switch r.Target.Name {
	case "DNAT":
		o, ok = r.Target.Option("--to-destination")
	case "SNAT":
		o, ok = r.Target.Option("--to-source")
	}
	if !ok {
		return nil
	}
	return parseNATSpec(o.Arg())
}

func parseNATSpec(s string) *NATSpec {
	spec := &NATSpec{Text: s}
	addrs, ports := s, ""
	switch {
	case strings.HasPrefix(s, "["):
		a, rest, ok := strings.Cut(s[1:], "]")
		if !ok {
			return nil
		}
		addrs, ports = a, strings.TrimPrefix(rest, ":")
	case strings.Count(s, ":") == 1:
		addrs, ports, _ = strings.Cut(s, ":")
	}
	if addrs != "" {
		lo, hi, isRange := strings.Cut(addrs, "-")
		if !isRange {
			hi = lo
		}
		a, err1 := netip.ParseAddr(lo)
		b, err2 := netip.ParseAddr(hi)
		if err1 != nil || err2 != nil {
			return nil
		}
		spec.Lo, spec.Hi = a, b
	}
	if ports != "" {
		lo, hi, isRange := strings.Cut(ports, "-")
		if !isRange {
			hi = lo
		}
		a, err1 := strconv.ParseUint(lo, 10, 16)
		b, err2 := strconv.ParseUint(hi, 10, 16)
		if err1 != nil || err2 != nil {
			return nil
		}
		spec.Ports = &PortRange{Lo: uint16(a), Hi: uint16(b)}
	}
	return spec
}

// SetMark returns what a MARK or CONNMARK target does to the mark, as
// "mark = (mark & ^mask) ^ value" (the form of --set-xmark):
// --set-mark V/M is the same, --and-mark B is value 0 mask ^B, --or-mark B
// is value B mask B, --xor-mark B is value B mask 0; a missing mask is all
// 32 bits. ok is false for other targets and other operations
// (--save-mark, --restore-mark).
func (r *Rule) SetMark() (value, mask uint32, ok bool) {
	if r.Target == nil || (r.Target.Name != "MARK" && r.Target.Name != "CONNMARK") {
		return 0, 0, false
	}
	for _, name := range []string{"--set-xmark", "--set-mark"} {
		if o, found := r.Target.Option(name); found {
			return ParseMark(o.Arg())
		}
	}
	for _, name := range []string{"--and-mark", "--or-mark", "--xor-mark"} {
		o, found := r.Target.Option(name)
		if !found {
			continue
		}
		b, _, ok := ParseMark(o.Arg())
		switch name {
		case "--and-mark":
			return 0, ^b, ok
		case "--or-mark":
			return b, b, ok
		}
		return b, 0, ok
	}
	return 0, 0, false
}

// Zone returns the conntrack zone a CT --zone target sets.
func (r *Rule) Zone() (uint16, bool) {
	if r.Target == nil || r.Target.Name != "CT" {
		return 0, false
	}
	o, ok := r.Target.Option("--zone")
	if !ok {
		return 0, false
	}
	z, err := strconv.ParseUint(o.Arg(), 10, 16)
	return uint16(z), err == nil
}
