package report

import (
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"netxray/analyze/summary"
	"netxray/collect"
)

// SummaryText writes `netxray summary` for people: one overview row per
// node, then each node's bridges, tunnels, VMs and missing data.
func SummaryText(w io.Writer, s *summary.Summary) error {
	over := Table{Title: fmt.Sprintf("%d node(s)", len(s.Nodes)),
		Header: []string{"NODE", "ROLE", "LAYOUT", "OVS", "NEUTRON", "KERNEL", "BRIDGES", "FLOWS", "VMS", "NAMESPACES", "TUNNELS", "FILES", "PROBLEMS"}}
	for _, n := range s.Nodes {
		flows := 0
		for _, b := range n.Bridges {
			flows += max(b.Flows, 0)
		}
		layout := n.Layout
		if n.SosVersion != "" {
			layout += " (sos " + n.SosVersion + ")"
		}
		role := n.Role.String()
		if m := n.Agent["l3_agent_mode"]; m != "" {
			role += " (l3 " + m
			if fw := n.Agent["firewall_driver"]; fw != "" {
				role += ", " + fw
			}
			role += ")"
		}
		over.Add(n.Name, role, layout, orDash(n.Versions["openvswitch"]), orDash(n.Versions["neutron"]), orDash(n.Versions["kernel"]),
			strconv.Itoa(len(n.Bridges)), strconv.Itoa(flows), strconv.Itoa(len(n.VMs)),
			countsText(n.Namespaces), strconv.Itoa(len(n.Tunnels)), strconv.Itoa(n.Files), countsText(n.Problems))
	}
	if err := over.Render(w); err != nil {
		return err
	}
	for _, n := range s.Nodes {
		if err := nodeText(w, n); err != nil {
			return err
		}
	}
	return nil
}

func nodeText(w io.Writer, n summary.Node) error {
	fmt.Fprintf(w, "\n== %s: %s\n", n.Name, n.Role)
	for _, why := range n.Role.Why {
		fmt.Fprintf(w, "   %s\n", why)
	}
	var tables []Table
	if len(n.Bridges) > 0 {
		t := Table{Title: "bridges", Header: []string{"BRIDGE", "DATAPATH", "PORTS", "FLOWS"}}
		for _, b := range n.Bridges {
			flows := "no dump"
			if b.Flows >= 0 {
				flows = strconv.Itoa(b.Flows)
			}
			t.Add(b.Name, orDash(b.DatapathType), strconv.Itoa(b.Ports), flows)
		}
		tables = append(tables, t)
	}
	if len(n.Tunnels) > 0 {
		t := Table{Title: "tunnels", Header: []string{"PORT", "TYPE", "LOCAL", "REMOTE", "REACHES"}}
		for _, tu := range n.Tunnels {
			t.Add(tu.Port, tu.Type, orDash(tu.LocalIP), orDash(tu.RemoteIP), orDash(tu.PeerNode))
		}
		tables = append(tables, t)
	}
	if len(n.VMs) > 0 {
		t := Table{Title: "VMs", Header: []string{"VM", "NICS"}}
		for _, vm := range n.VMs {
			t.Add(vm.Name, strings.Join(vm.NICs, " "))
		}
		tables = append(tables, t)
	}
	if missing := missingTable(n.Coverage); len(missing.Rows) > 0 {
		tables = append(tables, missing)
	}
	if len(n.Gaps) > 0 {
		t := Table{Title: "what netxray cannot know here", Header: []string{"WHAT", "WHY"}}
		for _, g := range n.Gaps {
			t.Add(g.What, g.Why)
		}
		tables = append(tables, t)
	}
	for _, t := range tables {
		if err := t.Render(w); err != nil {
			return err
		}
	}
	return nil
}

// missingTable lists the sources that are not plainly present; absent
// host-scope sources of other eras are many, so absent ones are counted per
// kind rather than listed.
func missingTable(cov []summary.Coverage) Table {
	t := Table{Title: "data coverage (not present)", Header: []string{"SOURCE", "KEY", "STATUS", "WHY"}}
	for _, c := range cov {
		for _, sf := range c.Missing {
			if sf.Status == collect.StatusAbsent {
				continue
			}
			t.Add(string(c.Kind), orDash(sf.Key), string(sf.Status), sf.Why)
		}
		if n := c.Counts[collect.StatusAbsent]; n > 0 && c.Counts[collect.StatusPresent] == 0 {
			key := "-"
			if n > 1 {
				key = fmt.Sprintf("%d %ss", n, c.Scope)
			}
			t.Add(string(c.Kind), key, string(collect.StatusAbsent), "")
		}
	}
	return t
}

// countsText renders {"qrouter":2,"snat":1} as "qrouter 2, snat 1".
func countsText(m map[string]int) string {
	if len(m) == 0 {
		return "-"
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s %d", k, m[k])
	}
	return strings.Join(parts, ", ")
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
