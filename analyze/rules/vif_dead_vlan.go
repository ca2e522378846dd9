package rules

import "netxray/analyze/model"

// VIFDeadVLAN reports VIFs on the dead VLAN 4095 (neutron-domain.md §5 A3).
var VIFDeadVLAN = &Rule{
	Name:     "vif-dead-vlan",
	Category: "ovs",
	Severity: Error,
	Doc: `a VIF sits on the dead VLAN 4095
The OVS agent puts a port on VLAN 4095 when it cannot wire it: binding
failed, the agent could not fetch the port's details, or its network is
gone (os-vif isolates new ports there too until the agent takes them). br-int
table 0 drops everything on VLAN 4095, so the VM (or router/DHCP port) is cut
off from its network while Nova and Neutron may still call it ACTIVE.`,
	Hint:  "check the port's binding (openstack port show: binding:vif_type, binding:host_id) and the OVS agent log for the port id; resync by restarting the agent or re-plugging the port",
	Needs: []Need{needOVS},
	Run:   runVIFDeadVLAN,
}

func runVIFDeadVLAN(p *Pass) {
	for _, n := range p.Nodes() {
		br := n.IntegrationBridge()
		if br == nil {
			continue
		}
		for _, port := range br.Ports {
			if !port.HasTag || port.Tag != 4095 || port.Type == "patch" || port.IsTunnel() {
				continue
			}
			e := []Evidence{p.portEv(n, port, "tag")}
			if port.NetworkType != "" {
				e = append(e, p.portEv(n, port, "other_config"))
			}
			msg := "%s is on the dead VLAN 4095: br-int drops all its traffic"
			if port.IsVIF() {
				p.Reportf(n, e, msg+"%s", what(n, port), dataOf(n, port))
			} else {
				p.Report(Finding{Node: n.Name, Severity: Warning, Evidence: e, Message: "port " + port.Name + " on " + n.Name + " is on the dead VLAN 4095: br-int drops all its traffic"})
			}
		}
	}
}

// dataOf adds what OVSDB says the port should carry.
func dataOf(n *model.Node, port *model.Port) string {
	s := ""
	if port.NetworkType != "" {
		s = "; other_config says " + port.NetworkType
		if port.SegmentationID != "" {
			s += " " + port.SegmentationID
		}
	}
	for _, vm := range n.VMs {
		for _, nic := range vm.NICs {
			if nic.OVSPort == port {
				return s + "; VM " + vm.Name()
			}
		}
	}
	return s
}
