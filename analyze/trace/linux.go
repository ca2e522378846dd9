package trace

import (
	"fmt"

	"netxray/analyze/model"
)

// linux follows the packet into a namespace through device ifc.
func (t *tracer) linux(n *model.Node, ns *model.Namespace, ifc *model.Interface, p packet, hops []Hop, depth int) branch {
	hops = append(hops, Hop{Node: n.Name, Where: ns.Name, Kind: "route", Detail: fmt.Sprintf("enters %s through %s", ns.Name, ifc.Name),
		Evidence: []Evidence{evidence(ifc.Pos, firstLine(ifc.Raw))}})
	return branch{hops: hops, verdict: DataMissing, reason: "routing through " + ns.Name + " is not evaluated yet (analyze/netstack pending)"}
}

func (t *tracer) fromExternal() branch {
	return branch{verdict: DataMissing, reason: "traces from an external address are not evaluated yet"}
}
