package rules

import (
	"strings"

	"netxray/analyze/model"
)

// ObfuscationMixed reports bundle sets where some nodes were obfuscated by
// sos clean and others were not.
var ObfuscationMixed = &Rule{
	Name:     "obfuscation-mixed",
	Category: "data",
	Severity: Warning,
	Doc: `bundles obfuscated inconsistently across nodes (sos clean)
sos clean rewrites MACs to 53:4f:53:xx:xx:xx, and IPv4 addresses and host
names through a mapping. Cross-node analysis joins nodes on those values
(tunnel endpoints, attached MACs, router ports), so it only works when every
bundle was cleaned with the same mapping (sos collect --clean, or a shared
/etc/sos/cleaner/default_mapping). A set where some nodes are cleaned and
others are not cannot be joined: peers look unknown, ports look missing. sos
clean also misses hex forms (tun_id, load:0x... in flows), which can leak or
mismatch.`,
	Hint: "collect all nodes the same way: all raw, or all with sos collect --clean (one shared mapping)",
	Run:  runObfuscationMixed,
}

func runObfuscationMixed(p *Pass) {
	var cleaned, raw []*model.Node
	ev := map[*model.Node]Evidence{}
	for _, n := range p.Model.Nodes {
		macs, obf := 0, 0
		for _, b := range n.Bridges {
			for _, port := range b.Ports {
				if port.AttachedMAC == "" {
					continue
				}
				macs++
				if strings.HasPrefix(strings.ToLower(port.AttachedMAC), "53:4f:53:") {
					obf++
					if _, ok := ev[n]; !ok {
						ev[n] = p.ifaceEv(n, port, "external_ids")
					}
				}
			}
		}
		switch {
		case macs == 0:
		case obf*2 > macs:
			cleaned = append(cleaned, n)
		default:
			raw = append(raw, n)
			if b := n.IntegrationBridge(); b != nil {
				for _, port := range b.Ports {
					if port.AttachedMAC != "" {
						ev[n] = p.ifaceEv(n, port, "external_ids")
						break
					}
				}
			}
		}
	}
	if len(cleaned) == 0 {
		return
	}
	if len(raw) == 0 {
		for _, n := range cleaned {
			p.Report(Finding{Node: n.Name, Severity: Info, Evidence: []Evidence{ev[n]}, Message: "the bundle was obfuscated by sos clean (53:4f:53 MACs): cross-node results hold only if every node used one mapping"})
		}
		return
	}
	for _, n := range cleaned {
		p.Reportf(n, []Evidence{ev[n], ev[raw[0]]}, "%s is obfuscated by sos clean (53:4f:53 MACs) but %s %s not: nodes cannot be joined on MACs and addresses", n.Name, names(raw), verb(len(raw)))
	}
}

func verb(n int) string {
	if n == 1 {
		return "is"
	}
	return "are"
}
