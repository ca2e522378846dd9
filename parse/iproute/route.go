package iproute

import (
	"io"
	"net/netip"
	"strings"

	"netxray/parse"
)

// KindRoute is the kind of `ip route` outputs, text or JSON.
const KindRoute parse.Kind = "ip-route"

// Routes is the output of one `ip route` command.
type Routes struct {
	JSON   bool
	Routes []Route
	Issues parse.Issues
}

// Records counts routes.
func (x *Routes) Records() int { return len(x.Routes) }

// Problems returns the issues found.
func (x *Routes) Problems() parse.Issues { return x.Issues }

// Route is one route: its line plus the continuation lines ip prints under
// it (multipath "nexthop" lines, "cache" lines of ip route get and old
// IPv6 dumps).
type Route struct {
	Pos parse.Pos
	End int    // last line of the route (continuations included)
	Raw string // the lines joined with "\n", or the JSON object

	// Type is the route type: unicast (also when not printed), local,
	// broadcast, multicast, anycast, unreachable, blackhole, prohibit,
	// throw, nat...
	Type string
	// Dst is the destination as printed: "default", "10.0.0.0/24", a host
	// address, or "0/8" (an unspecified address with a length).
	Dst string
	// Prefix is Dst parsed (a host address becomes /32 or /128). For
	// "default" it is 0.0.0.0/0 or ::/0 when the family shows in a
	// gateway or source address, otherwise invalid (Default still set).
	Prefix  netip.Prefix
	Default bool
	// From is the source prefix of a source-specific route or of ip route
	// get ("from 10.0.0.5").
	From netip.Prefix

	Gateway netip.Addr
	// ViaFamily is the family printed in "via inet6 fe80::1" (an IPv4
	// route with an IPv6 next hop), "" for a plain "via".
	ViaFamily string
	Dev       string
	// Table is the table as printed ("local", "16", "3232238081"), "" when
	// not printed: ip omits "table main" (and any table chosen with "ip
	// route list table N"), so "" means main for `ip route` / `ip route
	// show table all`, and the listed table otherwise. See TableID.
	Table  string
	Proto  string
	Scope  string
	Src    netip.Addr // preferred source ("src")
	Metric uint32     // 0 when not printed
	// Flags are the route flag words: onlink, dead, pervasive, linkdown,
	// offload, trap, notify, unresolved, rt_offload, rt_trap...
	Flags []string
	Pref  string // IPv6 router preference: low, medium, high
	// Metrics are the route metrics in printed order: mtu, advmss, window,
	// rtt, rttvar, ssthresh, cwnd, reordering, hoplimit, initcwnd,
	// initrwnd, features, rto_min, quickack, congctl... A locked metric has
	// Value "lock N".
	Metrics Params
	MTU     int // the mtu metric, 0 when not set
	// Nexthops are the paths of a multipath route.
	Nexthops []Nexthop
	Expires  string // "6403sec"
	Error    string // "-101" (ENETUNREACH) of unreachable routes
	// Cache holds the flags of "cache <local,...>" lines; CacheLine is set
	// when a cache line was printed.
	Cache     []string
	CacheLine bool
	// Other keeps known attributes without a typed field (uid, mark,
	// realms, nhid, encap, as, iif, users, used, age, ipid, ts, tsage,
	// ttl-propogate).
	Other Params
	Extra Params
}

// Nexthop is one path of a multipath route.
type Nexthop struct {
	Gateway   netip.Addr
	ViaFamily string
	Dev       string
	Weight    int
	Flags     []string
	Other     Params
	Extra     Params
}

// routeTypes are the type words that may start a route line.
var routeTypes = words("unicast local broadcast multicast anycast unreachable blackhole prohibit throw nat xresolve unspec")

// routeFlags are route flag words printed alone.
var routeFlags = words("dead onlink pervasive offload trap notify linkdown unresolved rt_offload rt_trap rt_offload_failed")

// routeMetrics are the metric names of RTA_METRICS.
var routeMetrics = words("mtu window rtt rttvar ssthresh cwnd advmss reordering hoplimit initcwnd features rto_min initrwnd quickack congctl fastopen_no_cookie")

// routeOther are keywords with one value kept in Route.Other.
var routeOther = words("uid mark realm realms nhid iif users used age ipid ts tsage ttl-propogate")

// routeKeys are every keyword of the grammar, to stop unknown-keyword
// value pairing and encap argument lists.
func isRouteKey(s string) bool {
	switch s {
	case "from", "via", "dev", "table", "proto", "scope", "src", "metric", "pref", "nexthop",
		"expires", "error", "cache", "tos", "encap", "as", "weight", "lock":
		return true
	}
	return routeFlags[s] || routeMetrics[s] || routeOther[s]
}

