package rules

import (
	"fmt"
	"sort"
	"strings"

	"netxray/analyze/model"
)

// LocalVLANConflict reports local VLANs mapped to two networks, and
// networks carried on two local VLANs (neutron-domain.md §1.5, §5 A7, A8).
var LocalVLANConflict = &Rule{
	Name:     "local-vlan-conflict",
	Category: "ovs",
	Severity: Error,
	Doc: `local VLAN mapped to two networks, or a network to two VLANs
On one node every local VLAN of br-int must stand for exactly one network
segment, and every segment must use one VLAN, in every place that says so:
the ports' OVSDB other_config (segmentation_id, network_type), br-tun's
tun_id → VLAN flows (table 3/4/6), br-int table 0's translation from
provider bridges and the provider bridges' translation back. A VLAN read as
two segments leaks traffic between networks (bug 1526974); one segment on
two VLANs splits a network in two on the node (ports on one VLAN cannot
reach those on the other). Both come from stale agent state after
restarts (bugs 1507776, 2071451).`,
	Hint:  "restart the OVS agent on the node (it re-provisions local VLANs from OVSDB other_config); check for ports left with a stale tag",
	Needs: []Need{needOVS},
	Run:   runLocalVLANConflict,
}

func runLocalVLANConflict(p *Pass) {
	for _, n := range p.Nodes() {
		nets := p.Model.Networks.Of(n)
		for _, ln := range nets {
			var bad []model.Mapping
			for _, mp := range ln.Mappings {
				switch mp.Source {
				case "ovsdb", "ingress", "egress":
					if !mp.Segment.Agrees(ln.Segment) {
						bad = append(bad, mp)
					}
				}
			}
			if len(bad) == 0 {
				continue
			}
			e := []Evidence{mappingEv(p, n, first(ln.Mappings, ln.Segment))}
			var segs []string
			for _, mp := range bad {
				e = append(e, mappingEv(p, n, mp))
				segs = append(segs, mp.Segment.String()+" ("+mp.Source+")")
			}
			p.Reportf(n, e, "local VLAN %d stands for %s but also for %s: traffic of those networks mixes on this node",
				ln.VLAN, ln.Segment, strings.Join(dedupe(segs), ", "))
		}
		bySeg := map[model.Segment][]*model.LocalNet{}
		for _, ln := range nets {
			if !ln.Segment.IsZero() {
				k := ln.Segment.Key()
				bySeg[k] = append(bySeg[k], ln)
			}
		}
		var keys []model.Segment
		for k, lns := range bySeg {
			if len(lns) > 1 {
				keys = append(keys, k)
			}
		}
		sort.Slice(keys, func(i, j int) bool {
			return keys[i].ID < keys[j].ID || keys[i].ID == keys[j].ID && keys[i].Type < keys[j].Type
		})
		for _, k := range keys {
			lns := bySeg[k]
			var vlans []string
			var e []Evidence
			for _, ln := range lns {
				vlans = append(vlans, fmt.Sprint(ln.VLAN))
				e = append(e, mappingEv(p, n, ln.Mappings[0]))
			}
			p.Reportf(n, e, "%s is carried on local VLANs %s: its ports on different VLANs cannot reach each other", lns[0].Segment, strings.Join(vlans, " and "))
		}
	}
}

func first(maps []model.Mapping, s model.Segment) model.Mapping {
	for _, mp := range maps {
		if mp.Segment.Agrees(s) {
			return mp
		}
	}
	return maps[0]
}

func mappingEv(p *Pass, n *model.Node, mp model.Mapping) Evidence {
	if mp.Port != nil {
		return p.portEv(n, mp.Port, "other_config")
	}
	return flowEv(n, mp.Flow)
}

func dedupe(s []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, v := range s {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}
