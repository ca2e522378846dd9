package rules

import (
	"strconv"

	"netxray/analyze/model"
	"netxray/parse/ovs"
)

// FlowPortMissing reports flows that use an OpenFlow port the bridge no
// longer has (neutron-domain.md §5 A2, A6).
var FlowPortMissing = &Rule{
	Name:     "flow-port-missing",
	Category: "ovs",
	Severity: Warning,
	Doc: `flows use an OpenFlow port the bridge no longer has
A flow matching in_port=N or outputting to port N, where N is no port of the
bridge (dumps with --names print such ports as bare numbers), was left
behind when its port was deleted: a tunnel port removed by hand, a router
or VM port unplugged without the agent noticing. Outputs to it drop
silently; the traffic the flow was meant for goes nowhere. The port that
used the number is usually what is missing (compare with the other nodes).`,
	Hint:  "find what the port was (other flows of the same match, the peer node's view) and have the agent recreate it; restarting the OVS agent clears the stale flows",
	Needs: []Need{needOVS},
	Run:   runFlowPortMissing,
}

func runFlowPortMissing(p *Pass) {
	for _, n := range p.Nodes() {
		for _, b := range n.Bridges {
			if b.Flows == nil || len(b.Flows.Flows) == 0 {
				continue
			}
			known := true
			for _, port := range b.Ports {
				if port.OFPort == 0 {
					known = false
				}
			}
			if !known {
				p.Skipf(n, "the OpenFlow port numbers of %s are unknown (no ovs-ofctl show, no ofport in OVSDB)", b.Name)
				continue
			}
			uses := map[int][]*ovs.Flow{}
			for i := range b.Flows.Flows {
				f := &b.Flows.Flows[i]
				refs := model.Outputs(f)
				if in, ok := model.MatchValue(f, "in_port"); ok {
					refs = append(refs, in)
				}
				for _, r := range refs {
					num, err := strconv.Atoi(r)
					if err != nil || num <= 0 || num >= 0xff00 || b.Port(r) != nil {
						continue
					}
					if l := uses[num]; len(l) == 0 || l[len(l)-1] != f {
						uses[num] = append(l, f)
					}
				}
			}
			for _, num := range sortedKeys(uses) {
				fl := uses[num]
				var e []Evidence
				for i, f := range fl {
					if i == 4 {
						break
					}
					e = append(e, flowEv(n, f))
				}
				verb := "use"
				if len(fl) == 1 {
					verb = "uses"
				}
				p.Reportf(n, e, "%s of %s %s OpenFlow port %d, which no port of %s has: the port was deleted and its flows left behind",
					plural(len(fl), "flow", "flows"), b.Name, verb, num, b.Name)
			}
		}
	}
}
