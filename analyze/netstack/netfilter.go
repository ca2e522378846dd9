package netstack

import (
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"netxray/parse"
	"netxray/parse/iptables"
)

// Conntrack is the connection-tracking state assumed for a packet: offline
// there is no live conntrack table, so the caller states what the rules
// see.
type Conntrack struct {
	// State is NEW (also when ""), ESTABLISHED, RELATED or INVALID; a raw
	// table CT --notrack makes it UNTRACKED. The nat table sees only NEW
	// connections.
	State string
	// Mark is the connection mark (CONNMARK --restore-mark reads it).
	Mark uint32
	// Undo is the NAT this namespace applied to the connection's original
	// direction (Transit.NAT of its first packet). For a reply, conntrack
	// reverses it: a SNAT's address comes back as the destination before
	// routing, a DNAT's as the source on the way out.
	Undo []NAT
}

// NAT is one address (and port) rewrite.
type NAT struct {
	// Kind is SNAT (also MASQUERADE) or DNAT (also REDIRECT).
	Kind             string
	From, To         netip.Addr
	FromPort, ToPort uint16 // 0 when the ports are kept
	Rule             *iptables.Rule
}

// NFStep is the walk of one table's built-in chain.
type NFStep struct {
	Table, Chain string
	// Verdict is accept, drop, nat (accepted after a rewrite) or
	// unsupported (the walk met something netstack cannot evaluate).
	Verdict string
	// Rule is the rule that decided; nil when the chain's policy did
	// (Policy is then the chain).
	Rule   *iptables.Rule
	Policy *iptables.Chain
	// Matched are the rules that matched on the way, in order (jumps,
	// marks, the deciding rule).
	Matched []*iptables.Rule
	Reason  string
}

// Transit is the whole way of a packet through a namespace: raw, mangle and
// nat PREROUTING, routing, then the FORWARD or INPUT chains and
// POSTROUTING (or, for a packet the namespace sends, routing then the
// OUTPUT chains and POSTROUTING).
type Transit struct {
	Verdict Verdict
	Reason  string
	// Out is the packet as it leaves (addresses after NAT, mark).
	Out Packet
	// Route is the routing decision, nil when netfilter dropped the packet
	// before routing.
	Route     *Decision
	NAT       []NAT
	Netfilter []NFStep
	// Conntrack is the state after the transit, with the NAT applied.
	Conntrack Conntrack
	Notes     []string
	Assumed   []string
}

// Filtered is the verdict of a packet netfilter dropped.
const Filtered Verdict = "filtered"

// Evidence returns the positions the transit rests on: every matching
// iptables rule, a chain policy that dropped, and the routing decision's.
func (t *Transit) Evidence() []parse.Pos {
	var out []parse.Pos
	for _, s := range t.Netfilter {
		for _, r := range s.Matched {
			out = append(out, r.Pos)
		}
		if s.Rule == nil && s.Policy != nil && s.Verdict == "drop" {
			out = append(out, s.Policy.Pos)
		}
	}
	if t.Route != nil {
		out = append(out, t.Route.Evidence()...)
	}
	return out
}

// nf is the state of one packet's walk through netfilter.
type nf struct {
	ns      *Namespace
	p       Packet
	ct      Conntrack
	states  []string // the states --state/--ctstate see
	in, out string
	// physIn and physOut are the bridge ports of a bridged packet.
	physIn, physOut string
	t               *Transit
}

// Transit takes p through ns: netfilter and routing together. p.IIF set
// is a packet arriving on that device; otherwise the namespace sends it.
// Without the namespace's iptables-save the answer is DataMissing.
func (ns *Namespace) Transit(p Packet, ct Conntrack) (Transit, error) {
	p.Src, p.Dst = p.Src.Unmap(), p.Dst.Unmap()
	t := Transit{Out: p}
	if !p.Dst.Is4() {
		t.Verdict, t.Reason = DataMissing, "ip6tables is not evaluated"
		return t, nil
	}
	if !ns.Have.IPTables {
		t.Verdict, t.Reason = DataMissing, "iptables-save of "+ns.label()+" was not collected"
		return t, nil
	}
	w := &nf{ns: ns, p: p, ct: ct, in: p.IIF, t: &t}
	if w.ct.State == "" {
		w.ct.State = "NEW"
	}
	var err error
	if p.IIF != "" {
		err = w.input()
	} else {
		err = w.local()
	}
	t.Out, t.Conntrack = w.p, w.ct
	return t, err
}

