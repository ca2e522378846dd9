package rules

import (
	"fmt"
	"net/netip"
	"sort"

	"netxray/analyze/model"
	"netxray/parse/iproute"
	"netxray/parse/iptables"
)

// FIPRuleRoute reports floating IPs whose DVR policy rule and fip-namespace
// route disagree (neutron-domain.md §3.3, §3.5, §5 D8).
var FIPRuleRoute = &Rule{
	Name:     "fip-rule-route",
	Category: "dvr",
	Severity: Error,
	Doc: `floating-IP rule without route, or route without rule
A DVR floating IP F of fixed IP f on host H needs three things on H: the
qrouter's DNAT "-d F/32 -i rfp-<router> -j DNAT --to-destination f", its ip
rule "from f lookup 16" (outbound traffic of f leaves through rfp to the fip
namespace), and in the fip namespace the route "F via <rfp IP> dev
fpr-<router>" (inbound). With the route but not the rule, replies and new
outbound connections of f take the SNAT path through the network node and
leave with the router's gateway IP instead of F: asymmetric, and stateful
peers break (bugs 1414779, 1891673). A rule or route for an address that has
no DNAT any more is stale.`,
	Hint:  "restart the l3 agent on the node (it reprograms FIP rules from <state_path>/fip-priorities), or disassociate and re-associate the floating IP",
	Needs: []Need{needNetns},
	Run:   runFIPRuleRoute,
}

// fipNAT is one floating IP as a qrouter's DNAT rule shows it.
type fipNAT struct {
	FIP, Fixed netip.Addr
	Rule       *iptables.Rule
}

func runFIPRuleRoute(p *Pass) {
	for _, n := range p.Nodes() {
		for _, r := range p.Model.Routers.All() {
			q := r.QRouterOn(n)
			if q == nil || !r.Distributed {
				continue
			}
			rfp := rfpOf(q)
			if rfp == nil {
				continue // no floating IP path on this node
			}
			if q.Capped {
				p.Skipf(n, "namespace %s capped: its files were not collected", q.Name)
				continue
			}
			if q.IPTables == nil {
				p.Skipf(n, "no iptables-save of %s: its floating IPs are unknown", q.Name)
				continue
			}
			fip := fipNamespaceFor(n, rfp)
			nats := fipNATs(q.IPTables, rfp.Name)
			rules16 := map[netip.Addr]*iproute.Rule{}
			for i := range q.Rules {
				rl := &q.Rules[i]
				if rl.Table == "16" && rl.From.IsValid() && rl.From.IsSingleIP() {
					rules16[rl.From.Addr()] = rl
				}
			}
			routes := map[netip.Addr]*iproute.Route{}
			if fip != nil {
				for i := range fip.Routes {
					rt := &fip.Routes[i]
					if mainTable(rt.Table) && rt.Prefix.IsValid() && rt.Prefix.IsSingleIP() && rt.Dev != "" && model.DeviceRole(rt.Dev) == "fpr" {
						routes[rt.Prefix.Addr()] = rt
					}
				}
			}
			ruleFile := ""
			if len(q.Rules) > 0 {
				ruleFile = q.Rules[0].Pos.File
			}
			fixed := map[netip.Addr]bool{}
			fips := map[netip.Addr]bool{}
			for _, nat := range nats {
				fixed[nat.Fixed], fips[nat.FIP] = true, true
				rl, rt := rules16[nat.Fixed], routes[nat.FIP]
				natEv := ev(n, nat.Rule.Pos, nat.Rule.Raw)
				switch {
				case rl == nil && rt != nil:
					p.Reportf(n, []Evidence{natEv, ev(n, rt.Pos, rt.Raw), absent(n, ruleFile, fmt.Sprintf("no 'from %s lookup 16' rule in %s", nat.Fixed, q.Name))},
						"floating IP %s of %s: %s has no 'from %s lookup 16' rule while %s routes %s inbound: outbound traffic of %s leaves through SNAT on the network node with the router's gateway address (asymmetric)",
						nat.FIP, nat.Fixed, q.Name, nat.Fixed, fip.Name, nat.FIP, nat.Fixed)
				case rl != nil && rt == nil && fip != nil:
					p.Reportf(n, []Evidence{natEv, ev(n, rl.Pos, rl.Raw), absent(n, routesFile(fip), fmt.Sprintf("no route for %s via %s", nat.FIP, rfp.Name))},
						"floating IP %s of %s: %s has no route for it while %s sends %s out through rfp: inbound traffic to %s is not delivered (asymmetric)",
						nat.FIP, nat.Fixed, fip.Name, q.Name, nat.Fixed, nat.FIP)
				case rl == nil && rt == nil && fip != nil:
					p.Reportf(n, []Evidence{natEv, absent(n, ruleFile, fmt.Sprintf("no 'from %s lookup 16' rule", nat.Fixed)), absent(n, routesFile(fip), fmt.Sprintf("no route for %s", nat.FIP))},
						"floating IP %s of %s has a DNAT rule in %s but neither its 'from %s lookup 16' rule nor its route in %s: the floating IP does not work on this node",
						nat.FIP, nat.Fixed, q.Name, nat.Fixed, fip.Name)
				}
			}
			for _, a := range sortedAddrs(rules16) {
				if fixed[a] {
					continue
				}
				rl := rules16[a]
				p.Report(Finding{Node: n.Name, Severity: Warning, Evidence: []Evidence{ev(n, rl.Pos, rl.Raw)},
					Message: fmt.Sprintf("%s rule 'from %s lookup 16' matches no floating IP (no DNAT to %s): a stale FIP rule sends %s out through the fip namespace", q.Name, a, a, a)})
			}
			for _, a := range sortedAddrs(routes) {
				rt := routes[a]
				if fips[a] || rt.Dev != fprName(rfp.Name) {
					continue
				}
				p.Report(Finding{Node: n.Name, Severity: Warning, Evidence: []Evidence{ev(n, rt.Pos, rt.Raw)},
					Message: fmt.Sprintf("%s routes %s to %s but %s has no DNAT for it: a stale floating-IP route", fip.Name, a, rt.Dev, q.Name)})
			}
		}
	}
}

