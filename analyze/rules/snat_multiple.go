package rules

import (
	"netxray/analyze/model"
)

// SNATMultiple reports a router's SNAT namespace active on more than one
// node (neutron-domain.md §3.5, §5 D6).
var SNATMultiple = &Rule{
	Name:     "snat-multiple",
	Category: "dvr",
	Severity: Error,
	Doc: `router's SNAT namespace active on more than one node
A distributed router has its centralized SNAT (snat-<router>, with the sg-
ports and the qg- gateway) on one dvr_snat node; with DVR+HA several nodes
have the namespace but only the keepalived master holds the addresses. Two
snat namespaces holding sg-/qg- addresses (a router moved while the old
agent was down, bugs 1557909, 1793529, 1649092) answer for the same gateway
and sg- addresses: duplicate external IP, VMs' SNAT traffic split between
nodes, broken connections.`,
	Hint:  "remove the stale snat namespace on the node that no longer hosts the router's gateway (restart its l3 agent or neutron-netns-cleanup)",
	Needs: []Need{needNetns},
	Run:   runSNATMultiple,
}

func runSNATMultiple(p *Pass) {
	for _, r := range p.Model.Routers.All() {
		var active []model.RouterNS
		var e []Evidence
		for _, s := range r.SNATs {
			if !p.Usable(s.Node) {
				continue
			}
			if held := heldAddr(s.NS); held != nil {
				held.Node = s.Node.Name
				active = append(active, s)
				e = append(e, *held)
			}
		}
		if len(active) < 2 {
			continue
		}
		var ns []*model.Node
		for _, s := range active {
			ns = append(ns, s.Node)
		}
		for _, s := range active {
			p.Reportf(s.Node, e, "snat-%s holds its sg-/qg- addresses on %s: the router's SNAT is active on several nodes", r.ID, names(ns))
		}
	}
}

// heldAddr cites the first sg-/qg- IPv4 address of a namespace, nil when
// it holds none (a standby DVR-HA instance).
func heldAddr(ns *model.Namespace) *Evidence {
	for _, ifc := range ns.Interfaces {
		role := model.DeviceRole(ifc.Name)
		if role != "sg" && role != "qg" {
			continue
		}
		for _, a := range ifc.Addrs {
			if a.Prefix.Addr().Is4() {
				return &Evidence{File: a.Pos.File, Line: a.Pos.Line, Text: ifc.Name + ": " + firstLine(a.Raw)}
			}
		}
	}
	return nil
}