// input is the path of a packet arriving on p.IIF.
func (w *nf) input() error {
	if !w.prerouting() {
		return nil
	}
	d, err := w.route()
	if err != nil || d.Verdict != Forward && d.Verdict != Local {
		return err
	}
	if d.Verdict == Local {
		w.chains("INPUT", "mangle", "filter")
		if w.t.Verdict == "" && w.natNew() {
			w.chains("INPUT", "nat")
		}
		w.done(Local, "delivered to "+w.ns.label())
		return nil
	}
	w.out = d.Dev
	w.chains("FORWARD", "mangle", "filter")
	w.postrouting(d)
	return nil
}

// local is the path of a packet the namespace sends.
func (w *nf) local() error {
	d, err := w.route()
	if err != nil || d.Verdict != Forward && d.Verdict != Local {
		return err
	}
	w.out = d.Dev
	dst, mark := w.p.Dst, w.p.Mark
	w.chains("OUTPUT", "raw", "mangle")
	if w.t.Verdict == "" && w.natNew() {
		w.chains("OUTPUT", "nat")
	}
	if w.t.Verdict == "" && (w.p.Dst != dst || w.p.Mark != mark) {
		// ip_route_me_harder: routed again after the rewrite.
		w.t.Notes = append(w.t.Notes, "routed again after OUTPUT changed the destination or mark")
		if d, err = w.route(); err != nil || d.Verdict != Forward && d.Verdict != Local {
			return err
		}
		w.out = d.Dev
	}
	w.chains("OUTPUT", "filter")
	if d.Verdict == Local {
		w.done(Local, "delivered to "+w.ns.label())
		return nil
	}
	w.postrouting(d)
	return nil
}

// prerouting runs raw, conntrack, mangle and nat PREROUTING; false when
// the packet went no further.
func (w *nf) prerouting() bool {
	w.chains("PREROUTING", "raw")
	w.undo("SNAT")
	w.chains("PREROUTING", "mangle")
	if w.t.Verdict == "" && w.natNew() {
		w.chains("PREROUTING", "nat")
	}
	return w.t.Verdict == ""
}

// postrouting runs mangle and nat POSTROUTING and conntrack's reply
// rewrite, and ends a forwarded packet's transit.
func (w *nf) postrouting(d Decision) {
	w.chains("POSTROUTING", "mangle")
	if w.t.Verdict == "" && w.natNew() {
		w.chains("POSTROUTING", "nat")
	}
	if w.t.Verdict != "" {
		return
	}
	w.undo("DNAT")
	w.done(Forward, fmt.Sprintf("out %s to %s", d.Dev, d.NextHop))
}

// route routes the current packet and records the decision; a verdict
// other than Forward or Local ends the transit with it.
func (w *nf) route() (Decision, error) {
	d, err := w.ns.Route(w.p)
	if err != nil {
		return d, err
	}
	w.t.Route = &d
	w.t.Assumed = appendAll(w.t.Assumed, d.Assumed)
	if d.Verdict != Forward && d.Verdict != Local {
		w.done(d.Verdict, d.Reason)
	}
	if d.Src.IsValid() {
		w.p.Src = d.Src
	}
	return d, nil
}

func appendAll(l, more []string) []string {
	for _, s := range more {
		l = appendIf(l, s)
	}
	return l
}

func (w *nf) done(v Verdict, why string) {
	if w.t.Verdict == "" {
		w.t.Verdict, w.t.Reason = v, why
	}
}

