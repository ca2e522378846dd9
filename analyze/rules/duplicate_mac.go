package rules

import (
	"sort"
	"strings"

	"netxray/analyze/model"
)

// DuplicateMAC reports one MAC plugged as a VIF in two places of one
// network (neutron-domain.md §5 B9).
var DuplicateMAC = &Rule{
	Name:     "duplicate-mac",
	Category: "l2pop",
	Severity: Error,
	Doc: `one MAC on two VIFs of the same network
Within one network a MAC must belong to one port. Two VIFs with the same
attached-mac on one segment (a port re-created elsewhere while the old plug
stayed, a VM cloned with its MAC, a live migration that left the source
plugged) make br-int and the tunnel FDBs flap between the two places:
traffic to the MAC reaches one or the other at random. DVR qr- ports, which
exist with one MAC on every DVR host by design, are not reported; the same
MAC on different networks is legal.`,
	Hint:  "find the stale plug (the one whose VM or namespace is gone) and delete it; check the Neutron port's binding:host_id",
	Needs: []Need{needOVS},
	Run:   runDuplicateMAC,
}

func runDuplicateMAC(p *Pass) {
	m := p.Model
	type key struct {
		mac string
		seg model.Segment
	}
	places := map[key][]model.Attachment{}
	var order []key
	for _, n := range p.Nodes() {
		br := n.IntegrationBridge()
		if br == nil {
			continue
		}
		for _, port := range br.Ports {
			if !port.IsVIF() || distributedPort(m, n, port) || haPort(n, port) {
				continue
			}
			seg := m.Networks.SegmentOf(n, port)
			if seg.IsZero() {
				continue
			}
			k := key{strings.ToLower(port.AttachedMAC), seg.Key()}
			if places[k] == nil {
				order = append(order, k)
			}
			places[k] = append(places[k], model.Attachment{Node: n, Port: port, Segment: seg})
		}
	}
	sort.Slice(order, func(i, j int) bool { return order[i].mac < order[j].mac })
	for _, k := range order {
		at := places[k]
		if len(at) < 2 {
			continue
		}
		var e []Evidence
		var where []string
		for _, a := range at {
			e = append(e, p.ifaceEv(a.Node, a.Port, "external_ids"))
			where = append(where, a.Port.Name+" on "+a.Node.Name)
		}
		for _, a := range at {
			p.Reportf(a.Node, e, "MAC %s is plugged %d times on %s: %s", k.mac, len(at), at[0].Segment, strings.Join(where, ", "))
		}
	}
}
