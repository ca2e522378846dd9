package rules

import (
	"fmt"
	"net/netip"
	"sort"
	"strings"

	"netxray/analyze/model"
	"netxray/collect"
	"netxray/parse"
	"netxray/parse/ovs"
)

// flowsFile is the file of a bridge's flow dump, for evidence that a flow
// is absent.
func flowsFile(n *model.Node, b *model.Bridge) string {
	if b.Flows != nil {
		for _, f := range b.Flows.Flows {
			return f.Pos.File
		}
		for _, bn := range b.Flows.Banners {
			return bn.Pos.File
		}
	}
	if n.Bundle != nil {
		if sf, ok := n.Bundle.Source(collect.KindOFCtlDumpFlows, b.Name); ok {
			return sf.Path
		}
	}
	return ""
}

// absent cites a whole file for something it lacks.
func absent(n *model.Node, file, text string) Evidence {
	return Evidence{Node: n.Name, File: file, Text: text}
}

// peer is the node a tunnel port reaches, nil when no node of the set
// owns its remote_ip.
type endpoints struct {
	byIP map[string]*model.Node
}

// tunnelEndpoints indexes the nodes by the local_ip their tunnels (or
// their agent configuration) use.
func tunnelEndpoints(m *model.Model) endpoints {
	e := endpoints{byIP: map[string]*model.Node{}}
	for _, n := range m.Nodes {
		if ip := n.LocalIP(); ip != "" {
			if _, dup := e.byIP[ip]; !dup {
				e.byIP[ip] = n
			}
		}
	}
	return e
}

func (e endpoints) node(ip string) *model.Node { return e.byIP[ip] }

// tunnelTo returns n's tunnel port whose remote_ip is ip, nil if none.
func tunnelTo(n *model.Node, ip string) *model.Port {
	if ip == "" {
		return nil
	}
	for _, p := range n.Tunnels() {
		if p.Options["remote_ip"] == ip {
			return p
		}
	}
	return nil
}

// addressOwner finds the node and device holding ip in its root
// namespace.
func addressOwner(m *model.Model, ip string) (*model.Node, *model.Interface) {
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return nil, nil
	}
	for _, n := range m.Nodes {
		if ifc := interfaceWith(n.Interfaces, a); ifc != nil {
			return n, ifc
		}
	}
	return nil, nil
}

// interfaceWith returns the interface having address a, nil if none.
func interfaceWith(ifs []*model.Interface, a netip.Addr) *model.Interface {
	for _, ifc := range ifs {
		for _, ad := range ifc.Addrs {
			if ad.Prefix.Addr() == a {
				return ifc
			}
		}
	}
	return nil
}

// device finds a Linux device by name on n: in the root namespace, then
// in the namespaces. ns is "" for the root namespace.
func device(n *model.Node, name string) (ifc *model.Interface, ns string) {
	if ifc := n.HostInterface(name); ifc != nil {
		return ifc, ""
	}
	for _, x := range n.Namespaces {
		if ifc := x.Interface(name); ifc != nil {
			return ifc, x.Name
		}
	}
	return nil, ""
}

// namespaceOf returns the namespace holding device name, nil if none.
func namespaceOf(n *model.Node, name string) *model.Namespace {
	for _, x := range n.Namespaces {
		if x.Interface(name) != nil {
			return x
		}
	}
	return nil
}

// portOnAnyBridge returns the OVS port named name on any bridge of n.
func portOnAnyBridge(n *model.Node, name string) *model.Port {
	for _, b := range n.Bridges {
		for _, p := range b.Ports {
			if p.Name == name {
				return p
			}
			for _, mem := range p.Members {
				if mem == name {
					return p
				}
			}
		}
	}
	return nil
}

// what names a VIF for people: its device, role and node.
func what(n *model.Node, p *model.Port) string {
	role := "port"
	switch model.DeviceRole(p.Name) {
	case "qr":
		role = "router interface"
	case "sg":
		role = "SNAT port"
	case "qg":
		role = "router gateway"
	case "fg":
		role = "FIP agent gateway"
	case "ha":
		role = "HA port"
	case "tap", "qvo":
		role = "VM port"
		if ns := namespaceOf(n, p.Name); ns != nil && ns.Kind == "qdhcp" {
			role = "DHCP port"
		}
	}
	return fmt.Sprintf("%s %s (%s) on %s", role, p.Name, strings.ToLower(p.AttachedMAC), n.Name)
}

