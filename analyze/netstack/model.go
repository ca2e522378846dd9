package netstack

import (
	"netxray/analyze/model"
	"netxray/collect"
	"netxray/parse"
	"netxray/parse/bridge"
	"netxray/parse/host"
	"netxray/parse/iproute"
	"netxray/parse/iptables"
)

// FromModel returns the netstack view of one namespace of a model node
// (ns nil: the root namespace), from the node's parsed files. Have is set
// from what the bundle holds for that namespace, so a source that is
// absent, failed or capped is missing, not empty. `ip rule` without a
// family lists IPv4 rules only, which is what bundles collect: IPv6 rules
// stay missing.
func FromModel(n *model.Node, ns *model.Namespace) *Namespace {
	key, out := "", &Namespace{Kind: "other"}
	if ns != nil {
		key, out.Name, out.Kind = ns.Name, ns.Name, ns.Kind
	}
	if ifs, ok := parsed[*iproute.Interfaces](n, collect.KindIPAddr, key); ok {
		out.Have.Interfaces = true
		for i := range ifs.Interfaces {
			out.Interfaces = append(out.Interfaces, &ifs.Interfaces[i])
		}
	}
	if r, ok := parsed[*iproute.Routes](n, collect.KindIPRoute, key); ok {
		out.Routes, out.Have.Routes = r.Routes, true
	}
	if r, ok := parsed[*iproute.Rules](n, collect.KindIPRule, key); ok {
		out.Rules4, out.Have.Rules4 = r.Rules, true
	}
	if r, ok := parsed[*iproute.Neighbors](n, collect.KindIPNeigh, key); ok {
		out.Neighbors, out.Have.Neighbors = r.Neighbors, true
	}
	if r, ok := parsed[*iptables.Save](n, collect.KindIPTablesSave, key); ok {
		out.IPTables, out.Have.IPTables = r, true
	}
	if s, ok := parsed[*host.Sysctl](n, collect.KindSysctl, key); ok {
		out.Sysctl = s.Values()
	}
	return out
}

// BridgesFromModel returns the Linux bridges of a node's root namespace.
func BridgesFromModel(n *model.Node) []*Bridge {
	var ifs []*iproute.Interface
	if x, ok := parsed[*iproute.Interfaces](n, collect.KindIPAddr, ""); ok {
		for i := range x.Interfaces {
			ifs = append(ifs, &x.Interfaces[i])
		}
	}
	fdb, _ := parsed[*bridge.FDB](n, collect.KindBridgeFDB, "")
	links, _ := parsed[*bridge.Links](n, collect.KindBridgeLink, "")
	brctl, _ := parsed[*bridge.BrctlShow](n, collect.KindBrctlShow, "")
	return Bridges(ifs, fdb, links, brctl)
}

// VethEnds lists every interface of a node, root namespace and all
// namespaces, with the root's `ip netns` ids, ready for PairVeths.
func VethEnds(n *model.Node) ([]End, map[int]string) {
	var ends []End
	for _, ifc := range n.Interfaces {
		ends = append(ends, End{Interface: ifc})
	}
	ids := map[int]string{}
	for _, ns := range n.Namespaces {
		if ns.ID >= 0 {
			ids[ns.ID] = ns.Name
		}
		for _, ifc := range ns.Interfaces {
			ends = append(ends, End{Namespace: ns.Name, Interface: ifc})
		}
	}
	return ends, ids
}

// parsed returns the result of the node's usable source of kind k and key.
func parsed[T parse.Result](n *model.Node, k parse.Kind, key string) (T, bool) {
	var zero T
	for _, p := range n.Files {
		if p.Source.Kind != k || p.Source.Key != key || !p.Source.Status.Usable() || p.Result == nil {
			continue
		}
		if v, ok := p.Result.(T); ok {
			return v, true
		}
	}
	return zero, false
}
