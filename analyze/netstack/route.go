package netstack

import (
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"netxray/parse"
	"netxray/parse/iproute"
)

// Verdict is what the kernel does with a packet once routed.
type Verdict string

// Verdicts of Route.
const (
	// Forward: sent out Decision.Dev towards Decision.NextHop.
	Forward Verdict = "forward"
	// Local: delivered to the namespace itself (a local, broadcast or
	// anycast route).
	Local Verdict = "local"
	// Blackhole: discarded silently (blackhole rule or route).
	Blackhole Verdict = "blackhole"
	// Unreachable: refused with ICMP unreachable (unreachable rule or
	// route).
	Unreachable Verdict = "unreachable"
	// Prohibit: refused with ICMP administratively prohibited.
	Prohibit Verdict = "prohibit"
	// NoRoute: no rule gave a route (ENETUNREACH).
	NoRoute Verdict = "no-route"
	// Martian: dropped by the input checks (martian source or
	// destination, a sender address that is not local).
	Martian Verdict = "martian"
	// LinkDown: the egress device is down or has no carrier.
	LinkDown Verdict = "link-down"
	// Disabled: a forwarded packet on a device with forwarding off.
	Disabled Verdict = "forwarding-disabled"
	// Unsupported: a rule or route netstack does not evaluate (multicast,
	// VRF, nat); Reason names it.
	Unsupported Verdict = "unsupported"
	// DataMissing: the bundle lacks what the decision needs; Reason names
	// it.
	DataMissing Verdict = "data-missing"
)

// Decision is the outcome of routing one packet, with the evidence.
type Decision struct {
	Verdict Verdict
	// Reason says why, naming the object that decided.
	Reason string
	// Rule is the policy rule whose action decided (nil when none did).
	Rule *iproute.Rule
	// Table is the table of Route, as ip prints it ("main", "16").
	Table string
	// Route is the route used (nil when no route decided).
	Route *iproute.Route
	// Dev is the egress device and Gateway the next-hop router (invalid
	// when the destination is on the link); NextHop is the address to
	// resolve on Dev: Gateway, or the destination itself.
	Dev     string
	Gateway netip.Addr
	NextHop netip.Addr
	// Src is the packet's source: the one given, or the one the kernel
	// selects for a locally generated packet.
	Src netip.Addr
	// Multipath lists the other live paths of a multipath route: the
	// kernel picks one by flow hash, which offline analysis cannot
	// reproduce; Dev/Gateway show the first.
	Multipath []Path
	// Neighbor is the resolution of NextHop on Dev (Forward only).
	Neighbor *Resolution
	// Steps are the rules that matched the packet, in evaluation order,
	// with what each gave.
	Steps []Step
	// Notes are observations that do not change the verdict (an
	// inconsistent dump, a linkdown next hop). Assumed lists the sysctl
	// values the decision had to assume.
	Notes   []string
	Assumed []string
}

// Path is one next hop of a multipath route.
type Path struct {
	Gateway netip.Addr
	Dev     string
	Weight  int
}

// Step is one matching rule and what its action gave.
type Step struct {
	Rule   *iproute.Rule
	Result string
}

// Evidence returns the positions the decision rests on: every matching
// rule, the route, and the neighbour entry.
func (d *Decision) Evidence() []parse.Pos {
	var out []parse.Pos
	for _, s := range d.Steps {
		out = append(out, s.Rule.Pos)
	}
	if d.Route != nil {
		out = append(out, d.Route.Pos)
	}
	if d.Neighbor != nil && d.Neighbor.Entry != nil {
		out = append(out, d.Neighbor.Entry.Pos)
	}
	return out
}

// ErrPacket reports a packet Route cannot evaluate (no destination, mixed
// families, an ingress device the namespace does not have).
var ErrPacket = errors.New("invalid packet")

