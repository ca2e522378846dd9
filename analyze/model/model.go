package model

import (
	"runtime"
	"sort"
	"strings"
	"sync"

	"netxray/collect"
	"netxray/parse"
	"netxray/parse/host"
	"netxray/parse/iproute"
	"netxray/parse/iptables"
	"netxray/parse/ovs"
)

// Model is the whole bundle set.
type Model struct {
	Nodes []*Node
	// Addresses are the IP ↔ MAC bindings of every node.
	Addresses *AddressBook
	// Networks join the nodes' local VLANs by segment; Routers gather
	// each router's namespaces and the nodes' DVR MACs.
	Networks *Networks
	Routers  *Routers
}

// Node is one node's view: its parsed sources and the objects built from
// them.
type Node struct {
	Name   string
	Bundle *collect.Node
	// Files are every parsed source file, sorted by path.
	Files []*Parsed
	in    inputs

	OVSVersion string
	// Versions are the versions of openvswitch, neutron, ovn, iproute and
	// the running kernel, where the bundle tells them.
	Versions   map[string]Version
	Bridges    []*Bridge
	Namespaces []*Namespace
	// Interfaces are the root namespace's links and addresses.
	Interfaces []*Interface
	// Neighbors are the root namespace's neighbour entries, where the
	// Linux bridge agent writes its PERMANENT ones on vxlan-<VNI>.
	Neighbors []iproute.Neighbor
	// IPTables is the root namespace's iptables-save (the hybrid
	// firewall's security-group chains), nil when the bundle has none.
	IPTables *iptables.Save
	// Sysctl is the root namespace's sysctl -a, nil when the bundle has
	// none.
	Sysctl *host.Sysctl
	VMs    []*VM
	Role   Role
	// Agent is the Neutron agents' data-plane configuration.
	Agent Agent
	// Gaps say what the model could not know on this node and why.
	Gaps []Gap
}

// Gap is something the model lacks on a node because a source is absent,
// failed or capped.
type Gap struct {
	What string `json:"what"`
	Why  string `json:"why"`
}

// Bridge is an OVS bridge.
type Bridge struct {
	Name         string
	DatapathType string
	FailMode     string
	Ports        []*Port
	// Flows is the bridge's flow dump, nil when the bundle has none.
	Flows *ovs.FlowDump
	// Groups is the bridge's group dump, nil when the bundle has none.
	Groups *ovs.GroupDump
	Pos    parse.Pos
}

// Port is an OVS port with its (first) interface: Neutron never bonds on
// br-int, and bonds elsewhere keep their members in Members.
type Port struct {
	Name   string
	Bridge string
	// Type is the interface type: "" (system), internal, patch, vxlan, gre,
	// geneve, stt, tap, dpdk...
	Type string
	// OFPort is the OpenFlow port number; 0 when unknown, -1 when OVS
	// failed to add the interface.
	OFPort  int
	Tag     int
	HasTag  bool
	Trunks  []int
	Options map[string]string
	// Neutron's external_ids and other_config.
	IfaceID        string
	AttachedMAC    string
	VMUUID         string
	IfaceStatus    string
	NetUUID        string
	SegmentationID string
	NetworkType    string
	MAC            string
	Error          string
	Members        []string
	Pos            parse.Pos
}

// Peer returns the patch peer's port name, or "".
func (p *Port) Peer() string { return p.Options["peer"] }

// IsTunnel reports whether the port is a tunnel endpoint.
func (p *Port) IsTunnel() bool {
	switch p.Type {
	case "vxlan", "gre", "geneve", "stt", "erspan", "ip6gre", "ip6erspan", "gtpu", "bareudp":
		return true
	}
	return false
}

// IsVIF reports whether Neutron's agent treats the port as a VIF: both
// iface-id and attached-mac are set.
func (p *Port) IsVIF() bool { return p.IfaceID != "" && p.AttachedMAC != "" }

