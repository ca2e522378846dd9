package model

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"netxray/parse/ovs"
)

// Segment is a network's identity across nodes: local VLANs are node-local,
// so nodes are joined on the segment (VNI of a tunnel network, 802.1Q id of
// a VLAN network, the physical network of a flat one), never on the VLAN.
type Segment struct {
	// Type is vxlan, gre, geneve, vlan, flat or local; "tunnel" when a
	// flow shows a tunnel id but not which encapsulation carries it.
	Type string `json:"type"`
	// ID is the VNI or VLAN id; 0 for flat and local networks.
	ID uint32 `json:"id"`
	// Physnet is the physical network (or, when the node's bridge
	// mappings are unknown, the provider bridge) of vlan and flat
	// networks.
	Physnet string `json:"physnet,omitempty"`
}

// IsTunnel reports whether the segment is an overlay (VXLAN, GRE, Geneve).
func (s Segment) IsTunnel() bool {
	switch s.Type {
	case "vxlan", "gre", "geneve", "stt", "tunnel":
		return true
	}
	return false
}

// IsZero reports whether the segment is unknown.
func (s Segment) IsZero() bool { return s.Type == "" }

// Key is the segment as a map key that tolerates an unknown encapsulation:
// a tunnel id is the same network whatever flow printed it.
func (s Segment) Key() Segment {
	if s.IsTunnel() {
		return Segment{Type: "tunnel", ID: s.ID}
	}
	return s
}

// Agrees reports whether two readings can be the same segment: same
// type (any tunnel encapsulation matches "tunnel") and id, and the same
// physnet unless one of them does not tell it (OVSDB does not).
func (s Segment) Agrees(o Segment) bool {
	a, b := s.Key(), o.Key()
	if a.Type != b.Type || a.ID != b.ID {
		return false
	}
	return a.Physnet == "" || b.Physnet == "" || a.Physnet == b.Physnet
}

func (s Segment) String() string {
	switch {
	case s.IsTunnel():
		return fmt.Sprintf("%s %d (%#x)", s.Type, s.ID, s.ID)
	case s.Type == "vlan" && s.Physnet != "":
		return fmt.Sprintf("vlan %d on %s", s.ID, s.Physnet)
	case s.Type == "vlan":
		return fmt.Sprintf("vlan %d", s.ID)
	case s.Type == "flat" && s.Physnet != "":
		return "flat on " + s.Physnet
	}
	return s.Type
}

// Mapping is one piece of evidence that a node carries a segment on a local
// VLAN.
type Mapping struct {
	VLAN    int
	Segment Segment
	// Source is where the mapping was read: "ovsdb" (Port.other_config of
	// a br-int port with that tag), "ingress" (br-tun table 3/4/6
	// tun_id → VLAN, or br-int table 0 from a provider bridge), "flood"
	// (br-tun table 22 VLAN → tun_id), "unicast" (br-tun table 20 l2pop
	// entries), "learned" (table 20 entries learned by table 10),
	// "egress" (provider-bridge VLAN translation).
	Source string
	// Port is the port of an "ovsdb" mapping; Flow the flow of the others.
	Port   *Port
	Flow   *ovs.Flow
	Bridge string
}

// LocalNet is one network as one node carries it: its local VLAN on the
// integration bridge, the segment, and every mapping read for that VLAN.
type LocalNet struct {
	Node *Node
	VLAN int
	// Segment is the network's identity: from OVSDB when a port's
	// other_config names it, otherwise from the flows (ingress first).
	Segment Segment
	NetUUID string
	// Ports are the integration-bridge ports tagged VLAN.
	Ports    []*Port
	Mappings []Mapping
}

// VIFs returns the ports Neutron treats as VIFs (iface-id and attached-mac
// set): VMs, DHCP, router and agent-gateway ports.
func (ln *LocalNet) VIFs() []*Port {
	var out []*Port
	for _, p := range ln.Ports {
		if p.IsVIF() {
			out = append(out, p)
		}
	}
	return out
}