// Route routes p in ns: input routing when p.IIF is set (a packet arriving
// on that device), output routing otherwise (a packet the namespace sends).
// Every outcome, including drops and missing data, is a Decision; the
// error is for a packet that makes no sense in ns.
func (ns *Namespace) Route(p Packet) (Decision, error) {
	p.Src, p.Dst = p.Src.Unmap(), p.Dst.Unmap()
	if !p.Dst.IsValid() {
		return Decision{}, fmt.Errorf("%w: no destination", ErrPacket)
	}
	if p.Src.IsValid() && p.Src.Is4() != p.Dst.Is4() {
		return Decision{}, fmt.Errorf("%w: source %s and destination %s of different families", ErrPacket, p.Src, p.Dst)
	}
	if p.IIF != "" && ns.Have.Interfaces && ns.Interface(p.IIF) == nil {
		return Decision{}, fmt.Errorf("%w: %s has no interface %s", ErrPacket, ns.label(), p.IIF)
	}
	d := Decision{Src: p.Src}
	if !ns.Have.Routes {
		return ns.missing(d, "ip route"), nil
	}
	if _, ok := ns.rules(p.Dst.Is4()); !ok {
		fam := "-4"
		if !p.Dst.Is4() {
			fam = "-6"
		}
		return ns.missing(d, "ip "+fam+" rule"), nil
	}
	if p.IIF != "" {
		return ns.input(p, d), nil
	}
	return ns.output(p, d), nil
}

func (ns *Namespace) missing(d Decision, what string) Decision {
	d.Verdict, d.Reason = DataMissing, "`"+what+"` of "+ns.label()+" was not collected"
	return d
}

// input routes a packet arriving on p.IIF (ip_route_input_slow).
func (ns *Namespace) input(p Packet, d Decision) Decision {
	f := ns.index()
	if why := martian(p); why != "" {
		d.Verdict, d.Reason = Martian, why
		return d
	}
	if p.Dst.Is4() && p.Dst == netip.AddrFrom4([4]byte{255, 255, 255, 255}) {
		d.Verdict, d.Reason = Local, "limited broadcast"
		return d
	}
	if p.Src.IsValid() && f.local[p.Src] {
		d.Verdict, d.Reason = Martian, fmt.Sprintf("martian source %s: an address of %s arriving on %s", p.Src, ns.label(), p.IIF)
		return d
	}
	ns.lookup(&p, &d)
	if d.Verdict != Forward {
		return d
	}
	fwd, assumed := ns.sysctl(p.IIF, "forwarding")
	if assumed != "" {
		d.Assumed = append(d.Assumed, assumed)
	}
	if fwd == 0 {
		d.Verdict, d.Reason = Disabled, fmt.Sprintf("forwarding is disabled on %s in %s", p.IIF, ns.label())
		return d
	}
	ns.egress(&d)
	return d
}

// martian applies the address checks of ip_route_input_slow that need no
// table.
func martian(p Packet) string {
	s, dst := p.Src, p.Dst
	switch {
	case s.IsValid() && (s.IsMulticast() || s == netip.AddrFrom4([4]byte{255, 255, 255, 255})):
		return fmt.Sprintf("martian source %s (multicast or broadcast)", s)
	case s.IsValid() && s.IsLoopback():
		return fmt.Sprintf("martian source %s (loopback)", s)
	case dst.IsLoopback():
		return fmt.Sprintf("martian destination %s (loopback)", dst)
	case dst.Is4() && dst.As4()[0] == 0:
		return fmt.Sprintf("martian destination %s (zeronet)", dst)
	case s.Is4() && s.As4()[0] == 0 && !s.IsUnspecified():
		return fmt.Sprintf("martian source %s (zeronet)", s)
	}
	return ""
}

// output routes a packet the namespace sends (ip_route_output_key_hash).
// Without a source the kernel routes once to choose one; a connected
// socket then routes again with it, which is the decision returned.
func (ns *Namespace) output(p Packet, d Decision) Decision {
	f := ns.index()
	if p.Src.IsValid() && !f.local[p.Src] {
		d.Verdict, d.Reason = Martian, fmt.Sprintf("source %s is not an address of %s", p.Src, ns.label())
		return d
	}
	if p.Dst.IsMulticast() {
		d.Verdict, d.Reason = Unsupported, "multicast output is not evaluated"
		return d
	}
	ns.lookup(&p, &d)
	if !p.Src.IsValid() && d.Verdict == Forward {
		d.Src = ns.source(&d, &p)
		if d.Src.IsValid() {
			first := d
			p.Src = d.Src
			d = Decision{Src: p.Src}
			ns.lookup(&p, &d)
			if d.Verdict == Forward && !d.Src.IsValid() {
				d.Src = p.Src
			}
			if d.Route != first.Route || d.Verdict != first.Verdict {
				d.Notes = append(d.Notes, fmt.Sprintf("source %s was chosen through %s; routed again with it (connected socket)", p.Src, describeRoute(first.Route)))
			}
		}
	}
	if d.Verdict == Local && !d.Src.IsValid() {
		d.Src = d.Route.Src
		if !d.Src.IsValid() {
			d.Src = p.Dst
		}
	}
	if d.Verdict == Forward {
		ns.egress(&d)
	}
	return d
}

