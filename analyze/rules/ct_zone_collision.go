package rules

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"netxray/analyze/model"
)

// CTZoneCollision reports iptables conntrack zones shared by two ports, or
// low enough to collide with OVS-firewall zones (neutron-domain.md §1.7,
// §5 E1).
var CTZoneCollision = &Rule{
	Name:     "ct-zone-collision",
	Category: "firewall",
	Severity: Warning,
	Doc: `iptables conntrack zone shared or colliding with OVS zones
The hybrid firewall gives each port its own conntrack zone in the raw table
("-m physdev --physdev-in qvb... -j CT --zone N"), allocated from 4097 up
since bug 1745642 so it cannot meet the OVS firewall's and FWaaS's zones,
which are local VLANs (1-4094). Two ports in one zone share connection
state, so one port's connections can validate another's packets; a zone
at or below 4096 can collide with an OVS-firewall port's zone on the same
kernel conntrack table (bugs 1745642, 1478925, 1359523).`,
	Hint:  "restart the OVS agent (it reallocates zones) after upgrading past the zone fix",
	Needs: []Need{needHostIPs},
	Run:   runCTZoneCollision,
}

func runCTZoneCollision(p *Pass) {
	for _, n := range p.Nodes() {
		if n.IPTables == nil {
			continue
		}
		raw := n.IPTables.Table("raw")
		if raw == nil {
			continue
		}
		ports := map[int]map[string]Evidence{} // zone → port id → first rule
		for _, rl := range raw.Rules() {
			if rl.Target == nil || rl.Target.Name != "CT" {
				continue
			}
			o, ok := rl.Target.Option("--zone")
			if !ok {
				continue
			}
			zone, err := strconv.Atoi(o.Arg())
			if err != nil {
				continue
			}
			dev := ""
			if pd := rl.PhysdevIn(); pd != nil {
				dev = pd.Name
			} else if rl.In != nil {
				dev = rl.In.Name
			}
			id := portID(dev)
			if id == "" {
				continue
			}
			if ports[zone] == nil {
				ports[zone] = map[string]Evidence{}
			}
			if _, ok := ports[zone][id]; !ok {
				ports[zone][id] = ev(n, rl.Pos, rl.Raw)
			}
		}
		for _, z := range sortedKeys(ports) {
			ids := ports[z]
			var e []Evidence
			var list []string
			for id, x := range ids {
				list = append(list, id)
				e = append(e, x)
			}
			sort.Strings(list)
			sort.Slice(e, func(i, j int) bool { return e[i].Line < e[j].Line })
			if len(ids) > 1 {
				p.Report(Finding{Node: n.Name, Severity: Error, Evidence: e,
					Message: fmt.Sprintf("conntrack zone %d is shared by %d ports (%s): their connection state mixes", z, len(ids), strings.Join(list, ", "))})
			}
			if z <= 4096 {
				p.Reportf(n, e[:1], "iptables puts port %s in conntrack zone %d, inside the range of OVS-firewall zones (local VLANs): it can collide with an OVS-firewall port's zone", list[0], z)
			}
		}
	}
}

// portID returns the Neutron port id prefix of a hybrid device name
// (qvb5e1f2a3b-c4 → 5e1f2a3b-c4), "" for other names.
func portID(dev string) string {
	switch model.DeviceRole(dev) {
	case "qvb", "qvo", "qbr", "tap":
		return dev[3:]
	}
	return ""
}