// From returns the mappings read from source.
func (ln *LocalNet) From(source string) []Mapping {
	var out []Mapping
	for _, mp := range ln.Mappings {
		if mp.Source == source {
			out = append(out, mp)
		}
	}
	return out
}

// Attachment is where a MAC is plugged: a VIF port of a node.
type Attachment struct {
	Node *Node
	Port *Port
	// Segment is the port's network, zero when neither OVSDB nor the
	// node's VLAN mappings tell it (e.g. a port on the dead VLAN without
	// other_config).
	Segment Segment
}

// Networks are the networks of the bundle set: per node the local VLANs
// and what they carry, and across nodes every node carrying a segment.
type Networks struct {
	byNode map[*Node][]*LocalNet
	bySeg  map[Segment][]*LocalNet
	byMAC  map[string][]Attachment
}

// Of returns the node's networks by VLAN.
func (ns *Networks) Of(n *Node) []*LocalNet { return ns.byNode[n] }

// VLAN returns the node's network on local VLAN vlan, or nil.
func (ns *Networks) VLAN(n *Node, vlan int) *LocalNet {
	for _, ln := range ns.byNode[n] {
		if ln.VLAN == vlan {
			return ln
		}
	}
	return nil
}

// On returns the local networks carrying seg, on every node, by node name
// then VLAN (a node mapping one segment to two VLANs appears twice).
func (ns *Networks) On(seg Segment) []*LocalNet { return ns.bySeg[seg.Key()] }

// Segments lists every segment some node carries, sorted.
func (ns *Networks) Segments() []Segment {
	var out []Segment
	for s := range ns.bySeg {
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Type != out[j].Type {
			return out[i].Type < out[j].Type
		}
		if out[i].ID != out[j].ID {
			return out[i].ID < out[j].ID
		}
		return out[i].Physnet < out[j].Physnet
	})
	return out
}

// Attachments returns every VIF port of the bundle set with attached-mac
// mac, whatever its tag.
func (ns *Networks) Attachments(mac string) []Attachment {
	return ns.byMAC[strings.ToLower(mac)]
}

// SegmentOf returns the network of a port of node n: its other_config when
// it names one, else what the node's VLAN mappings say of its tag.
func (ns *Networks) SegmentOf(n *Node, p *Port) Segment {
	if s, ok := portSegment(p); ok {
		return s
	}
	if p.HasTag {
		if ln := ns.VLAN(n, p.Tag); ln != nil {
			return ln.Segment
		}
	}
	return Segment{}
}

func buildNetworks(nodes []*Node) *Networks {
	ns := &Networks{byNode: map[*Node][]*LocalNet{}, bySeg: map[Segment][]*LocalNet{}, byMAC: map[string][]Attachment{}}
	for _, n := range nodes {
		nets := n.localNets()
		ns.byNode[n] = nets
		for _, ln := range nets {
			if !ln.Segment.IsZero() {
				k := ln.Segment.Key()
				ns.bySeg[k] = append(ns.bySeg[k], ln)
			}
		}
	}
	for _, n := range nodes {
		br := n.IntegrationBridge()
		if br == nil {
			continue
		}
		for _, p := range br.Ports {
			if p.IsVIF() {
				mac := strings.ToLower(p.AttachedMAC)
				ns.byMAC[mac] = append(ns.byMAC[mac], Attachment{Node: n, Port: p, Segment: ns.SegmentOf(n, p)})
			}
		}
	}
	return ns
}

// IntegrationBridge returns br-int, or the bridge holding the node's VIFs
// when the integration bridge has another name; nil when there is none.
func (n *Node) IntegrationBridge() *Bridge {
	if b := n.Bridge("br-int"); b != nil {
		return b
	}
	var best *Bridge
	most := 0
	for _, b := range n.Bridges {
		c := 0
		for _, p := range b.Ports {
			if p.IsVIF() {
				c++
			}
		}
		if c > most {
			best, most = b, c
		}
	}
	return best
}

