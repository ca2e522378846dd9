package rules

import (
	"strconv"

	"netxray/analyze/model"
	"netxray/parse/ovs"
)

// OVSFWZoneMismatch reports OVS-firewall flows that put a port in another
// conntrack zone than its local VLAN (neutron-domain.md §1.7, §5 E2).
var OVSFWZoneMismatch = &Rule{
	Name:     "ovsfw-zone-mismatch",
	Category: "firewall",
	Severity: Error,
	Doc: `the OVS firewall zone (reg6) differs from the port's tag
The native OVS firewall classifies each port in br-int table 60 ("in_port=X
actions=set_field:<ofport>->reg5,set_field:<zone>->reg6,...") and uses reg6
as the port's conntrack zone, which must be the port's local VLAN (its
OVSDB tag). A reg6 that differs from the tag (a stale cached VLAN in the
firewall after the port moved networks or the agent restarted, bug 2071451)
makes replies be looked up in another zone than the requests: they are
+new/+inv there and dropped.`,
	Hint:  "restart the OVS agent on the node so the firewall re-initialises the port (or re-plug the port)",
	Needs: []Need{needOVS, needIntFlows, needIntProgrammed},
	Run:   runOVSFWZoneMismatch,
}

func runOVSFWZoneMismatch(p *Pass) {
	for _, n := range p.Nodes() {
		br := n.IntegrationBridge()
		if br == nil || br.Flows == nil {
			continue
		}
		for i := range br.Flows.Flows {
			f := &br.Flows.Flows[i]
			if f.Table != 60 || f.Priority != 100 {
				continue
			}
			in, ok := model.MatchValue(f, "in_port")
			if !ok {
				continue
			}
			port := br.Port(in)
			zone, ok := setReg(f, "reg6")
			if port == nil || !ok || !port.HasTag || port.Tag == 4095 {
				continue
			}
			if int(zone) != port.Tag {
				p.Reportf(n, []Evidence{flowEv(n, f), p.portEv(n, port, "tag")},
					"the OVS firewall puts %s in conntrack zone %d (reg6) but the port is on local VLAN %d: its replies are looked up in the wrong zone and dropped",
					what(n, port), zone, port.Tag)
			}
		}
	}
}

// setReg returns the value a flow's actions load into register reg
// (set_field:V->reg6 or load:V->NXM_NX_REG6[]).
func setReg(f *ovs.Flow, reg string) (uint64, bool) {
	for _, a := range f.Actions {
		switch a.Name {
		case "set_field":
			if v, fd, ok := a.SetField(); ok && fd != nil && fd.Name == reg {
				n, err := strconv.ParseUint(v, 0, 64)
				return n, err == nil
			}
		case "load":
			if v, dst, ok := a.Load(); ok && dst.Field != nil && dst.Field.Name == reg {
				n, err := strconv.ParseUint(v, 0, 64)
				return n, err == nil
			}
		}
	}
	return 0, false
}
