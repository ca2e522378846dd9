package rules

import (
	"net/netip"
	"sort"
	"strconv"
	"strings"

	"netxray/analyze/model"
)

// lbVXLAN is a Linux bridge agent's VXLAN device vxlan-<VNI> on a node.
type lbVXLAN struct {
	n     *model.Node
	ifc   *model.Interface
	vni   uint32
	local string
}

// multicast reports whether the device floods through a multicast group
// (no l2pop FDB then).
func (d lbVXLAN) multicast() bool {
	return d.ifc.Tunnel.Group.IsValid() && d.ifc.Tunnel.Group.IsMulticast()
}

// lbDevices finds the vxlan-<VNI> devices of the usable nodes, by VNI.
func lbDevices(p *Pass) map[uint32][]lbVXLAN {
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
	return devs
}

// vniPort is a Neutron port on a VNI as l2pop announces it: its MAC, the
// node it is on and that node's tunnel address.
type vniPort struct {
	node  *model.Node
	local string // "" when the node's tunnel address is unknown
	name  string
	mac   string // lower case
	ev    Evidence
}

func (r vniPort) onNode() *model.Node { return r.node }

// vniPorts lists the ports l2pop announces on a VNI: the ports plugged in
// the bridge of each Linux bridge node's vxlan-<VNI>, and the
// unicast-populated VIFs of OVS nodes carrying the VNI; sorted by node and
// name.
func vniPorts(p *Pass, vni uint32, devs []lbVXLAN) []vniPort {
	var out []vniPort
	for _, d := range devs {
		out = append(out, lbBridgePorts(d)...)
	}
	m := p.Model
	car := carriers(m, model.Segment{Type: "vxlan", ID: vni})
	for _, y := range sortedNodes(car) {
		for _, port := range car[y].VIFs() {
			if unicastPopulated(m, y, port) {
				out = append(out, vniPort{y, y.LocalIP(), port.Name, lower(port.AttachedMAC), p.ifaceEv(y, port, "external_ids")})
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].node.Name != out[j].node.Name {
			return out[i].node.Name < out[j].node.Name
		}
		return out[i].name < out[j].name
	})
	return out
}

// lbBridgePorts lists the Neutron ports in the bridge of d: tap devices.
// A VM's tap carries the guest MAC with fe: for fa: (libvirt's host side);
// the tap of a DHCP or router port is a veth whose namespace end (ns-,
// qr-, qg- with the same port id) has the port's MAC. Taps whose MAC
// cannot be told are left out.
func lbBridgePorts(d lbVXLAN) []vniPort {
	var out []vniPort
	if d.ifc.Master == "" {
		return nil
	}
	for _, ifc := range d.n.Interfaces {
		if ifc.Master != d.ifc.Master || model.DeviceRole(ifc.Name) != "tap" || ifc.MAC == nil {
			continue
		}
		if mac := ifc.MAC.String(); strings.HasPrefix(mac, "fe:16:3e:") {
			out = append(out, vniPort{d.n, d.local, ifc.Name, "fa" + mac[2:], ev(d.n, ifc.Pos, ifc.Raw)})
			continue
		}
		if end, ns := vethEnd(d.n, ifc.Name[len("tap"):]); end != nil {
			out = append(out, vniPort{d.n, d.local, ns + ":" + end.Name, end.MAC.String(), ev(d.n, end.Pos, end.Raw)})
		}
	}
	return out
}

// vethEnd finds the namespace end of a Linux bridge agent's veth tap: the
// ns-, qr- or qg- device with the same port id.
func vethEnd(n *model.Node, id string) (*model.Interface, string) {
	for _, ns := range n.Namespaces {
		for _, ifc := range ns.Interfaces {
			if len(ifc.Name) > 3 && ifc.Name[3:] == id && ifc.MAC != nil {
				switch ifc.Name[:3] {
				case "ns-", "qr-", "qg-":
					return ifc, ns.Name
				}
			}
		}
	}
	return nil, ""
}

// portIPv4s are the IPv4 addresses of a port's MAC that the bundles show
// first-hand (an interface, a DHCP host entry, OVS firewall flows), not
// what other nodes' neighbour or ARP-responder entries claim; sorted.
func portIPv4s(m *model.Model, mac string) []netip.Addr {
	var out []netip.Addr
	for _, a := range firstHandIPv4(m, mac) {
		out = append(out, a.IP)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Less(out[j]) })
	return out
}