// natNew reports whether the nat table sees this packet: only the first
// packet of a tracked connection.
func (w *nf) natNew() bool { return w.ct.State == "NEW" && len(w.ct.Undo) == 0 }

// undo applies conntrack's reverse NAT of a reply: the original SNAT before
// routing (kind "SNAT"), the original DNAT on the way out ("DNAT").
func (w *nf) undo(kind string) {
	for _, n := range w.ct.Undo {
		if n.Kind != kind {
			continue
		}
		switch {
		case kind == "SNAT" && w.p.Dst == n.To:
			w.p.Dst = n.From
			if n.ToPort != 0 && w.p.DstPort == n.ToPort {
				w.p.DstPort = n.FromPort
			}
		case kind == "DNAT" && w.p.Src == n.To:
			w.p.Src = n.From
			if n.ToPort != 0 && w.p.SrcPort == n.ToPort {
				w.p.SrcPort = n.FromPort
			}
		default:
			continue
		}
		w.t.Notes = append(w.t.Notes, fmt.Sprintf("conntrack reverses the %s of %s (%s) for this reply", kind, n.From, n.Rule.Pos))
	}
}

// chains walks the built-in chain `hook` of each table in order, stopping
// at a drop or an unsupported rule.
func (w *nf) chains(hook string, tables ...string) {
	for _, name := range tables {
		if w.t.Verdict != "" {
			return
		}
		tbl := w.ns.IPTables.Table(name)
		c := tbl.Chain(hook)
		if c == nil {
			continue
		}
		w.states = w.stateSet()
		s := w.walk(tbl, c)
		w.t.Netfilter = append(w.t.Netfilter, s)
		switch s.Verdict {
		case "drop":
			w.done(Filtered, fmt.Sprintf("%s %s: %s", name, hook, s.Reason))
		case "unsupported":
			w.done(Unsupported, fmt.Sprintf("%s %s: %s", name, hook, s.Reason))
		}
	}
}

// stateSet is what --state/--ctstate see: the connection state, plus SNAT
// and DNAT when the connection is NATed.
func (w *nf) stateSet() []string {
	s := []string{w.ct.State}
	for _, n := range append(slices.Clone(w.ct.Undo), w.t.NAT...) {
		s = appendIf(s, n.Kind)
	}
	return s
}

// frame is a return point of a chain walk.
type frame struct {
	c *iptables.Chain
	i int
}

// walk is ipt_do_table for one built-in chain.
func (w *nf) walk(tbl *iptables.Table, start *iptables.Chain) NFStep {
	s := NFStep{Table: tbl.Name, Chain: start.Name}
	var stack []frame
	c, i := start, 0
	for steps := 0; ; steps++ {
		if steps > 100000 {
			s.Verdict, s.Reason = "unsupported", "rule walk does not end (a chain loop in the dump?)"
			return s
		}
		if i >= len(c.Rules) {
			if len(stack) == 0 {
				s.Verdict, s.Policy = policyVerdict(start.Policy), start
				s.Reason = fmt.Sprintf("policy %s of %s (%s)", start.Policy, start.Name, start.Pos)
				return s
			}
			c, i, stack = stack[len(stack)-1].c, stack[len(stack)-1].i, stack[:len(stack)-1]
			continue
		}
		r := c.Rules[i]
		i++
		ok, why := w.match(r)
		if why != "" {
			s.Verdict, s.Rule, s.Reason = "unsupported", r, fmt.Sprintf("%s (%s: %s)", why, r.Pos, r.Raw)
			return s
		}
		if !ok {
			continue
		}
		s.Matched = append(s.Matched, r)
		switch r.Verdict() {
		case iptables.VerdictAccept, iptables.VerdictDrop:
			s.Verdict, s.Rule = r.Verdict(), r
			s.Reason = fmt.Sprintf("%s by %s (%s)", r.Target.Name, r.Raw, r.Pos)
			return s
		case iptables.VerdictReturn:
			if len(stack) == 0 {
				i = len(c.Rules) // RETURN in a built-in chain: its policy
				c = start
				continue
			}
			c, i, stack = stack[len(stack)-1].c, stack[len(stack)-1].i, stack[:len(stack)-1]
		case iptables.VerdictJump:
			next := tbl.Chain(r.Target.Name)
			if next == nil {
				s.Verdict, s.Rule, s.Reason = "unsupported", r, fmt.Sprintf("target %s is neither known nor a chain of table %s (%s)", r.Target.Name, tbl.Name, r.Pos)
				return s
			}
			if !r.Target.Goto {
				stack = append(stack, frame{c, i})
			}
			c, i = next, 0
		case iptables.VerdictNAT:
			if why := w.nat(r); why != "" {
				s.Verdict, s.Rule, s.Reason = "unsupported", r, why+" ("+r.Pos.String()+")"
				return s
			}
			s.Verdict, s.Rule = "nat", r
			s.Reason = fmt.Sprintf("%s by %s (%s)", r.Target.Name, r.Raw, r.Pos)
			return s
		case iptables.VerdictQueue:
			s.Verdict, s.Rule, s.Reason = "unsupported", r, "packets queued to userspace ("+r.Pos.String()+")"
			return s
		default:
			if why := w.apply(r); why != "" {
				s.Verdict, s.Rule, s.Reason = "unsupported", r, why+" ("+r.Pos.String()+")"
				return s
			}
		}
	}
}

