package rules

import (
	"sort"
	"strings"

	"netxray/analyze/model"
)

// QRMismatch reports qr- interfaces of a distributed router that differ
// between nodes (neutron-domain.md §3.2, §5 D3).
var QRMismatch = &Rule{
	Name:     "qr-mismatch",
	Category: "dvr",
	Severity: Error,
	Doc: `a distributed router's qr- interfaces differ between nodes
A DVR router's qr- interfaces are one Neutron port each, replicated on every
host: the same device name, MAC and gateway address in every
qrouter-<router>. A qr- present on some hosts only (an interface added or
removed while an agent was down) leaves the subnet unrouted from the hosts
that lack it; a different MAC or address on one host makes that host answer
as another gateway, so its VMs' ARP and the DVR MAC rewrites disagree with
everyone else's.`,
	Hint:  "restart the l3 agent on the odd node (it resyncs the router), or remove and re-add the router interface",
	Needs: []Need{needNetns},
	Run:   runQRMismatch,
}

type qrView struct {
	mac, addrs string
	e          Evidence
}

func runQRMismatch(p *Pass) {
	for _, r := range p.Model.Routers.All() {
		if !r.Distributed {
			continue
		}
		views := map[*model.Node]map[string]qrView{}
		var nodes []*model.Node
		for _, q := range r.QRouters {
			if !p.Usable(q.Node) {
				continue
			}
			if q.NS.Capped || len(q.NS.Interfaces) == 0 {
				p.Skipf(q.Node, "namespace %s has no interface data", q.NS.Name)
				continue
			}
			v := map[string]qrView{}
			for _, ifc := range q.NS.Interfaces {
				if model.DeviceRole(ifc.Name) != "qr" {
					continue
				}
				var addrs []string
				for _, a := range ifc.Addrs {
					if !a.Prefix.Addr().IsLinkLocalUnicast() {
						addrs = append(addrs, a.Prefix.String())
					}
				}
				sort.Strings(addrs)
				v[ifc.Name] = qrView{mac: ifc.MAC.String(), addrs: strings.Join(addrs, " "), e: ev(q.Node, ifc.Pos, ifc.Raw)}
			}
			views[q.Node] = v
			nodes = append(nodes, q.Node)
		}
		if len(nodes) < 2 {
			continue
		}
		// The reference of each device is what most nodes have.
		all := map[string]int{}
		for _, n := range nodes {
			for name := range views[n] {
				all[name]++
			}
		}
		var devs []string
		for name := range all {
			devs = append(devs, name)
		}
		sort.Strings(devs)
		for _, name := range devs {
			var have, lack []*model.Node
			for _, n := range nodes {
				if _, ok := views[n][name]; ok {
					have = append(have, n)
				} else {
					lack = append(lack, n)
				}
			}
			ref := majority(views, have, name)
			for _, n := range lack {
				p.Reportf(n, []Evidence{ref.e}, "qrouter-%s has no %s while %s have it (%s): that subnet is not routed from this node",
					r.ID, name, names(have), or(ref.addrs, ref.mac))
			}
			for _, n := range have {
				v := views[n][name]
				if v.mac != ref.mac || v.addrs != ref.addrs {
					p.Reportf(n, []Evidence{v.e, ref.e}, "%s in qrouter-%s has %s %s, the other nodes %s %s: one router port, two identities",
						name, r.ID, v.mac, v.addrs, ref.mac, ref.addrs)
				}
			}
		}
	}
}

// majority returns the most common view of device name among nodes.
func majority(views map[*model.Node]map[string]qrView, nodes []*model.Node, name string) qrView {
	count := map[string]int{}
	best := views[nodes[0]][name]
	bestKey := ""
	for _, n := range nodes {
		v := views[n][name]
		k := v.mac + "|" + v.addrs
		count[k]++
		if count[k] > count[bestKey] || (count[k] == count[bestKey] && k < bestKey) {
			best, bestKey = v, k
		}
	}
	return best
}