// rfpOf returns the qrouter's rfp- device, nil without one.
func rfpOf(q *model.Namespace) *model.Interface {
	for _, ifc := range q.Interfaces {
		if model.DeviceRole(ifc.Name) == "rfp" {
			return ifc
		}
	}
	return nil
}

func fprName(rfp string) string { return "fpr" + rfp[3:] }

// fipNamespaceFor returns the fip namespace holding the fpr peer of rfp.
func fipNamespaceFor(n *model.Node, rfp *model.Interface) *model.Namespace {
	want := fprName(rfp.Name)
	for _, ns := range n.Namespaces {
		if ns.Kind == "fip" && ns.Interface(want) != nil {
			return ns
		}
	}
	return nil
}

// fipNATs reads a qrouter's floating IPs: nat-table DNAT rules of one
// address arriving on rfp.
func fipNATs(s *iptables.Save, rfp string) []fipNAT {
	var out []fipNAT
	t := s.Table("nat")
	if t == nil {
		return nil
	}
	for _, rl := range t.Rules() {
		if rl.Target == nil || rl.Target.Name != "DNAT" || rl.Dst == nil || rl.Dst.Not || !rl.Dst.Prefix.IsSingleIP() {
			continue
		}
		if rl.In == nil || rl.In.Name != rfp {
			continue
		}
		nat := rl.NAT()
		if nat == nil || !nat.Lo.IsValid() || nat.Lo != nat.Hi {
			continue
		}
		out = append(out, fipNAT{FIP: rl.Dst.Prefix.Addr(), Fixed: nat.Lo, Rule: rl})
	}
	return out
}

func mainTable(t string) bool { return t == "" || t == "main" || t == "254" }

func routesFile(ns *model.Namespace) string {
	if ns == nil || len(ns.Routes) == 0 {
		return ""
	}
	return ns.Routes[0].Pos.File
}

func sortedAddrs[V any](mp map[netip.Addr]V) []netip.Addr {
	var out []netip.Addr
	for a := range mp {
		out = append(out, a)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Less(out[j]) })
	return out
}
