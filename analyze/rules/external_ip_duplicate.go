package rules

import (
	"net/netip"
	"sort"
	"strings"

	"netxray/analyze/model"
)

// ExternalIPDuplicate reports an external address configured on more than
// one node (neutron-domain.md §3.5, §5 D6, F3, F4).
var ExternalIPDuplicate = &Rule{
	Name:     "external-ip-duplicate",
	Category: "dvr",
	Severity: Error,
	Doc: `external address held in two places
A router gateway address (qg- in a qrouter or snat namespace), a floating-IP
agent gateway address (fg- in a fip namespace) or a floating IP (the DNAT of
a DVR qrouter, answered by proxy ARP on the host's fg-) must live on one
node. Held in two places, the upstream router's ARP cache flips between them
and connections break at random: a stale snat or qrouter namespace left on
the old node after a router moved (bugs 1557909, 1793529), a floating IP
still programmed on a VM's previous host (bug 1585165), or L3-HA split-brain
with two active instances.`,
	Hint:  "remove the stale namespace or rule on the node that should not have it (restart its l3 agent, or neutron-netns-cleanup); for L3-HA check keepalived on both nodes",
	Needs: []Need{needNetns},
	Run:   runExternalIPDuplicate,
}

type holder struct {
	n    *model.Node
	what string
	e    Evidence
}

func runExternalIPDuplicate(p *Pass) {
	held := map[netip.Addr][]holder{}
	for _, n := range p.Nodes() {
		for _, ns := range n.Namespaces {
			for _, ifc := range ns.Interfaces {
				role := model.DeviceRole(ifc.Name)
				if role != "qg" && role != "fg" {
					continue
				}
				for _, a := range ifc.Addrs {
					ip := a.Prefix.Addr()
					if !ip.IsGlobalUnicast() || ip.IsLinkLocalUnicast() {
						continue
					}
					held[ip] = append(held[ip], holder{n, ifc.Name + " in " + ns.Name, ev(n, a.Pos, ifc.Name+": "+firstLine(a.Raw))})
				}
			}
			if ns.Kind != "qrouter" || ns.IPTables == nil {
				continue
			}
			if rfp := rfpOf(ns); rfp != nil {
				for _, nat := range fipNATs(ns.IPTables, rfp.Name) {
					held[nat.FIP] = append(held[nat.FIP], holder{n, "floating IP of " + nat.Fixed.String() + " in " + ns.Name, ev(n, nat.Rule.Pos, nat.Rule.Raw)})
				}
			}
		}
	}
	var ips []netip.Addr
	for ip, hs := range held {
		if len(hs) > 1 {
			ips = append(ips, ip)
		}
	}
	sort.Slice(ips, func(i, j int) bool { return ips[i].Less(ips[j]) })
	for _, ip := range ips {
		hs := held[ip]
		var e []Evidence
		var where []string
		for _, h := range hs {
			e = append(e, h.e)
			where = append(where, h.what+" on "+h.n.Name)
		}
		reported := map[*model.Node]bool{}
		for _, h := range hs {
			if !reported[h.n] {
				reported[h.n] = true
				p.Reportf(h.n, e, "external address %s is held %d times: %s", ip, len(hs), strings.Join(where, "; "))
			}
		}
	}
}
