package rules

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"netxray/analyze/model"
	"netxray/parse/ovs"
)

// ARPResponderEntry reports br-tun ARP responder entries that are missing
// or answer with the wrong MAC (neutron-domain.md §2.2, §2.4, §5 B6).
var ARPResponderEntry = &Rule{
	Name:     "arp-responder-entry",
	Category: "l2pop",
	Severity: Warning,
	Doc: `an ARP responder entry is missing or answers the wrong MAC
With arp_responder (forced on with DVR and tunnels), br-tun table 21 answers
ARP requests for the IPv4 addresses of remote ports locally: "arp,dl_vlan=L,
arp_tpa=<IP> actions=...set_field:<MAC>->eth_src...". The rule computes the
expected entries from the ports of each tunnel network on other nodes and
their addresses as the bundle shows them apart from table 21 itself (DHCP
host files, namespace addresses, OVS firewall anti-spoofing flows, DVR
permanent neighbours). A missing entry only costs a flooded ARP; an entry
answering a MAC that is not the port's (an IP reused by a new port, a VIP
moved between allowed-address-pair ports) sends the traffic to the wrong
port, and is an error.`,
	Hint:  "restart the OVS agent on the node to rebuild the ARP responder; for allowed-address-pair VIPs, do not rely on the ARP responder",
	Needs: []Need{needOVS, needTunFlows, needTunProgrammed},
	Run:   runARPResponderEntry,
}

type arpEntry struct {
	VLAN int
	IP   netip.Addr
	MAC  string
	Flow *ovs.Flow
}

func runARPResponderEntry(p *Pass) {
	m := p.Model
	ips := map[string][]netip.Addr{} // fixedIPv4 by MAC, computed once
	fixed := func(mac string) []netip.Addr {
		mac = strings.ToLower(mac)
		if v, ok := ips[mac]; ok {
			return v
		}
		v := fixedIPv4(m, mac)
		ips[mac] = v
		return v
	}
	owners := map[string]map[string]bool{} // ownersIn by segment and IP, computed once
	owned := func(seg model.Segment, ip netip.Addr) map[string]bool {
		k := seg.Key().String() + "|" + ip.String()
		if v, ok := owners[k]; ok {
			return v
		}
		v := ownersIn(m, seg, ip)
		owners[k] = v
		return v
	}
	for _, x := range p.Nodes() {
		tb := x.TunnelBridge()
		if tb == nil || tb.Flows == nil {
			continue
		}
		entries := map[string]arpEntry{} // vlan|ip
		for i := range tb.Flows.Flows {
			f := &tb.Flows.Flows[i]
			if f.Table != 21 || f.Priority == 0 {
				continue
			}
			vlan, ok1 := model.MatchedVLAN(f)
			tpa, ok2 := model.MatchValue(f, "arp_tpa")
			ip, err := netip.ParseAddr(tpa)
			if !ok1 || !ok2 || err != nil {
				continue
			}
			entries[entryKey(vlan, ip)] = arpEntry{VLAN: vlan, IP: ip, MAC: answeredMAC(f), Flow: f}
		}
		if !arpResponderOn(x, len(entries) > 0) {
			continue
		}
		for _, ln := range tunnelNets(m, x) {
			// Wrong answers.
			for _, e := range entries {
				if e.VLAN != ln.VLAN || e.MAC == "" {
					continue
				}
				who := owned(ln.Segment, e.IP)
				if len(who) == 0 || who[e.MAC] {
					continue
				}
				var ev []Evidence
				ev = append(ev, flowEv(x, e.Flow))
				for _, mac := range strings.Split(keys(who), ", ") {
					for _, a := range m.Addresses.ByIP(e.IP) {
						if a.MAC == mac && a.Source != "arp-responder" {
							ev = append(ev, bookEv(a))
							break
						}
					}
				}
				p.Report(Finding{Node: x.Name, Severity: Error, Evidence: ev,
					Message: fmt.Sprintf("%s table 21 answers ARP for %s (local VLAN %d, %s) with %s, but the port with that address has %s: traffic to %s goes to the wrong port",
						tb.Name, e.IP, ln.VLAN, ln.Segment, e.MAC, keys(who), e.IP)})
			}
			// Missing answers for remote ports.
			var missing []remotePort
			ipsOf := map[*model.Port][]string{}
			for _, r := range remotePorts(m, carriers(m, ln.Segment), x) {
				for _, ip := range fixed(r.port.AttachedMAC) {
					if _, ok := entries[entryKey(ln.VLAN, ip)]; ok {
						continue
					}
					if ipsOf[r.port] == nil {
						missing = append(missing, r)
					}
					ipsOf[r.port] = append(ipsOf[r.port], ip.String())
				}
			}
			for _, group := range byNode(missing) {
				var ips []string
				var e []Evidence
				for i, r := range group {
					ips = append(ips, ipsOf[r.port]...)
					if i < 3 {
						e = append(e, p.ifaceEv(r.node, r.port, "external_ids"))
					}
				}
				e = append([]Evidence{absent(x, flowsFile(x, tb), fmt.Sprintf("no table=21 flow matching arp,dl_vlan=%d,arp_tpa=%s", ln.VLAN, listed(ips, 5)))}, e...)
				if len(group) == 1 {
					p.Reportf(x, e, "%s table 21 has no ARP responder entry for %s of %s (%s): ARP requests for it are flooded to every node of the network",
						tb.Name, strings.Join(ips, ", "), what(group[0].node, group[0].port), ln.Segment)
					continue
				}
				p.Reportf(x, e, "%s table 21 has no ARP responder entries for %d ports of %s on %s (%s): ARP requests for them are flooded to every node of the network",
					tb.Name, len(group), group[0].node.Name, ln.Segment, listed(ips, 10))
			}
		}
	}
}

