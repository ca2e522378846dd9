package rules

import (
	"net/netip"
	"sort"
	"strings"

	"netxray/analyze/model"
)

// LocalIPMismatch reports a node whose tunnel endpoint address is
// inconsistent (neutron-domain.md §2.4, §5 B2).
var LocalIPMismatch = &Rule{
	Name:     "local-ip-mismatch",
	Category: "tunnel",
	Severity: Error,
	Doc: `tunnel endpoint address inconsistent on a node
A node's overlay endpoint is the OVS agent's local_ip: every tunnel port of
the node must use it as options:local_ip, it must be configured on an
interface of the node, no other node may use it, and the node's peers must
tunnel to it. The rule reports tunnel ports with differing local_ip, an
agent configuration that says another address than the tunnels, a local_ip
on no interface, two nodes sharing one, and peers that tunnel to another
address of this node (the local_ip was changed, e.g. to the management
network, and the peers still target the old underlay address: bug 1408603).`,
	Hint:  "set [ovs] local_ip in openvswitch_agent.ini to the node's underlay (tunnel network) address and restart the agent; remove stale endpoints afterwards",
	Needs: []Need{needOVS, needHostIPs},
	Run:   runLocalIPMismatch,
}

func runLocalIPMismatch(p *Pass) {
	byIP := map[string][]*model.Node{}
	for _, n := range p.Nodes() {
		local := n.LocalIP()
		if local == "" {
			continue
		}
		byIP[local] = append(byIP[local], n)
		tunnels := n.Tunnels()
		ips := map[string][]string{}
		for _, t := range tunnels {
			if ip := t.Options["local_ip"]; ip != "" {
				ips[ip] = append(ips[ip], t.Name)
			}
		}
		if len(ips) > 1 {
			var parts []string
			var e []Evidence
			for ip, ts := range ips {
				parts = append(parts, ip+" ("+strings.Join(ts, ", ")+")")
			}
			sort.Strings(parts)
			for _, t := range tunnels {
				e = append(e, p.ifaceEv(n, t, "options"))
			}
			p.Reportf(n, e, "tunnel ports use different local_ip: %s", strings.Join(parts, "; "))
		}
		if cfg := n.Agent.LocalIP; cfg.Pos.File != "" && len(tunnels) > 0 && cfg.Value != local {
			p.Reportf(n, []Evidence{ev(n, cfg.Pos, "local_ip = "+cfg.Value), p.ifaceEv(n, tunnels[0], "options")},
				"the agent's local_ip is %s but the tunnel ports use %s: the agent has not been restarted since the change, or the ports are left over", cfg.Value, local)
		}
		a, err := netip.ParseAddr(local)
		if err != nil {
			continue
		}
		ifc := interfaceWith(n.Interfaces, a)
		if ifc == nil {
			var e []Evidence
			if len(tunnels) > 0 {
				e = append(e, p.ifaceEv(n, tunnels[0], "options"))
			}
			if cfg := n.Agent.LocalIP; cfg.Pos.File != "" {
				e = append(e, ev(n, cfg.Pos, "local_ip = "+cfg.Value))
			}
			p.Reportf(n, e, "local_ip %s is configured on no interface of the node: no tunnel traffic can be sent or received", local)
			continue
		}
		// A local_ip outside the underlay subnet every peer uses, on a
		// node that has an address in it: the agent points at the wrong
		// interface.
		pfx, peerEv, ok := peerUnderlay(p, n)
		if !ok || pfx.Contains(a) {
			continue
		}
		in := interfaceInPrefix(n.Interfaces, pfx)
		if in == nil {
			continue
		}
		e := []Evidence{}
		if cfg := n.Agent.LocalIP; cfg.Pos.File != "" {
			e = append(e, ev(n, cfg.Pos, "local_ip = "+cfg.Value))
		}
		e = append(e, addrEv(n, ifc, a), addrEv(n, in, netip.Addr{}), peerEv)
		p.Reportf(n, e, "local_ip %s (%s) is outside %s, the tunnel network of every other node, although this node has %s there: the agent uses the wrong interface, and its peers' tunnels to it take the wrong path",
			local, ifc.Name, pfx, in.Name)
	}
	for ip, ns := range byIP {
		if len(ns) < 2 {
			continue
		}
		for _, n := range ns {
			var e []Evidence
			for _, t := range n.Tunnels() {
				e = append(e, p.ifaceEv(n, t, "options"))
				break
			}
			p.Reportf(n, e, "local_ip %s is also the tunnel endpoint of %s: tunnels cannot tell the nodes apart", ip, names(others(ns, n)))
		}
	}
}

// peerUnderlay returns the one prefix holding every other node's local_ip
// (from the interface that has it), with the evidence of one of them.
func peerUnderlay(p *Pass, n *model.Node) (netip.Prefix, Evidence, bool) {
	var pfx netip.Prefix
	var e Evidence
	count := 0
	for _, y := range p.Model.Nodes {
		if y == n {
			continue
		}
		a, err := netip.ParseAddr(y.LocalIP())
		if err != nil {
			continue
		}
		ifc := interfaceWith(y.Interfaces, a)
		if ifc == nil {
			continue
		}
		var got netip.Prefix
		for _, ad := range ifc.Addrs {
			if ad.Prefix.Addr() == a {
				got = ad.Prefix.Masked()
			}
		}
		if count > 0 && got != pfx {
			return netip.Prefix{}, e, false
		}
		if count == 0 {
			e = addrEv(y, ifc, a)
		}
		pfx = got
		count++
	}
	return pfx, e, count > 0 && pfx.IsValid()
}

// interfaceInPrefix returns an interface with an address in pfx.
func interfaceInPrefix(ifs []*model.Interface, pfx netip.Prefix) *model.Interface {
	for _, ifc := range ifs {
		for _, ad := range ifc.Addrs {
			if pfx.Contains(ad.Prefix.Addr()) {
				return ifc
			}
		}
	}
	return nil
}

func others(ns []*model.Node, n *model.Node) []*model.Node {
	var out []*model.Node
	for _, x := range ns {
		if x != n {
			out = append(out, x)
		}
	}
	return out
}
