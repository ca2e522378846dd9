package rules

import "netxray/analyze/model"

// OVSFWPortUnfiltered reports VIFs without OVS-firewall classification on a
// node running the native firewall (neutron-domain.md §1.7, §5 E4).
var OVSFWPortUnfiltered = &Rule{
	Name:     "ovsfw-port-unfiltered",
	Category: "firewall",
	Severity: Error,
	Doc: `a VIF has no OVS firewall flows on a native-firewall node
With firewall_driver = openvswitch every VIF gets a br-int table 60
priority-100 flow "in_port=<port> actions=set reg5/reg6, resubmit(,71)" (or
73 for ports without port security) that sends its traffic through the
security-group tables. A VIF without it bypasses the firewall: its egress
goes straight to NORMAL, unfiltered, or is dropped by the spoofing tables,
and ingress to it skips the rules (bugs 1849098, 1850557, 1805808 after an
OVS restart).`,
	Hint:  "restart the OVS agent on the node so the firewall reinitialises every port",
	Needs: []Need{needOVS, needIntFlows, needIntProgrammed},
	Run:   runOVSFWPortUnfiltered,
}

func runOVSFWPortUnfiltered(p *Pass) {
	for _, n := range p.Nodes() {
		br := n.IntegrationBridge()
		if br == nil || br.Flows == nil || !nativeFirewall(n, br) {
			continue
		}
		classified := map[*model.Port]bool{}
		for i := range br.Flows.Flows {
			f := &br.Flows.Flows[i]
			if f.Table != 60 || f.Priority != 100 {
				continue
			}
			if in, ok := model.MatchValue(f, "in_port"); ok {
				if port := br.Port(in); port != nil {
					classified[port] = true
				}
			}
		}
		for _, port := range br.Ports {
			if !port.IsVIF() || !port.HasTag || port.Tag == 4095 || classified[port] || model.DeviceRole(port.Name) == "qvo" {
				continue
			}
			p.Reportf(n, []Evidence{p.ifaceEv(n, port, "external_ids"), absent(n, flowsFile(n, br), "no table=60 priority=100 flow matching in_port="+port.Name)},
				"%s has no OVS firewall classification flow (table 60, priority 100): its traffic bypasses the security groups", what(n, port))
		}
	}
}

// nativeFirewall reports whether br-int runs the OVS firewall: the agent's
// firewall_driver says so, or the firewall's tables hold flows.
func nativeFirewall(n *model.Node, br *model.Bridge) bool {
	if d := n.Agent.FirewallDriver; d.Pos.File != "" {
		return d.Value == "openvswitch" || d.Value == "neutron.agent.linux.openvswitch_firewall:OVSFirewallDriver"
	}
	for _, f := range br.Flows.Flows {
		if f.Table == 71 || f.Table == 81 {
			return true
		}
	}
	return false
}