// ParseRoute parses the output of `ip [-4|-6] [-d] route [show|list]
// [table N|all]` and `ip route get`, text or JSON. Samples:
//
//	default via 169.254.106.115 dev rfp-7c2d9e10-5 table 16
//	169.254.106.114/31 dev rfp-7c2d9e10-5  proto kernel  scope link  src 169.254.106.114
//	unreachable ::/96 dev lo  metric 1024  error -101
//	198.51.101.0/24 proto static
//		nexthop via 192.168.10.253 dev qr-1a2b3c4d-5e weight 1
func ParseRoute(r io.Reader, file string) (x *Routes, err error) {
	defer parse.Recover(file, &err)
	x = &Routes{}
	lost := false
	err = readFile(r, file, &x.Issues, &x.JSON, grammar{
		json: func(d *jdoc) { parseRouteJSON(d, x) },
		line: func(l parse.Line) lineResult {
			res := lineRejected // a line of nothing but `ip -o` markers
			for i, t := range splitOneline(l.Text) {
				if strings.TrimSpace(t) == "" {
					continue
				}
				if !routeLine(x, parse.Line{Pos: l.Pos, Text: t}, i == 0, l.Text, &lost) {
					return lineFailure
				}
				res = lineParsed
			}
			return res
		},
		end: func() int { return len(x.Routes) },
	})
	if err != nil {
		return nil, err
	}
	return x, nil
}

// routeLine handles one logical line: a new route, or an indented
// continuation of the previous one.
// lost is set while the last route line could not be parsed, so that its
// continuation lines are reported rather than given to another route. It
// reports false for a failure message printed by the tool.
func routeLine(x *Routes, l parse.Line, first bool, whole string, lost *bool) bool {
	f := fields(l.Text)
	cont := l.Text[0] == ' ' || l.Text[0] == '\t'
	if !cont {
		rt := Route{Pos: l.Pos, End: l.Pos.Line, Raw: whole, Type: "unicast"}
		rp := routeParser{rt: &rt, issues: &x.Issues, pos: l.Pos}
		if *lost = !rp.start(f); *lost {
			if first && skipFailure(parse.Line{Pos: l.Pos, Text: whole}, &x.Issues) {
				return false
			}
			x.Issues.Errorf(l.Pos, "not a route (no destination): %s", strings.TrimSpace(l.Text))
			return true
		}
		x.Routes = append(x.Routes, rt)
		return true
	}
	if len(x.Routes) == 0 || *lost {
		x.Issues.Errorf(l.Pos, "continuation line without its route: %s", strings.TrimSpace(l.Text))
		return true
	}
	rt := &x.Routes[len(x.Routes)-1]
	if first {
		rt.Raw += "\n" + whole
		rt.End = l.Pos.Line
	}
	rp := routeParser{rt: rt, issues: &x.Issues, pos: l.Pos}
	if f[0] == "nexthop" || f[0] == "cache" {
		rp.attrs(f)
	} else {
		rt.Extra = append(rt.Extra, Param{Key: f[0], Value: strings.Join(f[1:], " ")})
		x.Issues.Warnf(l.Pos, "unrecognised continuation line kept in Extra: %s", strings.TrimSpace(l.Text))
	}
	rp.finish()
	return true
}

// routeParser parses the words of one route line into rt.
type routeParser struct {
	rt      *Route
	issues  *parse.Issues
	pos     parse.Pos
	nh      *Nexthop // the nexthop being filled, nil for the route itself
	unknown unknownWords
}

// start parses a first line: [type] dst attrs... It reports false when
// the line has no destination it can read.
func (p *routeParser) start(f []string) bool {
	i := 0
	if i < len(f) && f[i] == "Deleted" {
		p.rt.Other = append(p.rt.Other, Param{Key: "deleted"})
		i++
	}
	if i < len(f) && routeTypes[f[i]] && i+1 < len(f) && !isRouteKey(f[i+1]) {
		p.rt.Type = f[i]
		i++
	}
	if i >= len(f) || isRouteKey(f[i]) || !p.setDst(f[i]) {
		return false
	}
	p.attrs(f[i+1:])
	p.finish()
	return true
}

// setDst parses the destination word; false when it is none.
func (p *routeParser) setDst(d string) bool {
	p.rt.Dst = d
	if d == "default" {
		p.rt.Default = true
		return true
	}
	if pf, ok := parsePrefix(d); ok {
		p.rt.Prefix = pf
		return true
	}
	if n, ok := strings.CutPrefix(d, "0/"); ok {
		_, ok = atoi(n)
		return ok
	}
	return false
}

// finish derives what needs the whole line and reports unknown words.
func (p *routeParser) finish() {
	rt := p.rt
	if rt.Default && !rt.Prefix.IsValid() {
		for _, a := range []netip.Addr{rt.Gateway, rt.Src, rt.From.Addr()} {
			if a.IsValid() && rt.ViaFamily == "" {
				rt.Prefix = netip.PrefixFrom(netip.IPv6Unspecified(), 0)
				if a.Is4() {
					rt.Prefix = netip.PrefixFrom(netip.IPv4Unspecified(), 0)
				}
				break
			}
		}
	}
	p.unknown.report(p.issues, p.pos, "route")
	p.unknown = nil
}

