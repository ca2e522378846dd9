package model

import (
	"sort"
	"strings"

	"netxray/parse/ovs"
)

// Router is one Neutron router across the bundle set: its namespaces on
// every node (qrouter-<id> where it routes, snat-<id> where DVR keeps its
// centralized SNAT).
type Router struct {
	ID       string
	QRouters []RouterNS
	SNATs    []RouterNS
	// Distributed is true for a DVR router: it has an snat namespace, an
	// rfp- device, or a qrouter on a node whose l3 agent runs in a dvr
	// mode.
	Distributed bool
	// HA is true when an instance has an L3-HA (ha-) device.
	HA bool
}

// RouterNS is one namespace of a router on one node.
type RouterNS struct {
	Node *Node
	NS   *Namespace
}

// QRouterOn returns the router's qrouter namespace on n, or nil.
func (r *Router) QRouterOn(n *Node) *Namespace {
	for _, q := range r.QRouters {
		if q.Node == n {
			return q.NS
		}
	}
	return nil
}

// MACFlow is a DVR host MAC as one flow uses it.
type MACFlow struct {
	MAC    string
	Bridge string
	Flow   *ovs.Flow
}

// DVRMACs are the DVR host MACs one node's flows show: its own (the
// source MAC its routers rewrite to) and the other hosts' it knows.
type DVRMACs struct {
	// Own are br-tun (or provider bridge) table 1 rewrites
	// mod_dl_src:<own MAC>, and br-int table 0 flows for frames addressed
	// to it.
	Own []MACFlow
	// Tunnel are br-tun table 9 entries (dl_src=M → patch-int, not
	// learned) and FromTunnel br-int table 0 entries (in_port=patch-tun,
	// dl_src=M → table 1).
	Tunnel     []MACFlow
	FromTunnel []MACFlow
	// Physical are provider-bridge table 3 entries and FromPhysical br-int
	// table 0 entries (in_port=int-br-X, dl_src=M → table 2).
	Physical     []MACFlow
	FromPhysical []MACFlow
}

// OwnMAC returns the node's DVR MAC, "" when its flows show none.
func (d *DVRMACs) OwnMAC() string {
	if d == nil || len(d.Own) == 0 {
		return ""
	}
	return d.Own[0].MAC
}

// Routers are the routers of the bundle set and each node's DVR MACs.
type Routers struct {
	list []*Router
	dvr  map[*Node]*DVRMACs
}

// All returns the routers sorted by ID.
func (rs *Routers) All() []*Router { return rs.list }

// Get returns the router with id, or nil.
func (rs *Routers) Get(id string) *Router {
	for _, r := range rs.list {
		if r.ID == id {
			return r
		}
	}
	return nil
}

// DVR returns the DVR MACs n's flows show (never nil).
func (rs *Routers) DVR(n *Node) *DVRMACs {
	if d := rs.dvr[n]; d != nil {
		return d
	}
	return &DVRMACs{}
}

// RouterID returns the router of a qrouter-/snat- namespace name, "" for
// other namespaces.
func RouterID(ns string) string {
	for _, p := range []string{"qrouter-", "snat-"} {
		if id, ok := strings.CutPrefix(ns, p); ok {
			return id
		}
	}
	return ""
}

// DeviceRole classifies a Neutron device by its name: qr, qg, sg, fg, rfp,
// fpr, ha, tap (VM or DHCP), qvo, qvb, qbr; "" for others.
func DeviceRole(name string) string {
	for _, p := range []string{"qr-", "qg-", "sg-", "fg-", "rfp-", "fpr-", "ha-", "tap", "qvo", "qvb", "qbr"} {
		if strings.HasPrefix(name, p) {
			return strings.TrimSuffix(p, "-")
		}
	}
	return ""
}

// Interface returns the namespace's interface named name, or nil.
func (ns *Namespace) Interface(name string) *Interface {
	for _, ifc := range ns.Interfaces {
		if ifc.Name == name {
			return ifc
		}
	}
	return nil
}

// HostInterface returns the root namespace's interface named name, or nil.
func (n *Node) HostInterface(name string) *Interface {
	for _, ifc := range n.Interfaces {
		if ifc.Name == name {
			return ifc
		}
	}
	return nil
}

