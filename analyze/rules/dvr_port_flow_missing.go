package rules

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"netxray/analyze/model"
	"netxray/parse/ovs"
)

// DVRPortFlowMissing reports local ports of DVR-routed subnets without
// their br-int DVR_TO_SRC_MAC flow (neutron-domain.md §3.2, §5 D10).
var DVRPortFlowMissing = &Rule{
	Name:     "dvr-port-flow-missing",
	Category: "dvr",
	Severity: Error,
	Doc: `a DVR-routed port lacks its br-int table 1/2 flow
Traffic a distributed router on another node routed to a port here arrives
from the tunnel (or provider) bridge with that node's DVR host MAC as
source. br-int table 0 sends it to table 1 (tunnel networks) or 2 (VLAN and
flat), where the OVS agent installs one priority-20 flow per local port of
each subnet the router serves: "dl_vlan=<local VLAN>,dl_dst=<port MAC>
actions=set_field:<the subnet's qr- MAC>->eth_src,goto_table:59" (the port
must see its own gateway as the sender). Every other frame meets the table's
default drop, so a missing flow silently blackholes routed east-west traffic
to that port from every other node, while traffic from the same subnet and
from this node's own router still works (bugs 1892405, 1832743). A flow
writing another source MAC than the qr- port's confuses the guest's ARP
cache. Checked for VMs, DHCP ports and SNAT (sg-) ports on every node whose
l3 agent runs in a DVR mode, for the subnets of the routers that have a
qrouter there; a port whose addresses the bundle does not show is not
judged.`,
	Hint:  "restart the OVS agent on the node (it rebuilds the DVR flows), or remove and re-add the router interface of the subnet",
	Needs: []Need{needNetns, needIntFlows, needIntProgrammed},
	Run:   runDVRPortFlowMissing,
}

func runDVRPortFlowMissing(p *Pass) {
	eachDistributedQR(p, func(q model.RouterNS) bool {
		return q.Node.DVRMode() && q.Node.IntegrationBridge() != nil
	}, checkDVRPortFlows)
}

// checkDVRPortFlows checks the table 1/2 flows of the local ports on the
// subnets of one qr- interface.
func checkDVRPortFlows(p *Pass, q model.RouterNS, qr *model.Interface) {
	m, n := p.Model, q.Node
	br := n.IntegrationBridge()
	port := portOnAnyBridge(n, qr.Name)
	if port == nil || !port.HasTag || br.Flows == nil {
		return // not plugged (ns-device-orphan) or untagged (vif-untagged)
	}
	seg := m.Networks.SegmentOf(n, port)
	if seg.IsZero() {
		return
	}
	table := 1
	if !seg.IsTunnel() {
		table = 2
	}
	var subnets []netip.Prefix
	var cidrs []string
	for _, a := range qr.Addrs {
		if a.Prefix.Addr().Is4() {
			subnets = append(subnets, a.Prefix.Masked())
			cidrs = append(cidrs, a.Prefix.Masked().String())
		}
	}
	inSubnet := func(mac string) bool {
		return slices.ContainsFunc(portIPv4s(m, mac), func(ip netip.Addr) bool { return inAny(subnets, ip) })
	}
	flows := map[string]*ovs.Flow{}
	for i := range br.Flows.Flows {
		f := &br.Flows.Flows[i]
		if f.Table != table || f.Priority != 20 {
			continue
		}
		if vlan, ok := model.MatchedVLAN(f); ok && vlan == port.Tag {
			if mac, ok := model.MatchValue(f, "dl_dst", "eth_dst"); ok {
				flows[lower(mac)] = f
			}
		}
	}
	qrMAC := qr.MAC.String()
	for _, vif := range br.Ports {
		mac := lower(vif.AttachedMAC)
		if !vif.IsVIF() || !vif.HasTag || vif.Tag != port.Tag || mac == qrMAC {
			continue
		}
		switch model.DeviceRole(vif.Name) {
		case "qr", "ha", "qg", "fg":
			continue // router ports are not DVR-serviced
		}
		if !inSubnet(mac) {
			continue
		}
		f, ok := flows[mac]
		switch {
		case !ok:
			p.Reportf(n, []Evidence{
				p.ifaceEv(n, vif, "external_ids"),
				ev(n, qr.Pos, qr.Raw),
				absent(n, flowsFile(n, br), fmt.Sprintf("no table=%d priority=20 flow matching dl_vlan=%d,dl_dst=%s", table, port.Tag, mac)),
			}, "%s table %d has no DVR flow for %s (local VLAN %d, subnet %s of qrouter-%s): traffic routed to it by the router on any other node is dropped",
				br.Name, table, what(n, vif), port.Tag, strings.Join(cidrs, ", "), q.NS.Name[len("qrouter-"):])
		case !strings.EqualFold(model.SetEthSrc(f), qrMAC):
			p.Reportf(n, []Evidence{flowEv(n, f), ev(n, qr.Pos, qr.Raw)},
				"%s table %d rewrites the source of routed traffic to %s to %s, not to its gateway's MAC %s (%s)",
				br.Name, table, what(n, vif), or(model.SetEthSrc(f), "nothing"), qrMAC, qr.Name)
		}
	}
}