func entryKey(vlan int, ip netip.Addr) string { return strconv.Itoa(vlan) + "|" + ip.String() }

// arpResponderOn tells whether the node's agent runs the ARP responder:
// its configuration, forced on with DVR and tunnels, else entries seen.
func arpResponderOn(n *model.Node, seen bool) bool {
	if s := n.Agent.ARPResponder; s.Pos.File != "" {
		return s.Value || n.Agent.Distributed.Value
	}
	return seen || n.Agent.Distributed.Value
}

// answeredMAC is the MAC an ARP responder flow writes as the answer.
func answeredMAC(f *ovs.Flow) string {
	for _, a := range f.Actions {
		switch a.Name {
		case "mod_dl_src":
			return strings.ToLower(a.Arg)
		case "set_field":
			if v, fd, ok := a.SetField(); ok && fd != nil && (fd.Name == "eth_src" || fd.Name == "arp_sha") {
				return strings.ToLower(v)
			}
		}
	}
	return ""
}

// ownersIn returns the MACs that evidence other than the ARP responder
// binds to ip and that are plugged on segment seg.
func ownersIn(m *model.Model, seg model.Segment, ip netip.Addr) map[string]bool {
	out := map[string]bool{}
	for _, a := range m.Addresses.ByIP(ip) {
		if a.Source == "arp-responder" {
			continue
		}
		for _, at := range m.Networks.Attachments(a.MAC) {
			if at.Segment.Agrees(seg) {
				out[a.MAC] = true
			}
		}
	}
	return out
}

// fixedIPv4 returns the IPv4 addresses evidence other than the ARP
// responder binds to mac (link-local addresses excluded).
func fixedIPv4(m *model.Model, mac string) []netip.Addr {
	seen := map[netip.Addr]bool{}
	var out []netip.Addr
	for _, a := range m.Addresses.ByMAC(mac) {
		if a.Source == "arp-responder" || !a.IP.Is4() || !a.IP.IsGlobalUnicast() || seen[a.IP] {
			continue
		}
		seen[a.IP] = true
		out = append(out, a.IP)
	}
	return out
}

func keys(mp map[string]bool) string {
	var out []string
	for k := range mp {
		out = append(out, k)
	}
	return strings.Join(dedupe(sortStrings(out)), ", ")
}
