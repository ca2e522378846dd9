package rules

import (
	"fmt"
	"net/netip"
	"strings"

	"netxray/analyze/model"
	"netxray/parse/ovs"
)

// SpoofingFlows reports VM ports whose br-int anti-spoofing tables (24, 25)
// lack the port's own addresses (neutron-domain.md §1.6, §5 E5).
var SpoofingFlows = &Rule{
	Name:     "spoofing-flows",
	Category: "firewall",
	Severity: Error,
	Doc: `a VM port's anti-spoofing flows lack its own address
Without the native OVS firewall (iptables_hybrid, noop), the OVS agent
protects ports with port security in br-int itself: table 0 sends the
port's ARP to table 24 ("priority=10,arp,in_port=<port>") and everything
else to table 25 ("priority=9,in_port=<port>"); table 24 lets ARP through
only from the port's IPs ("arp,in_port=<port>,arp_spa=<IP>", allowed
address pairs included) and table 25 only frames from its MAC
("in_port=<port>,dl_src=<MAC>"); both end in a drop. When a port's
addresses change and the agent misses the update, the VM's ARP for the
missing IP (so every exchange needing its ARP answers) or all its traffic
(missing MAC) is dropped at the first hop (bugs 1472452, 2000046, 1558658).
The port's addresses are what the bundle shows first-hand (DHCP host
files). A port with no anti-spoofing flow at all has port security
disabled and is not judged.`,
	Hint:  "restart the OVS agent on the node (it reinstalls the port's flows), or update the port to trigger a port_update",
	Needs: []Need{needOVS, needIntFlows, needIntProgrammed},
	Run:   runSpoofingFlows,
}

// spoofView is what br-int's anti-spoofing tables say of one port.
type spoofView struct {
	arpFlow, macFlow *ovs.Flow // table 0 priority 10 (arp) and 9
	spa              []netip.Prefix
	srcs             map[string]bool
}

func runSpoofingFlows(p *Pass) {
	for _, n := range p.Nodes() {
		br := n.IntegrationBridge()
		if br == nil || br.Flows == nil || nativeFirewall(n, br) {
			continue
		}
		views := spoofViews(br)
		for _, port := range br.Ports {
			v := views[port]
			if v == nil || !port.IsVIF() || namespaceOf(n, port.Name) != nil {
				continue // no protection, or a DHCP/router port (never protected)
			}
			mac := lower(port.AttachedMAC)
			if v.macFlow != nil && !v.srcs[mac] {
				p.Reportf(n, []Evidence{flowEv(n, v.macFlow), p.ifaceEv(n, port, "external_ids"),
					absent(n, flowsFile(n, br), fmt.Sprintf("no table=25 flow matching in_port=%s,dl_src=%s", port.Name, mac))},
					"%s table 25 does not allow %s's own MAC %s: everything the VM sends is dropped", br.Name, what(n, port), mac)
			}
			if v.arpFlow == nil {
				continue
			}
			for _, a := range firstHandIPv4(p.Model, mac) {
				if !inAny(v.spa, a.IP) {
					p.Reportf(n, []Evidence{flowEv(n, v.arpFlow), bookEv(a),
						absent(n, flowsFile(n, br), fmt.Sprintf("no table=24 flow matching arp,in_port=%s,arp_spa=%s", port.Name, a.IP))},
						"%s table 24 does not allow ARP from %s with its address %s: the VM's ARP for it is dropped", br.Name, what(n, port), a.IP)
				}
			}
		}
	}
}

// spoofViews gathers br-int's anti-spoofing flows by port.
func spoofViews(br *model.Bridge) map[*model.Port]*spoofView {
	views := map[*model.Port]*spoofView{}
	view := func(f *ovs.Flow) *spoofView {
		in, ok := model.MatchValue(f, "in_port")
		if !ok {
			return nil
		}
		port := br.Port(in)
		if port == nil {
			return nil
		}
		if views[port] == nil {
			views[port] = &spoofView{srcs: map[string]bool{}}
		}
		return views[port]
	}
	for i := range br.Flows.Flows {
		f := &br.Flows.Flows[i]
		_, arp := model.MatchValue(f, "arp")
		switch {
		case f.Table == 0 && f.Priority == 10 && arp && gotoTable(f, 24):
			if v := view(f); v != nil {
				v.arpFlow = f
			}
		case f.Table == 0 && f.Priority == 9 && gotoTable(f, 25):
			if v := view(f); v != nil {
				v.macFlow = f
			}
		case f.Table == 24 && f.Priority == 2 && arp:
			if spa, ok := model.MatchValue(f, "arp_spa"); ok {
				if pfx, err := parsePrefix(spa); err == nil {
					if v := view(f); v != nil {
						v.spa = append(v.spa, pfx)
					}
				}
			}
		case f.Table == 25 && f.Priority == 2:
			if src, ok := model.MatchValue(f, "dl_src", "eth_src"); ok {
				if v := view(f); v != nil {
					v.srcs[lower(src)] = true
				}
			}
		}
	}
	return views
}

// gotoTable reports whether a flow continues in table t.
func gotoTable(f *ovs.Flow, t int) bool {
	for _, a := range f.Actions {
		if a.Name == "goto_table" && a.Arg == fmt.Sprint(t) || a.Name == "resubmit" && strings.TrimSpace(a.Arg) == fmt.Sprintf(",%d", t) {
			return true
		}
	}
	return false
}

// parsePrefix reads an address or address/prefix (arp_spa=10.0.0.5,
// arp_spa=10.0.0.0/24, or with a dotted mask).
func parsePrefix(s string) (netip.Prefix, error) {
	addr, mask, found := strings.Cut(s, "/")
	a, err := netip.ParseAddr(addr)
	if err != nil {
		return netip.Prefix{}, err
	}
	if !found {
		return netip.PrefixFrom(a, a.BitLen()), nil
	}
	if m, err := netip.ParseAddr(mask); err == nil && m.Is4() {
		b := m.As4()
		bits := 0
		for _, x := range b {
			for x&0x80 != 0 {
				bits++
				x <<= 1
			}
		}
		return netip.PrefixFrom(a, bits).Masked(), nil
	}
	return netip.ParsePrefix(s)
}

// firstHandIPv4 returns the address book's first-hand IPv4 bindings of mac
// (see portIPv4s), one per address.
func firstHandIPv4(m *model.Model, mac string) []model.Address {
	seen := map[netip.Addr]bool{}
	var out []model.Address
	for _, a := range m.Addresses.ByMAC(mac) {
		switch a.Source {
		case "interface", "dhcp", "ovs-firewall":
			if a.IP.Is4() && !seen[a.IP] {
				seen[a.IP] = true
				out = append(out, a)
			}
		}
	}
	return out
}

// bookEv cites an address book binding.
func bookEv(a model.Address) Evidence {
	return Evidence{Node: a.Node, File: a.Pos.File, Line: a.Pos.Line, Text: fmt.Sprintf("%s %s %s", a.Source, a.IP, a.MAC)}
}
