package netstack

import (
	"cmp"
	"net/netip"
	"slices"
	"strconv"

	"netxray/parse/iproute"
)

// Table IDs of the tables every kernel has.
const (
	tableDefault = "253"
	tableMain    = "254"
	tableLocal   = "255"
)

// fib indexes a namespace's routes by table and family for longest-prefix
// lookups.
type fib struct {
	tables map[string]*table
	// local holds every address configured in the namespace (type local
	// routes of any table, and interface addresses).
	local map[netip.Addr]bool
	// rules4 and rules6 are the policy rules in evaluation order.
	rules4, rules6 []*iproute.Rule
	// links are, per device, the prefixes reachable on the link:
	// connected routes and address prefixes (what a gateway needs).
	links map[string][]netip.Prefix
}

// table is one routing table of one namespace.
type table struct {
	v4, v6 lpm
	// unusable are routes netstack cannot evaluate (a destination it cannot
	// read, nexthop objects); lookups that miss mention them.
	unusable []*iproute.Route
}

// lpm is a longest-prefix-match index: routes grouped by prefix length,
// then by masked destination, each group in the kernel's alias order.
type lpm struct {
	lens  []int // prefix lengths present, longest first
	byLen map[int]map[netip.Addr][]*iproute.Route
}

func (l *lpm) add(p netip.Prefix, rt *iproute.Route) {
	if l.byLen == nil {
		l.byLen = map[int]map[netip.Addr][]*iproute.Route{}
	}
	m := l.byLen[p.Bits()]
	if m == nil {
		m = map[netip.Addr][]*iproute.Route{}
		l.byLen[p.Bits()] = m
		l.lens = append(l.lens, p.Bits())
	}
	k := p.Masked().Addr()
	m[k] = append(m[k], rt)
}

// sort orders prefix lengths longest first and each group as the kernel's
// fib_alias list: tos-specific routes first, then by metric; equal ones
// keep dump order (the kernel dumps in list order).
func (l *lpm) sort() {
	slices.SortFunc(l.lens, func(a, b int) int { return b - a })
	for _, m := range l.byLen {
		for _, rs := range m {
			slices.SortStableFunc(rs, func(a, b *iproute.Route) int {
				if c := cmp.Compare(routeTOS(b), routeTOS(a)); c != 0 {
					return c
				}
				return cmp.Compare(a.Metric, b.Metric)
			})
		}
	}
}

// TableKey returns the canonical key of a table as printed by ip route or
// ip rule: the number for numbers and the names every kernel knows
// ("main" → "254"), the name itself for a site's rt_tables names; "" (ip
// route's omitted table) is main.
func TableKey(name string) string {
	if name == "" {
		return tableMain
	}
	if id, ok := iproute.TableID(name); ok {
		return strconv.FormatUint(uint64(id), 10)
	}
	return name
}

// tableName prints a table key the way ip does.
func tableName(key string) string {
	switch key {
	case tableLocal:
		return "local"
	case tableMain:
		return "main"
	case tableDefault:
		return "default"
	}
	return key
}

// index builds (once) the lookup structures of ns.
func (ns *Namespace) index() *fib {
	ns.once.Do(func() {
		f := &fib{tables: map[string]*table{}, local: map[netip.Addr]bool{}, links: map[string][]netip.Prefix{}}
		f.rules4, f.rules6 = sortedRules(ns.Rules4), sortedRules(ns.Rules6)
		for i := range ns.Routes {
			rt := &ns.Routes[i]
			if rt.Dev != "" && !rt.Gateway.IsValid() && rt.Prefix.IsValid() {
				f.links[rt.Dev] = append(f.links[rt.Dev], rt.Prefix)
			}
			key := TableKey(rt.Table)
			t := f.tables[key]
			if t == nil {
				t = &table{}
				f.tables[key] = t
			}
			p, fam, ok := routePrefix(rt)
			if !ok || (rt.Dev == "" && !rt.Gateway.IsValid() && len(rt.Nexthops) == 0 && rt.Type == "unicast") {
				t.unusable = append(t.unusable, rt)
				continue
			}
			if rt.Type == "local" && p.IsSingleIP() {
				f.local[p.Addr()] = true
			}
			if fam != 6 {
				t.v4.add(p, rt)
			}
			if fam != 4 {
				t.v6.add(p, rt)
			}
		}
		for _, t := range f.tables {
			t.v4.sort()
			t.v6.sort()
		}
		for _, ifc := range ns.Interfaces {
			for _, a := range ifc.Addrs {
				if a.Prefix.IsValid() {
					f.local[a.Prefix.Addr()] = true
					f.links[ifc.Name] = append(f.links[ifc.Name], a.Prefix.Masked())
				}
				if a.Peer.IsValid() {
					f.links[ifc.Name] = append(f.links[ifc.Name], a.Peer.Masked())
				}
			}
		}
		ns.fib = f
	})
	return ns.fib
}

