package rules

import "netxray/analyze/model"

// NSDeviceOrphan reports Neutron namespace devices that are no OVS port
// (neutron-domain.md §5 F2).
var NSDeviceOrphan = &Rule{
	Name:     "ns-device-orphan",
	Category: "dvr",
	Severity: Error,
	Doc: `router or DHCP device in a namespace is not on OVS
With the OVS agent, every qr-, qg-, sg-, fg- and ha- device of a router
namespace, and the tap of a DHCP namespace, is an OVS internal port of
br-int (tagged with its network's local VLAN). A device left in the
namespace without its OVS port (deleted by hand, lost by an ovs-vsctl
del-port or an OVSDB restore) still holds its addresses, so the namespace
looks fine, but nothing reaches it: the subnet loses its gateway (qr-), the
router its external leg (qg-), DHCP stops answering (tap).`,
	Hint:  "recreate the port: restart the l3 (or DHCP) agent on the node, or remove and re-add the router interface",
	Needs: []Need{needOVS, needNetns},
	Run:   runNSDeviceOrphan,
}

func runNSDeviceOrphan(p *Pass) {
	for _, n := range p.Nodes() {
		if !isOVSAgent(n) {
			continue
		}
		for _, ns := range n.Namespaces {
			if ns.Capped {
				p.Skipf(n, "namespace %s capped: its files were not collected", ns.Name)
				continue
			}
			for _, ifc := range ns.Interfaces {
				role := model.DeviceRole(ifc.Name)
				switch {
				case role == "qr" || role == "qg" || role == "sg" || role == "fg" || role == "ha":
				case role == "tap" && ns.Kind == "qdhcp":
				default:
					continue
				}
				if portOnAnyBridge(n, ifc.Name) != nil {
					continue
				}
				var e []Evidence
				e = append(e, ev(n, ifc.Pos, ifc.Raw))
				for _, a := range ifc.Addrs {
					if a.Prefix.Addr().Is4() {
						e = append(e, ev(n, a.Pos, a.Raw))
					}
				}
				if br := n.IntegrationBridge(); br != nil && len(br.Ports) > 0 {
					e = append(e, absent(n, br.Ports[0].Pos.File, "no port "+ifc.Name+" on "+br.Name))
				}
				p.Reportf(n, e, "%s in %s is no port of any OVS bridge: it keeps its addresses but nothing reaches it", ifc.Name, ns.Name)
			}
		}
	}
}
