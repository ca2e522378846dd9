package rules

import "netxray/analyze/model"

// OVSPortOrphan reports router and DHCP internal ports on OVS whose device
// is in no namespace any more (neutron-domain.md §5 F1, F2).
var OVSPortOrphan = &Rule{
	Name:     "ovs-port-orphan",
	Category: "dvr",
	Severity: Warning,
	Doc: `router or DHCP port on OVS whose device is in no namespace
The l3 and DHCP agents plug qr-, qg-, sg-, fg-, ha- and DHCP tap ports into
br-int as OVS internal ports and move their devices into the router, fip,
snat or qdhcp namespace. An internal port whose device is in no namespace
of the node (nor the root namespace) is a leftover: its namespace was
deleted without unplugging it (an agent crash, a router or network removed
while the agent was down, bugs 1470909, 1353165). It holds a local VLAN tag
and flows for an address nobody answers, and may make l2pop announce a port
that is gone.`,
	Hint:  "delete the leftover port (ovs-vsctl del-port br-int NAME), or run neutron-ovs-cleanup when the agents are stopped",
	Needs: []Need{needOVS, needNetns, needHostIPs},
	Run:   runOVSPortOrphan,
}

func runOVSPortOrphan(p *Pass) {
	for _, n := range p.Nodes() {
		br := n.IntegrationBridge()
		if br == nil {
			continue
		}
		capped := false
		for _, ns := range n.Namespaces {
			if ns.Capped {
				capped = true
			}
		}
		if capped {
			p.Skipf(n, "some namespaces were not collected (capped): a device may be in one of them")
			continue
		}
		for _, port := range br.Ports {
			if port.Type != "internal" || port.Name == br.Name {
				continue
			}
			switch model.DeviceRole(port.Name) {
			case "qr", "qg", "sg", "fg", "ha", "tap":
			default:
				continue
			}
			if ifc, _ := device(n, port.Name); ifc != nil {
				continue
			}
			p.Reportf(n, []Evidence{p.portEv(n, port, "name")}, "OVS internal port %s on %s has no device in any namespace of the node: a leftover of a deleted router or DHCP namespace", port.Name, br.Name)
		}
	}
}
