package trace

import (
	"fmt"
	"net/netip"
	"strings"

	"netxray/analyze/model"
)

// Endpoint is one end of a trace: a VM NIC on a node, or an address
// outside the cloud (reached through an external bridge).
type Endpoint struct {
	// Spec is what the user wrote.
	Spec string
	Node *model.Node
	VM   *model.VM
	NIC  *model.NIC
	MAC  string
	IP   netip.Addr
	// External is set for an address no VM port holds.
	External bool
}

func (e *Endpoint) String() string {
	if e.External {
		return e.IP.String() + " (external)"
	}
	s := fmt.Sprintf("%s on %s (%s", e.VM.Name(), e.Node.Name, e.NIC.Tap)
	if e.IP.IsValid() {
		s += " " + e.IP.String()
	}
	return s + ")"
}

// resolve finds the endpoint spec names: VM name or UUID, port UUID or a
// prefix of it, MAC, or IP (a VM's fixed IP, else an external address).
func resolve(m *model.Model, spec string) (*Endpoint, error) {
	s := strings.ToLower(strings.TrimSpace(spec))
	if s == "" {
		return nil, fmt.Errorf("empty endpoint")
	}
	var hits []*Endpoint
	add := func(n *model.Node, vm *model.VM, nic *model.NIC) {
		for _, h := range hits {
			if h.NIC == nic {
				return
			}
		}
		hits = append(hits, &Endpoint{Spec: spec, Node: n, VM: vm, NIC: nic, MAC: strings.ToLower(nic.MAC)})
	}
	ip, ipErr := netip.ParseAddr(s)
	ipMAC := ""
	if ipErr == nil {
		ipMAC = m.Addresses.MACOf(ip)
	}
	for _, n := range m.Nodes {
		for _, vm := range n.VMs {
			for _, nic := range vm.NICs {
				mac := strings.ToLower(nic.MAC)
				switch {
				case strings.ToLower(vm.Domain) == s, strings.ToLower(vm.UUID) == s, vm.DisplayName != "" && strings.ToLower(vm.DisplayName) == s,
					mac == s, ipMAC != "" && mac == ipMAC,
					len(s) >= 8 && strings.HasPrefix(strings.ToLower(nic.PortID), s):
					add(n, vm, nic)
				}
			}
		}
	}
	switch {
	case len(hits) == 1:
		e := hits[0]
		if ipErr == nil {
			e.IP = ip
		} else if ips := m.Addresses.IPsOf(e.MAC); len(ips) > 0 {
			e.IP = ips[0]
		}
		return e, nil
	case len(hits) > 1:
		var names []string
		for _, h := range hits {
			names = append(names, h.String())
		}
		return nil, fmt.Errorf("%q is ambiguous: %s", spec, strings.Join(names, "; "))
	case ipErr == nil:
		return &Endpoint{Spec: spec, IP: ip, External: true}, nil
	}
	return nil, fmt.Errorf("%q is no VM, port, MAC or IP of the bundles", spec)
}
