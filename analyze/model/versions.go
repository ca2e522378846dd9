package model

import (
	"netxray/collect"
	"netxray/parse"
	"netxray/parse/host"
)

// Version is one component's version on a node, with where it was read.
type Version struct {
	Version string    `json:"version"`
	From    string    `json:"from"` // the package name, or "uname", "ovs-vsctl"
	Pos     parse.Pos `json:"pos"`
}

// buildVersions reads the versions that matter to the analysis: the
// running kernel (uname), OVS (the daemon's own report, else its
// package), and the packages of Neutron, OVN and iproute2.
func (n *Node) buildVersions() {
	n.Versions = map[string]Version{}
	if n.OVSVersion != "" {
		n.Versions["openvswitch"] = Version{Version: n.OVSVersion, From: "ovs-vsctl"}
	}
	var list *host.PackageList
	if d := one[*host.DpkgList](n.in, collect.KindDpkgList, ""); d != nil {
		list = &d.PackageList
	} else if r := one[*host.InstalledRPMs](n.in, collect.KindInstalledRPMs, ""); r != nil {
		list = &r.PackageList
	}
	if list != nil {
		for _, c := range host.Components {
			if _, have := n.Versions[string(c)]; have || c == host.Kernel {
				continue
			}
			if p, ok := list.Component(c); ok {
				n.Versions[string(c)] = Version{Version: p.Version, From: p.Name, Pos: p.Pos}
			}
		}
	}
	if u := one[*host.Uname](n.in, collect.KindUname, ""); u != nil && u.Release != "" {
		n.Versions["kernel"] = Version{Version: u.Release, From: "uname", Pos: u.Pos}
	}
}
