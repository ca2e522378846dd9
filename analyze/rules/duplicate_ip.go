package rules

import (
	"net/netip"
	"sort"
	"strings"

	"netxray/analyze/model"
)

// DuplicateIP reports a fixed IP bound to two MACs within one network
// (neutron-domain.md §5 B9).
var DuplicateIP = &Rule{
	Name:     "duplicate-ip",
	Category: "l2pop",
	Severity: Error,
	Doc: `one fixed IP given to two ports of the same network
Within one network a fixed IP belongs to one port. The rule reads fixed
addresses where they are authoritative: the DHCP agent's host files
(MAC ↔ IP of every port of the network) and the addresses of router and
DHCP devices in their namespaces, and reports an IP bound to two MACs that
are both plugged on the same segment. Both ports answer ARP for it (or the
ARP responder and DVR neighbour entries point to one of them at random):
connections reach the wrong VM or flap. Allowed-address-pair VIPs are not
read, so legitimate shared VIPs are not reported.`,
	Hint:  "find the stale port (openstack port list --fixed-ip ip-address=IP) and delete or re-address it; check for a VM configured with a static address that Neutron gave another port",
	Needs: []Need{needOVS},
	Run:   runDuplicateIP,
}

func runDuplicateIP(p *Pass) {
	m := p.Model
	type key struct {
		ip  netip.Addr
		seg model.Segment
	}
	macs := map[key]map[string]model.Address{}
	shown := map[key]model.Segment{}
	var order []key
	seen := map[netip.Addr]bool{}
	var ips []netip.Addr
	for _, n := range p.Nodes() {
		br := n.IntegrationBridge()
		if br == nil {
			continue
		}
		for _, port := range br.Ports {
			if !port.IsVIF() {
				continue
			}
			for _, a := range m.Addresses.ByMAC(port.AttachedMAC) {
				if !seen[a.IP] {
					seen[a.IP] = true
					ips = append(ips, a.IP)
				}
			}
		}
	}
	sort.Slice(ips, func(i, j int) bool { return ips[i].Less(ips[j]) })
	for _, ip := range ips {
		if !ip.IsGlobalUnicast() {
			continue
		}
		for _, a := range m.Addresses.ByIP(ip) {
			if a.Source != "dhcp" && a.Source != "interface" {
				continue
			}
			for _, at := range m.Networks.Attachments(a.MAC) {
				if at.Segment.IsZero() || distributedPort(m, at.Node, at.Port) {
					continue
				}
				k := key{ip, at.Segment.Key()}
				if macs[k] == nil {
					macs[k] = map[string]model.Address{}
					shown[k] = at.Segment
					order = append(order, k)
				}
				if _, ok := macs[k][a.MAC]; !ok {
					macs[k][a.MAC] = a
				}
			}
		}
	}
	for _, k := range order {
		set := macs[k]
		if len(set) < 2 {
			continue
		}
		var list []string
		for mac := range set {
			list = append(list, mac)
		}
		sort.Strings(list)
		var e []Evidence
		nodes := map[string]bool{}
		for _, mac := range list {
			a := set[mac]
			e = append(e, bookEv(a))
			for _, at := range m.Networks.Attachments(mac) {
				nodes[at.Node.Name] = true
			}
		}
		for name := range nodes {
			if n := m.Node(name); n != nil && p.Usable(n) {
				p.Reportf(n, e, "fixed IP %s on %s is given to %d ports: %s", k.ip, shown[k], len(list), strings.Join(list, ", "))
			}
		}
	}
}
