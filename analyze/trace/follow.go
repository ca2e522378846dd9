package trace

import (
	"fmt"
	"net/netip"
	"strings"

	"netxray/analyze/model"
	"netxray/analyze/netstack"
	"netxray/analyze/openflow"
)

// follow takes the packet where output o of node n leads. ok is false for
// a flood copy that cannot reach the destination (another VM's port, an
// unrelated tunnel peer's local ports), which is not a failure.
func (t *tracer) follow(n *model.Node, o *openflow.Output, p packet, hops []Hop, depth int) (branch, bool) {
	switch o.Kind {
	case "controller":
		return branch{hops: hops, verdict: Dropped, reason: fmt.Sprintf("%s on %s sends the packet to the controller", o.Bridge, n.Name)}, true
	case "tunnel":
		return t.tunnel(n, o, p, hops, depth), true
	}
	port := portByName(n, o.Port)
	if port == nil {
		return branch{hops: hops, verdict: DataMissing, reason: fmt.Sprintf("output port %s of %s on %s is not in the bundle's port tables", o.Port, o.Bridge, n.Name)}, true
	}
	if vm, nic := t.nicOf(n, port); nic != nil {
		if !strings.EqualFold(p.dstMAC, nic.MAC) {
			return branch{}, false // a flood copy the guest ignores
		}
		// The destination's own NIC, or, for an address that was
		// DNATed on the way (a floating IP), the NIC of the new one.
		if (t.dst.NIC != nil && nic == t.dst.NIC) || (t.dst.External && p.dstIP != t.dst.IP && t.m.Addresses.MACOf(p.dstIP) == strings.ToLower(nic.MAC)) {
			return t.deliver(n, vm, nic, port, p, hops), true
		}
		return branch{}, false
	}
	if ns, ifc := namespaceOf(n, port.Name); ns != nil {
		if !strings.EqualFold(p.dstMAC, ifc.MAC.String()) && !isBroadcast(p.dstMAC) {
			return branch{}, false // a flood copy the device ignores
		}
		return t.linux(n, ns, ifc, p, hops, depth+1), true
	}
	if port.Type == "" || port.Type == "system" {
		if t.dst.External {
			hops = append(hops, Hop{Node: n.Name, Where: port.Name, Kind: "deliver",
				Detail:   fmt.Sprintf("leaves %s through %s (%s) towards %s on the external network", n.Name, port.Name, o.Bridge, p.dstIP),
				Evidence: []Evidence{evidence(port.Pos, "port "+port.Name)}})
			return branch{hops: hops, verdict: Delivered}, true
		}
	}
	return branch{}, false
}

// deliver ends at the destination VM's port: through qvo → qvb → qbr →
// tap for the hybrid firewall.
func (t *tracer) deliver(n *model.Node, vm *model.VM, nic *model.NIC, port *model.Port, p packet, hops []Hop) branch {
	b := branch{verdict: Delivered}
	if strings.HasPrefix(port.Name, "qvo") {
		sfx := port.Name[3:]
		h, hb, ok := t.hybrid(n, sfx, "qvb"+sfx, nic.Tap, p)
		hops = append(hops, h)
		if !ok {
			hb.hops = hops
			return hb
		}
		b.assumed = hb.assumed
	}
	hops = append(hops, Hop{Node: n.Name, Where: nic.Tap, Kind: "deliver",
		Detail:   fmt.Sprintf("reaches %s (%s, %s)", vm.Name(), nic.MAC, p.dstIP),
		Evidence: []Evidence{evidence(nic.Pos, "VIF "+nic.Tap+" iface-id "+nic.PortID)}})
	b.hops = hops
	t.deliveredTo = &Endpoint{Spec: p.dstIP.String(), Node: n, VM: vm, NIC: nic, MAC: strings.ToLower(nic.MAC), IP: p.dstIP}
	return b
}

// tunnel continues on the node that owns the tunnel's remote IP, entering
// through its tunnel port back to this node.
func (t *tracer) tunnel(n *model.Node, o *openflow.Output, p packet, hops []Hop, depth int) branch {
	tu := o.Tunnel
	port := portByName(n, o.Port)
	ev := []Evidence{}
	if port != nil {
		ev = append(ev, evidence(port.Pos, fmt.Sprintf("port %s type %s remote_ip=%s", port.Name, port.Type, tu.RemoteIP)))
	}
	peer := t.m.NodeByLocalIP(tu.RemoteIP)
	if peer == nil {
		hops = append(hops, Hop{Node: n.Name, Where: o.Port, Kind: "tunnel", Detail: fmt.Sprintf("%s tun_id %#x to %s", tu.Type, tu.TunID, tu.RemoteIP), Evidence: ev})
		return branch{hops: hops, verdict: MissingTunnel,
			reason: fmt.Sprintf("tunnel %s on %s goes to %s, which no node of the bundle set uses as local_ip (a node missing from the bundles, or a stale tunnel)", o.Port, n.Name, tu.RemoteIP)}
	}
	if h, reason, ok := t.underlayRoute(n, o, tu); !ok {
		return branch{hops: append(hops, h), verdict: NoRoute, reason: reason}
	}
	back := tunnelTo(peer, tu.LocalIP, tu.Type)
	hops = append(hops, Hop{Node: n.Name, Where: o.Port, Kind: "tunnel",
		Detail: fmt.Sprintf("%s tun_id %#x %s → %s (%s)", tu.Type, tu.TunID, tu.LocalIP, tu.RemoteIP, peer.Name), Evidence: ev})
	if back == nil {
		return branch{hops: hops, verdict: MissingTunnel,
			reason: fmt.Sprintf("%s has no %s tunnel port with remote_ip=%s, so it drops what %s sends it", peer.Name, tu.Type, tu.LocalIP, n.Name)}
	}
	if t.opts.Size > 0 {
		if h, ok := t.checkTunnelMTU(n, peer, tu.Type, tu.LocalIP, tu.RemoteIP); !ok {
			return branch{hops: append(hops, h), verdict: MTUExceeded, reason: fmt.Sprintf("on %s: %s", h.Node, h.Detail)}
		}
	}
	q := p
	q.tunID, q.tunSrc, q.tunDst = tu.TunID, tu.LocalIP, tu.RemoteIP
	return t.ovs(peer, back.Bridge, back.Name, q, hops, depth+1)
}

