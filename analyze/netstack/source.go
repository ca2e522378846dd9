package netstack

import (
	"net/netip"
	"slices"
	"strconv"

	"netxray/parse/iproute"
)

// Address scopes (rtnetlink RT_SCOPE_*).
const (
	scopeUniverse = 0
	scopeSite     = 200
	scopeLink     = 253
	scopeHost     = 254
	scopeNowhere  = 255
)

// scopeOf reads a scope as ip prints it; "" is universe (ip omits it).
func scopeOf(s string) int {
	switch s {
	case "", "global", "universe":
		return scopeUniverse
	case "site":
		return scopeSite
	case "link":
		return scopeLink
	case "host":
		return scopeHost
	case "nowhere":
		return scopeNowhere
	}
	if n, err := strconv.Atoi(s); err == nil {
		return n
	}
	return scopeUniverse
}

// source picks the source address of a locally generated packet routed by
// d (fib_result_prefsrc): the route's src, else an address of the egress
// device chosen by inet_select_addr with the route's scope.
func (ns *Namespace) source(d *Decision, p *Packet) netip.Addr {
	if d.Route == nil {
		return netip.Addr{}
	}
	if d.Route.Src.IsValid() {
		return d.Route.Src
	}
	if !p.Dst.Is4() {
		return ns.source6(d.Dev)
	}
	return ns.selectAddr(d.Dev, d.Gateway, scopeOf(d.Route.Scope))
}

// selectAddr is inet_select_addr: the first primary IPv4 address of dev
// whose scope is within scope, preferring one on dst's subnet; failing
// that, the first such address (not link scope) of any device, in ifindex
// order (lo first).
func (ns *Namespace) selectAddr(dev string, dst netip.Addr, scope int) netip.Addr {
	var first netip.Addr
	if ifc := ns.Interface(dev); ifc != nil {
		for _, a := range ifc.Addrs {
			if !usable4(a) || min(scopeOf(a.Scope), scopeHost) > scope {
				continue
			}
			if !dst.IsValid() || subnet(a).Contains(dst) {
				return a.Prefix.Addr()
			}
			if !first.IsValid() {
				first = a.Prefix.Addr()
			}
		}
	}
	if first.IsValid() {
		return first
	}
	ifs := slices.Clone(ns.Interfaces)
	slices.SortStableFunc(ifs, func(a, b *iproute.Interface) int { return a.Index - b.Index })
	for _, ifc := range ifs {
		for _, a := range ifc.Addrs {
			if usable4(a) && scopeOf(a.Scope) != scopeLink && scopeOf(a.Scope) <= scope {
				return a.Prefix.Addr()
			}
		}
	}
	return netip.Addr{}
}

// usable4 reports whether a is a primary IPv4 address.
func usable4(a iproute.Addr) bool {
	return a.Prefix.IsValid() && a.Prefix.Addr().Is4() && !a.HasFlag("secondary")
}

// subnet is the prefix an address covers (inet_ifa_match compares with
// ifa_address, the peer of a point-to-point address).
func subnet(a iproute.Addr) netip.Prefix {
	if a.Peer.IsValid() {
		return a.Peer.Masked()
	}
	return a.Prefix.Masked()
}

// source6 approximates IPv6 source selection: the first global address of
// dev that is not tentative, deprecated or failed DAD.
func (ns *Namespace) source6(dev string) netip.Addr {
	ifc := ns.Interface(dev)
	if ifc == nil {
		return netip.Addr{}
	}
	for _, a := range ifc.Addrs {
		if a.Prefix.IsValid() && a.Prefix.Addr().Is6() && scopeOf(a.Scope) == scopeUniverse &&
			!a.HasFlag("tentative") && !a.HasFlag("deprecated") && !a.HasFlag("dadfailed") {
			return a.Prefix.Addr()
		}
	}
	return netip.Addr{}
}
