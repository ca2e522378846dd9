package model

import (
	"sort"

	"netxray/collect"
	"netxray/parse"
	"netxray/parse/host"
	"netxray/parse/iproute"
	"netxray/parse/iptables"
)

// Namespace is a network namespace with its Linux networking state. Kind
// is Neutron's role for it (qrouter, snat, fip, qdhcp, ovnmeta, other).
type Namespace struct {
	Name string
	Kind string
	// ID is the nsid `ip netns` printed, -1 when none.
	ID int
	// Capped is true when `ip netns` lists the namespace but the bundle
	// has none of its files (sos's namespace limit).
	Capped     bool
	Interfaces []*Interface
	Routes     []iproute.Route
	Rules      []iproute.Rule
	Neighbors  []iproute.Neighbor
	// IPTables is the namespace's iptables-save (IPv4), nil when the
	// bundle has none.
	IPTables *iptables.Save
	// Sysctl is the namespace's sysctl -a, nil when the bundle has none.
	Sysctl *host.Sysctl
	Pos    parse.Pos
}

// Interface is a Linux network device with its addresses.
type Interface = iproute.Interface

func (n *Node) buildNetns() {
	if ifs := one[*iproute.Interfaces](n.in, collect.KindIPAddr, ""); ifs != nil {
		for i := range ifs.Interfaces {
			n.Interfaces = append(n.Interfaces, &ifs.Interfaces[i])
		}
	} else {
		n.sourceGap("host interfaces", collect.KindIPAddr, "")
	}
	n.IPTables = one[*iptables.Save](n.in, collect.KindIPTablesSave, "")
	n.Sysctl = one[*host.Sysctl](n.in, collect.KindSysctl, "")
	if r := one[*iproute.Neighbors](n.in, collect.KindIPNeigh, ""); r != nil {
		n.Neighbors = r.Neighbors
	}
	list := one[*iproute.Namespaces](n.in, collect.KindIPNetns, "")
	if list == nil {
		n.sourceGap("namespace list", collect.KindIPNetns, "")
	}
	seen := map[string]*Namespace{}
	add := func(name string) *Namespace {
		if ns, ok := seen[name]; ok {
			return ns
		}
		ns := &Namespace{Name: name, Kind: NamespaceKind(name), ID: -1}
		seen[name] = ns
		n.Namespaces = append(n.Namespaces, ns)
		return ns
	}
	if list != nil {
		for _, l := range list.Namespaces {
			ns := add(l.Name)
			ns.ID, ns.Pos = l.ID, l.Pos
		}
	}
	// Namespaces with files but missing from the list (a list taken
	// earlier or filtered) still count.
	for _, sf := range n.Bundle.Inventory {
		if sf.Scope != collect.ScopeNamespace || sf.Key == "" {
			continue
		}
		ns := add(sf.Key)
		if sf.Status == collect.StatusCapped {
			ns.Capped = true
			n.gap("namespace "+sf.Key, "capped: listed by ip netns but no per-namespace files")
		}
	}
	for _, ns := range n.Namespaces {
		if ifs := one[*iproute.Interfaces](n.in, collect.KindIPAddr, ns.Name); ifs != nil {
			for i := range ifs.Interfaces {
				ns.Interfaces = append(ns.Interfaces, &ifs.Interfaces[i])
			}
		}
		if r := one[*iproute.Routes](n.in, collect.KindIPRoute, ns.Name); r != nil {
			ns.Routes = r.Routes
		}
		if r := one[*iproute.Rules](n.in, collect.KindIPRule, ns.Name); r != nil {
			ns.Rules = r.Rules
		}
		if r := one[*iproute.Neighbors](n.in, collect.KindIPNeigh, ns.Name); r != nil {
			ns.Neighbors = r.Neighbors
		}
		ns.IPTables = one[*iptables.Save](n.in, collect.KindIPTablesSave, ns.Name)
		ns.Sysctl = one[*host.Sysctl](n.in, collect.KindSysctl, ns.Name)
	}
	sort.Slice(n.Namespaces, func(i, j int) bool { return n.Namespaces[i].Name < n.Namespaces[j].Name })
}
