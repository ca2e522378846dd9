package iproute

import (
	"encoding/json"
	"strconv"
	"strings"
)

// kindSpec is the grammar of one -d kind line, read from iproute2's
// ip/iplink_*.c and ip/link_*.c print_opt functions. iproute2 prints most
// attributes as "keyword value"; valued gives the number of values of each
// keyword, flags the words printed alone. In pairs mode (bridge, bond...)
// every keyword not in flags takes one value, so new keywords of newer
// versions are paired without warning.
type kindSpec struct {
	valued map[string]int
	flags  map[string]bool
	pairs  bool
}

func words(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// withNo adds the "no"-prefixed form of every word (vxlan prints
// "udpcsum"/"noudpcsum", "learning"/"nolearning").
func withNo(s string) map[string]bool {
	m := words(s)
	for w := range words(s) {
		m["no"+w] = true
	}
	return m
}

func valued(s string) map[string]int {
	m := map[string]int{}
	for _, w := range strings.Fields(s) {
		n := 1
		if k, v, ok := strings.Cut(w, "="); ok {
			w = k
			n, _ = strconv.Atoi(v)
		}
		m[w] = n
	}
	return m
}

// tunnelSpec covers gre, gretap, erspan, ipip, sit, ip6gre, ip6tnl, vti and
// friends, which share ip/tunnel.c's printing.
var tunnelSpec = kindSpec{
	valued: valued("remote local dev ttl tos hoplimit tclass flowlabel encaplimit key ikey okey fwmark " +
		"erspan_ver erspan_index erspan_dir erspan_hwid encap encap-sport encap-dport 6rd-prefix 6rd-relay_prefix mode"),
	flags: withNo("pmtudisc ignore-df iseq oseq icsum ocsum external allow-localremote mip6 isatap " +
		"encap-csum encap-csum6 encap-remcsum ip6ip6 ipip6 any"),
}

var kindSpecs = map[string]kindSpec{
	"vxlan": {
		valued: valued("id group remote local dev srcport=2 dstport tos ttl df flowlabel ageing maxaddr reserved_bits"),
		flags: withNo("external vnifilter learning proxy rsc l2miss l3miss udpcsum udp_csum udp6zerocsumtx " +
			"udp6zerocsumrx udp_zero_csum6_tx udp_zero_csum6_rx remcsumtx remcsumrx remcsum_tx remcsum_rx " +
			"localbypass mcroute gbp gpe"),
	},
	"geneve": {
		valued: valued("id remote local dev ttl tos df flowlabel dstport"),
		flags:  withNo("external udpcsum udp6zerocsumtx udp6zerocsumrx innerprotoinherit"),
	},
	"gre": tunnelSpec, "gretap": tunnelSpec, "erspan": tunnelSpec, "ipip": tunnelSpec, "sit": tunnelSpec,
	"ip6gre": tunnelSpec, "ip6gretap": tunnelSpec, "ip6erspan": tunnelSpec, "ip6tnl": tunnelSpec,
	"vti": tunnelSpec, "vti6": tunnelSpec,
	"vlan": {valued: valued("protocol id ingress-qos-map egress-qos-map")},
	"macvlan": {
		valued: valued("mode bcqueuelen usedbcqueuelen bclim remotes"),
		flags:  words("nopromisc nodst"),
	},
	"ipvlan": {valued: valued("mode"), flags: words("bridge private vepa")},
	"vrf":    {valued: valued("table")},
	"tun":    {pairs: true, flags: words("multi_queue")},
	"bridge": {pairs: true}, "bridge_slave": {pairs: true},
	"bond": {pairs: true}, "bond_slave": {pairs: true},
	"vrf_slave": {valued: valued("table")},
	"veth":      {}, "openvswitch": {}, "openvswitch_slave": {}, "dummy": {}, "ifb": {}, "nlmon": {},
	"team": {}, "team_slave": {}, "vcan": {}, "wireguard": {}, "netdevsim": {},
}

func init() {
	kindSpecs["macvtap"] = kindSpecs["macvlan"]
	kindSpecs["ipvtap"] = kindSpecs["ipvlan"]
}

// kindParams splits the words after the kind of a -d line into the kind's
// attributes and the generic details (addrgenmode, numtxqueues...) that
// iproute2 prints after them on the same line. Unknown keywords are kept
// in the attributes and returned for one warning.
func kindParams(kind string, f []string) (params, details Params, unknown unknownWords) {
	spec := kindSpecs[kind]
	isKey := func(s string) bool { return spec.valued[s] > 0 || spec.flags[s] || detailKeys[s] }
	for i := 0; i < len(f); {
		t := f[i]
		switch {
		case detailKeys[t] && i+1 < len(f):
			details = append(details, Param{Key: t, Value: f[i+1]})
			i += 2
		case strings.HasPrefix(t, "<") && len(params) > 0 && spec.pairs:
			// bond_slave: "ad_actor_oper_port_state 63 <active,...>"; the
			// name follows ip -j ("..._str").
			params = append(params, Param{Key: params[len(params)-1].Key + "_str", Value: t})
			i++
		case strings.HasPrefix(t, "<"):
			params = append(params, Param{Key: "flags", Value: t})
			i++
		case spec.flags[t]:
			params = append(params, Param{Key: t})
			i++
		case spec.valued[t] > 0 || spec.pairs && !looksLikeValue(t):
			n := max(spec.valued[t], 1)
			vals, next := takeValues(f, i+1, n)
			if len(vals) < n {
				unknown.add(t + " (value missing)")
			}
			params = append(params, Param{Key: t, Value: strings.Join(vals, " ")})
			i = next
		default:
			var kv Param
			kv, i = takeUnknown(f, i, isKey)
			params = append(params, kv)
			unknown.add(kv.Key)
		}
	}
	return params, details, unknown
}

// takeValues takes n values from f[i:]; a value "{" runs to the matching
// "}" (vlan "ingress-qos-map { 0:0 1:1 }").
func takeValues(f []string, i, n int) ([]string, int) {
	var vals []string
	for len(vals) < n && i < len(f) {
		if f[i] == "{" {
			j := i
			for j < len(f) && f[j] != "}" {
				j++
			}
			end := min(j+1, len(f))
			vals = append(vals, strings.Join(f[i:end], " "))
			i = end
			continue
		}
		vals = append(vals, f[i])
		i++
	}
	return vals, i
}

// tunnelKinds are the kinds whose attributes fill Interface.Tunnel.
var tunnelKinds = words("vxlan geneve gre gretap erspan ipip sit ip6gre ip6gretap ip6erspan ip6tnl vti vti6 bareudp")

// tunnelFromText builds the typed tunnel view of text attributes.
func tunnelFromText(kind string, p Params) *Tunnel {
	if !tunnelKinds[kind] {
		return nil
	}
	t := &Tunnel{Learning: true}
	for _, kv := range p {
		switch kv.Key {
		case "id", "key":
			if n, ok := atou32(kv.Value); ok {
				t.ID, t.HasID = n, true
			}
		case "local":
			t.Local, _ = parseAddr(kv.Value)
		case "remote":
			t.Remote, _ = parseAddr(kv.Value)
		case "group":
			t.Group, _ = parseAddr(kv.Value)
		case "dev":
			t.Dev = kv.Value
		case "dstport":
			if n, err := strconv.ParseUint(kv.Value, 10, 16); err == nil {
				t.DstPort = uint16(n)
			}
		case "external":
			t.External = true
		case "nolearning":
			t.Learning = false
		case "proxy":
			t.Proxy = true
		}
	}
	return t
}

// tunnelFromJSON builds the typed tunnel view of linkinfo.info_data.
func tunnelFromJSON(kind string, fs []jfield) *Tunnel {
	if !tunnelKinds[kind] {
		return nil
	}
	t := &Tunnel{Learning: true}
	for _, f := range fs {
		s, _ := jstr(f.Val)
		switch f.Key {
		case "id", "key", "ikey":
			if n, ok := juint(f.Val); ok && (f.Key != "ikey" || !t.HasID) {
				t.ID, t.HasID = uint32(n), true
			}
		case "local", "local6":
			t.Local, _ = parseAddr(s)
		case "remote", "remote6":
			t.Remote, _ = parseAddr(s)
		case "group", "group6":
			t.Group, _ = parseAddr(s)
		case "link":
			t.Dev = s
		case "port", "dstport":
			if n, ok := juint(f.Val); ok && n <= 0xffff {
				t.DstPort = uint16(n)
			}
		case "external", "collect_metadata":
			t.External = jbool(f.Val)
		case "learning":
			t.Learning = jbool(f.Val)
		case "proxy":
			t.Proxy = jbool(f.Val)
		}
	}
	return t
}

// jbool reads a boolean member; ip -j prints some flags as "key": null,
// which means set.
func jbool(raw json.RawMessage) bool {
	var b bool
	if json.Unmarshal(raw, &b) == nil {
		return b
	}
	return isNull(raw)
}
