package rules

import "netxray/collect"

// SourceTruncated reports files cut by a size limit or a timeout.
var SourceTruncated = &Rule{
	Name:     "source-truncated",
	Category: "data",
	Severity: Warning,
	Doc: `a source file is truncated
sos cuts files at its size limit (and marks them in its manifest), and a
command killed by a timeout leaves partial output. A truncated flow dump,
route table or neighbour list can still show that something is wrong, but
never that something is missing: rules that look for absent flows, rules
or routes skip a node whose source is truncated, and list it as skipped.`,
	Hint: "re-collect with a larger size limit (sos --log-size, or netxray's collector, which does not cut)",
	Run:  runSourceTruncated,
}

func runSourceTruncated(p *Pass) {
	for _, n := range p.Model.Nodes {
		if n.Bundle == nil {
			continue
		}
		for _, sf := range n.Bundle.Inventory {
			if sf.Status != collect.StatusTruncated {
				continue
			}
			p.Reportf(n, []Evidence{{Node: n.Name, File: sf.Path, Text: sf.Why}}, "%s is truncated (%s): what it lacks cannot be told from what is missing", sourceName(sf), sf.Why)
		}
	}
}
