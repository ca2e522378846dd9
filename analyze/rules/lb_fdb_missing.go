package rules

import (
	"fmt"

	"strconv"
	"strings"

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
vxlan-<VNI> dst <peer>" per remote port. A missing flood entry isolates the
peer for broadcast (ARP, DHCP); a unicast entry pointing to a node where the
MAC is not sends traffic into the void. Multicast mode cannot be checked
offline and is reported as info.`,
	Hint:  "restart the Linux bridge agent on the node (full l2pop resync); check udp_dstport and local_ip agree across nodes",
	Needs: []Need{needHostIPs},
	Run:   runLBFDBMissing,
}

type lbVXLAN struct {
	n     *model.Node
	ifc   *model.Interface
	vni   uint32
	local string
}

func runLBFDBMissing(p *Pass) {
	m := p.Model
	devs := map[uint32][]lbVXLAN{}
	for _, n := range p.Nodes() {
		for _, ifc := range n.Interfaces {
			if ifc.Kind != "vxlan" || ifc.Tunnel == nil || !strings.HasPrefix(ifc.Name, "vxlan-") {
				continue
			}
			vni, err := strconv.ParseUint(ifc.Name[len("vxlan-"):], 10, 32)
			if err != nil {
				continue
			}
			local := ""
			if ifc.Tunnel.Local.IsValid() {
				local = ifc.Tunnel.Local.String()
			}
			devs[uint32(vni)] = append(devs[uint32(vni)], lbVXLAN{n, ifc, uint32(vni), local})
		}
	}
	for vni, list := range devs {
		// Peers: the other Linux bridge nodes with the device, and OVS
		// nodes with ports on the VNI.
		type peer struct {
			name, ip string
		}
		var peers []peer
		for _, d := range list {
			peers = append(peers, peer{d.n.Name, d.local})
		}
		for _, ln := range m.Networks.On(model.Segment{Type: "vxlan", ID: vni}) {
			if len(ln.VIFs()) > 0 {
				peers = append(peers, peer{ln.Node.Name, ln.Node.LocalIP()})
			}
		}
		for _, d := range list {
			if d.ifc.Tunnel.Group.IsValid() && d.ifc.Tunnel.Group.IsMulticast() {
				p.Report(Finding{Node: d.n.Name, Severity: Info, Evidence: []Evidence{ev(d.n, d.ifc.Pos, d.ifc.Raw)},
					Message: fmt.Sprintf("%s uses multicast group %s: flooding depends on underlay multicast, which a bundle cannot show", d.ifc.Name, d.ifc.Tunnel.Group)})
				continue
			}
			fdb := fdbOf(d.n)
			if fdb == nil {
				p.Skipf(d.n, "no bridge fdb output: the VXLAN forwarding entries of %s are unknown", d.ifc.Name)
				continue
			}
			flood := map[string]bool{}
			for _, e := range fdb.Entries {
				if e.Dev == d.ifc.Name && e.MAC == "00:00:00:00:00:00" && e.Dst.IsValid() {
					flood[e.Dst.String()] = true
				}
			}
			for _, pr := range peers {
				if pr.name == d.n.Name || pr.ip == "" || flood[pr.ip] {
					continue
				}
				p.Reportf(d.n, []Evidence{ev(d.n, d.ifc.Pos, d.ifc.Raw), absent(d.n, fdbFile(fdb), fmt.Sprintf("no '00:00:00:00:00:00 dev %s dst %s' entry", d.ifc.Name, pr.ip))},
					"%s has no flood entry to %s (%s), which has ports on VNI %d: broadcasts (ARP, DHCP) of the network never reach it", d.ifc.Name, pr.name, pr.ip, vni)
			}
			// Unicast entries pointing to a node the MAC is not on.
			for _, e := range fdb.Entries {
				if e.Dev != d.ifc.Name || !e.Dst.IsValid() || e.MAC == "00:00:00:00:00:00" {
					continue
				}
				owner := lbOwner(list, e.MAC)
				if owner == nil || owner.local == e.Dst.String() {
					continue
				}
				p.Reportf(d.n, []Evidence{ev(d.n, e.Pos, e.Raw), ev(owner.n, owner.ifc.Pos, owner.ifc.Raw)},
					"%s sends %s to %s, but that MAC is on %s (%s): a stale entry", d.ifc.Name, e.MAC, e.Dst, owner.n.Name, owner.local)
			}
		}
	}
}

// lbOwner finds the Linux bridge node whose bridge holds the tap of guest
// MAC mac (the tap's own MAC is fe:16:3e... for fa:16:3e...).
func lbOwner(list []lbVXLAN, mac string) *lbVXLAN {
	host := strings.Replace(strings.ToLower(mac), "fa:", "fe:", 1)
	for i, d := range list {
		for _, ifc := range d.n.Interfaces {
			if ifc.Master == d.ifc.Master && ifc.Master != "" && model.DeviceRole(ifc.Name) == "tap" && ifc.MAC != nil && ifc.MAC.String() == host {
				return &list[i]
			}
		}
	}
	return nil
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