// lookup is fib_lookup: the rules in priority order, each lookup rule
// consulting its table. It fills d's verdict, rule, table, route and next
// hop.
func (ns *Namespace) lookup(p *Packet, d *Decision) {
	f := ns.index()
	rules := f.rules6
	if p.Dst.Is4() {
		rules = f.rules4
	}
	d.Steps = d.Steps[:0]
	for i := 0; i < len(rules); i++ {
		r := rules[i]
		ok, why := ns.ruleMatches(r, p)
		if why != "" {
			d.Verdict, d.Reason, d.Rule = Unsupported, fmt.Sprintf("rule %d: %s", r.Priority, why), r
			d.Steps = append(d.Steps, Step{Rule: r, Result: why})
			return
		}
		if !ok {
			continue
		}
		step := Step{Rule: r}
		switch r.Action {
		case "goto":
			j := gotoTarget(rules, i, r)
			if j < 0 {
				step.Result = "goto " + strconv.FormatUint(uint64(r.Goto), 10) + ": no such rule, skipped"
				d.Steps = append(d.Steps, step)
				continue
			}
			step.Result = "goto " + strconv.FormatUint(uint64(r.Goto), 10)
			d.Steps = append(d.Steps, step)
			i = j - 1
			continue
		case "nop":
			step.Result = "nop"
			d.Steps = append(d.Steps, step)
			continue
		case "blackhole", "unreachable", "prohibit":
			step.Result = r.Action
			d.Steps = append(d.Steps, step)
			d.Verdict, d.Rule = map[string]Verdict{"blackhole": Blackhole, "unreachable": Unreachable, "prohibit": Prohibit}[r.Action], r
			d.Reason = fmt.Sprintf("rule %d is %s", r.Priority, r.Action)
			return
		case "", "unicast":
		default:
			step.Result = "action " + r.Action + " is not evaluated"
			d.Steps = append(d.Steps, step)
			d.Verdict, d.Reason, d.Rule = Unsupported, fmt.Sprintf("rule %d: action %s is not evaluated", r.Priority, r.Action), r
			return
		}
		key := TableKey(r.Table)
		t := f.tables[key]
		if t == nil {
			step.Result = "table " + tableName(key) + " is empty"
			d.Steps = append(d.Steps, step)
			continue
		}
		h, found := t.lookup(p)
		if !found {
			step.Result = "no route in table " + tableName(key)
			if len(t.unusable) > 0 {
				step.Result += " (" + strconv.Itoa(len(t.unusable)) + " route(s) not evaluated, first at " + posString(t.unusable[0].Pos) + ")"
			}
			d.Steps = append(d.Steps, step)
			continue
		}
		if h.route.Type == "throw" {
			step.Result = "throw at " + describeRoute(h.route)
			d.Steps = append(d.Steps, step)
			continue
		}
		if r.SuppressPrefixLen >= 0 && h.bits <= r.SuppressPrefixLen && !errorType(h.route.Type) {
			step.Result = fmt.Sprintf("suppressed %s (/%d ≤ suppress_prefixlength %d)", describeRoute(h.route), h.bits, r.SuppressPrefixLen)
			d.Steps = append(d.Steps, step)
			continue
		}
		step.Result = "lookup table " + tableName(key) + ": " + describeRoute(h.route)
		d.Steps = append(d.Steps, step)
		d.Rule, d.Table, d.Route = r, tableName(key), h.route
		routeVerdict(d, h, p, step.Result)
		return
	}
	d.Verdict, d.Reason = NoRoute, fmt.Sprintf("no rule of %s gives a route to %s", ns.label(), p.Dst)
	if len(rules) == 0 {
		d.Reason = fmt.Sprintf("%s has no policy rules (its ip rule list is empty)", ns.label())
	}
}