// distributedPort reports whether a VIF exists on every DVR host with one
// MAC (a DVR qr- port), so l2pop never unicast-populates it.
func distributedPort(m *model.Model, n *model.Node, p *model.Port) bool {
	if model.DeviceRole(p.Name) != "qr" {
		return false
	}
	if n.DVRMode() {
		return true
	}
	nodes := map[*model.Node]bool{}
	for _, a := range m.Networks.Attachments(p.AttachedMAC) {
		nodes[a.Node] = true
	}
	return len(nodes) > 1
}

// haPort reports whether a VIF belongs to an L3-HA router (ha- device, or a
// qr-/qg- in a namespace with one): its location moves on failover, so
// l2pop only floods to it.
func haPort(n *model.Node, p *model.Port) bool {
	switch model.DeviceRole(p.Name) {
	case "ha":
		return true
	case "qr", "qg":
		if ns := namespaceOf(n, p.Name); ns != nil {
			for _, ifc := range ns.Interfaces {
				if model.DeviceRole(ifc.Name) == "ha" {
					return true
				}
			}
		}
	}
	return false
}

// unicastPopulated reports whether l2pop sends other nodes a unicast entry
// for the VIF: every active port but DVR qr- and L3-HA ports.
func unicastPopulated(m *model.Model, n *model.Node, p *model.Port) bool {
	return p.IsVIF() && !distributedPort(m, n, p) && !haPort(n, p)
}

// tunnelNets lists the tunnel networks of n that have VIFs there, by VLAN.
func tunnelNets(m *model.Model, n *model.Node) []*model.LocalNet {
	var out []*model.LocalNet
	for _, ln := range m.Networks.Of(n) {
		if ln.Segment.IsTunnel() && len(ln.VIFs()) > 0 {
			out = append(out, ln)
		}
	}
	return out
}

// carriers returns, for a tunnel segment, the nodes with VIFs on it and
// their local network.
func carriers(m *model.Model, seg model.Segment) map[*model.Node]*model.LocalNet {
	out := map[*model.Node]*model.LocalNet{}
	for _, ln := range m.Networks.On(seg) {
		if len(ln.VIFs()) > 0 {
			if _, dup := out[ln.Node]; !dup {
				out[ln.Node] = ln
			}
		}
	}
	return out
}

