package rules

import (
	"netxray/analyze/model"
)

// DVRMACDuplicate reports two DVR hosts with one DVR MAC (neutron-domain.md
// §5 D1).
var DVRMACDuplicate = &Rule{
	Name:     "dvr-mac-duplicate",
	Category: "dvr",
	Severity: Error,
	Doc: `two DVR hosts use the same DVR MAC
The server allocates one DVR MAC per host from dvr_base_mac; routed frames
carry it as their source and peers use it to recognise the sending host. Two
hosts with the same MAC (a host renamed or re-registered, a cloned agent
state, dvr_base_mac colliding with base_mac) make peers treat the frames of
one as the other's, and the underlay switches see one MAC in two places.`,
	Hint:  "remove the stale dvr_host_macs entry of the old host name from the Neutron database and restart both agents",
	Needs: []Need{needOVS, needTunFlows},
	Run:   runDVRMACDuplicate,
}

func runDVRMACDuplicate(p *Pass) {
	by := map[string][]*model.Node{}
	for _, n := range p.Nodes() {
		if mac := p.Model.Routers.DVR(n).OwnMAC(); mac != "" {
			by[mac] = append(by[mac], n)
		}
	}
	for mac, ns := range by {
		if len(ns) < 2 {
			continue
		}
		var e []Evidence
		for _, n := range ns {
			e = append(e, flowEv(n, p.Model.Routers.DVR(n).Own[0].Flow))
		}
		for _, n := range ns {
			p.Reportf(n, e, "DVR MAC %s is also used by %s", mac, names(others(ns, n)))
		}
	}
}