// tunnelTo finds n's tunnel port to remoteIP.
func tunnelTo(n *model.Node, remoteIP, typ string) *model.Port {
	for _, p := range n.Tunnels() {
		if p.Options["remote_ip"] == remoteIP && p.Type == typ {
			return p
		}
	}
	return nil
}

func portByName(n *model.Node, name string) *model.Port {
	for _, b := range n.Bridges {
		for _, p := range b.Ports {
			if p.Name == name {
				return p
			}
		}
	}
	return nil
}

// nicOf is the VM NIC plugged into port, nil for non-VM ports.
func (t *tracer) nicOf(n *model.Node, port *model.Port) (*model.VM, *model.NIC) {
	for _, vm := range n.VMs {
		for _, nic := range vm.NICs {
			if nic.OVSPort == port {
				return vm, nic
			}
		}
	}
	return nil, nil
}

// namespaceOf finds the namespace holding the device called name (OVS
// internal ports of routers and DHCP live in their namespaces).
func namespaceOf(n *model.Node, name string) (*model.Namespace, *model.Interface) {
	for _, ns := range n.Namespaces {
		for _, ifc := range ns.Interfaces {
			if ifc.Name == name {
				return ns, ifc
			}
		}
	}
	return nil, nil
}

// switchOf builds (once) the simulator's view of n's Open vSwitch.
func (t *tracer) switchOf(n *model.Node) *openflow.Switch {
	if sw := t.switches[n]; sw != nil {
		return sw
	}
	sw := openflow.FromNode(n)
	t.switches[n] = sw
	return sw
}

func isBroadcast(mac string) bool { return strings.EqualFold(mac, "ff:ff:ff:ff:ff:ff") }

// underlayRoute checks that n can send the encapsulated packet: local_ip
// is one of its addresses and its root namespace routes remote_ip; on the
// userspace datapath the route must leave through an OVS bridge's internal
// port (native tunnelling: OVS itself builds and outputs the outer frame),
// never a plain kernel interface.
func (t *tracer) underlayRoute(n *model.Node, o *openflow.Output, tu *openflow.Tunnel) (Hop, string, bool) {
	root := t.netstackOf(n, nil)
	if !root.Have.Routes {
		return Hop{}, "", true // nothing to check with; the trace goes on
	}
	local, err1 := netip.ParseAddr(tu.LocalIP)
	remote, err2 := netip.ParseAddr(tu.RemoteIP)
	if err1 != nil || err2 != nil {
		return Hop{}, "", true
	}
	d, err := root.Route(netstack.Packet{Src: local, Dst: remote})
	h := Hop{Node: n.Name, Where: "underlay", Kind: "route"}
	if d.Route != nil {
		h.Evidence = append(h.Evidence, evidence(d.Route.Pos, d.Route.Raw))
	}
	switch {
	case err != nil:
		return Hop{}, "", true
	case d.Verdict == netstack.Martian:
		h.Detail = fmt.Sprintf("local_ip %s of %s is not an address of %s", tu.LocalIP, o.Port, n.Name)
		return h, fmt.Sprintf("%s on %s: %s", o.Port, n.Name, h.Detail), false
	case d.Verdict != netstack.Forward:
		h.Detail = fmt.Sprintf("no underlay route from %s to %s: %s", tu.LocalIP, tu.RemoteIP, d.Reason)
		return h, fmt.Sprintf("tunnel %s on %s to %s (%s's local_ip): %s", o.Port, n.Name, tu.RemoteIP, t.ownerOf(tu.RemoteIP), h.Detail), false
	}
	br := n.Bridge(o.Bridge)
	if br != nil && br.DatapathType == "netdev" {
		if p := portByName(n, d.Dev); p == nil || p.Type != "internal" {
			h.Detail = fmt.Sprintf("the route to %s leaves through %s, which is not an OVS bridge port: the userspace datapath cannot send tunnel packets there", tu.RemoteIP, d.Dev)
			return h, fmt.Sprintf("tunnel %s on %s to %s (%s's local_ip): %s", o.Port, n.Name, tu.RemoteIP, t.ownerOf(tu.RemoteIP), h.Detail), false
		}
	}
	return Hop{}, "", true
}

// ownerOf names the node whose tunnels use ip as local_ip.
func (t *tracer) ownerOf(ip string) string {
	if n := t.m.NodeByLocalIP(ip); n != nil {
		return n.Name
	}
	return "no node"
}