func policyVerdict(p string) string {
	if p == "DROP" {
		return "drop"
	}
	return "accept"
}

// apply runs a non-terminating target: marks, conntrack settings; others
// (LOG, CHECKSUM, TCPMSS...) change nothing routing or filtering sees.
func (w *nf) apply(r *iptables.Rule) string {
	t := r.Target
	if t == nil {
		return ""
	}
	switch t.Name {
	case "MARK":
		v, m, ok := markOp(t)
		if !ok {
			return "MARK operation not evaluated"
		}
		w.p.Mark = w.p.Mark&^m ^ v
	case "CONNMARK":
		if _, ok := t.Option("--restore-mark"); ok {
			nf, ct := maskOpt(t, "--nfmask"), maskOpt(t, "--ctmask")
			w.p.Mark = w.p.Mark&^nf | w.ct.Mark&ct
			return ""
		}
		if _, ok := t.Option("--save-mark"); ok {
			nf, ct := maskOpt(t, "--nfmask"), maskOpt(t, "--ctmask")
			w.ct.Mark = w.ct.Mark&^ct | w.p.Mark&nf
			return ""
		}
		v, m, ok := markOp(t)
		if !ok {
			return "CONNMARK operation not evaluated"
		}
		w.ct.Mark = w.ct.Mark&^m ^ v
	case "CT", "NOTRACK":
		if _, ok := t.Option("--notrack"); ok || t.Name == "NOTRACK" {
			w.ct.State = "UNTRACKED"
			w.states = w.stateSet()
		}
		if z, ok := r.Zone(); ok {
			w.t.Notes = appendIf(w.t.Notes, fmt.Sprintf("conntrack zone %d (%s)", z, r.Pos))
		}
	}
	return ""
}

// markOp reads a MARK/CONNMARK set operation as "mark = mark&^mask ^
// value".
func markOp(t *iptables.Target) (value, mask uint32, ok bool) {
	for _, op := range []string{"--set-xmark", "--set-mark"} {
		if o, found := t.Option(op); found {
			return iptables.ParseMark(o.Arg())
		}
	}
	if o, found := t.Option("--and-mark"); found {
		v, _, ok := iptables.ParseMark(o.Arg())
		return 0, ^v, ok
	}
	if o, found := t.Option("--or-mark"); found {
		v, _, ok := iptables.ParseMark(o.Arg())
		return v, v, ok
	}
	if o, found := t.Option("--xor-mark"); found {
		v, _, ok := iptables.ParseMark(o.Arg())
		return v, 0, ok
	}
	return 0, 0, false
}