// DVRMode reports whether the node's l3 agent runs in a DVR mode (dvr,
// dvr_snat, dvr_no_external), from its configuration or, without one, from
// a DVR namespace (fip-, snat-) or an rfp- device.
func (n *Node) DVRMode() bool {
	if strings.HasPrefix(n.Agent.L3Mode.Value, "dvr") {
		return true
	}
	if n.Agent.Configured && n.Agent.L3Mode.Pos.File != "" {
		return false
	}
	for _, ns := range n.Namespaces {
		if ns.Kind == "fip" || ns.Kind == "snat" {
			return true
		}
	}
	return false
}

func buildRouters(nodes []*Node) *Routers {
	rs := &Routers{dvr: map[*Node]*DVRMACs{}}
	byID := map[string]*Router{}
	for _, n := range nodes {
		for _, ns := range n.Namespaces {
			id := RouterID(ns.Name)
			if id == "" {
				continue
			}
			r := byID[id]
			if r == nil {
				r = &Router{ID: id}
				byID[id] = r
				rs.list = append(rs.list, r)
			}
			rn := RouterNS{Node: n, NS: ns}
			if ns.Kind == "snat" {
				r.SNATs = append(r.SNATs, rn)
				r.Distributed = true
			} else {
				r.QRouters = append(r.QRouters, rn)
				if n.DVRMode() {
					r.Distributed = true
				}
			}
			for _, ifc := range ns.Interfaces {
				switch DeviceRole(ifc.Name) {
				case "rfp":
					r.Distributed = true
				case "ha":
					r.HA = true
				}
			}
		}
		rs.dvr[n] = n.dvrMACs()
	}
	sort.Slice(rs.list, func(i, j int) bool { return rs.list[i].ID < rs.list[j].ID })
	return rs
}

// dvrMACs reads the DVR MACs of the node's flows (neutron-domain §3.4).
func (n *Node) dvrMACs() *DVRMACs {
	d := &DVRMACs{}
	addOwn := func(mac, bridge string, f *ovs.Flow) {
		d.Own = append(d.Own, MACFlow{MAC: strings.ToLower(mac), Bridge: bridge, Flow: f})
	}
	integ, tun := n.IntegrationBridge(), n.TunnelBridge()
	for _, b := range n.Bridges {
		if b == integ || b.Flows == nil {
			continue
		}
		for i := range b.Flows.Flows {
			f := &b.Flows.Flows[i]
			switch {
			case f.Table == 1 && hasMatch(f, "dl_src", "eth_src"):
				if mac := SetEthSrc(f); mac != "" {
					addOwn(mac, b.Name, f)
				}
			case f.Table == 9 && b == tun && f.Priority > 0:
				if mac, ok := MatchValue(f, "dl_src", "eth_src"); ok {
					d.Tunnel = append(d.Tunnel, MACFlow{MAC: strings.ToLower(mac), Bridge: b.Name, Flow: f})
				}
			case f.Table == 3 && b != tun && f.Priority > 1:
				if mac, ok := MatchValue(f, "dl_src", "eth_src"); ok {
					d.Physical = append(d.Physical, MACFlow{MAC: strings.ToLower(mac), Bridge: b.Name, Flow: f})
				}
			}
		}
	}
	if integ != nil && integ.Flows != nil {
		for i := range integ.Flows.Flows {
			f := &integ.Flows.Flows[i]
			if f.Table != 0 {
				continue
			}
			in, ok := MatchValue(f, "in_port")
			if !ok {
				continue
			}
			p := integ.Port(in)
			if p == nil || p.Type != "patch" {
				continue
			}
			fromTun := tun != nil && tun.Port(p.Peer()) != nil
			if mac, ok := MatchValue(f, "dl_src", "eth_src"); ok {
				mf := MACFlow{MAC: strings.ToLower(mac), Bridge: integ.Name, Flow: f}
				if fromTun {
					d.FromTunnel = append(d.FromTunnel, mf)
				} else {
					d.FromPhysical = append(d.FromPhysical, mf)
				}
			}
			if mac, ok := MatchValue(f, "dl_dst", "eth_dst"); ok && len(d.Own) == 0 && f.Priority == 5 {
				addOwn(mac, integ.Name, f)
			}
		}
	}
	return d
}

// SetEthSrc returns the source MAC a flow's actions write
// (mod_dl_src:M or set_field:M->eth_src), "" when none.
func SetEthSrc(f *ovs.Flow) string {
	for _, a := range f.Actions {
		switch a.Name {
		case "mod_dl_src":
			return a.Arg
		case "set_field":
			if v, fd, ok := a.SetField(); ok && fd != nil && fd.Name == "eth_src" {
				return v
			}
		}
	}
	return ""
}