// TunnelBridge returns br-tun, or the bridge holding the node's tunnel
// ports; nil when there is none.
func (n *Node) TunnelBridge() *Bridge {
	if b := n.Bridge("br-tun"); b != nil {
		return b
	}
	for _, b := range n.Bridges {
		for _, p := range b.Ports {
			if p.IsTunnel() {
				return b
			}
		}
	}
	return nil
}

// Port returns the bridge's port named ref, or numbered ref (a flow's
// in_port or output printed without --names); nil when there is none.
func (b *Bridge) Port(ref string) *Port {
	for _, p := range b.Ports {
		if p.Name == ref {
			return p
		}
	}
	if num, err := strconv.Atoi(ref); err == nil {
		for _, p := range b.Ports {
			if p.OFPort == num {
				return p
			}
		}
	}
	return nil
}

// LocalIP is the node's tunnel endpoint address: the local_ip its tunnel
// ports use (the most common one), else the agent's configured local_ip.
func (n *Node) LocalIP() string {
	votes := map[string]int{}
	best := ""
	for _, p := range n.Tunnels() {
		ip := p.Options["local_ip"]
		if ip == "" {
			continue
		}
		votes[ip]++
		if best == "" || votes[ip] > votes[best] || (votes[ip] == votes[best] && ip < best) {
			best = ip
		}
	}
	if best == "" {
		best = n.Agent.LocalIP.Value
	}
	return best
}

// portSegment reads a port's network from its other_config.
func portSegment(p *Port) (Segment, bool) {
	if p.NetworkType == "" {
		return Segment{}, false
	}
	s := Segment{Type: p.NetworkType}
	if p.SegmentationID != "" && p.SegmentationID != "None" {
		id, err := strconv.ParseUint(p.SegmentationID, 10, 32)
		if err != nil {
			return Segment{}, false
		}
		s.ID = uint32(id)
	}
	return s, true
}

// localNets gathers the node's VLAN mappings from OVSDB and the flows and
// groups them by local VLAN.
func (n *Node) localNets() []*LocalNet {
	var maps []Mapping
	phys := n.physnets()
	if br := n.IntegrationBridge(); br != nil {
		for _, p := range br.Ports {
			if s, ok := portSegment(p); ok && p.HasTag && validVLAN(p.Tag) {
				if s.Type == "vlan" || s.Type == "flat" {
					s.Physnet = ""
				}
				maps = append(maps, Mapping{VLAN: p.Tag, Segment: s, Source: "ovsdb", Port: p, Bridge: br.Name})
			}
		}
		maps = append(maps, providerIngress(n, br, phys)...)
	}
	if tb := n.TunnelBridge(); tb != nil && tb.Flows != nil {
		maps = append(maps, tunnelMappings(tb)...)
	}
	maps = append(maps, providerEgress(n, phys)...)

	byVLAN := map[int]*LocalNet{}
	var out []*LocalNet
	get := func(vlan int) *LocalNet {
		ln := byVLAN[vlan]
		if ln == nil {
			ln = &LocalNet{Node: n, VLAN: vlan}
			byVLAN[vlan] = ln
			out = append(out, ln)
		}
		return ln
	}
	for _, mp := range maps {
		ln := get(mp.VLAN)
		ln.Mappings = append(ln.Mappings, mp)
		if mp.Port != nil && ln.NetUUID == "" {
			ln.NetUUID = mp.Port.NetUUID
		}
	}
	if br := n.IntegrationBridge(); br != nil {
		for _, p := range br.Ports {
			if p.HasTag && validVLAN(p.Tag) {
				ln := get(p.Tag)
				ln.Ports = append(ln.Ports, p)
			}
		}
	}
	for _, ln := range out {
		ln.Segment = chooseSegment(ln.Mappings)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].VLAN < out[j].VLAN })
	return out
}

func validVLAN(v int) bool { return v >= 1 && v <= 4094 }