// maskOpt reads --nfmask/--ctmask (all ones when absent).
func maskOpt(t *iptables.Target, name string) uint32 {
	if o, ok := t.Option(name); ok {
		if n, err := strconv.ParseUint(o.Arg(), 0, 32); err == nil {
			return uint32(n)
		}
	}
	if o, ok := t.Option("--mask"); ok {
		if n, err := strconv.ParseUint(o.Arg(), 0, 32); err == nil {
			return uint32(n)
		}
	}
	return 0xffffffff
}

// nat applies a NAT target; it returns why it cannot.
func (w *nf) nat(r *iptables.Rule) string {
	n := NAT{Rule: r}
	switch r.Target.Name {
	case "DNAT", "SNAT":
		spec := r.NAT()
		if spec == nil {
			return r.Target.Name + " spec not understood"
		}
		addr, port := &w.p.Dst, &w.p.DstPort
		if r.Target.Name == "SNAT" {
			addr, port = &w.p.Src, &w.p.SrcPort
		}
		n.Kind, n.From = r.Target.Name, *addr
		if spec.Lo.IsValid() {
			*addr = spec.Lo
		}
		if spec.Ports != nil {
			n.FromPort, n.ToPort, *port = *port, spec.Ports.Lo, spec.Ports.Lo
		}
		n.To = *addr
		if spec.Lo != spec.Hi {
			w.t.Notes = append(w.t.Notes, r.Target.Name+" to a range: the first address is shown")
		}
	case "MASQUERADE":
		var gw netip.Addr
		if w.t.Route != nil {
			gw = w.t.Route.NextHop
		}
		src := w.ns.selectAddr(w.out, gw, scopeUniverse)
		if !src.IsValid() {
			return "MASQUERADE: " + w.out + " has no address to use"
		}
		n.Kind, n.From, n.To = "SNAT", w.p.Src, src
		w.p.Src = src
	case "REDIRECT":
		dst := netip.AddrFrom4([4]byte{127, 0, 0, 1})
		if w.in != "" {
			dst = w.ns.selectAddr(w.in, netip.Addr{}, scopeHost)
		}
		n.Kind, n.From, n.To = "DNAT", w.p.Dst, dst
		w.p.Dst = dst
	default:
		return r.Target.Name + " is not evaluated"
	}
	w.t.NAT = append(w.t.NAT, n)
	return ""
}

// match is whether rule r matches the packet; a non-empty string names a
// criterion netstack cannot evaluate.
func (w *nf) match(r *iptables.Rule) (bool, string) {
	for _, o := range r.Criteria {
		switch o.Name {
		case "-s", "-d", "-i", "-o", "-p", "-f":
		default:
			return false, "criterion " + o.Name + " is not evaluated"
		}
	}
	for _, a := range []struct {
		m    *iptables.AddrMatch
		addr netip.Addr
	}{{r.Src, w.p.Src}, {r.Dst, w.p.Dst}} {
		if a.m == nil {
			continue
		}
		if !a.m.Prefix.IsValid() {
			return false, "address " + a.m.Text + " is not evaluated"
		}
		if !a.m.Contains(a.addr) {
			return false, ""
		}
	}
	if r.In != nil && !r.In.Matches(w.in) || r.Out != nil && !r.Out.Matches(w.out) {
		return false, ""
	}
	if r.Proto != nil && protoMatches(r.Proto.Name, w.p.Proto) == r.Proto.Not {
		return false, ""
	}
	if r.Fragment != nil && !r.Fragment.Not {
		return false, "" // packets are taken as unfragmented
	}
	for _, m := range r.Matches {
		ok, why := w.module(r, m)
		if why != "" || !ok {
			return false, why
		}
	}
	return true, ""
}

// protoMatches compares a -p value with a protocol number.
func protoMatches(name string, proto uint8) bool {
	switch name {
	case "all", "0":
		return true
	case "icmpv6", "ipv6-icmp":
		return proto == 58
	}
	return protoIs(name, proto)
}

