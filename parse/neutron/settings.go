package neutron

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"
)

// Setting is one data-plane option as the agent or server will use it.
type Setting[T any] struct {
	Value T `json:"value"`
	// Entry is the assignment Value comes from (the last one, as in
	// oslo.config); nil when the file does not set the option, and Value
	// is then Neutron's default. An entry whose value cannot be read also
	// leaves the default in Value (and an issue at its line).
	Entry *Entry `json:"entry,omitempty"`
}

// Set reports whether the file sets the option.
func (s Setting[T]) Set() bool { return s.Entry != nil }

// Range is an inclusive range of segmentation ids ("1000:1999").
type Range struct {
	Min uint32 `json:"min"`
	Max uint32 `json:"max"`
}

// Contains reports whether id is in the range.
func (r Range) Contains(id uint32) bool { return id >= r.Min && id <= r.Max }

// option describes where a data-plane option lives: the sections it is
// read from, in order (the OVS agent's name first, then the Linux bridge
// agent's), and how its value is checked.
type option struct {
	key      string
	sections []string
	check    func(string) error
}

var (
	optAgentMode        = option{"agent_mode", []string{"DEFAULT"}, oneOf("legacy", "dvr", "dvr_snat", "dvr_no_external")}
	optFirewallDriver   = option{"firewall_driver", []string{"securitygroup"}, nil}
	optL2Population     = option{"l2_population", []string{"agent", "vxlan"}, checkBool}
	optARPResponder     = option{"arp_responder", []string{"agent", "vxlan"}, checkBool}
	optLocalIP          = option{"local_ip", []string{"ovs", "vxlan"}, checkIP}
	optTunnelTypes      = option{"tunnel_types", []string{"agent"}, nil}
	optBridgeMappings   = option{"bridge_mappings", []string{"ovs"}, checkMappings}
	optPhysIfMappings   = option{"physical_interface_mappings", []string{"linux_bridge"}, checkMappings}
	optDistributed      = option{"enable_distributed_routing", []string{"agent"}, checkBool}
	optMechanismDrivers = option{"mechanism_drivers", []string{"ml2"}, nil}
	optTypeDrivers      = option{"type_drivers", []string{"ml2"}, nil}
	optGlobalPhysnetMTU = option{"global_physnet_mtu", []string{"DEFAULT"}, checkInt}
	optPathMTU          = option{"path_mtu", []string{"ml2"}, checkInt}
)

// vniOptions are the segmentation-id ranges per tunnel type.
var vniOptions = map[string]option{
	"vxlan":  {"vni_ranges", []string{"ml2_type_vxlan"}, checkRanges},
	"geneve": {"vni_ranges", []string{"ml2_type_geneve"}, checkRanges},
	"gre":    {"tunnel_id_ranges", []string{"ml2_type_gre"}, checkRanges},
}

// dataPlane lists the options ParseConfig checks.
var dataPlane = []option{
	optAgentMode, optFirewallDriver, optL2Population, optARPResponder, optLocalIP, optTunnelTypes,
	optBridgeMappings, optPhysIfMappings, optDistributed, optMechanismDrivers, optTypeDrivers,
	optGlobalPhysnetMTU, optPathMTU, vniOptions["vxlan"], vniOptions["geneve"], vniOptions["gre"],
}

// find returns the entry that sets o: the last one of the first section
// that has the key.
func (c *Config) find(o option) *Entry {
	for _, s := range o.sections {
		if e, ok := c.Lookup(s, o.key); ok {
			return &e
		}
	}
	return nil
}

// setting reads o with conv; def is Neutron's default.
func setting[T any](c *Config, o option, def T, conv func(string) (T, error)) Setting[T] {
	e := c.find(o)
	if e == nil {
		return Setting[T]{Value: def}
	}
	v, err := conv(e.Value)
	if err != nil {
		return Setting[T]{Value: def, Entry: e}
	}
	return Setting[T]{Value: v, Entry: e}
}

// AgentMode is l3_agent.ini [DEFAULT] agent_mode: legacy (default), dvr,
// dvr_snat or dvr_no_external.
func (c *Config) AgentMode() Setting[string] {
	return setting(c, optAgentMode, "legacy", plain)
}

// FirewallDriver is [securitygroup] firewall_driver of the L2 agent,
// normalised to its alias: iptables_hybrid, iptables, openvswitch, noop,
// or the value as written for anything else; "" when unset.
func (c *Config) FirewallDriver() Setting[string] {
	return setting(c, optFirewallDriver, "", func(v string) (string, error) { return FirewallAlias(v), nil })
}

// firewallAliases maps the driver classes to the aliases neutron's
// entry points give them.
var firewallAliases = map[string]string{
	"OVSHybridIptablesFirewallDriver": "iptables_hybrid",
	"IptablesFirewallDriver":          "iptables",
	"OVSFirewallDriver":               "openvswitch",
	"NoopFirewallDriver":              "noop",
}

// FirewallAlias returns the alias of a firewall_driver value
// ("neutron.agent.linux.iptables_firewall.OVSHybridIptablesFirewallDriver"
// is iptables_hybrid).
func FirewallAlias(v string) string {
	v = strings.TrimSpace(v)
	if i := strings.LastIndexByte(v, '.'); i >= 0 {
		if a, ok := firewallAliases[v[i+1:]]; ok {
			return a
		}
	}
	if v == "ovs" {
		return "openvswitch"
	}
	return v
}

// L2Population is [agent] l2_population (OVS agent) or [vxlan]
// l2_population (Linux bridge agent); default false.
func (c *Config) L2Population() Setting[bool] { return setting(c, optL2Population, false, parseBool) }

