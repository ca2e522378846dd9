package rules

import "netxray/analyze/model"

// HybridPlumbing reports broken tap–qbr–qvb–qvo chains of the hybrid
// iptables firewall, and plugs that do not match the node's driver
// (neutron-domain.md §1.7, §5 E6).
var HybridPlumbing = &Rule{
	Name:     "hybrid-plumbing",
	Category: "firewall",
	Severity: Error,
	Doc: `hybrid firewall plumbing broken or not matching the driver
With firewall_driver = iptables_hybrid a VM's tap is in a Linux bridge
qbr<id>, joined by the veth qvb<id>/qvo<id> to br-int, where iptables
physdev rules filter it. For each qvo on br-int the rule checks that qvb<id>
and tap<id> are members of qbr<id>; a broken chain cuts the VM off. It also
reports plugs of the other kind: a VM tap directly on br-int on a hybrid
node (its traffic bypasses the iptables security groups) or a qvo chain on
a native-firewall node, as left by a firewall-driver migration without
a hard reboot of the VMs.`,
	Hint:  "hard-reboot the VM (Nova re-plugs it for the node's current driver); make firewall_driver the same on all nodes",
	Needs: []Need{needOVS, needHostIPs},
	Run:   runHybridPlumbing,
}

func runHybridPlumbing(p *Pass) {
	for _, n := range p.Nodes() {
		br := n.IntegrationBridge()
		if br == nil || !isOVSAgent(n) {
			continue
		}
		driver := n.Agent.FirewallDriver
		hybrid := driver.Pos.File != "" && (driver.Value == "iptables_hybrid" || driver.Value == "neutron.agent.linux.iptables_firewall.OVSHybridIptablesFirewallDriver")
		native := driver.Pos.File != "" && driver.Value == "openvswitch"
		for _, port := range br.Ports {
			if !port.IsVIF() {
				continue
			}
			switch model.DeviceRole(port.Name) {
			case "qvo":
				id := port.Name[3:]
				checkChain(p, n, port, id)
				if native {
					p.Report(Finding{Node: n.Name, Severity: Warning, Evidence: []Evidence{p.portEv(n, port, "name"), ev(n, driver.Pos, "firewall_driver = "+driver.Value)},
						Message: what(n, port) + " is plugged the hybrid way (qbr/qvb/qvo) on a node whose firewall driver is openvswitch: the OVS firewall does not filter it the same way"})
				}
			case "tap":
				if hybrid && namespaceOf(n, port.Name) == nil && port.VMUUID != "" {
					p.Reportf(n, []Evidence{p.portEv(n, port, "name"), ev(n, driver.Pos, "firewall_driver = "+driver.Value)},
						"%s is plugged directly into %s on a node whose firewall driver is iptables_hybrid: no security group filters it", what(n, port), br.Name)
				}
			}
		}
	}
}

// checkChain verifies qvb<id> and tap<id> are members of qbr<id>.
func checkChain(p *Pass, n *model.Node, port *model.Port, id string) {
	qbr, qvb, tap := n.HostInterface("qbr"+id), n.HostInterface("qvb"+id), n.HostInterface("tap"+id)
	e := []Evidence{p.portEv(n, port, "name")}
	switch {
	case qvb == nil:
		p.Reportf(n, e, "%s has no qvb%s peer in the root namespace: the VM's hybrid plug is cut between br-int and its Linux bridge", what(n, port), id)
	case qbr == nil:
		p.Reportf(n, append(e, ev(n, qvb.Pos, qvb.Raw)), "%s: Linux bridge qbr%s is missing", what(n, port), id)
	case qvb.Master != qbr.Name:
		p.Reportf(n, append(e, ev(n, qvb.Pos, qvb.Raw)), "%s: qvb%s is not a member of qbr%s (master %q)", what(n, port), id, id, qvb.Master)
	case tap == nil:
		p.Report(Finding{Node: n.Name, Severity: Warning, Evidence: append(e, ev(n, qbr.Pos, qbr.Raw)),
			Message: what(n, port) + ": no tap" + id + " in qbr" + id + ": the VM is not running, or its plug is gone"})
	case tap.Master != qbr.Name:
		p.Reportf(n, append(e, ev(n, tap.Pos, tap.Raw)), "%s: tap%s is not a member of qbr%s (master %q): the VM is cut off", what(n, port), id, id, tap.Master)
	}
}
