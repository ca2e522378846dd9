package rules

// NamespaceEmpty reports Neutron namespaces left without any device: the
// remains of a router or network that is gone from the node
// (neutron-domain.md §5 F1).
var NamespaceEmpty = &Rule{
	Name:     "namespace-empty",
	Category: "dvr",
	Severity: Warning,
	Doc: `a Neutron namespace has no device but lo
The l3 and DHCP agents create qrouter-, snat-, fip- and qdhcp- namespaces
with their ports inside and delete them when the router or network leaves
the node. A namespace of those kinds with no device but lo was left behind
(an agent killed while removing it, bugs 1470909, 1557909, 1353165): it
routes or serves nothing, costs a conntrack table and an inotify watch per
agent sync, and misleads whoever reads "ip netns". Namespaces whose files
the bundle lacks are not judged.`,
	Hint:  "run neutron-netns-cleanup on the node (or ip netns delete NAME once you are sure no agent owns it)",
	Needs: []Need{needNetns},
	Run:   runNamespaceEmpty,
}

func runNamespaceEmpty(p *Pass) {
	for _, n := range p.Nodes() {
		for _, ns := range n.Namespaces {
			switch ns.Kind {
			case "qrouter", "snat", "fip", "qdhcp":
			default:
				continue
			}
			if ns.Capped || ns.Interfaces == nil {
				continue // no interface data: namespace-capped or source-missing says so
			}
			devices := 0
			for _, ifc := range ns.Interfaces {
				if ifc.Name != "lo" {
					devices++
				}
			}
			if devices > 0 {
				continue
			}
			e := []Evidence{}
			if ns.Pos.File != "" {
				e = append(e, ev(n, ns.Pos, ns.Name))
			}
			for _, ifc := range ns.Interfaces {
				e = append(e, ev(n, ifc.Pos, ifc.Raw))
			}
			p.Reportf(n, e, "%s has no device but lo: a leftover of a %s that is gone from this node", ns.Name, leftoverOf(ns.Kind))
		}
	}
}

func leftoverOf(kind string) string {
	switch kind {
	case "qdhcp":
		return "network's DHCP service"
	case "fip":
		return "floating-IP gateway"
	}
	return "router"
}
