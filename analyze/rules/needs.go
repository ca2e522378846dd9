package rules

import (
	"fmt"

	"netxray/analyze/model"
	"netxray/collect"
)

// The needs rules declare. Each says why a node cannot be checked: the
// model's gap for the source (absent, failed, capped), or a truncated
// file, which cannot prove that something is missing.
var (
	needOVS = Need{What: "OVS bridges and ports", check: func(n *model.Node) string {
		if len(n.Bridges) > 0 {
			return ""
		}
		if why := gapWhy(n, "OVS bridges and ports"); why != "" {
			return why
		}
		return "the bundle shows no OVS bridge"
	}}
	needIntFlows = needBridgeFlows("flows of the integration bridge", (*model.Node).IntegrationBridge)
	needTunFlows = needBridgeFlows("flows of the tunnel bridge", (*model.Node).TunnelBridge)
	needHostIPs  = Need{What: "host interfaces", check: func(n *model.Node) string {
		if len(n.Interfaces) > 0 {
			return ""
		}
		if why := gapWhy(n, "host interfaces"); why != "" {
			return why
		}
		return "the bundle shows no host interface"
	}}
	needNetns = Need{What: "namespace list", check: func(n *model.Node) string {
		return gapWhy(n, "namespace list")
	}}
	// needTunProgrammed and needIntProgrammed keep rules about single
	// flows quiet on a node whose bridge lost all its flows: that is one
	// problem, reported once by br-tun-unprogrammed or canary-missing.
	needTunProgrammed = Need{What: "agent flows in the tunnel bridge", check: func(n *model.Node) string {
		if b := n.TunnelBridge(); b != nil && b.Flows != nil && !programmed(b) {
			return fmt.Sprintf("%s has no agent flows (see br-tun-unprogrammed)", b.Name)
		}
		return ""
	}}
	needIntProgrammed = Need{What: "agent flows in the integration bridge", check: func(n *model.Node) string {
		if b := n.IntegrationBridge(); b != nil && b.Flows != nil && canary(b) == nil && isOVSAgent(n) {
			return fmt.Sprintf("%s has no canary flow (see canary-missing)", b.Name)
		}
		return ""
	}}
)

// needBridgeFlows needs the flow dump of the bridge which picks; a node
// without that bridge has nothing to check and is not skipped.
func needBridgeFlows(what string, which func(*model.Node) *model.Bridge) Need {
	return Need{What: what, check: func(n *model.Node) string {
		if why := needOVS.check(n); why != "" {
			return why
		}
		b := which(n)
		if b == nil {
			return ""
		}
		if b.Flows == nil {
			if why := gapWhy(n, "flows of "+b.Name); why != "" {
				return b.Name + ": " + why
			}
			return "no flow dump of " + b.Name
		}
		if why := sourceWhy(n, collect.KindOFCtlDumpFlows, b.Name); why != "" {
			return b.Name + ": " + why
		}
		return ""
	}}
}

// programmed reports whether a tunnel bridge holds more than the default
// drop flows of table 0: the agent's mappings and floods.
func programmed(b *model.Bridge) bool {
	for _, f := range b.Flows.Flows {
		if f.Table != 0 || f.Priority > 0 {
			return true
		}
	}
	return false
}

// canary returns the integration bridge's table 23 canary flow, nil when
// it is gone.
func canary(b *model.Bridge) *Evidence {
	for _, f := range b.Flows.Flows {
		if f.Table == 23 {
			return &Evidence{File: f.Pos.File, Line: f.Pos.Line, Text: f.Raw}
		}
	}
	return nil
}

// isOVSAgent reports whether the node runs Neutron's OVS agent (not OVN):
// it has a tunnel bridge or patch-tun, or the agent's configuration.
func isOVSAgent(n *model.Node) bool {
	if n.Bridge("br-tun") != nil {
		return true
	}
	if b := n.IntegrationBridge(); b != nil {
		for _, p := range b.Ports {
			if p.Name == "patch-tun" || (p.Type == "patch" && len(p.Name) > 4 && p.Name[:4] == "int-") {
				return true
			}
		}
	}
	return n.Agent.FirewallDriver.Pos.File != "" || n.Agent.TunnelTypes.Pos.File != "" || n.Agent.BridgeMappings.Pos.File != ""
}
