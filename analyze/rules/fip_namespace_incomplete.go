package rules

import (
	"fmt"
	"net/netip"
	"strconv"

	"netxray/analyze/model"
)

// FIPNamespaceIncomplete reports DVR floating-IP plumbing with a piece
// missing (neutron-domain.md §3.2, §3.3, §5 D7).
var FIPNamespaceIncomplete = &Rule{
	Name:     "fip-namespace-incomplete",
	Category: "dvr",
	Severity: Error,
	Doc: `floating-IP namespace or its rfp/fpr/fg plumbing incomplete
A DVR host with floating IPs joins each router's qrouter to the fip-<external
network> namespace with a veth pair: rfp-<router> (qrouter side) and
fpr-<router> (fip side), each with a 169.254.x.y/31 address. The fip
namespace has exactly one fg- port on the external network (with an address
of the external subnet), a rule "from all iif fpr-<router> lookup <J>" and
table J "default via <external gateway> dev fg-...". Any piece missing (a
half-created fip namespace after an agent restart, bugs 1776984, 1597561,
1791989) breaks every floating IP of the router on that host, in or out.`,
	Hint:  "restart the l3 agent on the node (it rebuilds the fip namespace), or disassociate and re-associate one floating IP of the router",
	Needs: []Need{needNetns},
	Run:   runFIPNamespaceIncomplete,
}

func runFIPNamespaceIncomplete(p *Pass) {
	for _, n := range p.Nodes() {
		for _, r := range p.Model.Routers.All() {
			q := r.QRouterOn(n)
			if q == nil || q.Capped {
				continue
			}
			rfp := rfpOf(q)
			var nats []fipNAT
			if q.IPTables != nil {
				name := "rfp-"
				if rfp != nil {
					name = rfp.Name
				}
				nats = fipNATs(q.IPTables, name)
			}
			if rfp == nil {
				if len(nats) > 0 {
					p.Reportf(n, []Evidence{ev(n, nats[0].Rule.Pos, nats[0].Rule.Raw)}, "%s has floating-IP DNAT rules but no rfp- device: its floating IPs have no path to the fip namespace", q.Name)
				}
				continue
			}
			missing := func(what string, e ...Evidence) {
				p.Reportf(n, append([]Evidence{ev(n, rfp.Pos, rfp.Raw)}, e...), "floating IPs of %s: %s", q.Name, what)
			}
			fpr := fprName(rfp.Name)
			fip := fipNamespaceFor(n, rfp)
			if fip == nil {
				missing(fmt.Sprintf("no fip namespace holds %s, the peer of %s: floating IPs of the router do not work on this node", fpr, rfp.Name))
				continue
			}
			if fip.Capped {
				p.Skipf(n, "namespace %s capped: its files were not collected", fip.Name)
				continue
			}
			if !hasLinkLocal31(rfp) || !hasLinkLocal31(fip.Interface(fpr)) {
				missing(fmt.Sprintf("%s or %s has no 169.254.x.y/31 address", rfp.Name, fpr), ev(n, fip.Interface(fpr).Pos, fip.Interface(fpr).Raw))
			}
			var fgs []*model.Interface
			for _, ifc := range fip.Interfaces {
				if model.DeviceRole(ifc.Name) == "fg" {
					fgs = append(fgs, ifc)
				}
			}
			switch {
			case len(fgs) == 0:
				missing(fip.Name + " has no fg- port: no way to the external network")
				continue
			case len(fgs) > 1:
				missing(fmt.Sprintf("%s has %d fg- ports, one is expected (bug 1597561)", fip.Name, len(fgs)), ev(n, fgs[1].Pos, fgs[1].Raw))
			}
			if len(fip.Rules) == 0 {
				p.Skipf(n, "no ip rule output for %s", fip.Name)
				continue
			}
			var table string
			for _, rl := range fip.Rules {
				if rl.IIF == fpr {
					table = rl.Table
				}
			}
			if table == "" {
				missing(fmt.Sprintf("%s has no 'iif %s' rule: outbound floating-IP traffic finds no route to the gateway", fip.Name, fpr),
					absent(n, fip.Rules[0].Pos.File, "no rule with iif "+fpr))
				continue
			}
			if _, err := strconv.ParseUint(table, 10, 32); err != nil && table != "main" {
				continue
			}
			hasDefault := false
			for _, rt := range fip.Routes {
				if rt.Table == table && rt.Default && model.DeviceRole(rt.Dev) == "fg" {
					hasDefault = true
				}
			}
			if !hasDefault && table != "main" {
				missing(fmt.Sprintf("%s table %s (rule iif %s) has no default route via an fg- device: outbound floating-IP traffic is dropped", fip.Name, table, fpr),
					absent(n, routesFile(fip), "no default route in table "+table))
			}
		}
	}
}

func hasLinkLocal31(ifc *model.Interface) bool {
	if ifc == nil {
		return false
	}
	ll := netip.MustParsePrefix("169.254.0.0/16")
	for _, a := range ifc.Addrs {
		if ll.Contains(a.Prefix.Addr()) && a.Prefix.Bits() == 31 {
			return true
		}
	}
	return false
}
