package rules

import (
	"fmt"
	"net/netip"
	"sort"
	"strings"
)

// TunnelRemoteUnknown reports tunnels to an IP that is no node's tunnel
// endpoint (neutron-domain.md §2.4, §5 B1).
var TunnelRemoteUnknown = &Rule{
	Name:     "tunnel-remote-unknown",
	Category: "tunnel",
	Severity: Warning,
	Doc: `tunnel to an IP that is no node's local_ip
Every tunnel port's remote_ip should be the local_ip of a node: the set of
endpoints comes from each node's tunnel ports and agent configuration. A
remote_ip that is another address of a node of the bundle set is a stale
endpoint left after that node's local_ip changed (the server kept the old
endpoint, bug 2084446): a warning, because flows may still send traffic
into it. A remote_ip no node of the set has at all is reported as info: the
bundle set may just not include that node, or it was decommissioned.`,
	Hint:  "delete the stale endpoint (openstack network agent delete of the old agent, or neutron's tunnel endpoint cleanup) and restart the OVS agents that still have the port",
	Needs: []Need{needOVS},
	Run:   runTunnelRemoteUnknown,
}

func runTunnelRemoteUnknown(p *Pass) {
	ends := tunnelEndpoints(p.Model)
	for _, n := range p.Nodes() {
		var unknown []string
		var unknownEv []Evidence
		for _, t := range n.Tunnels() {
			ip := t.Options["remote_ip"]
			if ip == "" || ip == "flow" || ends.node(ip) != nil {
				continue
			}
			if owner, ifc := addressOwner(p.Model, ip); owner != nil {
				a, _ := netip.ParseAddr(ip)
				p.Reportf(n, []Evidence{p.ifaceEv(n, t, "options"), addrEv(owner, ifc, a)},
					"tunnel %s reaches %s, an address of %s (%s) but not its tunnel endpoint (%s uses local_ip %s): a stale endpoint",
					t.Name, ip, owner.Name, ifc.Name, owner.Name, or(owner.LocalIP(), "none"))
				continue
			}
			unknown = append(unknown, t.Name+" → "+ip)
			unknownEv = append(unknownEv, p.ifaceEv(n, t, "options"))
		}
		if len(unknown) > 0 {
			sort.Strings(unknown)
			p.Report(Finding{Node: n.Name, Severity: Info, Evidence: unknownEv,
				Message: fmt.Sprintf("%s reach IPs of no node in the bundle set (%s): nodes not collected, or gone", plural(len(unknown), "tunnel", "tunnels"), strings.Join(unknown, ", "))})
		}
	}
}
