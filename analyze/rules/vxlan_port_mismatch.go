package rules

import (
	"sort"
	"strconv"
	"strings"

	"netxray/analyze/model"
)

// VXLANPortMismatch reports nodes whose VXLAN UDP destination port differs
// from the rest of the bundle set (neutron-domain.md §2.3, §5 B7).
var VXLANPortMismatch = &Rule{
	Name:     "vxlan-port-mismatch",
	Category: "tunnel",
	Severity: Error,
	Doc: `the VXLAN UDP port differs between nodes
VXLAN endpoints only talk when both use the same UDP destination port. OVS
tunnel ports use 4789 unless options:dst_port says otherwise; Linux VXLAN
devices of the Linux bridge agent print theirs as "dstport", and the kernel
default when the agent's udp_dstport is unset is 8472, not the IANA 4789
(the LB agent's own help warns about it). In a cloud mixing OVS and Linux
bridge nodes, or after a partial config change, the minority's packets are
dropped by everyone else.`,
	Hint: "set the same port everywhere: [vxlan] udp_dstport = 4789 for the Linux bridge agent, or the OVS agent's vxlan_udp_port, and restart the agents",
	Run:  runVXLANPortMismatch,
}

func runVXLANPortMismatch(p *Pass) {
	type use struct {
		n  *model.Node
		ev Evidence
	}
	byPort := map[int][]use{}
	for _, n := range p.Model.Nodes {
		seen := map[int]bool{}
		for _, t := range n.Tunnels() {
			if t.Type != "vxlan" {
				continue
			}
			port := 4789
			if s := t.Options["dst_port"]; s != "" {
				if v, err := strconv.Atoi(s); err == nil {
					port = v
				}
			}
			if !seen[port] {
				seen[port] = true
				byPort[port] = append(byPort[port], use{n, p.ifaceEv(n, t, "options")})
			}
		}
		for _, ifc := range n.Interfaces {
			if ifc.Kind != "vxlan" || ifc.Tunnel == nil || ifc.Tunnel.DstPort == 0 || ifc.Tunnel.External {
				continue
			}
			port := int(ifc.Tunnel.DstPort)
			if !seen[port] {
				seen[port] = true
				byPort[port] = append(byPort[port], use{n, ev(n, ifc.Pos, ifc.Raw)})
			}
		}
	}
	if len(byPort) < 2 {
		return
	}
	var ports []int
	for port := range byPort {
		ports = append(ports, port)
	}
	// The port most nodes use is the reference; the others are reported.
	sort.Slice(ports, func(i, j int) bool {
		a, b := len(byPort[ports[i]]), len(byPort[ports[j]])
		return a > b || a == b && ports[i] < ports[j]
	})
	ref := ports[0]
	var refNodes []string
	for _, u := range byPort[ref] {
		refNodes = append(refNodes, u.n.Name)
	}
	for _, port := range ports[1:] {
		for _, u := range byPort[port] {
			p.Reportf(u.n, []Evidence{u.ev, byPort[ref][0].ev}, "%s sends VXLAN to UDP port %d while %s use %d: their VXLAN traffic is dropped by each other",
				u.n.Name, port, strings.Join(refNodes, ", "), ref)
		}
	}
}