// routeVerdict turns the route a table gave into the verdict.
func routeVerdict(d *Decision, h hit, p *Packet, where string) {
	rt := h.route
	switch rt.Type {
	case "unicast":
		d.Verdict, d.Dev, d.Gateway = Forward, h.nh.Dev, h.nh.Gateway
		d.NextHop = h.nh.Gateway
		if !d.NextHop.IsValid() {
			d.NextHop = p.Dst
		}
		d.Reason = where
		for _, a := range h.alts {
			d.Multipath = append(d.Multipath, Path(pathOf(a)))
		}
		if len(h.alts) > 0 {
			d.Notes = append(d.Notes, fmt.Sprintf("multipath route: the kernel picks one of %d paths by flow hash", len(h.alts)+1))
		}
		if slices.Contains(h.nh.Flags, "linkdown") {
			d.Notes = append(d.Notes, "next hop marked linkdown (used unless ignore_routes_with_linkdown is set)")
		}
	case "local", "broadcast", "anycast":
		d.Verdict, d.Dev, d.Reason = Local, rt.Dev, where
	case "blackhole":
		d.Verdict, d.Reason = Blackhole, where+" is a blackhole"
	case "unreachable":
		d.Verdict, d.Reason = Unreachable, where+" is unreachable"
	case "prohibit":
		d.Verdict, d.Reason = Prohibit, where+" is prohibit"
	default:
		d.Verdict, d.Reason = Unsupported, where+": type "+rt.Type+" is not evaluated"
	}
}

// errorType reports a route type whose lookup fails with an error (the
// kernel applies suppress_prefixlength only to successful lookups).
func errorType(t string) bool {
	return t == "blackhole" || t == "unreachable" || t == "prohibit" || t == "throw"
}

func pathOf(p path) Path { return Path{Gateway: p.Gateway, Dev: p.Dev, Weight: p.Weight} }

// egress checks the chosen device and resolves the next hop.
func (ns *Namespace) egress(d *Decision) {
	if !ns.Have.Interfaces {
		d.Notes = append(d.Notes, "interfaces of "+ns.label()+" not collected: state of "+d.Dev+" unknown")
	} else if ifc := ns.Interface(d.Dev); ifc == nil {
		d.Verdict, d.Reason = DataMissing, fmt.Sprintf("%s uses device %s, which %s does not list", d.Reason, d.Dev, ns.label())
		return
	} else if ok, why := isUp(ifc); !ok {
		d.Verdict, d.Reason = LinkDown, fmt.Sprintf("%s: %s %s", d.Reason, d.Dev, why)
		return
	}
	if d.Gateway.IsValid() && !slices.Contains(d.Route.Flags, "onlink") && !ns.onLink(d.Dev, d.Gateway) {
		d.Notes = append(d.Notes, fmt.Sprintf("gateway %s is on no connected subnet of %s and the route is not onlink (the kernel would have refused it; the dump may be inconsistent)", d.Gateway, d.Dev))
	}
	r := ns.Resolve(d.Dev, d.NextHop)
	d.Neighbor = &r
}

// onLink reports whether gw is inside a connected route or an address
// prefix of dev: what the kernel requires of a gateway without onlink.
func (ns *Namespace) onLink(dev string, gw netip.Addr) bool {
	for _, p := range ns.index().links[dev] {
		if p.Contains(gw) {
			return true
		}
	}
	return false
}

// sortedRules orders rules by priority, keeping the dump's order among
// equal ones (the kernel's list order).
func sortedRules(rules []iproute.Rule) []*iproute.Rule {
	out := make([]*iproute.Rule, len(rules))
	sorted := true
	for i := range rules {
		out[i] = &rules[i]
		if i > 0 && rules[i].Priority < rules[i-1].Priority {
			sorted = false
		}
	}
	if !sorted {
		slices.SortStableFunc(out, func(a, b *iproute.Rule) int {
			switch {
			case a.Priority < b.Priority:
				return -1
			case a.Priority > b.Priority:
				return 1
			}
			return 0
		})
	}
	return out
}

// gotoTarget returns the index of the first rule with the goto's target
// priority, -1 when there is none (or it lies backwards, which the kernel
// refuses).
func gotoTarget(rules []*iproute.Rule, i int, r *iproute.Rule) int {
	if !r.HasGoto {
		return -1
	}
	for j := i + 1; j < len(rules); j++ {
		if rules[j].Priority == r.Goto {
			return j
		}
	}
	return -1
}

// ruleMatches is fib_rule_match + fib4_rule_match. A non-empty string
// reports a selector netstack cannot evaluate.
func (ns *Namespace) ruleMatches(r *iproute.Rule, p *Packet) (bool, string) {
	m, why := ns.selectorsMatch(r, p)
	if why != "" {
		return false, why
	}
	return m != r.Not, ""
}

