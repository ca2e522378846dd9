package rules

import (
	"sort"

	"netxray/analyze/model"
)

// QRouterMissing reports DVR nodes hosting VMs of a distributed router's
// subnets without that router's namespace (neutron-domain.md §3.1, §5 D2).
var QRouterMissing = &Rule{
	Name:     "qrouter-missing",
	Category: "dvr",
	Severity: Error,
	Doc: `a DVR host with VMs on a router's networks has no qrouter
A distributed router routes on every host that has a port on one of its
subnets: the l3 agent (agent_mode dvr or dvr_snat) creates qrouter-<router>
there with the router's qr- interfaces. The router's networks are read from
its qr- ports on the nodes that have it; a DVR node with a VM port on one of
those networks and no qrouter-<router> cannot route that VM's traffic: to
other subnets, to the external network, to its floating IP (bugs 1489184,
1786272).`,
	Hint:  "check the l3 agent on the node is alive and hosts the router (openstack network agent list --router), then restart it to resync",
	Needs: []Need{needOVS, needNetns},
	Run:   runQRouterMissing,
}

func runQRouterMissing(p *Pass) {
	m := p.Model
	for _, r := range m.Routers.All() {
		if !r.Distributed {
			continue
		}
		nets := routerNets(m, r)
		if len(nets) == 0 {
			continue
		}
		for _, n := range p.Nodes() {
			if !n.DVRMode() || r.QRouterOn(n) != nil {
				continue
			}
			var vm *model.Port
			var seg model.Segment
			for _, v := range n.VMs {
				for _, nic := range v.NICs {
					if nic.OVSPort == nil {
						continue
					}
					s := m.Networks.SegmentOf(n, nic.OVSPort)
					if _, ok := nets[s.Key()]; ok && vm == nil {
						vm, seg = nic.OVSPort, s
					}
				}
			}
			if vm == nil {
				continue
			}
			other := r.QRouters[0]
			p.Reportf(n, []Evidence{p.ifaceEv(n, vm, "external_ids"), nets[seg.Key()], ev(other.Node, other.NS.Pos, other.NS.Name)},
				"no qrouter-%s on this DVR node although %s is on %s, a network of that router (routed on %s): the VM's traffic is not routed",
				r.ID, what(n, vm), seg, names(routerNodes(r)))
		}
	}
}

// routerNets returns the segments of a router's qr- ports, with evidence
// of one qr- device on each.
func routerNets(m *model.Model, r *model.Router) map[model.Segment]Evidence {
	out := map[model.Segment]Evidence{}
	for _, q := range r.QRouters {
		for _, ifc := range q.NS.Interfaces {
			if model.DeviceRole(ifc.Name) != "qr" {
				continue
			}
			port := portOnAnyBridge(q.Node, ifc.Name)
			if port == nil {
				continue
			}
			if s := m.Networks.SegmentOf(q.Node, port); !s.IsZero() {
				if _, ok := out[s.Key()]; !ok {
					out[s.Key()] = ev(q.Node, ifc.Pos, ifc.Raw)
				}
			}
		}
	}
	return out
}

func routerNodes(r *model.Router) []*model.Node {
	var out []*model.Node
	for _, q := range r.QRouters {
		out = append(out, q.Node)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}
