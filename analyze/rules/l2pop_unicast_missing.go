package rules

import (
	"fmt"
	"strconv"
)

// L2popUnicastMissing reports remote ports without their l2pop table-20
// entry (neutron-domain.md §2.2, §2.4, §5 B3).
var L2popUnicastMissing = &Rule{
	Name:     "l2pop-unicast-missing",
	Category: "l2pop",
	Severity: Warning,
	Doc: `l2pop unicast entry missing for a remote port
With l2population, each node's br-tun table 20 holds one priority-2 entry
per port of its tunnel networks that lives on another node:
"dl_vlan=<local VLAN>,dl_dst=<MAC> actions=strip_vlan,set tun_id,output:<tunnel
to that node>". The expectation is computed from where the ports actually
are across the bundle set (OVSDB attached-mac of VIFs, DHCP and SNAT ports;
never DVR qr- or L3-HA ports, which l2pop only floods to). A missing entry
makes unicast to that port unknown: it is flooded through table 22 to every
node of the network (works, but noisy) until table 10 learns it for 300 s;
if the flood list lacks the node too, the port is a blackhole.`,
	Hint:  "the entry comes from the server's l2pop fdb_add on port up: restart the OVS agent on the node (full resync), or toggle the remote port (admin down/up)",
	Needs: []Need{needOVS, needTunFlows, needTunProgrammed},
	Run:   runL2popUnicastMissing,
}

func runL2popUnicastMissing(p *Pass) {
	m := p.Model
	for _, seg := range m.Networks.Segments() {
		if !seg.IsTunnel() {
			continue
		}
		car := carriers(m, seg)
		for _, x := range sortedNodes(car) {
			if !p.Usable(x) || x.TunnelBridge() == nil {
				continue
			}
			if on, why := l2popOn(x); !on {
				p.Skipf(x, "%s", why)
				continue
			}
			lnX := car[x]
			tb := x.TunnelBridge()
			have := map[string]unicastEntry{}
			learned := map[string]unicastEntry{}
			for _, e := range unicastEntries(tb) {
				k := strconv.Itoa(e.VLAN) + "|" + e.MAC
				if e.Learned {
					learned[k] = e
				} else {
					have[k] = e
				}
			}
			for _, r := range remotePorts(m, car, x) {
				mac := lower(r.port.AttachedMAC)
				k := strconv.Itoa(lnX.VLAN) + "|" + mac
				if _, ok := have[k]; ok {
					continue
				}
				e := []Evidence{absent(x, flowsFile(x, tb), fmt.Sprintf("no table=20 priority=2 flow matching dl_vlan=%d,dl_dst=%s", lnX.VLAN, mac)),
					p.ifaceEv(r.node, r.port, "external_ids")}
				tail := "unicast to it is flooded to every node of the network"
				if l, ok := learned[k]; ok {
					e = append(e, flowEv(x, l.Flow))
					tail = "only a learned entry (300 s timeout) covers it; otherwise unicast to it is flooded"
				}
				for _, f := range floodFlows(lnX) {
					e = append(e, flowEv(x, f))
				}
				p.Reportf(x, e, "%s table 20 has no l2pop entry for %s (%s, local VLAN %d): %s",
					tb.Name, what(r.node, r.port), lnX.Segment, lnX.VLAN, tail)
			}
		}
	}
}
