package rules

import (
	"net/netip"

	"netxray/analyze/model"
)

// UnderlayMTU reports nodes whose tunnel underlay cannot carry their
// tenant MTU plus the encapsulation (neutron-domain.md §5 C1, C3).
var UnderlayMTU = &Rule{
	Name:     "underlay-mtu",
	Category: "mtu",
	Severity: Error,
	Doc: `underlay MTU too small for tenant MTU plus encapsulation
A tunnel network's devices (VM taps, qvb/qvo/qbr, qr-, sg-, DHCP taps) carry
frames up to their MTU; encapsulated, each grows by the overhead: VXLAN and
Geneve 50 bytes over IPv4 (70 over IPv6), GRE 42 (62). The device holding
the node's local_ip, and the physical ports of its OVS bridge when it is
one (userspace datapath), must have an MTU of at least the tenant MTU plus
the overhead. Otherwise large packets are dropped (the agent sets
df_default=true, so they are not fragmented and no ICMP reaches the VM):
pings work, SSH and TLS hang after the handshake.`,
	Hint:  "raise the underlay MTU (NIC, bond, VLAN and bridge) to at least the tenant MTU plus overhead, or lower global_physnet_mtu/path_mtu so Neutron gives networks a smaller MTU",
	Needs: []Need{needOVS, needHostIPs},
	Run:   runUnderlayMTU,
}

// overhead is the bytes encapsulation adds over an IPv4 underlay; IPv6
// adds 20 more.
var overhead = map[string]int{"vxlan": 50, "geneve": 50, "gre": 42, "stt": 76}

func runUnderlayMTU(p *Pass) {
	for _, n := range p.Nodes() {
		tunnels := n.Tunnels()
		if len(tunnels) == 0 {
			continue
		}
		over := 0
		for _, t := range tunnels {
			if o := overhead[t.Type]; o > over {
				over = o
			}
		}
		local := n.LocalIP()
		a, err := netip.ParseAddr(local)
		if err != nil {
			continue
		}
		if a.Is6() {
			over += 20
		}
		vtep := interfaceWith(n.Interfaces, a)
		under, underEv, underName := 0, Evidence{}, ""
		if vtep != nil {
			under, underEv, underName = vtep.MTU, ev(n, vtep.Pos, vtep.Raw), vtep.Name+", which holds local_ip "+local
			// A VTEP on an OVS bridge (userspace datapath) is as small as
			// the bridge's physical ports.
			if b := n.Bridge(vtep.Name); b != nil {
				for _, port := range b.Ports {
					if port.Type != "" && port.Type != "system" && port.Type != "dpdk" {
						continue
					}
					if ifc := n.HostInterface(port.Name); ifc != nil && ifc.MTU > 0 && ifc.MTU < under {
						under, underEv, underName = ifc.MTU, ev(n, ifc.Pos, ifc.Raw), ifc.Name+" in "+b.Name+", which holds local_ip "+local
					}
				}
			}
		} else if t := p.Config.Thresholds.UnderlayMTU; t > 0 {
			under, underName = t, "the configured underlay_mtu"
		} else {
			p.Skipf(n, "no interface holds local_ip %s and no underlay_mtu threshold is set", local)
			continue
		}
		tenant, tenantEv, tenantName := 0, Evidence{}, ""
		for _, ln := range p.Model.Networks.Of(n) {
			if !ln.Segment.IsTunnel() {
				continue
			}
			for _, port := range byRole(ln.Ports) {
				for _, name := range tenantDevices(port.Name) {
					if ifc, _ := device(n, name); ifc != nil && ifc.MTU > tenant {
						tenant, tenantEv, tenantName = ifc.MTU, ev(n, ifc.Pos, ifc.Raw), ifc.Name
					}
				}
			}
		}
		if tenant == 0 || under == 0 || tenant+over <= under {
			continue
		}
		e := []Evidence{underEv, tenantEv}
		if underEv.File == "" {
			e = e[1:]
		}
		p.Reportf(n, e, "tunnel underlay MTU is %d (%s) but %s has MTU %d, which needs %d with the %d-byte encapsulation: full-size packets of tunnel networks are dropped",
			under, underName, tenantName, tenant, tenant+over, over)
	}
}

// tenantDevices are the Linux devices of a br-int port: itself, and for
// the hybrid plug the qvb/qbr/tap behind a qvo.
func tenantDevices(port string) []string {
	if model.DeviceRole(port) == "qvo" {
		id := port[3:]
		return []string{port, "qvb" + id, "qbr" + id, "tap" + id}
	}
	return []string{port}
}