func (ns *Namespace) selectorsMatch(r *iproute.Rule, p *Packet) (bool, string) {
	iif := p.IIF
	if iif == "" {
		iif = "lo" // locally generated packets carry LOOPBACK_IFINDEX
	}
	if r.IIF != "" && (r.IIFDetached || r.IIF != iif) {
		return false, ""
	}
	if r.OIF != "" && (r.OIFDetached || r.OIF != p.OIF) {
		return false, ""
	}
	if r.HasFwMark && (r.FwMark^p.Mark)&r.FwMask != 0 {
		return false, ""
	}
	if r.L3MDev {
		if ns.hasVRF() {
			return false, "l3mdev (VRF) rules are not evaluated"
		}
		return false, ""
	}
	if r.UIDRange != "" && !inRange(r.UIDRange, 0) {
		return false, "" // forwarded packets, and the agents, are uid 0
	}
	if r.From.IsValid() && (!p.Src.IsValid() || !r.From.Masked().Contains(p.Src)) {
		return false, ""
	}
	if r.To.IsValid() && !r.To.Masked().Contains(p.Dst) {
		return false, ""
	}
	if r.Tos != "" {
		tos, ok := parseTOS(r.Tos)
		if !ok {
			return false, "tos " + r.Tos + " is not understood"
		}
		if tos != p.TOS&0x1c {
			return false, ""
		}
	}
	for _, kv := range r.Other {
		switch kv.Key {
		case "ipproto":
			if !protoIs(kv.Value, p.Proto) {
				return false, ""
			}
		case "sport", "dport":
			port := p.SrcPort
			if kv.Key == "dport" {
				port = p.DstPort
			}
			if !inRange(kv.Value, int(port)) {
				return false, ""
			}
		case "tun_id":
			return false, "" // a routed packet carries no tunnel id
		case "unresolved":
		default:
			return false, kv.Key + " selectors are not evaluated"
		}
	}
	if len(r.Extra) > 0 {
		return false, "unknown selector " + r.Extra[0].Key
	}
	return true, ""
}

func (ns *Namespace) hasVRF() bool {
	for _, ifc := range ns.Interfaces {
		if ifc.Kind == "vrf" || ifc.SlaveKind == "vrf" {
			return true
		}
	}
	return false
}

// inRange reports whether n is in "a-b" or equal to "a".
func inRange(s string, n int) bool {
	lo, hi, ok := strings.Cut(s, "-")
	if !ok {
		hi = lo
	}
	a, err1 := strconv.Atoi(lo)
	b, err2 := strconv.Atoi(hi)
	return err1 == nil && err2 == nil && a <= n && n <= b
}

// protoIs matches an ipproto value ("tcp", "6", "ipproto-6") against a
// protocol number.
func protoIs(v string, proto uint8) bool {
	names := map[string]uint8{"icmp": 1, "tcp": 6, "udp": 17, "gre": 47, "esp": 50, "ah": 51, "ipv6-icmp": 58, "icmpv6": 58, "sctp": 132}
	if n, ok := names[v]; ok {
		return n == proto
	}
	n, err := strconv.Atoi(strings.TrimPrefix(v, "ipproto-"))
	return err == nil && n == int(proto)
}

// describeRoute quotes a route briefly with its position.
func describeRoute(rt *iproute.Route) string {
	if rt == nil {
		return "no route"
	}
	raw, _, _ := strings.Cut(rt.Raw, "\n")
	raw = strings.TrimSpace(raw)
	if strings.HasPrefix(raw, "{") {
		raw = rt.Dst
		if rt.Type != "unicast" {
			raw = rt.Type + " " + raw
		}
		if rt.Gateway.IsValid() {
			raw += " via " + rt.Gateway.String()
		}
		if rt.Dev != "" {
			raw += " dev " + rt.Dev
		}
		if rt.Table != "" {
			raw += " table " + rt.Table
		}
	}
	return `"` + raw + `" (` + posString(rt.Pos) + ")"
}

// posString is parse.Pos.String without fmt (it is on the lookup path).
func posString(p parse.Pos) string {
	if p.Line <= 0 {
		return p.File
	}
	return p.File + ":" + strconv.Itoa(p.Line)
}
