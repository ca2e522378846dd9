package rules

import (
	"netxray/analyze/model"
)

// MTUMismatch reports unequal MTUs on the two ends of a veth pair or inside
// one Linux bridge (neutron-domain.md §5 C2).
var MTUMismatch = &Rule{
	Name:     "mtu-mismatch",
	Category: "mtu",
	Severity: Warning,
	Doc: `unequal MTUs on veth ends or Linux bridge members
Linux drops frames larger than the receiving device's MTU: the two ends of
a veth pair (qvb/qvo of the hybrid plug, rfp/fpr between a DVR qrouter and
its fip namespace) and all members of a Linux bridge (the qbr of a VM with
its tap and qvb) must have one MTU. A mismatch left by an MTU change that
reached only some devices (bugs 1649845, 1429162, 1823798) drops the large
packets of one direction only: small pings work, bulk transfers stall.`,
	Hint:  "set the same MTU on both ends (ip link set dev X mtu N); hard-reboot the VM or restart the agent that owns the devices so they are recreated with the network's MTU",
	Needs: []Need{needHostIPs},
	Run:   runMTUMismatch,
}

func runMTUMismatch(p *Pass) {
	for _, n := range p.Nodes() {
		// veth pairs: qvb/qvo in the root namespace, rfp/fpr across the
		// qrouter and fip namespaces.
		for _, ifc := range n.Interfaces {
			if model.DeviceRole(ifc.Name) == "qvb" {
				if peer := n.HostInterface("qvo" + ifc.Name[3:]); peer != nil {
					compareMTU(p, n, ifc, peer, "veth pair")
				}
			}
			if model.DeviceRole(ifc.Name) == "qbr" {
				for _, mem := range n.Interfaces {
					if mem.Master == ifc.Name && mem.MTU != ifc.MTU {
						compareMTU(p, n, mem, ifc, "Linux bridge "+ifc.Name+":")
					}
				}
			}
		}
		for _, ns := range n.Namespaces {
			rfp := rfpOf(ns)
			if rfp == nil {
				continue
			}
			if peer, _ := device(n, fprName(rfp.Name)); peer != nil {
				compareMTU(p, n, rfp, peer, "veth pair")
			}
		}
	}
}

func compareMTU(p *Pass, n *model.Node, a, b *model.Interface, what string) {
	if a.MTU == 0 || b.MTU == 0 || a.MTU == b.MTU {
		return
	}
	small, big := a, b
	if b.MTU < a.MTU {
		small, big = b, a
	}
	p.Reportf(n, []Evidence{ev(n, a.Pos, a.Raw), ev(n, b.Pos, b.Raw)},
		"%s %s (MTU %d) and %s (MTU %d) differ: frames over %d bytes from %s are dropped at %s",
		what, a.Name, a.MTU, b.Name, b.MTU, small.MTU, big.Name, small.Name)
}
