package rules

import "fmt"

// L2popWrongVNI reports egress flows that tag a local VLAN with another
// network's VNI (neutron-domain.md §2.4, §5 B5).
var L2popWrongVNI = &Rule{
	Name:     "l2pop-wrong-vni",
	Category: "l2pop",
	Severity: Error,
	Doc: `unicast or flood flow sets a VNI other than its VLAN's
br-tun's egress flows (table 22 floods, table 20 l2pop and learned entries)
match a local VLAN and set the tunnel id. The tunnel id must be the VNI of
the network the node carries on that VLAN (OVSDB other_config and the table
4 ingress flow say which). A different VNI delivers the frames into another
network on the receiving node (a leak between tenants) or drops them there.`,
	Hint:  "restart the OVS agent on the node: it re-provisions local VLANs and rewrites the flows",
	Needs: []Need{needOVS, needTunFlows, needTunProgrammed},
	Run:   runL2popWrongVNI,
}

func runL2popWrongVNI(p *Pass) {
	for _, n := range p.Nodes() {
		for _, ln := range p.Model.Networks.Of(n) {
			if !ln.Segment.IsTunnel() {
				continue
			}
			for _, mp := range ln.Mappings {
				if mp.Flow == nil || mp.Segment.ID == ln.Segment.ID || !mp.Segment.IsTunnel() {
					continue
				}
				switch mp.Source {
				case "flood", "unicast", "learned":
				default:
					continue
				}
				sev := Error
				if mp.Source == "learned" {
					sev = Warning
				}
				e := []Evidence{flowEv(n, mp.Flow)}
				for _, o := range ln.From("ovsdb") {
					e = append(e, p.portEv(n, o.Port, "other_config"))
					break
				}
				for _, o := range ln.From("ingress") {
					e = append(e, flowEv(n, o.Flow))
					break
				}
				p.Report(Finding{Node: n.Name, Severity: sev, Evidence: e, Message: fmt.Sprintf("%s %s flow of local VLAN %d sets tun_id %#x, but VLAN %d carries %s", mp.Bridge, mp.Source, ln.VLAN, mp.Segment.ID, ln.VLAN, ln.Segment)})
			}
		}
	}
}
