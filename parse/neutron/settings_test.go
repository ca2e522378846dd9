package neutron

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func parseString(t *testing.T, s string) *Config {
	t.Helper()
	c, err := ParseConfig(strings.NewReader(s), "f")
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// settings gathers every typed accessor's value and whether it was set.
type settings struct {
	AgentMode, Firewall         string
	L2Pop, ARPResp, DVR         bool
	LocalIP                     netip.Addr
	TunnelTypes, Mech, TypeDrv  []string
	BridgeMaps, PhysIfMaps      []Mapping
	VXLAN, Geneve, GRE, Unknown []Range
	GlobalMTU, PathMTU          int
	Set                         []string
}

func gather(c *Config) settings {
	var s settings
	set := func(name string, ok bool) {
		if ok {
			s.Set = append(s.Set, name)
		}
	}
	a, fw, l2, ar, dvr := c.AgentMode(), c.FirewallDriver(), c.L2Population(), c.ARPResponder(), c.EnableDistributedRouting()
	ip, tt, me, td := c.LocalIP(), c.TunnelTypes(), c.MechanismDrivers(), c.TypeDrivers()
	bm, pm, gm, pmtu := c.BridgeMappings(), c.PhysicalInterfaceMappings(), c.GlobalPhysnetMTU(), c.PathMTU()
	vx, gn, gr, un := c.VNIRanges("vxlan"), c.VNIRanges("geneve"), c.VNIRanges("gre"), c.VNIRanges("stt")
	s.AgentMode, s.Firewall, s.L2Pop, s.ARPResp, s.DVR = a.Value, fw.Value, l2.Value, ar.Value, dvr.Value
	s.LocalIP, s.TunnelTypes, s.Mech, s.TypeDrv = ip.Value, tt.Value, me.Value, td.Value
	s.BridgeMaps, s.PhysIfMaps, s.GlobalMTU, s.PathMTU = bm.Value, pm.Value, gm.Value, pmtu.Value
	s.VXLAN, s.Geneve, s.GRE, s.Unknown = vx.Value, gn.Value, gr.Value, un.Value
	for _, x := range []struct {
		n  string
		ok bool
	}{{"agent_mode", a.Set()}, {"firewall_driver", fw.Set()}, {"l2_population", l2.Set()}, {"arp_responder", ar.Set()},
		{"enable_distributed_routing", dvr.Set()}, {"local_ip", ip.Set()}, {"tunnel_types", tt.Set()},
		{"mechanism_drivers", me.Set()}, {"type_drivers", td.Set()}, {"bridge_mappings", bm.Set()},
		{"physical_interface_mappings", pm.Set()}, {"global_physnet_mtu", gm.Set()}, {"path_mtu", pmtu.Set()},
		{"vxlan", vx.Set()}, {"geneve", gn.Set()}, {"gre", gr.Set()}, {"stt", un.Set()}} {
		set(x.n, x.ok)
	}
	return s
}

var allTypes = []string{"local", "flat", "vlan", "gre", "vxlan", "geneve"}

func TestSettings(t *testing.T) {
	tests := []struct {
		name  string
		input string
		want  settings
	}{
		{"defaults", "", settings{AgentMode: "legacy", TypeDrv: allTypes, GlobalMTU: 1500}},
		{"ovs agent (lab cmp2)", `[ovs]
local_ip = 192.168.253.13
bridge_mappings = external:br-ex
[agent]
tunnel_types = vxlan
l2_population = True
arp_responder = True
enable_distributed_routing = True
[securitygroup]
firewall_driver = iptables_hybrid
`, settings{AgentMode: "legacy", Firewall: "iptables_hybrid", L2Pop: true, ARPResp: true, DVR: true,
			LocalIP: netip.MustParseAddr("192.168.253.13"), TunnelTypes: []string{"vxlan"}, TypeDrv: allTypes,
			BridgeMaps: []Mapping{{"external", "br-ex"}}, GlobalMTU: 1500,
			Set: []string{"firewall_driver", "l2_population", "arp_responder", "enable_distributed_routing", "local_ip", "tunnel_types", "bridge_mappings"}}},
		{"linux bridge agent", `[linux_bridge]
physical_interface_mappings = provider:eth1
[vxlan]
enable_vxlan = true
local_ip = fd00::11
l2_population = yes
[securitygroup]
firewall_driver = neutron.agent.linux.iptables_firewall.IptablesFirewallDriver
`, settings{AgentMode: "legacy", Firewall: "iptables", L2Pop: true, LocalIP: netip.MustParseAddr("fd00::11"), TypeDrv: allTypes,
			PhysIfMaps: []Mapping{{"provider", "eth1"}}, GlobalMTU: 1500,
			Set: []string{"firewall_driver", "l2_population", "local_ip", "physical_interface_mappings"}}},
		{"ml2 and server", `[DEFAULT]
global_physnet_mtu = 9000
agent_mode = dvr_snat
[ml2]
type_drivers = flat,vlan,vxlan,geneve,
mechanism_drivers = openvswitch,l2population
path_mtu = 1550
[ml2_type_vxlan]
vni_ranges = 1:1000, 2000:2999
[ml2_type_geneve]
vni_ranges = 5000:6000
[ml2_type_gre]
tunnel_id_ranges = 1:100
`, settings{AgentMode: "dvr_snat", TypeDrv: []string{"flat", "vlan", "vxlan", "geneve"}, Mech: []string{"openvswitch", "l2population"},
			GlobalMTU: 9000, PathMTU: 1550, VXLAN: []Range{{1, 1000}, {2000, 2999}}, Geneve: []Range{{5000, 6000}}, GRE: []Range{{1, 100}},
			Set: []string{"agent_mode", "mechanism_drivers", "type_drivers", "global_physnet_mtu", "path_mtu", "vxlan", "geneve", "gre"}}},
		{"unreadable values keep the default but count as set", `[ovs]
local_ip = host.example
[agent]
arp_responder = sure
[DEFAULT]
global_physnet_mtu = big
`, settings{AgentMode: "legacy", TypeDrv: allTypes, GlobalMTU: 1500, Set: []string{"arp_responder", "local_ip", "global_physnet_mtu"}}},
		{"OVS section takes precedence over vxlan", "[vxlan]\nl2_population = false\n[agent]\nl2_population = true\n",
			settings{AgentMode: "legacy", L2Pop: true, TypeDrv: allTypes, GlobalMTU: 1500, Set: []string{"l2_population"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := gather(parseString(t, tt.input))
			if diff := cmp.Diff(tt.want, got, cmp.Comparer(func(a, b netip.Addr) bool { return a == b })); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestSettingEntry(t *testing.T) {
	c := parseString(t, "[ovs]\nlocal_ip = 10.0.0.1\n[ovs]\nlocal_ip = 10.0.0.2\n")
	s := c.LocalIP()
	if s.Entry == nil || s.Entry.Pos.Line != 4 || s.Value != netip.MustParseAddr("10.0.0.2") {
		t.Errorf("LocalIP = %+v", s)
	}
}

func TestFirewallAlias(t *testing.T) {
	for in, want := range map[string]string{
		"neutron.agent.linux.iptables_firewall.OVSHybridIptablesFirewallDriver": "iptables_hybrid",
		"neutron.agent.linux.openvswitch_firewall.OVSFirewallDriver":            "openvswitch",
		"neutron.agent.firewall.NoopFirewallDriver":                             "noop",
		"ovs":      "openvswitch",
		"noop":     "noop",
		"my.Other": "my.Other",
	} {
		if got := FirewallAlias(in); got != want {
			t.Errorf("FirewallAlias(%q) = %q, want %q", in, got, want)
		}
	}
	if !(Range{1, 10}).Contains(10) || (Range{1, 10}).Contains(11) {
		t.Errorf("Range.Contains wrong")
	}
}

func TestSniffConfig(t *testing.T) {
	for in, want := range map[string]bool{
		"# netxray: network-relevant keys of /etc/neutron/l3_agent.ini only; everything else removed\n[DEFAULT]\n": true,
		"# comment\n\n[ovs]\nlocal_ip = 1.2.3.4\n": true,
		"[DEFAULT]\ncore_plugin = ml2\n":           true,
		"[DEFAULT]\ndebug = true\n":                false,
		"[libvirt]\nvirt_type = kvm\n":             false,
		"key = value\n":                            false,
		"[ovs\n":                                   false,
		"":                                         false,
	} {
		if got := sniffConfig([]byte(in)); got != want {
			t.Errorf("sniffConfig(%q) = %v, want %v", in, got, want)
		}
	}
}
