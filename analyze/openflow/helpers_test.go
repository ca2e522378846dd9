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

// flowsFromText parses dump-flows lines (counters optional, the syntax of
// `ovs-ofctl add-flow` too) with the real dump parser, for small inline
// tables. A line the parser did not understand fails the test.
func flowsFromText(t testing.TB, file, text string) []ovs.Flow {
	t.Helper()
	flows, bad := parseFlowText(file, text)
	for _, is := range bad {
		t.Fatalf("bad flow line: %s", is)
	}
	return flows
}

// parseFlowText parses a dump with ovs.ParseFlows and leaves out the flows
// of lines with an error (truncated in the source), returning those issues.
func parseFlowText(file, text string) ([]ovs.Flow, []parse.Issue) {
	d, err := ovs.ParseFlows(strings.NewReader(text), file)
	if err != nil {
		return nil, []parse.Issue{{Pos: parse.Pos{File: file}, Severity: parse.SevError, Msg: err.Error()}}
	}
	badLine := map[int]bool{}
	var bad []parse.Issue
	for _, is := range d.Issues {
		if is.Severity == parse.SevError {
			badLine[is.Pos.Line] = true
			bad = append(bad, is)
		}
	}
	flows := d.Flows[:0:0]
	for _, f := range d.Flows {
		if !badLine[f.Pos.Line] {
			flows = append(flows, f)
		}
	}
	return flows, bad
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
