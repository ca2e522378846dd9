package rules

import "netxray/analyze/model"

// PatchPeerBroken reports patch ports whose peer is missing or does not
// point back (neutron-domain.md §1.1, §5 A1).
var PatchPeerBroken = &Rule{
	Name:     "patch-peer-broken",
	Category: "ovs",
	Severity: Error,
	Doc: `patch port whose peer is missing or does not point back
br-int is joined to br-tun (patch-tun/patch-int) and to each provider bridge
(int-br-X/phy-br-X) by pairs of patch ports whose options:peer name each
other. A patch port with no peer, a peer that does not exist on another
bridge of the node, a peer pointing elsewhere, or the agent's placeholder
"nonexistent-peer" (setup never completed) cuts the bridges apart: nothing
crosses between br-int and the tunnels or the physical network (bugs
1514056, 1528894).`,
	Hint:  "restart the OVS agent (it recreates the patch ports); for provider bridges check bridge_mappings names an existing bridge",
	Needs: []Need{needOVS},
	Run:   runPatchPeerBroken,
}

func runPatchPeerBroken(p *Pass) {
	for _, n := range p.Nodes() {
		for _, b := range n.Bridges {
			for _, port := range b.Ports {
				if port.Type != "patch" {
					continue
				}
				peer := port.Peer()
				e := []Evidence{p.ifaceEv(n, port, "options")}
				switch {
				case peer == "" || peer == "nonexistent-peer":
					p.Reportf(n, e, "patch port %s on %s has no peer (options:peer=%q): the agent never finished wiring it", port.Name, b.Name, peer)
				default:
					q, qb := patchPeer(n, b, peer)
					switch {
					case q == nil:
						p.Reportf(n, e, "patch port %s on %s names peer %s, which is no port of another bridge: %s is cut off", port.Name, b.Name, peer, b.Name)
					case q.Type != "patch":
						p.Reportf(n, append(e, p.ifaceEv(n, q, "type")), "patch port %s on %s names %s on %s as its peer, but that is a %q port", port.Name, b.Name, peer, qb.Name, q.Type)
					case q.Peer() != port.Name:
						p.Reportf(n, append(e, p.ifaceEv(n, q, "options")), "patch port %s on %s peers with %s on %s, which peers with %q instead", port.Name, b.Name, peer, qb.Name, q.Peer())
					}
				}
			}
		}
	}
}

func patchPeer(n *model.Node, self *model.Bridge, name string) (*model.Port, *model.Bridge) {
	for _, b := range n.Bridges {
		if b == self {
			continue
		}
		for _, p := range b.Ports {
			if p.Name == name {
				return p, b
			}
		}
	}
	return nil, nil
}
