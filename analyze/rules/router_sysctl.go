package rules

import (
	"strings"

	"netxray/analyze/model"
	"netxray/collect"
)

// RouterSysctl reports router namespaces whose kernel settings stop them
// from routing or from answering for floating IPs (neutron-domain.md §3,
// §5 D11).
var RouterSysctl = &Rule{
	Name:     "router-sysctl",
	Category: "dvr",
	Severity: Error,
	Doc: `a router namespace does not forward or proxy ARP
The l3 agent turns forwarding on in every namespace it routes in (qrouter,
snat, fip: net.ipv4.ip_forward = 1, so every device's conf.<dev>.forwarding
is 1) and proxy ARP on the fip namespace's fg- device, which answers the
upstream router's ARP for the floating IPs routed behind it. Read from the
namespace's sysctl -a (sos 4.5+ and netxray collect it): forwarding 0 on the
namespace or on one of its router devices (qr-, qg-, sg-, rfp-, fpr-, fg-)
means packets arriving there are not routed at all (an agent that failed
half-way, a namespace recreated by hand, bug 1620824); proxy_arp 0 on fg-
makes every floating IP of the node unreachable from outside.`,
	Hint:  "restart the l3 agent on the node (it re-applies the namespace sysctls), or set them with ip netns exec NS sysctl -w",
	Needs: []Need{needNetns},
	Run:   runRouterSysctl,
}

func runRouterSysctl(p *Pass) {
	for _, n := range p.Nodes() {
		for _, ns := range n.Namespaces {
			switch ns.Kind {
			case "qrouter", "snat", "fip":
			default:
				continue
			}
			if ns.Sysctl == nil {
				p.Skipf(n, "sysctl -a of %s: %s", ns.Name, or(sourceWhy(n, collect.KindSysctl, ns.Name), "not collected"))
				continue
			}
			checkRouterSysctl(p, n, ns)
		}
	}
}

func checkRouterSysctl(p *Pass, n *model.Node, ns *model.Namespace) {
	off := func(key string) (Evidence, bool) {
		e, ok := ns.Sysctl.Get(key)
		if !ok || strings.TrimSpace(e.Value) != "0" {
			return Evidence{}, false
		}
		return ev(n, e.Pos, e.Raw), true
	}
	if e, ok := off("net.ipv4.ip_forward"); ok {
		p.Reportf(n, []Evidence{e}, "%s has IPv4 forwarding off: it routes nothing", ns.Name)
		return
	}
	for _, ifc := range ns.Interfaces {
		role := model.DeviceRole(ifc.Name)
		switch role {
		case "qr", "qg", "sg", "rfp", "fpr", "fg":
		default:
			continue
		}
		dev := strings.ReplaceAll(ifc.Name, ".", "/")
		if e, ok := off("net.ipv4.conf." + dev + ".forwarding"); ok {
			p.Reportf(n, []Evidence{e, ev(n, ifc.Pos, ifc.Raw)}, "%s in %s has forwarding off: nothing arriving on it is routed", ifc.Name, ns.Name)
		}
		if role == "fg" {
			if e, ok := off("net.ipv4.conf." + dev + ".proxy_arp"); ok {
				all, _ := ns.Sysctl.Get("net.ipv4.conf.all.proxy_arp")
				if strings.TrimSpace(all.Value) != "1" { // the kernel ORs all and the device
					p.Reportf(n, []Evidence{e, ev(n, ifc.Pos, ifc.Raw)},
						"%s in %s does not proxy ARP: the upstream router's ARP for this node's floating IPs goes unanswered", ifc.Name, ns.Name)
				}
			}
		}
	}
}