// module evaluates one match module.
func (w *nf) module(r *iptables.Rule, m *iptables.Match) (bool, string) {
	p := &w.p
	switch m.Module {
	case "comment":
		return true, ""
	case "tcp", "udp", "sctp", "udplite", "dccp":
		for _, o := range m.Options {
			if o.Name != "--sport" && o.Name != "--dport" {
				return false, m.Module + " option " + o.Name + " is not evaluated"
			}
		}
		return w.ports(r), ""
	case "multiport":
		if o, ok := m.Option("--ports"); ok {
			pm := r.DPorts()
			if pm == nil {
				return false, "multiport ports " + o.Arg() + " not understood"
			}
			in := pm.Contains(p.SrcPort) != pm.Not || pm.Contains(p.DstPort) != pm.Not
			return in != pm.Not, ""
		}
		return w.ports(r), ""
	case "icmp":
		o, ok := m.Option("--icmp-type")
		if !ok {
			return true, ""
		}
		if p.Proto != 1 {
			return false, ""
		}
		t, c, ok := icmpType(o.Arg())
		if !ok {
			return false, "icmp type " + o.Arg() + " is not evaluated"
		}
		hit := t < 0 || uint8(t) == p.ICMPType && (c < 0 || uint8(c) == p.ICMPCode)
		return hit != o.Not, ""
	case "state", "conntrack":
		for _, o := range m.Options {
			if o.Name != "--state" && o.Name != "--ctstate" {
				return false, m.Module + " option " + o.Name + " is not evaluated"
			}
		}
		st := r.CTState()
		hit := slices.ContainsFunc(w.states, st.Has)
		return hit != st.Not, ""
	case "mark":
		mm := r.Mark()
		if mm == nil {
			return false, "mark match not understood"
		}
		return mm.Matches(p.Mark), ""
	case "connmark":
		mm := r.ConnMark()
		if mm == nil {
			return false, "connmark match not understood"
		}
		return mm.Matches(w.ct.Mark), ""
	case "physdev":
		return w.physdev(r, m)
	case "mac":
		o, _ := m.Option("--mac-source")
		if p.SrcMAC == nil {
			return false, "-m mac needs the packet's source MAC"
		}
		return strings.EqualFold(o.Arg(), p.SrcMAC.String()) != o.Not, ""
	case "addrtype":
		for _, o := range m.Options {
			addr := p.Src
			switch o.Name {
			case "--dst-type":
				addr = p.Dst
			case "--src-type":
			default:
				return false, "addrtype option " + o.Name + " is not evaluated"
			}
			if o.Arg() != "LOCAL" {
				return false, "addrtype " + o.Arg() + " is not evaluated"
			}
			if w.ns.index().local[addr] == o.Not {
				return false, ""
			}
		}
		return true, ""
	case "limit", "hashlimit":
		w.t.Notes = appendIf(w.t.Notes, "rate limits are taken as not exceeded")
		return true, ""
	case "policy":
		if o, ok := m.Option("--pol"); ok && o.Arg() == "none" && len(m.Options) <= 2 {
			return true, "" // no IPsec policy applies
		}
		return false, "IPsec policy match is not evaluated"
	case "set":
		return false, "ipset contents are not collected"
	}
	return false, "match module " + m.Module + " is not evaluated"
}

// ports applies the rule's source and destination port criteria.
func (w *nf) ports(r *iptables.Rule) bool {
	if pm := r.DPorts(); pm != nil && !pm.Contains(w.p.DstPort) {
		return false
	}
	if pm := r.SPorts(); pm != nil && !pm.Contains(w.p.SrcPort) {
		return false
	}
	return true
}

// physdev is xt_physdev: a routed packet has no bridge ports, so only
// negated options match it.
func (w *nf) physdev(r *iptables.Rule, m *iptables.Match) (bool, string) {
	bridged := w.physIn != ""
	for _, o := range m.Options {
		var hit bool
		switch o.Name {
		case "--physdev-in":
			hit = bridged && (&iptables.IfaceMatch{Name: o.Arg()}).Matches(w.physIn)
		case "--physdev-out":
			hit = bridged && w.physOut != "" && (&iptables.IfaceMatch{Name: o.Arg()}).Matches(w.physOut)
		case "--physdev-is-bridged":
			hit = bridged && w.physOut != ""
		case "--physdev-is-in":
			hit = bridged
		case "--physdev-is-out":
			hit = bridged && w.physOut != ""
		default:
			return false, "physdev option " + o.Name + " is not evaluated"
		}
		if hit == o.Not {
			return false, ""
		}
	}
	return true, ""
}

