package rules

import (
	"fmt"

	"netxray/analyze/model"
	"netxray/parse/bridge"
)

// LBFDBMissing reports Linux bridge agent VXLAN forwarding entries that are
// missing or point to the wrong node (neutron-domain.md §2.3, §2.4, §5 B8).
var LBFDBMissing = &Rule{
	Name:     "lb-fdb-missing",
	Category: "l2pop",
	Severity: Error,
	Doc: `a Linux bridge VXLAN FDB entry is missing or stale
The Linux bridge agent carries each VXLAN network on a device vxlan-<VNI>.
With l2population (unicast mode, no multicast group) the kernel forwards
broadcast and unknown unicast only to the destinations listed in the
device's FDB: one "00:00:00:00:00:00 dev vxlan-<VNI> dst <peer local IP>" per
other node with ports on the network (Linux bridge nodes with the same
vxlan-<VNI>, OVS nodes with ports on that VNI), and one "<MAC> dev
vxlan-<VNI> dst <peer>" per remote port. The ports are found where they are
plugged: taps in the device's bridge (a VM tap shows the guest MAC with fe:
for fa:; a DHCP or router tap is a veth whose ns-/qr-/qg- end has the port's
MAC) and the VIFs of OVS nodes.
A missing flood entry isolates the peer for broadcast (ARP, DHCP); a missing
unicast entry makes traffic to the port flooded to every node (a warning),
or lost when the flood entry to its node is missing too (an error); a
unicast entry pointing to a node where the MAC is not, or back to this node
for a local port, sends traffic into the void. Multicast mode cannot be
checked offline and is reported as info.`,
	Hint:  "restart the Linux bridge agent on the node (full l2pop resync); check udp_dstport and local_ip agree across nodes",
	Needs: []Need{needHostIPs},
	Run:   runLBFDBMissing,
}

func runLBFDBMissing(p *Pass) {
	byVNI := lbDevices(p)
	for _, vni := range sortedKeys(byVNI) {
		devs := byVNI[vni]
		ports := vniPorts(p, vni, devs)
		owner := map[string]vniPort{}
		for _, r := range ports {
			owner[r.mac] = r
		}
		for _, d := range devs {
			if d.multicast() {
				p.Report(Finding{Node: d.n.Name, Severity: Info, Evidence: []Evidence{ev(d.n, d.ifc.Pos, d.ifc.Raw)},
					Message: fmt.Sprintf("%s uses multicast group %s: flooding depends on underlay multicast, which a bundle cannot show", d.ifc.Name, d.ifc.Tunnel.Group)})
				continue
			}
			fdb := fdbOf(d.n)
			if fdb == nil {
				p.Skipf(d.n, "no bridge fdb output: the VXLAN forwarding entries of %s are unknown", d.ifc.Name)
				continue
			}
			lbCheckFDB(p, d, fdb, devs, ports, owner)
		}
	}
}

// lbCheckFDB checks the FDB of one vxlan-<VNI> device against the ports of
// the VNI: one flood entry per other node, one unicast entry per remote
// port, and no unicast entry sending a MAC anywhere but to its node.
func lbCheckFDB(p *Pass, d lbVXLAN, fdb *bridge.FDB, devs []lbVXLAN, ports []vniPort, owner map[string]vniPort) {
	devEv := ev(d.n, d.ifc.Pos, d.ifc.Raw)
	flood := map[string]bool{}
	unicast := map[string]bool{}
	for _, e := range fdb.Entries {
		if e.Dev != d.ifc.Name || !e.Dst.IsValid() {
			continue
		}
		if e.MAC == "00:00:00:00:00:00" {
			flood[e.Dst.String()] = true
			continue
		}
		mac := lower(e.MAC)
		unicast[mac] = true
		o, ok := owner[mac]
		switch {
		case !ok:
		case o.node == d.n:
			p.Reportf(d.n, []Evidence{ev(d.n, e.Pos, e.Raw), o.ev},
				"%s sends %s to %s, but that MAC is port %s on this node: a stale entry", d.ifc.Name, mac, e.Dst, o.name)
		case o.local != "" && o.local != e.Dst.String():
			p.Reportf(d.n, []Evidence{ev(d.n, e.Pos, e.Raw), o.ev},
				"%s sends %s to %s, but that MAC is on %s (%s): a stale entry", d.ifc.Name, mac, e.Dst, o.node.Name, o.local)
		}
	}
	// Flood entries go to every other node with the device (the agent
	// creates it for its first port there) and every OVS node with ports.
	floodWanted := map[*model.Node]string{}
	for _, o := range devs {
		if o.n != d.n && o.local != "" {
			floodWanted[o.n] = o.local
		}
	}
	var missing []vniPort
	for _, r := range ports {
		if r.node == d.n || r.local == "" {
			continue
		}
		floodWanted[r.node] = r.local
		if !unicast[r.mac] {
			missing = append(missing, r)
		}
	}
	for _, y := range sortedNodes(floodWanted) {
		if ip := floodWanted[y]; !flood[ip] {
			p.Reportf(d.n, []Evidence{devEv, absent(d.n, fdbFile(fdb), fmt.Sprintf("no '00:00:00:00:00:00 dev %s dst %s' entry", d.ifc.Name, ip))},
				"%s has no flood entry to %s (%s), which has ports on VNI %d: broadcasts (ARP, DHCP) of the network never reach it", d.ifc.Name, y.Name, ip, d.vni)
		}
	}
	for _, group := range byNode(missing) {
		y := group[0].node
		var macs []string
		e := []Evidence{devEv, {}}
		for i, r := range group {
			macs = append(macs, r.mac)
			if i < 3 {
				e = append(e, r.ev)
			}
		}
		e[1] = absent(d.n, fdbFile(fdb), fmt.Sprintf("no '<MAC> dev %s dst %s' entry for %s", d.ifc.Name, group[0].local, listed(macs, 5)))
		sev := Warning
		if !flood[group[0].local] {
			sev = Error // neither unicast nor flooded: a blackhole
		}
		p.Report(Finding{Node: d.n.Name, Severity: sev, Evidence: e, Message: fmt.Sprintf(
			"%s has no unicast entry for %s on %s (%s): %s; %s", d.ifc.Name, plural(len(group), "port", "ports"), y.Name, group[0].local, listed(macs, 10), lbMissingEffect(sev))})
	}
}

func lbMissingEffect(sev Severity) string {
	if sev == Error {
		return "with no flood entry to that node either, traffic to them is lost"
	}
	return "traffic to them is flooded to every node of the network"
}

func fdbOf(n *model.Node) *bridge.FDB {
	for _, f := range n.Files {
		if fdb, ok := f.Result.(*bridge.FDB); ok && f.Source.Key == "" {
			return fdb
		}
	}
	return nil
}

func fdbFile(f *bridge.FDB) string {
	for _, e := range f.Entries {
		return e.Pos.File
	}
	return ""
}