// sortedNodes returns the keys of a node map by name.
func sortedNodes[V any](mp map[*model.Node]V) []*model.Node {
	out := make([]*model.Node, 0, len(mp))
	for n := range mp {
		out = append(out, n)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// l2popOn tells whether l2population drives n's tunnel flows: the agent's
// configuration when the bundle has it, else the presence of l2pop
// (priority 2) unicast entries in table 20. why explains a false.
func l2popOn(n *model.Node) (on bool, why string) {
	if s := n.Agent.L2Population; s.Pos.File != "" {
		if s.Value {
			return true, ""
		}
		return false, fmt.Sprintf("l2_population is off (%s)", s.Pos)
	}
	if tb := n.TunnelBridge(); tb != nil && tb.Flows != nil {
		for i := range tb.Flows.Flows {
			f := &tb.Flows.Flows[i]
			if f.Table == 20 && f.Priority >= 2 {
				return true, ""
			}
		}
	}
	if n.Agent.Configured {
		return false, "l2_population is not set (default off)"
	}
	return false, "no agent configuration and no l2pop entries in table 20"
}

// unicastEntry is an l2pop or learned table-20 entry.
type unicastEntry struct {
	VLAN    int
	MAC     string
	TunID   uint64
	HasTun  bool
	Out     string
	Learned bool
	Flow    *ovs.Flow
}

// unicastEntries reads a tunnel bridge's table 20.
func unicastEntries(tb *model.Bridge) []unicastEntry {
	var out []unicastEntry
	if tb.Flows == nil {
		return nil
	}
	for i := range tb.Flows.Flows {
		f := &tb.Flows.Flows[i]
		if f.Table != 20 || f.Priority == 0 {
			continue
		}
		mac, ok := model.MatchValue(f, "dl_dst", "eth_dst")
		if !ok || strings.Contains(mac, "/") {
			continue
		}
		vlan, ok := model.MatchedVLAN(f)
		if !ok {
			continue
		}
		e := unicastEntry{VLAN: vlan, MAC: strings.ToLower(mac), Flow: f, Learned: f.HardTimeout > 0 || f.Priority == 1}
		e.TunID, e.HasTun = model.SetTunID(f)
		if outs := model.Outputs(f); len(outs) > 0 {
			e.Out = outs[0]
		}
		out = append(out, e)
	}
	return out
}

// floodFlows returns the tunnel bridge's flood flows (table 22 style:
// dl_vlan=L, set tun_id, output to tunnels) of VLAN vlan.
func floodFlows(ln *model.LocalNet) []*ovs.Flow {
	var out []*ovs.Flow
	for _, mp := range ln.From("flood") {
		out = append(out, mp.Flow)
	}
	return out
}

// plural formats a count with a noun.
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// names joins node names.
func names(nodes []*model.Node) string {
	var s []string
	for _, n := range nodes {
		s = append(s, n.Name)
	}
	return strings.Join(s, ", ")
}

// posLess orders positions.
func posLess(a, b parse.Pos) bool {
	if a.File != b.File {
		return a.File < b.File
	}
	return a.Line < b.Line
}

// byRole orders ports so VM ports come first: the best example of a
// network's ports for people.
func byRole(ps []*model.Port) []*model.Port {
	out := append([]*model.Port(nil), ps...)
	rank := func(p *model.Port) int {
		switch model.DeviceRole(p.Name) {
		case "tap", "qvo":
			return 0
		case "qr", "sg", "qg", "fg", "ha":
			return 2
		}
		return 1
	}
	sort.SliceStable(out, func(i, j int) bool { return rank(out[i]) < rank(out[j]) })
	return out
}

func lower(s string) string { return strings.ToLower(s) }

// or returns the first non-empty string.
func or(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// addrEv cites the address line of ifc with address a (the first IPv4
// address when a is invalid), or the interface line.
func addrEv(n *model.Node, ifc *model.Interface, a netip.Addr) Evidence {
	for _, ad := range ifc.Addrs {
		if ad.Prefix.Addr() == a || (!a.IsValid() && ad.Prefix.Addr().Is4()) {
			return ev(n, ad.Pos, ifc.Name+": "+firstLine(ad.Raw))
		}
	}
	return ev(n, ifc.Pos, ifc.Raw)
}

// sortedKeys returns the keys of a map, sorted.
func sortedKeys[K int | uint32 | string, V any](mp map[K]V) []K {
	out := make([]K, 0, len(mp))
	for k := range mp {
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// remotePort is a port l2pop announces to other nodes.
type remotePort struct {
	node *model.Node
	port *model.Port
}

func (r remotePort) onNode() *model.Node { return r.node }

// remotePorts lists the unicast-populated ports of the carriers of a
// segment that are not on node x, by node name.
func remotePorts(m *model.Model, car map[*model.Node]*model.LocalNet, x *model.Node) []remotePort {
	var out []remotePort
	for _, y := range sortedNodes(car) {
		if y == x {
			continue
		}
		for _, port := range car[y].VIFs() {
			if unicastPopulated(m, y, port) {
				out = append(out, remotePort{y, port})
			}
		}
	}
	return out
}

// sourceName names an inventory source for people: kind and key.
func sourceName(sf collect.SourceFile) string {
	if sf.Key != "" {
		return string(sf.Kind) + " " + sf.Key
	}
	return string(sf.Kind)
}

func sortStrings(s []string) []string {
	sort.Strings(s)
	return s
}

// byNode splits ports by node (remotePort, vniPort), keeping their order.
func byNode[T interface{ onNode() *model.Node }](rs []T) [][]T {
	var out [][]T
	idx := map[*model.Node]int{}
	for _, r := range rs {
		i, ok := idx[r.onNode()]
		if !ok {
			i = len(out)
			idx[r.onNode()] = i
			out = append(out, nil)
		}
		out[i] = append(out[i], r)
	}
	return out
}

// listed joins at most max items, saying how many more there are.
func listed(items []string, max int) string {
	if len(items) <= max {
		return strings.Join(items, ", ")
	}
	return strings.Join(items[:max], ", ") + fmt.Sprintf(" and %d more", len(items)-max)
}
