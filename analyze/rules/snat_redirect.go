package rules

import (
	"encoding/binary"
	"fmt"
	"net/netip"
	"strconv"

	"netxray/analyze/model"
	"netxray/parse/iproute"
)

// SNATRedirect reports DVR qrouters whose SNAT redirect rule or table is
// missing or wrong (neutron-domain.md §3.3, §3.5, §5 D5).
var SNATRedirect = &Rule{
	Name:     "snat-redirect",
	Category: "dvr",
	Severity: Error,
	Doc: `a DVR SNAT redirect rule or its table is missing or wrong
A distributed router with an external gateway sends the traffic of VMs
without a floating IP to its centralized SNAT namespace. In each qrouter,
every qr- subnet has a policy rule "<IDX>: from <qr IP>/<len> lookup <IDX>"
(IDX = the qr IPv4 address as a 32-bit integer) and table IDX holds
"default via <sg- IP of that subnet> dev qr-<port>". A missing rule, an
empty table, or a default route via an address that is no sg- port of the
router's snat namespace leaves those VMs without outbound connectivity
(bugs 1599287, 1611964). A redirect rule for a subnet the router no longer
has is stale.`,
	Hint:  "restart the l3 agent on the node, or remove and re-add the router interface; check the snat namespace holds the sg- port",
	Needs: []Need{needNetns},
	Run:   runSNATRedirect,
}

func runSNATRedirect(p *Pass) {
	sgIPs := map[string]map[netip.Addr]string{} // router → sg address → device
	for _, r := range p.Model.Routers.All() {
		sgIPs[r.ID] = map[netip.Addr]string{}
		for _, s := range r.SNATs {
			for _, ifc := range s.NS.Interfaces {
				if model.DeviceRole(ifc.Name) == "sg" {
					for _, a := range ifc.Addrs {
						sgIPs[r.ID][a.Prefix.Addr()] = s.Node.Name + " " + ifc.Name
					}
				}
			}
		}
	}
	for _, n := range p.Nodes() {
		for _, r := range p.Model.Routers.All() {
			q := r.QRouterOn(n)
			if q == nil || !r.Distributed {
				continue
			}
			if q.Capped {
				p.Skipf(n, "namespace %s capped: its files were not collected", q.Name)
				continue
			}
			if len(q.Rules) == 0 {
				p.Skipf(n, "no ip rule output for %s", q.Name)
				continue
			}
			redirects := redirectRules(q)
			if len(r.SNATs) == 0 && len(redirects) == 0 {
				continue // no gateway: nothing to redirect
			}
			qrs := map[uint32]bool{}
			for _, ifc := range q.Interfaces {
				if model.DeviceRole(ifc.Name) != "qr" {
					continue
				}
				for _, a := range ifc.Addrs {
					if !a.Prefix.Addr().Is4() {
						continue
					}
					idx := ipIndex(a.Prefix.Addr())
					qrs[idx] = true
					checkRedirect(p, n, r, q, ifc, a.Prefix, idx, redirects[idx], sgIPs[r.ID])
				}
			}
			for idx, rl := range redirects {
				if !qrs[idx] {
					p.Report(Finding{Node: n.Name, Severity: Warning, Evidence: []Evidence{ev(n, rl.Pos, rl.Raw)},
						Message: fmt.Sprintf("%s has a SNAT redirect rule for %s but no qr- interface with that address: a stale rule", q.Name, rl.From)})
				}
			}
		}
	}
}

// redirectRules returns a qrouter's SNAT redirect rules by IDX: rules from
// an address with a prefix length, whose table is that address as an
// integer.
func redirectRules(q *model.Namespace) map[uint32]*iproute.Rule {
	out := map[uint32]*iproute.Rule{}
	for i := range q.Rules {
		rl := &q.Rules[i]
		if !rl.From.IsValid() || !rl.From.Addr().Is4() || rl.From.IsSingleIP() {
			continue
		}
		idx := ipIndex(rl.From.Addr())
		if rl.Table == strconv.FormatUint(uint64(idx), 10) {
			out[idx] = rl
		}
	}
	return out
}

func ipIndex(a netip.Addr) uint32 {
	b := a.As4()
	return binary.BigEndian.Uint32(b[:])
}

func checkRedirect(p *Pass, n *model.Node, r *model.Router, q *model.Namespace, qr *model.Interface, pfx netip.Prefix, idx uint32, rl *iproute.Rule, sg map[netip.Addr]string) {
	table := strconv.FormatUint(uint64(idx), 10)
	qrEv := ev(n, qr.Pos, qr.Raw)
	if rl == nil {
		p.Reportf(n, []Evidence{qrEv, absent(n, q.Rules[0].Pos.File, fmt.Sprintf("no '%s: from %s lookup %s' rule", table, pfx, table))},
			"%s has no SNAT redirect rule for %s (%s): VMs of %s without a floating IP have no way out through the router's SNAT",
			q.Name, qr.Name, pfx, pfx.Masked())
		return
	}
	var def *iproute.Route
	for i := range q.Routes {
		rt := &q.Routes[i]
		if rt.Table == table && rt.Default {
			def = rt
			break
		}
	}
	if def == nil {
		p.Reportf(n, []Evidence{ev(n, rl.Pos, rl.Raw), absent(n, routesFile(q), "no route in table "+table)},
			"%s SNAT redirect table %s (for %s, %s) is empty: traffic of %s without a floating IP matches the rule and finds no route",
			q.Name, table, qr.Name, pfx, pfx.Masked())
		return
	}
	if len(r.SNATs) == 0 || !def.Gateway.IsValid() {
		return
	}
	if _, ok := sg[def.Gateway]; !ok {
		p.Reportf(n, []Evidence{ev(n, rl.Pos, rl.Raw), ev(n, def.Pos, def.Raw)},
			"%s SNAT redirect table %s sends %s to %s, which is no sg- address of snat-%s: outbound traffic goes nowhere",
			q.Name, table, pfx.Masked(), def.Gateway, r.ID)
	}
}
