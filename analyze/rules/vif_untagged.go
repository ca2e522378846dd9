package rules

// VIFUntagged reports br-int VIFs without a VLAN tag (neutron-domain.md §5
// A4).
var VIFUntagged = &Rule{
	Name:     "vif-untagged",
	Category: "ovs",
	Severity: Error,
	Doc: `a VIF on br-int has no VLAN tag
Under the OVS agent every VIF on br-int is an access port of its network's
local VLAN. A port with iface-id and attached-mac but no tag is a trunk of
all VLANs: with br-int's NORMAL action it receives other networks'
broadcasts and unknown unicast and can send into them (an isolation breach,
bug 1734320), until the agent tags it or puts it on VLAN 4095. Seen when
the agent is down while Nova plugs a port, or after a port was re-created
by hand. Not checked on OVN nodes, where br-int ports are untagged by
design.`,
	Hint:  "check the OVS agent is running and processes the port (agent log, port binding); the agent tags it on its next loop",
	Needs: []Need{needOVS},
	Run:   runVIFUntagged,
}

func runVIFUntagged(p *Pass) {
	for _, n := range p.Nodes() {
		br := n.IntegrationBridge()
		if br == nil || !isOVSAgent(n) {
			continue
		}
		for _, port := range br.Ports {
			if !port.IsVIF() || port.HasTag || port.Type == "patch" || port.IsTunnel() || len(port.Trunks) > 0 {
				continue
			}
			p.Reportf(n, []Evidence{p.portEv(n, port, "tag"), p.ifaceEv(n, port, "external_ids")},
				"%s has no VLAN tag on %s: it is a trunk of every local VLAN and sees other networks' traffic", what(n, port), br.Name)
		}
	}
}
