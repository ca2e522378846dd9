package rules

import (
	"fmt"

	"netxray/analyze/model"
)

// DVRMACMissing reports DVR hosts that do not know a peer's DVR MAC
// (neutron-domain.md §3.4, §5 D1).
var DVRMACMissing = &Rule{
	Name:     "dvr-mac-missing",
	Category: "dvr",
	Severity: Warning,
	Doc: `peer DVR host MAC missing from br-tun table 9 or br-int
Each DVR host has its own MAC (dvr_base_mac, fa:16:3f:...), which its
routers write as the source of routed frames (br-tun table 1). Every other
DVR host must know it: br-tun table 9 "dl_src=<MAC> actions=output:patch-int"
(so those frames are not learned in table 10), br-int table 0
"in_port=patch-tun,dl_src=<MAC> actions=goto_table:1" (so they get the
DVR_TO_SRC_MAC treatment), and on VLAN networks the provider-bridge and
br-int equivalents. The DVR MACs are read from each host's own table 1
rewrites. A missing entry makes routed east-west traffic from that host be
learned against the tunnel (MAC flapping) or miss the destination rewrite
(bug 1536110): the guest then receives it with the peer's DVR MAC as
source. Connectivity survives (the lab's dvr-mac-missing fault and agents
that started before a peer registered its MAC both kept every ping and TCP
test passing), hence a warning: the state is wrong and fragile, not broken.`,
	Hint:  "restart the OVS agent on the node missing the entry (it fetches all DVR MACs from the server at start)",
	Needs: []Need{needOVS, needTunFlows, needIntFlows, needTunProgrammed, needIntProgrammed},
	Run:   runDVRMACMissing,
}

func runDVRMACMissing(p *Pass) {
	rs := p.Model.Routers
	var hosts []*model.Node
	for _, n := range p.Model.Nodes {
		if rs.DVR(n).OwnMAC() != "" {
			hosts = append(hosts, n)
		}
	}
	for _, x := range hosts {
		if !p.Usable(x) {
			continue
		}
		d := rs.DVR(x)
		hasPhys := len(d.Physical) > 0 || len(d.FromPhysical) > 0
		for _, y := range hosts {
			mac := rs.DVR(y).OwnMAC()
			if y == x || mac == d.OwnMAC() {
				continue
			}
			own := rs.DVR(y).Own[0]
			check := func(list []model.MACFlow, where string, bridge *model.Bridge) {
				if bridge == nil || knows(list, mac) {
					return
				}
				e := []Evidence{absent(x, flowsFile(x, bridge), fmt.Sprintf("no %s flow matching dl_src=%s", where, mac)), flowEv(y, own.Flow)}
				if other := exampleEntry(p.Model, x, y, where); other != nil {
					e = append(e, *other)
				}
				p.Reportf(x, e, "%s %s has no entry for %s's DVR MAC %s: traffic routed by %s's routers is %s",
					bridge.Name, where, y.Name, mac, y.Name, effect(where))
			}
			check(d.Tunnel, "table 9", x.TunnelBridge())
			check(d.FromTunnel, "table 0 (from patch-tun)", x.IntegrationBridge())
			if hasPhys {
				check(d.FromPhysical, "table 0 (from a provider bridge)", x.IntegrationBridge())
			}
		}
	}
}

func knows(list []model.MACFlow, mac string) bool {
	for _, mf := range list {
		if mf.MAC == mac {
			return true
		}
	}
	return false
}

func effect(where string) string {
	if where == "table 9" {
		return "learned by table 10 against the tunnel it came from (MAC flapping, traffic then follows the learned entry)"
	}
	return "not rewritten to the subnet's gateway MAC before delivery"
}

// exampleEntry shows how a third node knows y's MAC, as a model of the
// missing flow.
func exampleEntry(m *model.Model, x, y *model.Node, where string) *Evidence {
	mac := m.Routers.DVR(y).OwnMAC()
	for _, z := range m.Nodes {
		if z == x || z == y {
			continue
		}
		d := m.Routers.DVR(z)
		list := d.FromTunnel
		switch where {
		case "table 9":
			list = d.Tunnel
		case "table 0 (from a provider bridge)":
			list = d.FromPhysical
		}
		for _, mf := range list {
			if mf.MAC == mac {
				e := flowEv(z, mf.Flow)
				return &e
			}
		}
	}
	return nil
}
