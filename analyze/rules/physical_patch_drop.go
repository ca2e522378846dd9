package rules

import (
	"fmt"

	"netxray/analyze/model"
)

// PhysicalPatchDrop reports br-int patch ports to a physical bridge
// without their table-0 drop flow (neutron-domain.md §1.4, §5 A9).
var PhysicalPatchDrop = &Rule{
	Name:     "physical-patch-drop",
	Category: "ovs",
	Severity: Warning,
	Doc: `br-int lacks the drop for a physical bridge's patch port
For each physical bridge of bridge_mappings the OVS agent patches br-int to
it (int-br-X ↔ phy-br-X) and installs in br-int table 0, besides one
VLAN-translation flow per provider network, a catch-all "priority=2,
in_port=int-br-X actions=drop": frames from the physical network that
belong to no network of this node stop there. Without it they fall to the
table's default and are switched by br-int on whatever VLAN they carry,
leaking between networks and, with two or more physical bridges, looping
from one physical network into the other (bugs 1887148, 1869808): an error
then.`,
	Hint:  "restart the OVS agent on the node (it reinstalls the physical bridges' flows)",
	Needs: []Need{needOVS, needIntFlows, needIntProgrammed},
	Run:   runPhysicalPatchDrop,
}

func runPhysicalPatchDrop(p *Pass) {
	for _, n := range p.Nodes() {
		br := n.IntegrationBridge()
		if br == nil || br.Flows == nil {
			continue
		}
		var phys []*model.Port
		for _, port := range br.Ports {
			if port.Type != "patch" || port.Peer() == "" {
				continue
			}
			if peer := portOnAnyBridge(n, port.Peer()); peer != nil && peer.Bridge != br.Name && !isTunnelBridge(n, peer.Bridge) {
				phys = append(phys, port)
			}
		}
		for _, port := range phys {
			if hasPortDrop(br, port) {
				continue
			}
			sev := Warning
			if len(phys) > 1 {
				sev = Error
			}
			p.Report(Finding{Node: n.Name, Severity: sev, Evidence: []Evidence{
				p.portEv(n, port, "name"),
				absent(n, flowsFile(n, br), fmt.Sprintf("no table=0 priority=2 flow matching in_port=%s with actions=drop", port.Name)),
			}, Message: fmt.Sprintf("%s table 0 has no drop for frames from %s (patch to %s): what no provider network of this node claims is switched by %s instead of dropped%s",
				br.Name, port.Name, port.Peer(), br.Name, loopNote(len(phys)))})
		}
	}
}

func loopNote(physical int) string {
	if physical > 1 {
		return fmt.Sprintf(", and with %d physical bridges it can loop between them", physical)
	}
	return ""
}

// isTunnelBridge reports whether bridge is the node's tunnel bridge.
func isTunnelBridge(n *model.Node, bridge string) bool {
	tb := n.TunnelBridge()
	return tb != nil && tb.Name == bridge
}

// hasPortDrop reports whether table 0 of br drops everything from port.
func hasPortDrop(br *model.Bridge, port *model.Port) bool {
	for i := range br.Flows.Flows {
		f := &br.Flows.Flows[i]
		if f.Table != 0 || len(f.Actions) != 1 || f.Actions[0].Name != "drop" || len(f.Match) != 1 {
			continue
		}
		if in, ok := model.MatchValue(f, "in_port"); ok && br.Port(in) == port {
			return true
		}
	}
	return false
}
