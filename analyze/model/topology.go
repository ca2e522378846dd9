package model

import (
	"sort"
	"strings"
)

// Topology is the wiring of the bundle set: per node, what each bridge
// port connects to, and the tunnel mesh between nodes. It is the model seen
// as a graph, for `netxray topology`.
type Topology struct {
	Nodes []TopoNode `json:"nodes"`
	// Mesh lists the tunnels between nodes, one entry per direction.
	Mesh []TopoTunnel `json:"mesh"`
}

// TopoNode is one node's wiring.
type TopoNode struct {
	Name       string       `json:"name"`
	Role       string       `json:"role"`
	Bridges    []TopoBridge `json:"bridges"`
	Namespaces []TopoNS     `json:"namespaces"`
}

// TopoBridge is an OVS bridge and its ports.
type TopoBridge struct {
	Name  string     `json:"name"`
	Ports []TopoPort `json:"ports"`
}

// TopoPort is one port and what is behind it.
type TopoPort struct {
	Name   string `json:"name"`
	OFPort int    `json:"ofport"`
	Type   string `json:"type,omitempty"`
	Tag    *int   `json:"tag,omitempty"`
	// Kind is vm, patch, tunnel, router (qr-/qg-/sg-/fg- in a namespace),
	// dhcp, external (a NIC), internal, other.
	Kind string `json:"kind"`
	// To is what the port leads to: the VM (and its tap and Linux bridge
	// for the hybrid plug), the patch peer bridge, the tunnel's peer node,
	// the namespace.
	To    string `json:"to,omitempty"`
	Error string `json:"error,omitempty"`
}

// TopoNS is a Neutron namespace and its interfaces.
type TopoNS struct {
	Name       string   `json:"name"`
	Kind       string   `json:"kind"`
	Interfaces []string `json:"interfaces"`
	Capped     bool     `json:"capped,omitempty"`
}

// TopoTunnel is a tunnel port of one node towards another.
type TopoTunnel struct {
	From     string `json:"from"`
	Port     string `json:"port"`
	Type     string `json:"type"`
	RemoteIP string `json:"remote_ip"`
	// To is the node owning RemoteIP, "" when no node of the set does.
	To string `json:"to"`
}

// Topology computes the wiring view of m.
func (m *Model) Topology() *Topology {
	t := &Topology{Nodes: []TopoNode{}, Mesh: []TopoTunnel{}}
	for _, n := range m.Nodes {
		tn := TopoNode{Name: n.Name, Role: n.Role.String(), Bridges: []TopoBridge{}, Namespaces: []TopoNS{}}
		for _, b := range n.Bridges {
			tb := TopoBridge{Name: b.Name, Ports: []TopoPort{}}
			for _, p := range b.Ports {
				tb.Ports = append(tb.Ports, m.topoPort(n, b, p))
			}
			tn.Bridges = append(tn.Bridges, tb)
		}
		for _, ns := range n.Namespaces {
			tns := TopoNS{Name: ns.Name, Kind: ns.Kind, Capped: ns.Capped, Interfaces: []string{}}
			for _, ifc := range ns.Interfaces {
				if ifc.Name != "lo" {
					tns.Interfaces = append(tns.Interfaces, ifc.Name)
				}
			}
			tn.Namespaces = append(tn.Namespaces, tns)
		}
		for _, p := range n.Tunnels() {
			tt := TopoTunnel{From: n.Name, Port: p.Name, Type: p.Type, RemoteIP: p.Options["remote_ip"]}
			if peer := m.NodeByLocalIP(tt.RemoteIP); peer != nil {
				tt.To = peer.Name
			}
			t.Mesh = append(t.Mesh, tt)
		}
		t.Nodes = append(t.Nodes, tn)
	}
	sort.Slice(t.Mesh, func(i, j int) bool {
		if t.Mesh[i].From != t.Mesh[j].From {
			return t.Mesh[i].From < t.Mesh[j].From
		}
		return t.Mesh[i].Port < t.Mesh[j].Port
	})
	return t
}

func (m *Model) topoPort(n *Node, b *Bridge, p *Port) TopoPort {
	tp := TopoPort{Name: p.Name, OFPort: p.OFPort, Type: p.Type, Error: p.Error, Kind: "other"}
	if p.HasTag {
		tag := p.Tag
		tp.Tag = &tag
	}
	switch {
	case p.Type == "patch":
		tp.Kind = "patch"
		tp.To = p.Peer()
		if peer := n.bridgeOfPort(p.Peer()); peer != nil {
			tp.To = peer.Name + " (" + p.Peer() + ")"
		}
	case p.IsTunnel():
		tp.Kind = "tunnel"
		tp.To = p.Options["remote_ip"]
		if peer := m.NodeByLocalIP(p.Options["remote_ip"]); peer != nil {
			tp.To = peer.Name + " (" + tp.To + ")"
		}
	case p.Name == b.Name:
		tp.Kind = "internal"
	}
	if vm, nic := n.vmOfPort(p); vm != nil {
		tp.Kind = "vm"
		tp.To = vm.Name() + " " + nic.Tap
		for _, ip := range m.Addresses.IPsOf(nic.MAC) {
			tp.To += " " + ip.String()
		}
		if strings.HasPrefix(p.Name, "qvo") {
			tp.To += " via qbr" + p.Name[3:] + "/qvb" + p.Name[3:]
		}
		return tp
	}
	if ns := n.namespaceOfDevice(p.Name); ns != nil {
		tp.Kind = "router"
		if ns.Kind == "qdhcp" {
			tp.Kind = "dhcp"
		}
		tp.To = ns.Name
		return tp
	}
	if tp.Kind == "other" && (p.Type == "" || p.Type == "system") {
		tp.Kind = "external"
	}
	return tp
}

func (n *Node) bridgeOfPort(name string) *Bridge {
	for _, b := range n.Bridges {
		for _, p := range b.Ports {
			if p.Name == name {
				return b
			}
		}
	}
	return nil
}

func (n *Node) vmOfPort(p *Port) (*VM, *NIC) {
	for _, vm := range n.VMs {
		for _, nic := range vm.NICs {
			if nic.OVSPort == p {
				return vm, nic
			}
		}
	}
	return nil, nil
}

func (n *Node) namespaceOfDevice(dev string) *Namespace {
	for _, ns := range n.Namespaces {
		for _, ifc := range ns.Interfaces {
			if ifc.Name == dev {
				return ns
			}
		}
	}
	return nil
}
