package rules

import (
	"fmt"
	"net/netip"
	"regexp"
)

// TunnelOptionsMismatch reports tunnel ports whose name, type or local_ip
// disagrees with their peer's (neutron-domain.md §0, §1.1, §5 B2, B7).
var TunnelOptionsMismatch = &Rule{
	Name:     "tunnel-options-mismatch",
	Category: "tunnel",
	Severity: Warning,
	Doc: `tunnel port name, type or endpoint disagrees with its peer
The OVS agent names a tunnel port "<type>-<remote IPv4 in hex>" (10.0.0.12 →
vxlan-0a00000c) and both ends of a tunnel must use the same encapsulation.
A name whose hex is not its remote_ip marks a port created by hand or left
from an earlier address (the agent will not reuse or clean it); a VXLAN port
facing a GRE or Geneve port on the peer (tunnel_types differ between nodes)
carries nothing; a local_ip option other than the address the peer tunnels
to makes the peer's packets arrive where this end does not expect them. The
agent also sets in_key=flow and out_key=flow (the VNI comes from br-tun's
set tun_id); a tunnel with a fixed key sends every network with one VNI.`,
	Hint:  "align tunnel_types (and local_ip) in openvswitch_agent.ini on all nodes, restart the agents, and delete ports the agent does not own",
	Needs: []Need{needOVS},
	Run:   runTunnelOptionsMismatch,
}

var tunnelName = regexp.MustCompile(`^(vxlan|gre|geneve|stt)-([0-9a-f]{8})$`)

func runTunnelOptionsMismatch(p *Pass) {
	ends := tunnelEndpoints(p.Model)
	for _, n := range p.Nodes() {
		for _, t := range n.Tunnels() {
			remote := t.Options["remote_ip"]
			if m := tunnelName.FindStringSubmatch(t.Name); m != nil {
				if a, err := netip.ParseAddr(remote); err == nil && a.Is4() {
					b := a.As4()
					if want := fmt.Sprintf("%02x%02x%02x%02x", b[0], b[1], b[2], b[3]); want != m[2] {
						p.Reportf(n, []Evidence{p.ifaceEv(n, t, "options")}, "tunnel port %s reaches %s, but its name encodes %s: a port not created by the agent for this endpoint (hand-made or left over)", t.Name, remote, hexIP(m[2]))
					}
				}
			}
			if !keyFromFlows(t.Options) {
				p.Reportf(n, []Evidence{p.ifaceEv(n, t, "options")}, "tunnel %s does not take its key from the flows (options in_key/out_key/key are not \"flow\"): every network's traffic is sent with one fixed tunnel id", t.Name)
			}
			y := ends.node(remote)
			if y == nil || !p.Usable(y) {
				continue
			}
			back := tunnelTo(y, n.LocalIP())
			if back == nil {
				continue
			}
			if back.Type != t.Type {
				p.Report(Finding{Node: n.Name, Severity: Error, Evidence: []Evidence{p.ifaceEv(n, t, "type"), p.ifaceEv(y, back, "type")},
					Message: fmt.Sprintf("tunnel %s to %s is %s but %s's tunnel %s back is %s: the two ends cannot talk", t.Name, y.Name, t.Type, y.Name, back.Name, back.Type)})
			}
			if lip := t.Options["local_ip"]; lip != "" && back.Options["remote_ip"] != lip {
				p.Reportf(n, []Evidence{p.ifaceEv(n, t, "options"), p.ifaceEv(y, back, "options")},
					"tunnel %s sends from %s but %s's tunnel back targets %s", t.Name, lip, y.Name, back.Options["remote_ip"])
			}
		}
	}
}

func hexIP(h string) string {
	var b [4]byte
	for i := range b {
		fmt.Sscanf(h[2*i:2*i+2], "%02x", &b[i])
	}
	return netip.AddrFrom4(b).String()
}

// keyFromFlows reports whether a tunnel's key comes from the flows
// (key=flow, or in_key=flow and out_key=flow). A tunnel whose options the
// bundle does not show (an empty map) is not judged.
func keyFromFlows(o map[string]string) bool {
	return len(o) == 0 || o["key"] == "flow" || (o["in_key"] == "flow" && o["out_key"] == "flow")
}
