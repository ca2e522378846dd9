package model

import (
	"net/netip"
	"path/filepath"
	"testing"

	"netxray/collect"
)

// labModel builds the model of one lab scenario's bundles.
func labModel(t testing.TB, scenario string) *Model {
	t.Helper()
	b, err := collect.Open(filepath.Join("..", "..", "fixtures", "bundles", scenario))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return Build(b)
}

func TestHealthyLab(t *testing.T) {
	m := labModel(t, "healthy")
	if len(m.Nodes) != 3 {
		t.Fatalf("%d nodes, want net1, cmp1, cmp2", len(m.Nodes))
	}
	for _, tc := range []struct {
		node    string
		vms     int
		bridges int
		role    string
	}{{"cmp1", 3, 4, "compute"}, {"cmp2", 3, 4, "compute"}, {"net1", 0, 4, "network"}} {
		n := m.Node(tc.node)
		if n == nil {
			t.Fatalf("no node %s", tc.node)
		}
		if len(n.VMs) != tc.vms || len(n.Bridges) != tc.bridges || n.Role.String() != tc.role {
			t.Errorf("%s: %d VMs, %d bridges, role %s; want %d, %d, %s", tc.node, len(n.VMs), len(n.Bridges), n.Role, tc.vms, tc.bridges, tc.role)
		}
		for _, p := range n.Tunnels() {
			if m.NodeByLocalIP(p.Options["remote_ip"]) == nil {
				t.Errorf("%s: tunnel %s reaches no node", tc.node, p.Name)
			}
		}
	}
	// Every VM NIC's MAC has an IP, learned from what Neutron programmed
	// (the lab's matrix.tsv names 10.10.1.23 as vm1's address).
	for _, n := range m.Nodes {
		for _, vm := range n.VMs {
			for _, nic := range vm.NICs {
				if len(m.Addresses.IPsOf(nic.MAC)) == 0 {
					t.Errorf("%s: VM %s NIC %s (%s) has no IP in the address book", n.Name, vm.Name(), nic.Tap, nic.MAC)
				}
			}
		}
	}
	// The agents' configuration, as the lab sets it.
	for _, tc := range []struct{ node, mode, fw string }{{"net1", "dvr_snat", ""}, {"cmp1", "dvr", "openvswitch"}, {"cmp2", "dvr", "iptables_hybrid"}} {
		a := m.Node(tc.node).Agent
		if !a.Configured || a.L3Mode.Value != tc.mode || (tc.fw != "" && a.FirewallDriver.Value != tc.fw) || !a.L2Population.Value || a.L3Mode.Pos.Line == 0 {
			t.Errorf("%s agent %+v, want l3 %s, firewall %s, l2pop, with positions", tc.node, a, tc.mode, tc.fw)
		}
	}
	if mac := m.Addresses.MACOf(netip.MustParseAddr("10.10.1.23")); mac == "" {
		t.Error("no MAC for 10.10.1.23 (vm1)")
	}
}
