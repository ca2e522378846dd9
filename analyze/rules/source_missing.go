package rules

import (
	"fmt"
	"strings"

	"netxray/analyze/model"
	"netxray/collect"
	"netxray/parse"
)

// SourceMissing reports what the model could not know on a node because a
// source it needs is absent or failed.
var SourceMissing = &Rule{
	Name:     "source-missing",
	Category: "data",
	Severity: Warning,
	Doc: `a source the analysis needs is absent or failed
The model of a node is built from a few key outputs: the OVS database
(ovs-vsctl list/show or conf.db), each bridge's flow dump, ip addr, ip netns
and the per-namespace ip outputs. When one is missing from the bundle or the
command failed (its error text is in the file, or the sos manifest records a
non-zero return code), everything that needs it is skipped on that node:
the rules list the node under "skipped", never as clean. This finding says
what is missing and why, so the collection can be repeated.`,
	Hint: "re-collect with netxray's collector (collect/netxray-collect.sh) or a recent sos with the openvswitch and networking plugins; check the command's error in the file",
	Run:  runSourceMissing,
}

func runSourceMissing(p *Pass) {
	for _, n := range p.Model.Nodes {
		for _, g := range n.Gaps {
			if strings.HasPrefix(g.What, "namespace ") && strings.HasPrefix(g.Why, "capped") {
				continue // namespace-capped
			}
			p.Report(Finding{Node: n.Name, Message: fmt.Sprintf("no %s: %s", g.What, g.Why), Evidence: []Evidence{gapEvidence(n, g)}})
		}
	}
}

// gapEvidence cites the file of the missing source when there is one (a
// failed command's output), else says what the catalog looked for.
func gapEvidence(n *model.Node, g model.Gap) Evidence {
	var kind parse.Kind
	key := ""
	switch {
	case g.What == "OVS bridges and ports":
		kind = collect.KindOVSVsctlShow
	case g.What == "host interfaces":
		kind = collect.KindIPAddr
	case g.What == "namespace list":
		kind = collect.KindIPNetns
	case strings.HasPrefix(g.What, "flows of "):
		kind, key = collect.KindOFCtlDumpFlows, strings.TrimPrefix(g.What, "flows of ")
	}
	e := Evidence{Node: n.Name, Text: g.What + ": " + g.Why}
	if n.Bundle != nil && kind != "" {
		if sf, ok := n.Bundle.Source(kind, key); ok {
			e.File = sf.Path
		}
	}
	return e
}
