package iproute

import "encoding/json"

// parseRouteJSON reads ip -j route.
func parseRouteJSON(d *jdoc, x *Routes) {
	jrecords(d, &x.Issues, func(r jrec) {
		fs, pos, raw := r.fields, r.pos, r.raw
		rt := Route{Pos: pos, End: r.end, Raw: raw, Type: "unicast"}
		p := routeParser{rt: &rt, issues: &x.Issues, pos: pos}
		for _, f := range fs {
			if !routeMember(&p, f) {
				rt.Extra = append(rt.Extra, Param{Key: f.Key, Value: jtext(f.Val)})
				p.unknown.add(f.Key)
			}
		}
		p.finish()
		x.Routes = append(x.Routes, rt)
	})
}

// routeMember fills a route (or, inside nexthops, p.nh) from one JSON
// member; false means unknown.
func routeMember(p *routeParser, f jfield) bool {
	rt := p.rt
	s, _ := jstr(f.Val)
	switch f.Key {
	case "type":
		rt.Type = s
	case "dst":
		if !p.setDst(s) {
			rt.Extra = append(rt.Extra, Param{Key: "dst", Value: s})
			p.unknown.add("dst " + s)
		}
	case "gateway":
		gw, ok := parseAddr(s)
		if !ok {
			return false
		}
		if p.nh != nil {
			p.nh.Gateway = gw
		} else {
			rt.Gateway = gw
		}
	case "via":
		var v struct{ Family, Host string }
		if json.Unmarshal(f.Val, &v) != nil {
			return false
		}
		gw, _ := parseAddr(v.Host)
		if p.nh != nil {
			p.nh.Gateway, p.nh.ViaFamily = gw, v.Family
		} else {
			rt.Gateway, rt.ViaFamily = gw, v.Family
		}
	case "dev":
		if p.nh != nil {
			p.nh.Dev = s
		} else {
			rt.Dev = s
		}
	case "weight":
		if p.nh == nil {
			return false
		}
		n, _ := jint(f.Val)
		p.nh.Weight = int(n)
	case "flags":
		fl, _ := jstrings(f.Val)
		if p.nh != nil {
			p.nh.Flags = append(p.nh.Flags, fl...)
		} else {
			rt.Flags = append(rt.Flags, fl...)
		}
	case "prefsrc":
		p.set("src", s)
	case "protocol":
		p.set("proto", s)
	case "from", "table", "scope", "metric", "pref", "error":
		p.set(f.Key, s)
	case "expires":
		p.set(f.Key, s+"sec")
	case "cache":
		rt.CacheLine = true
		rt.Cache, _ = jstrings(f.Val)
	case "metrics":
		routeJSONMetrics(rt, f)
	case "nexthops":
		var items []json.RawMessage
		if json.Unmarshal(f.Val, &items) != nil {
			return false
		}
		for _, it := range items {
			rt.Nexthops = append(rt.Nexthops, Nexthop{})
			p.nh = &rt.Nexthops[len(rt.Nexthops)-1]
			fs, err := object(it, f.Off)
			if err != nil {
				p.nh.Extra = append(p.nh.Extra, Param{Key: "nexthop", Value: jtext(it)})
				continue
			}
			for _, m := range fs {
				if !routeMember(p, m) {
					p.nh.Other = append(p.nh.Other, Param{Key: m.Key, Value: jtext(m.Val)})
				}
			}
		}
		p.nh = nil
	case "src":
		// "0/N" source of a route without RTA_SRC.
		p.other(Param{Key: "from", Value: s})
	case "deleted", "tos", "nhid", "mark", "uid", "iif", "users", "used", "age", "ipid", "ts", "tsage",
		"ttl-propogate", "encap", "flow", "to", "nh_info":
		p.other(Param{Key: f.Key, Value: jtext(f.Val)})
	default:
		return false
	}
	return true
}

// routeJSONMetrics reads "metrics": [{"mtu": 1400, "advmss": 1360}] (a
// locked metric has no mark in JSON).
func routeJSONMetrics(rt *Route, f jfield) {
	var items []json.RawMessage
	if json.Unmarshal(f.Val, &items) != nil {
		rt.Metrics = append(rt.Metrics, Param{Key: f.Key, Value: jtext(f.Val)})
		return
	}
	for _, it := range items {
		for _, kv := range flatten("", it, f.Off) {
			rt.Metrics = append(rt.Metrics, kv)
			if kv.Key == "mtu" {
				rt.MTU, _ = atoi(kv.Value)
			}
		}
	}
}
