package trace

import (
	"fmt"
	"io"
	"strings"

	"netxray/parse"
)

// Verdicts of DESIGN.md's trace contract.
const (
	Delivered      = "delivered"
	Dropped        = "dropped"
	NoRoute        = "no-route"
	ARPUnresolved  = "arp-unresolved"
	MissingTunnel  = "missing-tunnel"
	MTUExceeded    = "mtu-exceeded"
	Filtered       = "filtered"
	DataMissing    = "data-missing"
	Loop           = "loop"
	verdictPending = ""
)

// Result is one trace: `netxray trace --json`.
type Result struct {
	From    string `json:"from"`
	To      string `json:"to"`
	Proto   string `json:"proto"`
	Verdict string `json:"verdict"`
	Hops    []Hop  `json:"hops"`
	Reason  string `json:"reason"`
	// Assumptions are what the trace took for granted (conntrack state,
	// filters it could not evaluate); they qualify a delivered verdict.
	Assumptions []string `json:"assumptions,omitempty"`
	// Reply is the answer's trace, with --both when the request was
	// delivered.
	Reply *Result `json:"reply,omitempty"`
}

// Hop is one place the packet went through.
type Hop struct {
	Node string `json:"node"`
	// Where is the bridge, namespace or device.
	Where string `json:"where"`
	// Kind is flow, linux-bridge, veth, route, rule, nat, filter, tunnel,
	// arp, deliver.
	Kind     string     `json:"kind"`
	Detail   string     `json:"detail"`
	Evidence []Evidence `json:"evidence"`
}

// Evidence is a line of a bundle file that decided a hop.
type Evidence struct {
	File string `json:"file"`
	Line int    `json:"line"`
	Text string `json:"text"`
}

func evidence(pos parse.Pos, text string) Evidence {
	return Evidence{File: pos.File, Line: pos.Line, Text: text}
}

// WriteText writes the trace for people: one block per node crossed.
func (r *Result) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "trace %s -> %s (%s)\n", r.From, r.To, r.Proto)
	node := ""
	for i, h := range r.Hops {
		if h.Node != node {
			node = h.Node
			fmt.Fprintf(&b, "\n[%s]\n", node)
		}
		fmt.Fprintf(&b, "%3d. %-8s %-22s %s\n", i+1, h.Kind, h.Where, h.Detail)
		for _, e := range h.Evidence {
			fmt.Fprintf(&b, "       %s:%d  %s\n", e.File, e.Line, clip(e.Text, 160))
		}
	}
	fmt.Fprintf(&b, "\nverdict: %s\n", r.Verdict)
	if r.Reason != "" {
		fmt.Fprintf(&b, "reason:  %s\n", r.Reason)
	}
	for _, a := range r.Assumptions {
		fmt.Fprintf(&b, "assumed: %s\n", a)
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return err
	}
	if r.Reply != nil {
		if _, err := io.WriteString(w, "\nreply:\n"); err != nil {
			return err
		}
		return r.Reply.WriteText(w)
	}
	return nil
}

func clip(s string, n int) string {
	s = strings.TrimSpace(s)
	if len(s) <= n {
		return s
	}
	return s[:n-3] + "..."
}
