package summary

import (
	"fmt"
	"sort"
	"strings"

	"netxray/analyze/model"
	"netxray/collect"
	"netxray/parse"
)

// Summary is the whole bundle set.
type Summary struct {
	Nodes []Node `json:"nodes"`
}

// Node is one node's summary.
type Node struct {
	Name       string            `json:"name"`
	Root       string            `json:"root"`
	Layout     string            `json:"layout"`
	SosVersion string            `json:"sos_version,omitempty"`
	Versions   map[string]string `json:"versions"`
	Role       model.Role        `json:"role"`
	// Agent is the Neutron agents' data-plane settings: l3_agent_mode,
	// firewall_driver, l2_population, tunnel_types ("" when unset).
	Agent   map[string]string `json:"agent"`
	Bridges []Bridge          `json:"bridges"`
	VMs     []VM              `json:"vms"`
	// Namespaces counts namespaces by Neutron kind.
	Namespaces map[string]int `json:"namespaces"`
	Tunnels    []Tunnel       `json:"tunnels"`
	Coverage   []Coverage     `json:"coverage"`
	Gaps       []model.Gap    `json:"gaps,omitempty"`
	// Files and Problems count parsed files and their parse problems by
	// severity.
	Files    int            `json:"files"`
	Problems map[string]int `json:"problems"`
}

// Bridge is one OVS bridge.
type Bridge struct {
	Name  string `json:"name"`
	Ports int    `json:"ports"`
	// Flows is -1 when the bundle has no flow dump of the bridge.
	Flows        int    `json:"flows"`
	DatapathType string `json:"datapath_type,omitempty"`
}

// VM is one guest.
type VM struct {
	Name string   `json:"name"`
	NICs []string `json:"nics"`
}

// Tunnel is one tunnel port and the node it reaches.
type Tunnel struct {
	Port     string `json:"port"`
	Type     string `json:"type"`
	LocalIP  string `json:"local_ip,omitempty"`
	RemoteIP string `json:"remote_ip,omitempty"`
	// PeerNode is the node of the bundle set owning RemoteIP, "" if none.
	PeerNode string `json:"peer_node,omitempty"`
}

// Coverage counts the instances of one source kind by status.
type Coverage struct {
	Kind   parse.Kind             `json:"kind"`
	Scope  collect.Scope          `json:"scope"`
	Counts map[collect.Status]int `json:"counts"`
	// Missing names the keys (bridges, namespaces...) not present, with
	// why, for the statuses other than present.
	Missing []collect.SourceFile `json:"missing,omitempty"`
}

// Of summarises m.
func Of(m *model.Model) *Summary {
	s := &Summary{}
	for _, n := range m.Nodes {
		s.Nodes = append(s.Nodes, node(m, n))
	}
	return s
}

func node(m *model.Model, n *model.Node) Node {
	out := Node{
		Name: n.Name, Root: n.Bundle.Root, Layout: string(n.Bundle.Layout), SosVersion: n.Bundle.SosVersion,
		Versions: map[string]string{}, Role: n.Role, Agent: agent(n.Agent), Namespaces: map[string]int{}, Gaps: n.Gaps,
		Files: len(n.Files), Problems: map[string]int{},
		Bridges: []Bridge{}, VMs: []VM{}, Tunnels: []Tunnel{},
	}
	for c, v := range n.Versions {
		out.Versions[c] = v.Version
	}
	for _, b := range n.Bridges {
		flows := -1
		if b.Flows != nil {
			flows = len(b.Flows.Flows)
		}
		out.Bridges = append(out.Bridges, Bridge{Name: b.Name, Ports: len(b.Ports), Flows: flows, DatapathType: b.DatapathType})
	}
	for _, vm := range n.VMs {
		v := VM{Name: vm.Name(), NICs: []string{}}
		for _, nic := range vm.NICs {
			v.NICs = append(v.NICs, nic.Tap)
		}
		out.VMs = append(out.VMs, v)
	}
	for _, ns := range n.Namespaces {
		out.Namespaces[ns.Kind]++
	}
	for _, p := range n.Tunnels() {
		t := Tunnel{Port: p.Name, Type: p.Type, LocalIP: p.Options["local_ip"], RemoteIP: p.Options["remote_ip"]}
		if peer := m.NodeByLocalIP(t.RemoteIP); peer != nil {
			t.PeerNode = peer.Name
		}
		out.Tunnels = append(out.Tunnels, t)
	}
	for _, f := range n.Files {
		for _, is := range f.Problems() {
			out.Problems[is.Severity.String()]++
		}
	}
	out.Coverage = coverage(n.Bundle.Inventory)
	return out
}

func coverage(inv []collect.SourceFile) []Coverage {
	type key struct {
		kind  parse.Kind
		scope collect.Scope
	}
	byKind := map[key]*Coverage{}
	var order []key
	for _, sf := range inv {
		k := key{sf.Kind, sf.Scope}
		c := byKind[k]
		if c == nil {
			c = &Coverage{Kind: sf.Kind, Scope: sf.Scope, Counts: map[collect.Status]int{}}
			byKind[k] = c
			order = append(order, k)
		}
		c.Counts[sf.Status]++
		if sf.Status != collect.StatusPresent {
			c.Missing = append(c.Missing, sf)
		}
	}
	sort.Slice(order, func(i, j int) bool {
		if order[i].kind != order[j].kind {
			return order[i].kind < order[j].kind
		}
		return order[i].scope < order[j].scope
	})
	out := make([]Coverage, 0, len(order))
	for _, k := range order {
		out = append(out, *byKind[k])
	}
	return out
}

func agent(a model.Agent) map[string]string {
	out := map[string]string{}
	if !a.Configured {
		return out
	}
	out["l3_agent_mode"] = a.L3Mode.Value
	out["firewall_driver"] = a.FirewallDriver.Value
	out["l2_population"] = fmt.Sprint(a.L2Population.Value)
	out["tunnel_types"] = strings.Join(a.TunnelTypes.Value, ",")
	out["local_ip"] = a.LocalIP.Value
	return out
}