// Tunnels returns the node's tunnel ports on every bridge.
func (n *Node) Tunnels() []*Port {
	var out []*Port
	for _, b := range n.Bridges {
		for _, p := range b.Ports {
			if p.IsTunnel() {
				out = append(out, p)
			}
		}
	}
	return out
}

// Bridge returns the bridge named name, or nil.
func (n *Node) Bridge(name string) *Bridge {
	for _, b := range n.Bridges {
		if b.Name == name {
			return b
		}
	}
	return nil
}

// Namespace returns the namespace named name, or nil.
func (n *Node) Namespace(name string) *Namespace {
	for _, ns := range n.Namespaces {
		if ns.Name == name {
			return ns
		}
	}
	return nil
}

// Build reads every node of the bundles into one model.
func Build(bundles ...*collect.Bundle) *Model {
	var cns []*collect.Node
	for _, b := range bundles {
		cns = append(cns, b.Nodes...)
	}
	// Nodes are independent (each reads only its own files, which Open
	// left read-only): build them on every core.
	nodes := make([]*Node, len(cns))
	work := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(cns)) {
		wg.Go(func() {
			for i := range work {
				nodes[i] = buildNode(cns[i])
			}
		})
	}
	for i := range cns {
		work <- i
	}
	close(work)
	wg.Wait()
	return Assemble(nodes...)
}

// Assemble links nodes into a model: what Build does once every node is
// read. Tests assemble nodes they built or changed by hand.
func Assemble(nodes ...*Node) *Model {
	m := &Model{Nodes: nodes}
	sort.Slice(m.Nodes, func(i, j int) bool { return m.Nodes[i].Name < m.Nodes[j].Name })
	m.Addresses = buildAddressBook(m.Nodes)
	m.Networks = buildNetworks(m.Nodes)
	m.Routers = buildRouters(m.Nodes)
	return m
}

// Node returns the node named name, or nil.
func (m *Model) Node(name string) *Node {
	for _, n := range m.Nodes {
		if n.Name == name {
			return n
		}
	}
	return nil
}

// NodeByLocalIP returns the node one of whose tunnel ports has local_ip ip:
// the node a tunnel with that remote_ip reaches. Nil when no node of the
// bundle set owns ip.
func (m *Model) NodeByLocalIP(ip string) *Node {
	if ip == "" {
		return nil
	}
	for _, n := range m.Nodes {
		for _, p := range n.Tunnels() {
			if p.Options["local_ip"] == ip {
				return n
			}
		}
	}
	return nil
}

func buildNode(cn *collect.Node) *Node {
	n := &Node{Name: cn.Name, Bundle: cn}
	n.Files = load(cn)
	n.in = index(n.Files)
	n.buildOVS()
	n.buildNetns()
	n.buildVMs()
	n.buildVersions()
	n.buildAgent()
	n.Role = guessRole(n)
	return n
}

// gap records a missing source once.
func (n *Node) gap(what, why string) {
	for _, g := range n.Gaps {
		if g.What == what {
			return
		}
	}
	n.Gaps = append(n.Gaps, Gap{What: what, Why: why})
}

// sourceGap explains why no usable source of kind k (and key) exists.
func (n *Node) sourceGap(what string, k parse.Kind, key string) {
	why := "no file in the bundle"
	if sf, ok := n.Bundle.Source(k, key); ok && sf.Status != collect.StatusPresent {
		why = string(sf.Status)
		if sf.Why != "" {
			why += ": " + sf.Why
		}
	}
	n.gap(what, why)
}

// NamespaceKind classifies a namespace by Neutron's naming.
func NamespaceKind(name string) string {
	for _, p := range []string{"qrouter-", "snat-", "fip-", "qdhcp-", "ovnmeta-", "ovn-meta-", "qlbaas-", "haproxy-"} {
		if strings.HasPrefix(name, p) {
			return strings.TrimSuffix(p, "-")
		}
	}
	return "other"
}
