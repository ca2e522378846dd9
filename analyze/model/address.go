package model

import (
	"net/netip"
	"sort"
	"strings"

	"netxray/collect"
	"netxray/parse"
	"netxray/parse/dnsmasq"
	"netxray/parse/ovs"
)

// Address is one IP ↔ MAC binding the bundles tell of, with where it was
// read. Offline, a VM's address is never asked of the guest: it is learned
// from what Neutron programmed around it.
type Address struct {
	IP  netip.Addr
	MAC string // lower case, fa:16:3e:…
	// Node is where the evidence was read; Source says what it is:
	// "interface" (a namespace's own address), "neighbour" (a PERMANENT
	// entry, as the DVR l3 agent writes for every port of its subnets),
	// "arp-responder" (br-tun table 21, l2pop), "ovs-firewall" (anti-spoofing
	// flows naming MAC and IP together), "dhcp" (the DHCP agent's host file).
	Node   string
	Source string
	// Dev is the interface that has the address ("interface" only).
	Dev string
	// Namespace holds Dev or the neighbour entry.
	Namespace string
	Pos       parse.Pos
}

// addresses collects every IP ↔ MAC binding of the node.
func (n *Node) addresses() []Address {
	var out []Address
	add := func(a Address) {
		a.Node, a.MAC = n.Name, strings.ToLower(a.MAC)
		if a.IP.IsValid() && a.MAC != "" {
			out = append(out, a)
		}
	}
	for _, ns := range n.Namespaces {
		for _, ifc := range ns.Interfaces {
			for _, a := range ifc.Addrs {
				add(Address{IP: a.Prefix.Addr(), MAC: ifc.MAC.String(), Source: "interface", Dev: ifc.Name, Namespace: ns.Name, Pos: ifc.Pos})
			}
		}
		for _, nb := range ns.Neighbors {
			if hasState(nb.States, "PERMANENT") && nb.MAC != nil {
				add(Address{IP: nb.Dst, MAC: nb.MAC.String(), Source: "neighbour", Dev: nb.Dev, Namespace: ns.Name, Pos: nb.Pos})
			}
		}
	}
	each(n.in, collect.KindDnsmasqHosts, func(_ string, hs *dnsmasq.Hosts) {
		for _, h := range hs.Entries {
			for _, ip := range h.IPs {
				add(Address{IP: ip, MAC: h.MAC, Source: "dhcp", Pos: h.Pos})
			}
		}
	})
	for _, b := range n.Bridges {
		if b.Flows == nil {
			continue
		}
		for i := range b.Flows.Flows {
			f := &b.Flows.Flows[i]
			if ip, mac, src := flowBinding(b.Name, f); src != "" {
				add(Address{IP: ip, MAC: mac, Source: src, Pos: f.Pos})
			}
		}
	}
	return out
}

// flowBinding reads an IP ↔ MAC binding out of the two kinds of Neutron
// flows that carry one: br-tun's ARP responder (arp_tpa=IP, answering with
// mod_dl_src:MAC) and the OVS firewall's anti-spoofing flows (dl_src=MAC
// with nw_src/arp_spa/ipv6_src=IP).
func flowBinding(bridge string, f *ovs.Flow) (netip.Addr, string, string) {
	var ip netip.Addr
	mac := ""
	for _, m := range f.Match {
		switch m.Key {
		case "arp_tpa":
			if bridge == "br-tun" || f.Table == 21 {
				ip, _ = netip.ParseAddr(m.Value)
			}
		case "nw_src", "arp_spa", "ipv6_src":
			if strings.Contains(m.Value, "/") {
				continue
			}
			ip, _ = netip.ParseAddr(m.Value)
		case "dl_src", "eth_src":
			if !strings.Contains(m.Value, "/") {
				mac = m.Value
			}
		}
	}
	if !ip.IsValid() {
		return ip, "", ""
	}
	for _, a := range f.Actions {
		if a.Name == "mod_dl_src" && mac == "" {
			return ip, a.Arg, "arp-responder"
		}
	}
	if mac != "" {
		return ip, mac, "ovs-firewall"
	}
	return ip, "", ""
}

func hasState(states []string, s string) bool {
	for _, st := range states {
		if st == s {
			return true
		}
	}
	return false
}

// AddressBook indexes the bindings of the whole bundle set.
type AddressBook struct {
	byIP  map[netip.Addr][]Address
	byMAC map[string][]Address
}

func buildAddressBook(nodes []*Node) *AddressBook {
	ab := &AddressBook{byIP: map[netip.Addr][]Address{}, byMAC: map[string][]Address{}}
	for _, n := range nodes {
		for _, a := range n.addresses() {
			ab.byIP[a.IP] = append(ab.byIP[a.IP], a)
			ab.byMAC[a.MAC] = append(ab.byMAC[a.MAC], a)
		}
	}
	return ab
}

// ByIP returns every binding of ip, best evidence first.
func (ab *AddressBook) ByIP(ip netip.Addr) []Address { return sorted(ab.byIP[ip]) }

// ByMAC returns every binding of mac.
func (ab *AddressBook) ByMAC(mac string) []Address { return sorted(ab.byMAC[strings.ToLower(mac)]) }

// MACOf is the MAC most evidence gives ip, "" when none.
func (ab *AddressBook) MACOf(ip netip.Addr) string {
	votes := map[string]int{}
	best := ""
	for _, a := range ab.byIP[ip] {
		votes[a.MAC]++
		if best == "" || votes[a.MAC] > votes[best] || (votes[a.MAC] == votes[best] && a.MAC < best) {
			best = a.MAC
		}
	}
	return best
}

// IPsOf lists the IPs bound to mac, sorted.
func (ab *AddressBook) IPsOf(mac string) []netip.Addr {
	seen := map[netip.Addr]bool{}
	var out []netip.Addr
	for _, a := range ab.byMAC[strings.ToLower(mac)] {
		if !seen[a.IP] {
			seen[a.IP] = true
			out = append(out, a.IP)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Less(out[j]) })
	return out
}

var sourceRank = map[string]int{"interface": 0, "dhcp": 1, "ovs-firewall": 2, "neighbour": 3, "arp-responder": 4}

func sorted(in []Address) []Address {
	out := append([]Address(nil), in...)
	sort.SliceStable(out, func(i, j int) bool {
		if sourceRank[out[i].Source] != sourceRank[out[j].Source] {
			return sourceRank[out[i].Source] < sourceRank[out[j].Source]
		}
		return out[i].Node < out[j].Node
	})
	return out
}
