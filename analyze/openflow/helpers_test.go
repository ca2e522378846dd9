package openflow

import (
	"strconv"
	"strings"
	"testing"

	"netxray/parse"
	"netxray/parse/ovs"
)

type (
	flowT  = ovs.Flow
	matchT = ovs.Match
)

// flowsFromText turns dump-flows lines (counters optional) into flows, for
// small inline tables. It splits the way ovs-ofctl prints: header items
// (cookie=, table=, priority=, counters) and match items before
// " actions=", actions split at top-level commas.
func flowsFromText(t testing.TB, file, text string) []ovs.Flow {
	t.Helper()
	var out []ovs.Flow
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, "NXST_FLOW") || strings.HasPrefix(line, "OFPST_FLOW") {
			continue
		}
		f, ok := flowFromLine(line)
		if !ok {
			t.Fatalf("bad flow line %q", line)
		}
		f.Pos = parse.Pos{File: file, Line: i + 1}
		out = append(out, f)
	}
	return out
}

func flowFromLine(line string) (ovs.Flow, bool) {
	f := ovs.Flow{Raw: line, Priority: 32768}
	idx := strings.Index(line, "actions=")
	if idx < 0 {
		return f, false
	}
	head, acts := strings.TrimSpace(line[:idx]), line[idx+len("actions="):]
	head = strings.ReplaceAll(head, ", ", ",")
	head = strings.ReplaceAll(head, " ", ",")
	for _, item := range splitTop(head, ',') {
		if item == "" {
			continue
		}
		k, v, _ := strings.Cut(item, "=")
		switch k {
		case "cookie":
			c, _ := strconv.ParseUint(strings.Split(v, "/")[0], 0, 64)
			f.Cookie = c
		case "table":
			n, err := strconv.Atoi(v)
			if err != nil {
				f.Table, f.TableName = -1, v
			} else {
				f.Table = n
			}
		case "priority":
			f.Priority, _ = strconv.Atoi(v)
		case "n_packets":
			f.Stats.NPackets, _ = strconv.ParseUint(v, 10, 64)
			f.Stats.HasCounts = true
		case "n_bytes":
			f.Stats.NBytes, _ = strconv.ParseUint(v, 10, 64)
		case "duration", "idle_age", "hard_age", "idle_timeout", "hard_timeout", "importance":
		case "send_flow_rem", "check_overlap", "reset_counts", "no_packet_counts", "no_byte_counts":
			f.Flags = append(f.Flags, k)
		default:
			f.Match = append(f.Match, ovs.Match{Key: k, Value: strings.Trim(v, `"`)})
		}
	}
	for _, a := range splitTop(acts, ',') {
		if a == "" {
			continue
		}
		f.Actions = append(f.Actions, splitAction(a))
	}
	if len(f.Actions) == 1 && f.Actions[0].Name == "drop" {
		f.Actions = nil
	}
	return f, true
}

// sw1 builds a one-bridge switch from inline flows and ports.
func sw1(t testing.TB, ports []Port, flows string) *Switch {
	t.Helper()
	return &Switch{Node: "n1", Bridges: []*Bridge{{Name: "br0", Ports: ports, Flows: flowsFromText(t, "br0.txt", flows)}}}
}

func mustTrace(t testing.TB, sw *Switch, bridge, flow string, opts TraceOptions) *Result {
	t.Helper()
	r, err := Trace(sw, bridge, flow, opts)
	if err != nil {
		t.Fatalf("Trace(%q): %v", flow, err)
	}
	return r
}

// path renders the steps as "table:priority" (m for a miss), the simplest
// thing to compare in unit tests.
func path(r *Result) string {
	var parts []string
	for _, s := range r.Steps {
		b := ""
		if len(r.Steps) > 0 && s.Bridge != r.Bridge {
			b = s.Bridge + "/"
		}
		if s.Miss {
			parts = append(parts, b+strconv.Itoa(s.Table)+":m")
		} else {
			parts = append(parts, b+strconv.Itoa(s.Table)+":"+strconv.Itoa(s.Priority))
		}
	}
	return strings.Join(parts, " ")
}

func outs(r *Result) string {
	var parts []string
	for _, o := range r.Outputs {
		s := o.Port
		if o.VLAN >= 0 && o.Kind == "port" {
			s += "." + strconv.Itoa(o.VLAN)
		}
		if o.Tunnel != nil {
			s += "@" + o.Tunnel.RemoteIP + "#" + strconv.FormatUint(o.Tunnel.TunID, 16)
		}
		parts = append(parts, s)
	}
	if len(parts) == 0 {
		return "drop"
	}
	return strings.Join(parts, " ")
}
