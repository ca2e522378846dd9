package rules

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"netxray/analyze/model"
	"netxray/collect"
	"netxray/parse/iproute"
)

// LBARPEntry reports Linux bridge agent ARP responder entries (PERMANENT
// neighbours on vxlan-<VNI>) that are missing or answer the wrong MAC
// (neutron-domain.md §2.3, §2.4, §5 B6).
var LBARPEntry = &Rule{
	Name:     "lb-arp-entry",
	Category: "l2pop",
	Severity: Error,
	Doc: `a Linux bridge ARP responder entry is missing or wrong
With l2population and arp_responder, the Linux bridge agent creates
vxlan-<VNI> with "proxy" and writes one "<IP> dev vxlan-<VNI> lladdr <MAC>
PERMANENT" neighbour per IPv4 address of every remote port of the network.
In proxy mode the kernel answers ARP requests arriving at the device from
that table and sends none into the tunnel, so a missing entry leaves ARP
for that address unanswered (the guest cannot reach it at all), and an entry
with another MAC sends the traffic to the wrong port. The expected entries
are computed from where the ports are plugged (see lb-fdb-missing) and
their addresses as the bundle shows them first-hand (DHCP host files,
namespace addresses, OVS firewall flows). A PERMANENT entry for an address
of a port on the same node is reported too: it is stale.`,
	Hint:  "restart the Linux bridge agent on the node (l2pop resync rewrites the neighbours); for allowed-address-pair VIPs, disable arp_responder",
	Needs: []Need{needHostIPs},
	Run:   runLBARPEntry,
}

func runLBARPEntry(p *Pass) {
	byVNI := lbDevices(p)
	for _, vni := range sortedKeys(byVNI) {
		devs := byVNI[vni]
		var ports []vniPort
		var ips map[string][]netip.Addr // by port MAC
		for _, d := range devs {
			if !d.ifc.Tunnel.Proxy || d.multicast() {
				continue
			}
			if why := sourceWhy(d.n, collect.KindIPNeigh, ""); why != "" {
				p.Skipf(d.n, "host ip neigh %s: the ARP responder entries of %s are unknown", why, d.ifc.Name)
				continue
			}
			if ports == nil {
				ports, ips = vniPorts(p, vni, devs), map[string][]netip.Addr{}
				for _, r := range ports {
					ips[r.mac] = portIPv4s(p.Model, r.mac)
				}
			}
			lbCheckARP(p, d, ports, ips)
		}
	}
}

// lbCheckARP checks the PERMANENT neighbours of one proxy vxlan device
// against the addresses of the VNI's ports (ips, by MAC).
func lbCheckARP(p *Pass, d lbVXLAN, ports []vniPort, ips map[string][]netip.Addr) {
	have := map[netip.Addr]*iproute.Neighbor{}
	for i := range d.n.Neighbors {
		nb := &d.n.Neighbors[i]
		if nb.Dev == d.ifc.Name && nb.Dst.Is4() && slices.Contains(nb.States, "PERMANENT") {
			have[nb.Dst] = nb
		}
	}
	devEv := ev(d.n, d.ifc.Pos, d.ifc.Raw)
	var missing []string
	var missingEv []Evidence
	for _, r := range ports {
		for _, ip := range ips[r.mac] {
			nb, ok := have[ip]
			switch {
			case r.node == d.n:
				if ok {
					p.Reportf(d.n, []Evidence{ev(d.n, nb.Pos, nb.Raw), r.ev},
						"%s answers ARP for %s, the address of port %s on this node: a stale entry", d.ifc.Name, ip, r.name)
				}
			case !ok:
				missing = append(missing, fmt.Sprintf("%s (%s on %s)", ip, r.mac, r.node.Name))
				if len(missingEv) < 3 {
					missingEv = append(missingEv, r.ev)
				}
			case !strings.EqualFold(nb.LLAddr, r.mac):
				p.Reportf(d.n, []Evidence{ev(d.n, nb.Pos, nb.Raw), r.ev},
					"%s answers ARP for %s with %s, but the port with that address is %s (%s on %s)", d.ifc.Name, ip, nb.LLAddr, r.name, r.mac, r.node.Name)
			}
		}
	}
	if len(missing) > 0 {
		e := append([]Evidence{devEv, absent(d.n, neighFile(d.n, "", d.n.Neighbors), fmt.Sprintf("no PERMANENT neighbour on %s for %s", d.ifc.Name, listed(missing, 5)))}, missingEv...)
		p.Reportf(d.n, e, "%s (proxy) has no ARP responder entry for %s: ARP requests for them are answered by no one and never leave the node",
			d.ifc.Name, listed(missing, 10))
	}
}

// neighFile names the neighbour file of namespace ns of n ("" for the root
// namespace), whose entries are nbs, for absent evidence.
func neighFile(n *model.Node, ns string, nbs []iproute.Neighbor) string {
	for _, nb := range nbs {
		return nb.Pos.File
	}
	if n.Bundle != nil {
		if sf, ok := n.Bundle.Source(collect.KindIPNeigh, ns); ok {
			return sf.Path
		}
	}
	return "ip neigh"
}
