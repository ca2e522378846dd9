package model

import (
	"strconv"
	"strings"
)

// Role is what a node seems to be, with the evidence for the guess.
type Role struct {
	// Names are among compute, network, controller; empty when unknown.
	Names []string `json:"names"`
	Why   []string `json:"why"`
}

func (r Role) String() string {
	if len(r.Names) == 0 {
		return "unknown"
	}
	return strings.Join(r.Names, "+")
}

// guessRole infers a node's roles from what runs on it: VMs make a compute
// node; snat namespaces or legacy/HA routers and DHCP make a network node;
// OVN central databases make a controller.
func guessRole(n *Node) Role {
	var r Role
	add := func(name, why string) {
		for _, have := range r.Names {
			if have == name {
				r.Why = append(r.Why, why)
				return
			}
		}
		r.Names = append(r.Names, name)
		r.Why = append(r.Why, why)
	}
	if len(n.VMs) > 0 {
		add("compute", plural(len(n.VMs), "VM"))
	}
	kinds := map[string]int{}
	for _, ns := range n.Namespaces {
		kinds[ns.Kind]++
	}
	if kinds["snat"] > 0 {
		add("network", plural(kinds["snat"], "snat namespace"))
	}
	if kinds["qdhcp"] > 0 {
		add("network", plural(kinds["qdhcp"], "qdhcp namespace"))
	}
	if kinds["qrouter"] > 0 && kinds["fip"] == 0 && kinds["snat"] == 0 {
		add("network", plural(kinds["qrouter"], "non-DVR qrouter namespace"))
	}
	for _, p := range n.Files {
		if p.Source.Key == "ovnnb_db.db" || p.Source.Kind == "ovn-nbctl-show" {
			add("controller", "OVN northbound database")
			break
		}
	}
	return r
}

func plural(n int, what string) string {
	s := what
	if n != 1 {
		s += "s"
	}
	return strconv.Itoa(n) + " " + s
}
