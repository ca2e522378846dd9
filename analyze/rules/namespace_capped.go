package rules

// NamespaceCapped reports namespaces listed by ip netns whose files sos did
// not collect.
var NamespaceCapped = &Rule{
	Name:     "namespace-capped",
	Category: "data",
	Severity: Warning,
	Doc: `namespaces listed but not collected (sos namespace limit)
sos collects per-namespace outputs (ip addr, routes, rules, neighbours,
iptables) for at most its namespace limit (networking.namespaces, default
a few dozen); on a busy network node the other qrouter/snat/fip/qdhcp
namespaces appear in ip netns only. Nothing can be said about them: DVR and
namespace rules skip them and list them as skipped.`,
	Hint:  "re-collect with sos report -k networking.namespaces=0 (no limit), or netxray's collector",
	Needs: []Need{needNetns},
	Run:   runNamespaceCapped,
}

func runNamespaceCapped(p *Pass) {
	for _, n := range p.Nodes() {
		var names []string
		var e []Evidence
		for _, ns := range n.Namespaces {
			if ns.Capped {
				names = append(names, ns.Name)
				if len(e) < 5 {
					e = append(e, ev(n, ns.Pos, ns.Name))
				}
			}
		}
		if len(names) == 0 {
			continue
		}
		shown := names
		if len(shown) > 5 {
			shown = append(shown[:5:5], "...")
		}
		p.Reportf(n, e, "%s of %d listed by ip netns have no collected files: %v", plural(len(names), "namespace", "namespaces"), len(n.Namespaces), shown)
	}
}
