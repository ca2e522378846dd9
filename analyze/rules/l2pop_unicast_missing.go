package rules

import (
	"fmt"
	"strconv"
	"strings"
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
			var missing []remotePort
			for _, r := range remotePorts(m, car, x) {
				if _, ok := have[strconv.Itoa(lnX.VLAN)+"|"+lower(r.port.AttachedMAC)]; !ok {
					missing = append(missing, r)
				}
			}
			for _, group := range byNode(missing) {
				var macs []string
				var e []Evidence
				covered := 0
				for i, r := range group {
					mac := lower(r.port.AttachedMAC)
					macs = append(macs, mac)
					if i < 3 {
						e = append(e, p.ifaceEv(r.node, r.port, "external_ids"))
					}
					if l, ok := learned[strconv.Itoa(lnX.VLAN)+"|"+mac]; ok {
						covered++
						if covered <= 3 {
							e = append(e, flowEv(x, l.Flow))
						}
					}
				}
				e = append([]Evidence{absent(x, flowsFile(x, tb), fmt.Sprintf("no table=20 priority=2 flow matching dl_vlan=%d,dl_dst=%s", lnX.VLAN, listed(macs, 5)))}, e...)
				for _, f := range floodFlows(lnX) {
					e = append(e, flowEv(x, f))
				}
				tail := "unicast to it is flooded to every node of the network"
				if covered == len(group) {
					tail = "only learned entries (300 s timeout) cover it; otherwise unicast to it is flooded"
				}
				if len(group) == 1 {
					p.Reportf(x, e, "%s table 20 has no l2pop entry for %s (%s, local VLAN %d): %s",
						tb.Name, what(group[0].node, group[0].port), lnX.Segment, lnX.VLAN, tail)
					continue
				}
				p.Reportf(x, e, "%s table 20 has no l2pop entries for %d ports of %s on %s (local VLAN %d): %s; %s",
					tb.Name, len(group), group[0].node.Name, lnX.Segment, lnX.VLAN, listed(macs, 10), strings.ReplaceAll(tail, " it", " them"))
			}
		}
	}
}
