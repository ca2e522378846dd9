package report

import (
	"fmt"
	"io"
	"strings"

	"netxray/analyze/model"
)

// TopologyText writes each node as a tree (bridge → port → what is behind
// it), its namespaces, and the tunnel mesh.
func TopologyText(w io.Writer, t *model.Topology) error {
	var b strings.Builder
	for _, n := range t.Nodes {
		fmt.Fprintf(&b, "%s (%s)\n", n.Name, n.Role)
		for i, br := range n.Bridges {
			last := i == len(n.Bridges)-1 && len(n.Namespaces) == 0
			fmt.Fprintf(&b, "%s %s\n", branchMark(last), br.Name)
			indent := "│   "
			if last {
				indent = "    "
			}
			for j, p := range br.Ports {
				line := fmt.Sprintf("%s [%d]", p.Name, p.OFPort)
				if p.Tag != nil {
					line += fmt.Sprintf(" tag %d", *p.Tag)
				}
				line += " " + p.Kind
				if p.To != "" {
					line += " → " + p.To
				}
				if p.Error != "" {
					line += " ERROR " + p.Error
				}
				fmt.Fprintf(&b, "%s%s %s\n", indent, branchMark(j == len(br.Ports)-1), line)
			}
		}
		for i, ns := range n.Namespaces {
			line := ns.Name + ": " + strings.Join(ns.Interfaces, " ")
			if ns.Capped {
				line = ns.Name + ": (not collected: namespace limit)"
			}
			fmt.Fprintf(&b, "%s %s\n", branchMark(i == len(n.Namespaces)-1), line)
		}
		b.WriteString("\n")
	}
	b.WriteString("tunnel mesh\n")
	for _, tu := range t.Mesh {
		to := tu.To
		if to == "" {
			to = "NO NODE"
		}
		fmt.Fprintf(&b, "  %s --%s %s--> %s (%s)\n", tu.From, tu.Type, tu.Port, to, tu.RemoteIP)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func branchMark(last bool) string {
	if last {
		return "└──"
	}
	return "├──"
}

// TopologyDOT writes the topology as a Graphviz digraph: a cluster per
// node with its bridges and VMs, edges for patch ports, VM plugs and
// tunnels between nodes.
func TopologyDOT(w io.Writer, t *model.Topology) error {
	var b strings.Builder
	b.WriteString("digraph netxray {\n  rankdir=LR;\n  node [shape=box, fontname=\"monospace\"];\n")
	id := func(parts ...string) string { return fmt.Sprintf("%q", strings.Join(parts, "/")) }
	for _, n := range t.Nodes {
		fmt.Fprintf(&b, "  subgraph %q {\n    label=%q;\n", "cluster_"+n.Name, n.Name+" ("+n.Role+")")
		for _, br := range n.Bridges {
			fmt.Fprintf(&b, "    %s [label=%q];\n", id(n.Name, br.Name), br.Name)
			for _, p := range br.Ports {
				switch p.Kind {
				case "vm", "router", "dhcp", "external":
					fmt.Fprintf(&b, "    %s [label=%q, shape=ellipse];\n", id(n.Name, p.Name), p.Name+"\\n"+p.To)
					fmt.Fprintf(&b, "    %s -> %s [dir=none];\n", id(n.Name, br.Name), id(n.Name, p.Name))
				case "patch":
					if peer, _, ok := strings.Cut(p.To, " ("); ok && br.Name < peer {
						fmt.Fprintf(&b, "    %s -> %s [dir=none, style=dashed, label=%q];\n", id(n.Name, br.Name), id(n.Name, peer), p.Name)
					}
				}
			}
		}
		b.WriteString("  }\n")
	}
	for _, tu := range t.Mesh {
		if tu.To == "" {
			fmt.Fprintf(&b, "  %s [label=%q, color=red];\n", id("unknown", tu.RemoteIP), tu.RemoteIP+"\\n(no node)")
			fmt.Fprintf(&b, "  %s -> %s [color=red, label=%q];\n", id(tu.From, "br-tun"), id("unknown", tu.RemoteIP), tu.Port)
			continue
		}
		fmt.Fprintf(&b, "  %s -> %s [label=%q];\n", id(tu.From, "br-tun"), id(tu.To, "br-tun"), tu.Type)
	}
	b.WriteString("}\n")
	_, err := io.WriteString(w, b.String())
	return err
}