// ARPResponder is [agent] arp_responder (OVS) or [vxlan] arp_responder
// (Linux bridge); default false.
func (c *Config) ARPResponder() Setting[bool] { return setting(c, optARPResponder, false, parseBool) }

// LocalIP is [ovs] local_ip (OVS agent) or [vxlan] local_ip (Linux bridge
// agent): the node's tunnel endpoint.
func (c *Config) LocalIP() Setting[netip.Addr] {
	return setting(c, optLocalIP, netip.Addr{}, func(v string) (netip.Addr, error) { return netip.ParseAddr(v) })
}

// TunnelTypes is [agent] tunnel_types (vxlan, gre, geneve); default none.
func (c *Config) TunnelTypes() Setting[[]string] { return setting(c, optTunnelTypes, nil, list) }

// BridgeMappings is [ovs] bridge_mappings: physical network → OVS bridge.
func (c *Config) BridgeMappings() Setting[[]Mapping] {
	return setting(c, optBridgeMappings, nil, mappings)
}

// PhysicalInterfaceMappings is [linux_bridge] physical_interface_mappings:
// physical network → interface.
func (c *Config) PhysicalInterfaceMappings() Setting[[]Mapping] {
	return setting(c, optPhysIfMappings, nil, mappings)
}

// EnableDistributedRouting is [agent] enable_distributed_routing of the OVS
// agent (DVR flows); default false.
func (c *Config) EnableDistributedRouting() Setting[bool] {
	return setting(c, optDistributed, false, parseBool)
}

// MechanismDrivers is ml2_conf.ini [ml2] mechanism_drivers.
func (c *Config) MechanismDrivers() Setting[[]string] {
	return setting(c, optMechanismDrivers, nil, list)
}

// TypeDrivers is [ml2] type_drivers; the default is every type.
func (c *Config) TypeDrivers() Setting[[]string] {
	return setting(c, optTypeDrivers, []string{"local", "flat", "vlan", "gre", "vxlan", "geneve"}, list)
}

// VNIRanges is the segmentation-id ranges of a tunnel type: [ml2_type_vxlan]
// or [ml2_type_geneve] vni_ranges, [ml2_type_gre] tunnel_id_ranges; default
// none. An unknown type gives an empty setting.
func (c *Config) VNIRanges(tunnelType string) Setting[[]Range] {
	o, ok := vniOptions[tunnelType]
	if !ok {
		return Setting[[]Range]{}
	}
	return setting(c, o, nil, ranges)
}

// GlobalPhysnetMTU is neutron.conf [DEFAULT] global_physnet_mtu; default
// 1500.
func (c *Config) GlobalPhysnetMTU() Setting[int] {
	return setting(c, optGlobalPhysnetMTU, 1500, atoi)
}

// PathMTU is [ml2] path_mtu; default 0 (global_physnet_mtu applies).
func (c *Config) PathMTU() Setting[int] { return setting(c, optPathMTU, 0, atoi) }

// check reports, for each data-plane option the file sets, a value that
// cannot be read and a repeated assignment (oslo.config keeps the last).
func (c *Config) check() {
	for _, o := range dataPlane {
		for _, s := range o.sections {
			es := c.lookupAll(s, o.key)
			for i, e := range es {
				if i > 0 {
					c.Issues.Warnf(e.Pos, "%s is set again in [%s] (first at line %d); oslo.config uses the last",
						o.key, e.Section, es[0].Pos.Line)
				}
				if o.check == nil || e.Redacted {
					continue
				}
				if err := o.check(e.Value); err != nil {
					c.Issues.Warnf(e.Pos, "%s = %q: %v", o.key, e.Value, err)
				}
			}
		}
	}
}

func plain(v string) (string, error) { return v, nil }

func list(v string) ([]string, error) { return splitList(v), nil }

func parseBool(v string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "true", "yes", "on", "1":
		return true, nil
	case "false", "no", "off", "0":
		return false, nil
	}
	return false, fmt.Errorf("not a boolean")
}

func atoi(v string) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil {
		return 0, fmt.Errorf("not an integer")
	}
	return n, nil
}

func mappings(v string) ([]Mapping, error) {
	var out []Mapping
	for _, item := range splitList(v) {
		k, val, ok := strings.Cut(item, ":")
		if !ok || strings.TrimSpace(k) == "" || strings.TrimSpace(val) == "" {
			return nil, fmt.Errorf("item %q is not name:value", item)
		}
		out = append(out, Mapping{Key: strings.TrimSpace(k), Value: strings.TrimSpace(val)})
	}
	return out, nil
}

func ranges(v string) ([]Range, error) {
	var out []Range
	for _, item := range splitList(v) {
		lo, hi, ok := strings.Cut(item, ":")
		a, err1 := strconv.ParseUint(strings.TrimSpace(lo), 10, 32)
		b, err2 := strconv.ParseUint(strings.TrimSpace(hi), 10, 32)
		if !ok || err1 != nil || err2 != nil || a > b {
			return nil, fmt.Errorf("item %q is not min:max", item)
		}
		out = append(out, Range{Min: uint32(a), Max: uint32(b)})
	}
	return out, nil
}

func checkBool(v string) error     { _, err := parseBool(v); return err }
func checkInt(v string) error      { _, err := atoi(v); return err }
func checkMappings(v string) error { _, err := mappings(v); return err }
func checkRanges(v string) error   { _, err := ranges(v); return err }

func checkIP(v string) error {
	if _, err := netip.ParseAddr(strings.TrimSpace(v)); err != nil {
		return fmt.Errorf("not an IP address")
	}
	return nil
}

func oneOf(values ...string) func(string) error {
	return func(v string) error {
		for _, x := range values {
			if v == x {
				return nil
			}
		}
		return fmt.Errorf("not one of %s", strings.Join(values, ", "))
	}
}
