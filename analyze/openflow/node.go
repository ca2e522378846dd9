package openflow

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"netxray/analyze/model"
	"netxray/collect"
	"netxray/parse/ovs"
)

// FromNode builds the simulator's view of a node of the model: every bridge
// with its ports (OpenFlow numbers, types, patch peers, tunnel options,
// VLAN tags and trunks), its flow dump, its group dump and the MAC table
// NORMAL learned (`ovs-appctl fdb/show`). A bridge whose flow dump is not
// in the bundle gets FlowsMissing with the reason, so a trace that reaches
// it says so instead of reporting a table miss.
func FromNode(n *model.Node) *Switch {
	sw := &Switch{Node: n.Name}
	fdbs := map[string]*ovs.FDBShow{}
	for _, f := range n.Files {
		if f.Source.Kind != collect.KindAppCtlFDBShow {
			continue
		}
		if fdb, ok := f.Result.(*ovs.FDBShow); ok && fdbs[f.Source.Key] == nil {
			fdbs[f.Source.Key] = fdb
		}
	}
	for _, mb := range n.Bridges {
		b := &Bridge{Name: mb.Name}
		names := map[string]int{}
		for _, mp := range mb.Ports {
			if mp.OFPort <= 0 {
				// Unknown number, or OVS failed to add it (-1): no
				// OpenFlow port exists to match or output to.
				continue
			}
			p := Port{OFPort: mp.OFPort, Name: mp.Name, Type: mp.Type, Peer: mp.Peer(), Options: mp.Options, Tag: mp.Tag, Trunks: mp.Trunks}
			b.Ports = append(b.Ports, p)
			names[mp.Name] = mp.OFPort
		}
		sort.Slice(b.Ports, func(i, j int) bool { return b.Ports[i].OFPort < b.Ports[j].OFPort })
		if mb.Flows != nil {
			b.Flows = mb.Flows.Flows
		} else {
			b.FlowsMissing = gapWhy(n, "flows of "+mb.Name)
		}
		if mb.Groups != nil {
			b.Groups = groupsFrom(mb.Groups.Groups, names)
		}
		if fdb := fdbs[mb.Name]; fdb != nil {
			for _, e := range fdb.Entries {
				if e.Bridge == "" || e.Bridge == mb.Name {
					b.FDB = append(b.FDB, FDBEntry{Pos: e.Pos, OFPort: e.OFPort, VLAN: e.VLAN, MAC: e.MAC})
				}
			}
		}
		sw.Bridges = append(sw.Bridges, b)
	}
	return sw
}

// gapWhy returns the model's reason for a missing source.
func gapWhy(n *model.Node, what string) string {
	for _, g := range n.Gaps {
		if g.What == what {
			return g.Why
		}
	}
	return "no flow dump in the bundle"
}

// groupsFrom converts a group dump; watch ports given by name resolve
// through the bridge's ports.
func groupsFrom(gs []ovs.Group, ports map[string]int) []Group {
	out := make([]Group, 0, len(gs))
	for _, g := range gs {
		og := Group{Pos: g.Pos, Raw: g.Raw, ID: g.ID, Type: g.Type}
		if og.Type == "ff" {
			og.Type = "fast_failover"
		}
		for i, b := range g.Buckets {
			ob := Bucket{ID: uint32(i), Weight: b.Weight, WatchPort: -1, Actions: b.Actions}
			if b.HasID {
				ob.ID = b.ID
			}
			if w := b.WatchPort; w != "" && !strings.EqualFold(w, "ANY") {
				if n, err := strconv.Atoi(w); err == nil {
					ob.WatchPort = n
				} else if n, ok := ports[w]; ok {
					ob.WatchPort = n
				}
			}
			og.Buckets = append(og.Buckets, ob)
		}
		out = append(out, og)
	}
	return out
}

// Bridge returns the bridge named name, or nil.
func (sw *Switch) Bridge(name string) *Bridge {
	for _, b := range sw.Bridges {
		if b.Name == name {
			return b
		}
	}
	return nil
}

// BridgeNames lists the bridges by name, sorted.
func (sw *Switch) BridgeNames() []string {
	out := make([]string, 0, len(sw.Bridges))
	for _, b := range sw.Bridges {
		out = append(out, b.Name)
	}
	sort.Strings(out)
	return out
}

// DataMissingError says that the bridge to trace has no flow dump in the
// bundle: the trace would be made up.
type DataMissingError struct {
	Node, Bridge, Why string
}

func (e *DataMissingError) Error() string {
	return fmt.Sprintf("data missing: the bundle has no flow dump of %s on %s (%s), so it cannot be traced", e.Bridge, e.Node, e.Why)
}