// chooseSegment picks a VLAN's segment: OVSDB is authoritative, then
// ingress flows, then the most common flow mapping. A provider segment read
// from OVSDB (no physnet there) takes the physnet of a flow agreeing with
// it.
func chooseSegment(maps []Mapping) Segment {
	rank := map[string]int{"ovsdb": 0, "ingress": 1, "flood": 2, "egress": 2, "unicast": 3, "learned": 4}
	best := -1
	for i, mp := range maps {
		if best < 0 || rank[mp.Source] < rank[maps[best].Source] {
			best = i
		}
	}
	if best < 0 {
		return Segment{}
	}
	s := maps[best].Segment
	if s.Type == "tunnel" {
		for _, mp := range maps {
			if mp.Segment.ID == s.ID && mp.Segment.Type != "tunnel" && mp.Segment.IsTunnel() {
				s.Type = mp.Segment.Type
				break
			}
		}
	}
	if (s.Type == "vlan" || s.Type == "flat") && s.Physnet == "" {
		for _, mp := range maps {
			if mp.Segment.Type == s.Type && mp.Segment.ID == s.ID && mp.Segment.Physnet != "" {
				s.Physnet = mp.Segment.Physnet
				break
			}
		}
	}
	return s
}

// tunnelTable maps br-tun's TUN_TO_LV tables to their encapsulation.
var tunnelTable = map[int]string{3: "gre", 4: "vxlan", 6: "geneve"}

// tunnelMappings reads br-tun: ingress flows (tun_id=V → set VLAN L) and
// egress flows (dl_vlan=L → set tun_id V: table 22 floods, table 20
// unicast and learned entries).
func tunnelMappings(tb *Bridge) []Mapping {
	var out []Mapping
	types := map[string]bool{}
	for _, p := range tb.Ports {
		if p.IsTunnel() {
			types[p.Type] = true
		}
	}
	only := ""
	if len(types) == 1 {
		for t := range types {
			only = t
		}
	}
	for i := range tb.Flows.Flows {
		f := &tb.Flows.Flows[i]
		if tun, ok := MatchedTunID(f); ok {
			if vlan, ok := SetVLAN(f); ok {
				typ := tunnelTable[f.Table]
				if typ == "" {
					typ = or(only, "tunnel")
				}
				out = append(out, Mapping{VLAN: vlan, Segment: Segment{Type: typ, ID: uint32(tun)}, Source: "ingress", Flow: f, Bridge: tb.Name})
			}
			continue
		}
		vlan, ok := MatchedVLAN(f)
		if !ok {
			continue
		}
		tun, ok := SetTunID(f)
		if !ok {
			continue
		}
		typ := ""
		for _, o := range Outputs(f) {
			if p := tb.Port(o); p != nil && p.IsTunnel() {
				typ = p.Type
				break
			}
		}
		src := "flood"
		switch {
		case f.HardTimeout > 0 || learnedVLAN(f):
			src = "learned"
		case hasMatch(f, "dl_dst", "eth_dst"):
			src = "unicast"
		}
		out = append(out, Mapping{VLAN: vlan, Segment: Segment{Type: or(typ, only, "tunnel"), ID: uint32(tun)}, Source: src, Flow: f, Bridge: tb.Name})
	}
	return out
}

