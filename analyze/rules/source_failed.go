package rules

import (
	"sort"
	"strings"

	"netxray/collect"
)

// SourceFailed lists the commands that failed on a node.
var SourceFailed = &Rule{
	Name:     "source-failed",
	Category: "data",
	Severity: Info,
	Doc: `commands that failed during collection
Lists every source of the node whose command failed: the sos manifest
records a non-zero return code, or the file holds the tool's error message
("ovs-ofctl: br-int is not a bridge or a socket", "Cannot open network
namespace", "version negotiation failed") instead of output. Most are
harmless (virsh on a node without libvirt, an OpenFlow version the bridge
does not speak when another version's dump succeeded); the ones the model
needs are reported by source-missing.`,
	Hint: "check the error text in each file; re-run the command by hand on the node if its output matters",
	Run:  runSourceFailed,
}

func runSourceFailed(p *Pass) {
	for _, n := range p.Model.Nodes {
		if n.Bundle == nil {
			continue
		}
		var what []string
		var e []Evidence
		for _, sf := range n.Bundle.Inventory {
			if sf.Status != collect.StatusFailed {
				continue
			}
			what = append(what, sourceName(sf)+" ("+sf.Why+")")
			if sf.Path != "" {
				e = append(e, Evidence{Node: n.Name, File: sf.Path, Text: sf.Why})
			}
		}
		if len(what) == 0 {
			continue
		}
		sort.Strings(what)
		p.Reportf(n, e, "%s failed: %s", plural(len(what), "source", "sources"), strings.Join(what, "; "))
	}
}
