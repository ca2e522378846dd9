package model

import (
	"sort"
	"strings"

	"netxray/collect"
	"netxray/parse"
	"netxray/parse/libvirt"
)

// VM is a guest seen from its hypervisor: libvirt's domain (when the bundle
// has it) joined with the OVS ports Nova plugged for it.
type VM struct {
	// Domain is the libvirt domain name (instance-0000002a), "" when only
	// OVS external_ids tell of the VM.
	Domain string
	// UUID is the Nova instance UUID (OVS vm-uuid, libvirt uuid).
	UUID string
	// DisplayName is the instance's name in Nova (libvirt's nova
	// metadata), "" when the bundle has no domain XML.
	DisplayName string
	NICs        []*NIC
	Pos         parse.Pos
}

// NIC is one vNIC of a VM.
type NIC struct {
	// Tap is the host device (tapXXXXXXXX-XX).
	Tap string
	MAC string
	// PortID is the Neutron port UUID (OVS iface-id).
	PortID string
	// OVSPort is the br-int port that carries it: the tap itself with the
	// OVS firewall, qvo… with the hybrid one.
	OVSPort *Port
	Pos     parse.Pos
}

// Name is how the VM is best called.
func (v *VM) Name() string {
	if v.DisplayName != "" {
		return v.DisplayName
	}
	if v.Domain != "" {
		return v.Domain
	}
	return v.UUID
}

// buildVMs joins the OVS VIF ports with libvirt's view. A VIF's vm-uuid is
// set by os-vif on the port Nova plugged; ports of DHCP, routers and
// other agents carry no vm-uuid and are not VMs.
func (n *Node) buildVMs() {
	byUUID := map[string]*VM{}
	for _, b := range n.Bridges {
		for _, p := range b.Ports {
			if !p.IsVIF() || p.VMUUID == "" {
				continue
			}
			vm := byUUID[p.VMUUID]
			if vm == nil {
				vm = &VM{UUID: p.VMUUID, Pos: p.Pos}
				byUUID[p.VMUUID] = vm
				n.VMs = append(n.VMs, vm)
			}
			vm.NICs = append(vm.NICs, &NIC{Tap: tapName(p.Name), MAC: p.AttachedMAC, PortID: p.IfaceID, OVSPort: p, Pos: p.Pos})
		}
	}
	// domiflist names the domain of each tap.
	each(n.in, collect.KindVirshDomiflist, func(dom string, l *libvirt.DomIfList) {
		for _, e := range l.Interfaces {
			vm, nic := n.vmByTap(e.Interface, e.MAC)
			if vm == nil {
				vm = &VM{Domain: dom, Pos: e.Pos}
				n.VMs = append(n.VMs, vm)
				vm.NICs = append(vm.NICs, &NIC{Tap: e.Interface, MAC: e.MAC, Pos: e.Pos})
				continue
			}
			if vm.Domain == "" {
				vm.Domain = dom
			}
			if nic.MAC == "" {
				nic.MAC = e.MAC
			}
		}
	})
	// The domain XML names the instance and ties taps to it by target
	// device or MAC, and to the Neutron port by the virtualport's
	// interfaceid.
	each(n.in, collect.KindLibvirtDomainXML, func(_ string, x *libvirt.DomainXML) {
		if x.Domain == nil {
			return
		}
		var vm *VM
		for _, v := range n.VMs {
			if strings.EqualFold(v.UUID, x.Domain.UUID) || (v.Domain != "" && v.Domain == x.Domain.Name) {
				vm = v
			}
		}
		for _, ifc := range x.Interfaces {
			if v, _ := n.vmByTap(ifc.Target, ifc.MAC); v != nil && vm == nil {
				vm = v
			}
		}
		if vm == nil {
			vm = &VM{Pos: x.Domain.Pos}
			n.VMs = append(n.VMs, vm)
		}
		vm.Domain, vm.UUID = x.Domain.Name, strings.ToLower(x.Domain.UUID)
		if x.Domain.Nova != nil {
			vm.DisplayName = x.Domain.Nova.Name
		}
		for _, ifc := range x.Interfaces {
			if _, nic := n.vmByTap(ifc.Target, ifc.MAC); nic == nil && ifc.Target != "" {
				nic := &NIC{Tap: ifc.Target, MAC: ifc.MAC, Pos: ifc.Pos}
				if ifc.VirtualPort != nil {
					nic.PortID = ifc.VirtualPort.InterfaceID
				}
				vm.NICs = append(vm.NICs, nic)
			}
		}
	})
	for _, vm := range n.VMs {
		sort.Slice(vm.NICs, func(i, j int) bool { return vm.NICs[i].Tap < vm.NICs[j].Tap })
	}
	sort.Slice(n.VMs, func(i, j int) bool { return n.VMs[i].Name() < n.VMs[j].Name() })
}

// vmByTap finds the VM whose NIC is tap (or whose guest MAC is mac: the
// host side of a tap has fe:16:3e… where the guest has fa:16:3e…).
func (n *Node) vmByTap(tap, mac string) (*VM, *NIC) {
	guest := strings.Replace(strings.ToLower(mac), "fe:", "fa:", 1)
	for _, vm := range n.VMs {
		for _, nic := range vm.NICs {
			if (tap != "" && nic.Tap == tap) || (mac != "" && strings.EqualFold(nic.MAC, guest)) {
				return vm, nic
			}
		}
	}
	return nil, nil
}

// tapName maps an OVS VIF port to the VM's tap: qvoXXXX → tapXXXX for the
// hybrid plug, the port itself otherwise.
func tapName(port string) string {
	if strings.HasPrefix(port, "qvo") {
		return "tap" + port[3:]
	}
	return port
}