func or(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// learnedVLAN reports whether the flow matches its VLAN the way table 10's
// learn() writes it (vlan_tci=0x000L/0x0fff).
func learnedVLAN(f *ovs.Flow) bool {
	v, ok := MatchValue(f, "vlan_tci")
	return ok && strings.HasSuffix(v, "/0x0fff")
}

// physnets maps provider bridges to physical networks from the agent's
// bridge_mappings; a bridge without a mapping stands for itself.
func (n *Node) physnets() map[string]string {
	out := map[string]string{}
	for _, m := range n.Agent.BridgeMappings.Value {
		if net, br, ok := strings.Cut(m, ":"); ok {
			out[br] = net
		}
	}
	return out
}

func physnetOf(phys map[string]string, bridge string) string {
	if p := phys[bridge]; p != "" {
		return p
	}
	return bridge
}

// providerIngress reads br-int table 0's translation of traffic from a
// provider bridge: in_port=int-br-X,dl_vlan=S (or untagged for flat) →
// set VLAN L.
func providerIngress(n *Node, br *Bridge, phys map[string]string) []Mapping {
	if br.Flows == nil {
		return nil
	}
	var out []Mapping
	for i := range br.Flows.Flows {
		f := &br.Flows.Flows[i]
		p := inPatch(br, f)
		if f.Table != 0 || p == nil {
			continue
		}
		peer := n.bridgeOfPort(p.Peer())
		if peer == nil || peer == n.TunnelBridge() {
			continue
		}
		vlan, ok := SetVLAN(f)
		if !ok {
			continue
		}
		seg, segOK := MatchedVLAN(f)
		if s, ok := providerSegment(physnetOf(phys, peer.Name), seg, segOK, untagged(f)); ok {
			out = append(out, Mapping{VLAN: vlan, Segment: s, Source: "ingress", Flow: f, Bridge: br.Name})
		}
	}
	return out
}

// providerEgress reads provider bridges' translation of the local VLAN:
// in_port=phy-br-X,dl_vlan=L → mod_vlan_vid:S (vlan) or strip_vlan (flat).
func providerEgress(n *Node, phys map[string]string) []Mapping {
	var out []Mapping
	integ := n.IntegrationBridge()
	for _, b := range n.Bridges {
		if b == integ || b == n.TunnelBridge() || b.Flows == nil {
			continue
		}
		for i := range b.Flows.Flows {
			f := &b.Flows.Flows[i]
			p := inPatch(b, f)
			if p == nil || integ == nil || integ.Port(p.Peer()) == nil {
				continue
			}
			vlan, ok := MatchedVLAN(f)
			if !ok {
				continue
			}
			seg, segOK := SetVLAN(f)
			if s, ok := providerSegment(physnetOf(phys, b.Name), seg, segOK, stripsVLAN(f)); ok {
				out = append(out, Mapping{VLAN: vlan, Segment: s, Source: "egress", Flow: f, Bridge: b.Name})
			}
		}
	}
	return out
}

// inPatch returns the patch port a flow matches as in_port, nil when it
// matches none.
func inPatch(b *Bridge, f *ovs.Flow) *Port {
	in, ok := MatchValue(f, "in_port")
	if !ok {
		return nil
	}
	if p := b.Port(in); p != nil && p.Type == "patch" {
		return p
	}
	return nil
}

// providerSegment is the provider side of a translation flow: VLAN id
// when the flow has one, flat when it has none but an untagged side.
func providerSegment(physnet string, id int, tagged, flat bool) (Segment, bool) {
	switch {
	case tagged:
		return Segment{Type: "vlan", ID: uint32(id), Physnet: physnet}, true
	case flat:
		return Segment{Type: "flat", Physnet: physnet}, true
	}
	return Segment{}, false
}

// MatchValue returns the value of the first match item named one of keys.
func MatchValue(f *ovs.Flow, keys ...string) (string, bool) {
	for _, m := range f.Match {
		for _, k := range keys {
			if m.Key == k {
				return m.Value, true
			}
		}
	}
	return "", false
}

func hasMatch(f *ovs.Flow, keys ...string) bool {
	_, ok := MatchValue(f, keys...)
	return ok
}

// MatchedVLAN returns the VLAN id a flow matches: dl_vlan=L,
// vlan_vid=0x1000|L (OpenFlow 1.3 prints the present bit), or
// vlan_tci=0x1LLL/0x1fff and the learned form vlan_tci=0x0LLL/0x0fff.
func MatchedVLAN(f *ovs.Flow) (int, bool) {
	if v, ok := MatchValue(f, "dl_vlan"); ok {
		n, err := strconv.ParseUint(v, 0, 16)
		return int(n), err == nil && n < 4096
	}
	if v, ok := MatchValue(f, "vlan_vid"); ok {
		val, _, _ := strings.Cut(v, "/")
		n, err := strconv.ParseUint(val, 0, 16)
		if err != nil || n&0x1000 == 0 {
			return 0, false
		}
		return int(n & 0xfff), true
	}
	if n, m, ok := vlanTCI(f); ok && m&0xfff == 0xfff && (n&0xfff != 0 || n&0x1000 != 0) {
		return int(n & 0xfff), true
	}
	return 0, false
}

// vlanTCI returns the value and mask of a flow's vlan_tci match.
func vlanTCI(f *ovs.Flow) (value, mask uint64, ok bool) {
	v, ok := MatchValue(f, "vlan_tci")
	if !ok {
		return 0, 0, false
	}
	val, m, _ := strings.Cut(v, "/")
	n, err1 := strconv.ParseUint(val, 0, 16)
	mk, err2 := strconv.ParseUint(or(m, "0xffff"), 0, 16)
	return n, mk, err1 == nil && err2 == nil
}

// untagged reports whether a flow matches frames without a VLAN tag
// (vlan_tci=0x0000/0x1fff, or vlan_tci=0).
func untagged(f *ovs.Flow) bool {
	n, m, ok := vlanTCI(f)
	return ok && n == 0 && m&0x1000 != 0
}

// MatchedTunID returns the tunnel id a flow matches (tun_id=0x3e9).
func MatchedTunID(f *ovs.Flow) (uint64, bool) {
	v, ok := MatchValue(f, "tun_id", "tunnel_id")
	if !ok {
		return 0, false
	}
	val, _, _ := strings.Cut(v, "/")
	n, err := strconv.ParseUint(val, 0, 64)
	return n, err == nil
}

// SetVLAN returns the VLAN id a flow's actions set: mod_vlan_vid:L,
// set_field:0x1000|L->vlan_vid (OpenFlow 1.3), or
// load:L->NXM_OF_VLAN_TCI[0..11].
func SetVLAN(f *ovs.Flow) (int, bool) {
	for _, a := range f.Actions {
		switch a.Name {
		case "mod_vlan_vid":
			n, err := strconv.ParseUint(a.Arg, 0, 16)
			return int(n & 0xfff), err == nil
		case "set_field":
			v, fd, ok := a.SetField()
			if ok && fd != nil && (fd.Name == "vlan_vid" || fd.Name == "dl_vlan") {
				v, _, _ = strings.Cut(v, "/")
				n, err := strconv.ParseUint(v, 0, 16)
				return int(n & 0xfff), err == nil
			}
		case "load":
			v, dst, ok := a.Load()
			if ok && dst.Field != nil && dst.Field.Name == "vlan_tci" && dst.Ofs == 0 && dst.Bits == 12 {
				n, err := strconv.ParseUint(v, 0, 16)
				return int(n & 0xfff), err == nil && n != 0
			}
		}
	}
	return 0, false
}

// stripsVLAN reports whether a flow's actions remove the VLAN tag.
func stripsVLAN(f *ovs.Flow) bool {
	for _, a := range f.Actions {
		if a.Name == "strip_vlan" || a.Name == "pop_vlan" {
			return true
		}
	}
	return false
}

// SetTunID returns the tunnel id a flow's actions set:
// set_field:V->tun_id, load:V->NXM_NX_TUN_ID[], set_tunnel:V or
// set_tunnel64:V.
func SetTunID(f *ovs.Flow) (uint64, bool) {
	for _, a := range f.Actions {
		switch a.Name {
		case "set_tunnel", "set_tunnel64":
			n, err := strconv.ParseUint(a.Arg, 0, 64)
			return n, err == nil
		case "set_field":
			v, fd, ok := a.SetField()
			if ok && fd != nil && fd.Name == "tun_id" {
				v, _, _ = strings.Cut(v, "/")
				n, err := strconv.ParseUint(v, 0, 64)
				return n, err == nil
			}
		case "load":
			v, dst, ok := a.Load()
			if ok && dst.Field != nil && dst.Field.Name == "tun_id" {
				n, err := strconv.ParseUint(v, 0, 64)
				return n, err == nil
			}
		}
	}
	return 0, false
}

// Outputs lists the ports a flow outputs to, as printed (names or
// numbers); reserved ports are upper case (NORMAL, IN_PORT...).
func Outputs(f *ovs.Flow) []string {
	var out []string
	for _, a := range f.Actions {
		if p, ok := a.OutputPort(); ok {
			out = append(out, p)
		}
	}
	return out
}