// attrs parses keyword/value words of a route or continuation line.
func (p *routeParser) attrs(f []string) {
	rt := p.rt
	for i := 0; i < len(f); {
		t := f[i]
		val := func() (string, bool) {
			if i+1 < len(f) {
				return f[i+1], true
			}
			p.unknown.add(t + " (value missing)")
			return "", false
		}
		switch {
		case t == "nexthop":
			rt.Nexthops = append(rt.Nexthops, Nexthop{})
			p.nh = &rt.Nexthops[len(rt.Nexthops)-1]
			i++
		case t == "cache":
			rt.CacheLine = true
			i++
			if i < len(f) && strings.HasPrefix(f[i], "<") {
				rt.Cache = splitFlags(f[i])
				i++
			}
		case routeFlags[t]:
			if p.nh != nil {
				p.nh.Flags = append(p.nh.Flags, t)
			} else {
				rt.Flags = append(rt.Flags, t)
			}
			i++
		case t == "via":
			v, ok := val()
			if !ok {
				i++
				continue
			}
			fam := ""
			if (v == "inet" || v == "inet6") && i+2 < len(f) {
				fam, v = v, f[i+2]
				i++
			}
			gw, good := parseAddr(v)
			if !good {
				p.unknown.add("via " + v)
			}
			if p.nh != nil {
				p.nh.Gateway, p.nh.ViaFamily = gw, fam
			} else {
				rt.Gateway, rt.ViaFamily = gw, fam
			}
			i += 2
		case t == "dev" || t == "weight":
			v, _ := val()
			if p.nh != nil && t == "dev" {
				p.nh.Dev = v
			} else if p.nh != nil {
				p.nh.Weight, _ = atoi(v)
			} else if t == "dev" {
				rt.Dev = v
			} else {
				rt.Other = append(rt.Other, Param{Key: t, Value: v})
			}
			i += 2
		case t == "encap":
			// Lightweight tunnel encapsulation: its arguments run to the
			// next route keyword.
			j := i + 1
			for j < len(f) && !isRouteKey(f[j]) {
				j++
			}
			p.other(Param{Key: t, Value: strings.Join(f[i+1:j], " ")})
			i = j
		case t == "as":
			// "as to 10.0.0.1" (RTA_NEWDST)
			j := i + 1
			if j < len(f) && f[j] == "to" {
				j++
			}
			v := ""
			if j < len(f) {
				v = f[j]
			}
			p.other(Param{Key: t, Value: v})
			i = j + 1
		case routeMetrics[t]:
			v, _ := val()
			i += 2
			if v == "lock" && i < len(f) {
				v = "lock " + f[i]
				i++
			}
			rt.Metrics = append(rt.Metrics, Param{Key: t, Value: v})
			if t == "mtu" {
				rt.MTU, _ = atoi(strings.TrimPrefix(v, "lock "))
			}
		case routeOther[t]:
			v, _ := val()
			p.other(Param{Key: t, Value: v})
			i += 2
		case isRouteKey(t):
			v, _ := val()
			p.set(t, v)
			i += 2
		default:
			var kv Param
			kv, i = takeUnknown(f, i, isRouteKey)
			if p.nh != nil {
				p.nh.Extra = append(p.nh.Extra, kv)
			} else {
				rt.Extra = append(rt.Extra, kv)
			}
			p.unknown.add(kv.Key)
		}
	}
}

// other keeps a known attribute without typed field.
func (p *routeParser) other(kv Param) {
	if p.nh != nil {
		p.nh.Other = append(p.nh.Other, kv)
		return
	}
	p.rt.Other = append(p.rt.Other, kv)
}

// set fills the typed route attributes.
func (p *routeParser) set(k, v string) {
	rt := p.rt
	switch k {
	case "from":
		if pf, ok := parsePrefix(v); ok {
			rt.From = pf
		} else {
			rt.Other = append(rt.Other, Param{Key: k, Value: v})
		}
	case "table":
		rt.Table = v
	case "proto":
		rt.Proto = v
	case "scope":
		rt.Scope = v
	case "src":
		if a, ok := parseAddr(v); ok {
			rt.Src = a
		} else {
			p.unknown.add("src " + v)
			rt.Extra = append(rt.Extra, Param{Key: k, Value: v})
		}
	case "metric":
		if n, ok := atou32(v); ok {
			rt.Metric = n
		} else {
			rt.Metrics = append(rt.Metrics, Param{Key: "metric", Value: v})
		}
	case "pref":
		rt.Pref = v
	case "expires":
		rt.Expires = v
	case "error":
		rt.Error = v
	default: // tos, lock out of place
		p.other(Param{Key: k, Value: v})
	}
}
