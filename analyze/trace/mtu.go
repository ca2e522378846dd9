package trace

import (
	"fmt"
	"net/netip"

	"netxray/analyze/model"
)

// Encapsulation overhead on an IPv4 underlay: outer IP + UDP + VXLAN (or
// Geneve without options) + the inner Ethernet header; GRE carries the
// inner frame after a 4-byte (8 with a key) header.
var encapOverhead = map[string]int{"vxlan": 50, "geneve": 50, "gre": 42, "stt": 72}

// underlay is the device carrying a node's tunnels: the interface that
// holds local_ip, and, when it is an OVS bridge's internal port (br-phy
// on a userspace datapath), the physical ports of that bridge.
type underlay struct {
	mtu int
	dev *model.Interface
}

// underlayOf finds the smallest MTU on the way out of n towards local IP ip.
func underlayOf(n *model.Node, ip string) (underlay, bool) {
	addr, err := netip.ParseAddr(ip)
	if err != nil {
		return underlay{}, false
	}
	var out underlay
	consider := func(ifc *model.Interface) {
		if ifc.MTU > 0 && (out.dev == nil || ifc.MTU < out.mtu) {
			out = underlay{mtu: ifc.MTU, dev: ifc}
		}
	}
	for _, ifc := range n.Interfaces {
		for _, a := range ifc.Addrs {
			if a.Prefix.Addr() != addr {
				continue
			}
			consider(ifc)
			if br := n.Bridge(ifc.Name); br != nil {
				for _, p := range br.Ports {
					if p.Type != "" && p.Type != "system" {
						continue
					}
					if phys := hostInterface(n, p.Name); phys != nil {
						consider(phys)
					}
				}
			}
		}
	}
	return out, out.dev != nil
}

func hostInterface(n *model.Node, name string) *model.Interface {
	for _, ifc := range n.Interfaces {
		if ifc.Name == name {
			return ifc
		}
	}
	return nil
}

// checkTunnelMTU says whether a packet of size bytes fits the tunnel
// between from and to once encapsulated; both ends' underlays count (a
// too-small MTU on the receiving NIC drops the frame as well).
func (t *tracer) checkTunnelMTU(from, to *model.Node, typ, localIP, remoteIP string) (Hop, bool) {
	size := t.opts.Size
	need := size + encapOverhead[typ]
	for _, end := range []struct {
		n  *model.Node
		ip string
	}{{from, localIP}, {to, remoteIP}} {
		u, ok := underlayOf(end.n, end.ip)
		if !ok || u.mtu >= need {
			continue
		}
		return Hop{Node: end.n.Name, Where: u.dev.Name, Kind: "tunnel",
			Detail:   fmt.Sprintf("a %d-byte packet needs %d bytes once %s-encapsulated, but %s's MTU is %d", size, need, typ, u.dev.Name, u.mtu),
			Evidence: []Evidence{evidence(u.dev.Pos, firstLine(u.dev.Raw))}}, false
	}
	return Hop{}, true
}