// icmpType reads an --icmp-type value: "8", "8/0", a name, "any" (-1).
func icmpType(s string) (typ, code int, ok bool) {
	names := map[string][2]int{
		"any": {-1, -1}, "echo-reply": {0, -1}, "pong": {0, -1}, "destination-unreachable": {3, -1},
		"network-unreachable": {3, 0}, "host-unreachable": {3, 1}, "protocol-unreachable": {3, 2},
		"port-unreachable": {3, 3}, "fragmentation-needed": {3, 4}, "source-quench": {4, -1},
		"redirect": {5, -1}, "echo-request": {8, -1}, "ping": {8, -1}, "router-advertisement": {9, -1},
		"router-solicitation": {10, -1}, "time-exceeded": {11, -1}, "ttl-exceeded": {11, -1},
		"parameter-problem": {12, -1}, "timestamp-request": {13, -1}, "timestamp-reply": {14, -1},
	}
	if v, found := names[s]; found {
		return v[0], v[1], true
	}
	ts, cs, hasCode := strings.Cut(s, "/")
	a, err := strconv.Atoi(ts)
	if err != nil || a < 0 || a > 255 {
		return 0, 0, false
	}
	c := -1
	if hasCode {
		if c, err = strconv.Atoi(cs); err != nil || c < 0 || c > 255 {
			return 0, 0, false
		}
	}
	return a, c, true
}

// Bridged takes a frame crossing Linux bridge br from port physIn to
// physOut through iptables, as br_netfilter does when
// net.bridge.bridge-nf-call-iptables is on (Neutron's hybrid firewall
// relies on it): PREROUTING, FORWARD and POSTROUTING with the bridge as
// -i/-o and the ports as --physdev-in/--physdev-out. No routing happens.
func (ns *Namespace) Bridged(p Packet, ct Conntrack, br, physIn, physOut string) (Transit, error) {
	p.Src, p.Dst = p.Src.Unmap(), p.Dst.Unmap()
	t := Transit{Out: p}
	switch {
	case !p.Dst.Is4():
		t.Verdict, t.Reason = DataMissing, "ip6tables is not evaluated"
		return t, nil
	case !ns.Have.IPTables:
		t.Verdict, t.Reason = DataMissing, "iptables-save of "+ns.label()+" was not collected"
		return t, nil
	case physIn == "":
		return t, fmt.Errorf("%w: a bridged frame needs its ingress port", ErrPacket)
	}
	if v, ok := ns.Sysctl["net.bridge.bridge-nf-call-iptables"]; ok && strings.TrimSpace(v) == "0" {
		t.Verdict, t.Reason = Forward, "bridge-nf-call-iptables is 0: bridged frames skip iptables"
		return t, nil
	} else if !ok {
		t.Assumed = append(t.Assumed, "net.bridge.bridge-nf-call-iptables not collected: assumed 1 (needed by Neutron's hybrid firewall)")
	}
	w := &nf{ns: ns, p: p, ct: ct, in: br, physIn: physIn, t: &t}
	if w.ct.State == "" {
		w.ct.State = "NEW"
	}
	if w.prerouting() {
		w.out, w.physOut = br, physOut
		w.chains("FORWARD", "mangle", "filter")
		w.chains("POSTROUTING", "mangle")
		if w.t.Verdict == "" && w.natNew() {
			w.chains("POSTROUTING", "nat")
		}
		w.undo("DNAT")
		w.done(Forward, fmt.Sprintf("bridged by %s from %s to %s", br, physIn, physOut))
	}
	t.Out, t.Conntrack = w.p, w.ct
	return t, nil
}