// routePrefix returns the destination of a route and its family (4, 6, or
// 0 for a "default" whose family the dump does not show, which then serves
// both).
func routePrefix(rt *iproute.Route) (netip.Prefix, int, bool) {
	if rt.Prefix.IsValid() {
		fam := 6
		if rt.Prefix.Addr().Is4() {
			fam = 4
		}
		return rt.Prefix, fam, true
	}
	if !rt.Default {
		return netip.Prefix{}, 0, false
	}
	// ip prints "pref" only for IPv6 routes.
	if rt.Pref != "" {
		return netip.PrefixFrom(netip.IPv6Unspecified(), 0), 6, true
	}
	return netip.PrefixFrom(netip.IPv4Unspecified(), 0), 0, true
}

// routeTOS returns a route's tos selector, 0 when none.
func routeTOS(rt *iproute.Route) uint8 {
	v, ok := rt.Other.Get("tos")
	if !ok {
		return 0
	}
	n, _ := parseTOS(v)
	return n
}

// parseTOS reads a tos as ip prints it: a number or a name of
// /etc/iproute2/rt_dsfield.
func parseTOS(s string) (uint8, bool) {
	switch s {
	case "lowdelay":
		return 0x10, true
	case "throughput":
		return 0x08, true
	case "reliability":
		return 0x04, true
	case "mincost":
		return 0x02, true
	case "default":
		return 0, true
	}
	n, err := strconv.ParseUint(s, 0, 8)
	return uint8(n), err == nil
}

// hit is what one table lookup found.
type hit struct {
	route *iproute.Route
	// nh is the chosen path of the route (the route itself unless
	// multipath); nil for routes without next hop (local, error types).
	nh *path
	// alts are the other usable paths of a multipath route.
	alts []path
	bits int // prefix length of the route
}

// path is one next hop: the route's own or one of its nexthops.
type path struct {
	Gateway netip.Addr
	Dev     string
	Weight  int
	Flags   []string
}

func (p path) dead() bool { return slices.Contains(p.Flags, "dead") }

// paths returns a route's next hops.
func paths(rt *iproute.Route) []path {
	if len(rt.Nexthops) == 0 {
		return []path{{Gateway: rt.Gateway, Dev: rt.Dev, Flags: rt.Flags}}
	}
	out := make([]path, len(rt.Nexthops))
	for i, nh := range rt.Nexthops {
		out[i] = path{Gateway: nh.Gateway, Dev: nh.Dev, Weight: nh.Weight, Flags: nh.Flags}
	}
	return out
}

// lookup is fib_table_lookup: the longest prefix containing p.Dst whose
// aliases have one that fits the packet (tos, source, live next hop, the
// bound oif); shorter prefixes are tried when none does.
func (t *table) lookup(p *Packet) (hit, bool) {
	l := &t.v6
	if p.Dst.Is4() {
		l = &t.v4
	}
	for _, bits := range l.lens {
		k, _ := p.Dst.Prefix(bits)
		for _, rt := range l.byLen[bits][k.Addr()] {
			if tos := routeTOS(rt); tos != 0 && tos != p.TOS&0x1c {
				continue
			}
			if rt.From.IsValid() && (!p.Src.IsValid() || !rt.From.Contains(p.Src)) {
				continue
			}
			if slices.Contains(rt.Flags, "dead") {
				continue
			}
			if rt.Type != "unicast" {
				return hit{route: rt, bits: bits}, true
			}
			var live []path
			for _, ph := range paths(rt) {
				if ph.dead() || (p.OIF != "" && ph.Dev != p.OIF) {
					continue
				}
				live = append(live, ph)
			}
			if len(live) == 0 {
				continue
			}
			return hit{route: rt, nh: &live[0], alts: live[1:], bits: bits}, true
		}
	}
	return hit{}, false
}
