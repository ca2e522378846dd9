package model

import (
	"sort"

	"netxray/collect"
	"netxray/parse"
	"netxray/parse/neutron"
)

// Agent is how the node's Neutron agents are configured, as far as the
// data plane is concerned. Each field says which file and line set it; an
// unset option keeps Neutron's default with no position.
type Agent struct {
	// Configured is false when the bundle has no Neutron configuration.
	Configured     bool
	L3Mode         Setting[string] // legacy, dvr, dvr_snat, dvr_no_external
	FirewallDriver Setting[string] // openvswitch, iptables_hybrid, noop...
	L2Population   Setting[bool]
	ARPResponder   Setting[bool]
	LocalIP        Setting[string]
	TunnelTypes    Setting[[]string]
	Distributed    Setting[bool]
	BridgeMappings Setting[[]string]
}

// Setting is one option's value and where it was set.
type Setting[T any] struct {
	Value T
	Pos   parse.Pos // zero when Neutron's default applies
}

// buildAgent merges the node's Neutron files (neutron.conf, ml2_conf.ini,
// openvswitch_agent.ini, l3_agent.ini...): each option is read from the
// file that sets it; files are visited by name, so the result does not
// depend on the order of the bundle.
func (n *Node) buildAgent() {
	var confs []*neutron.Config
	var names []string
	byName := map[string]*neutron.Config{}
	each(n.in, collect.KindNeutronConf, func(key string, c *neutron.Config) {
		byName[key] = c
		names = append(names, key)
	})
	sort.Strings(names)
	for _, k := range names {
		confs = append(confs, byName[k])
	}
	n.Agent.Configured = len(confs) > 0
	for _, c := range confs {
		pick(&n.Agent.L3Mode, c.AgentMode())
		pick(&n.Agent.FirewallDriver, c.FirewallDriver())
		pick(&n.Agent.L2Population, c.L2Population())
		pick(&n.Agent.ARPResponder, c.ARPResponder())
		pick(&n.Agent.Distributed, c.EnableDistributedRouting())
		pick(&n.Agent.TunnelTypes, c.TunnelTypes())
		if s := c.LocalIP(); s.Set() {
			n.Agent.LocalIP = Setting[string]{Value: s.Value.String(), Pos: s.Entry.Pos}
		}
		if s := c.BridgeMappings(); s.Set() {
			var out []string
			for _, m := range s.Value {
				out = append(out, m.Key+":"+m.Value)
			}
			n.Agent.BridgeMappings = Setting[[]string]{Value: out, Pos: s.Entry.Pos}
		}
	}
	if n.Agent.L3Mode.Value == "" {
		n.Agent.L3Mode.Value = "legacy"
	}
}

// pick keeps the value of a file that sets the option (defaults stay
// until one does).
func pick[T any](dst *Setting[T], s neutron.Setting[T]) {
	if s.Set() {
		*dst = Setting[T]{Value: s.Value, Pos: s.Entry.Pos}
	} else if dst.Pos == (parse.Pos{}) {
		dst.Value = s.Value
	}
}
