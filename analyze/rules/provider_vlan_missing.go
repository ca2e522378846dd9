package rules

import ()

// ProviderVLANMissing reports VLAN and flat networks with local ports but
// no translation between the local VLAN and the provider segment
// (neutron-domain.md §1.4, §1.5, §5 A7).
var ProviderVLANMissing = &Rule{
	Name:     "provider-vlan-missing",
	Category: "ovs",
	Severity: Error,
	Doc: `no local VLAN translation for a VLAN or flat network
A VLAN or flat network reaches the physical network through a provider
bridge (br-ex, br-<physnet>): br-int table 0 turns the provider VLAN (or
untagged frames for flat) arriving from int-br-X into the local VLAN
("in_port=int-br-X,dl_vlan=<segid> actions=mod_vlan_vid:<local>"), and the
provider bridge turns the local VLAN back ("in_port=phy-br-X,dl_vlan=<local>
actions=mod_vlan_vid:<segid>" or strip_vlan; table 2 with DVR). A network
with ports on the node (VMs, qg-/fg- router ports) but without one of the
two is cut off from the physical network in that direction, typically
after the agent lost the bridge mapping or failed to provision the VLAN.`,
	Hint:  "check bridge_mappings names the physnet's bridge and the bridge exists with its uplink, then restart the OVS agent",
	Needs: []Need{needOVS, needIntFlows, needIntProgrammed},
	Run:   runProviderVLANMissing,
}

func runProviderVLANMissing(p *Pass) {
	for _, n := range p.Nodes() {
		br := n.IntegrationBridge()
		if br == nil || br.Flows == nil || !isOVSAgent(n) {
			continue
		}
		for _, ln := range p.Model.Networks.Of(n) {
			if ln.Segment.Type != "vlan" && ln.Segment.Type != "flat" {
				continue
			}
			vifs := byRole(ln.VIFs())
			if len(vifs) == 0 {
				continue
			}
			in, out := len(ln.From("ingress")) > 0, len(ln.From("egress")) > 0
			if in && out {
				continue
			}
			var e []Evidence
			e = append(e, p.portEv(n, vifs[0], "other_config"))
			var missing string
			switch {
			case !in && !out:
				missing = "neither direction is translated"
			case !in:
				missing = "br-int table 0 does not map the provider segment to it: traffic from the physical network never reaches its ports"
				e = append(e, flowEv(n, ln.From("egress")[0].Flow))
			default:
				missing = "no provider bridge maps it back to the provider segment: its traffic never leaves for the physical network"
				e = append(e, flowEv(n, ln.From("ingress")[0].Flow))
			}
			p.Reportf(n, e, "%s on local VLAN %d (%s here): %s", ln.Segment, ln.VLAN, plural(len(vifs), "port", "ports"), missing)
		}
	}
}
