package rules

import (
	"fmt"
	"sort"
	"strings"

	"netxray/analyze/model"
	"netxray/collect"
	"netxray/parse"
)

// Result is what a check run found, and where rules could not look.
type Result struct {
	Findings []Finding `json:"findings"`
	Skipped  []Skip    `json:"skipped"`
}

// Count returns how many findings have severity s or higher.
func (r *Result) Count(s Severity) int {
	n := 0
	for _, f := range r.Findings {
		if f.Severity >= s {
			n++
		}
	}
	return n
}

// Pass is one rule's view of a run: the model, the nodes it may look at,
// and where it reports.
type Pass struct {
	Rule   *Rule
	Model  *model.Model
	Config *Config

	usable   []*model.Node
	isUsable map[*model.Node]bool
	severity Severity
	res      *Result
	seen     map[string]bool
	*quoter
}

// Nodes returns the nodes whose needed sources are all there. Cross-node
// rules must also use Usable before drawing conclusions from a peer.
func (p *Pass) Nodes() []*model.Node { return p.usable }

// Usable reports whether the rule's needs are met on n.
func (p *Pass) Usable(n *model.Node) bool { return p.isUsable[n] }

// Skipf records that the rule could not check (part of) node n, and why:
// the run then does not pass for a clean result there. The rule itself
// decides what it leaves out.
func (p *Pass) Skipf(n *model.Node, format string, args ...any) {
	why := fmt.Sprintf(format, args...)
	key := "skip\x00" + n.Name + "\x00" + why
	if p.seen[key] {
		return
	}
	p.seen[key] = true
	p.res.Skipped = append(p.res.Skipped, Skip{Rule: p.Rule.Name, Node: n.Name, Why: why})
}

// Report records a finding of the rule; Rule and (unless set) Severity and
// Hint come from the rule. An identical finding is recorded once.
func (p *Pass) Report(f Finding) {
	f.Rule = p.Rule.Name
	if f.Severity == 0 || p.Config.overridden(p.Rule.Name) {
		f.Severity = p.severity
	}
	if f.Hint == "" {
		f.Hint = p.Rule.Hint
	}
	if f.Evidence == nil {
		f.Evidence = []Evidence{}
	}
	key := f.Node + "\x00" + f.Message
	if p.seen[key] {
		return
	}
	p.seen[key] = true
	p.res.Findings = append(p.res.Findings, f)
}

// Reportf reports a finding on node n at the rule's severity.
func (p *Pass) Reportf(n *model.Node, ev []Evidence, format string, args ...any) {
	p.Report(Finding{Node: n.Name, Message: fmt.Sprintf(format, args...), Evidence: ev})
}

// Run runs rules over m and returns their findings, most severe first,
// and the nodes each rule had to skip. A nil cfg means the defaults.
func Run(m *model.Model, rules []*Rule, cfg *Config) *Result {
	if cfg == nil {
		cfg = &Config{}
	}
	res := &Result{Findings: []Finding{}, Skipped: []Skip{}}
	q := &quoter{}
	for _, r := range rules {
		p := &Pass{Rule: r, Model: m, Config: cfg, isUsable: map[*model.Node]bool{}, res: res, seen: map[string]bool{}, severity: cfg.severityOf(r), quoter: q}
		for _, n := range m.Nodes {
			if why := missing(r, n); why != "" {
				p.Skipf(n, "%s", why)
				continue
			}
			p.usable = append(p.usable, n)
			p.isUsable[n] = true
		}
		r.Run(p)
	}
	sortResult(res)
	return res
}

// missing returns why n lacks one of r's needs, "" when it has them all.
func missing(r *Rule, n *model.Node) string {
	var whys []string
	for _, nd := range r.Needs {
		if why := nd.check(n); why != "" {
			whys = append(whys, nd.What+": "+why)
		}
	}
	return strings.Join(whys, "; ")
}

func sortResult(res *Result) {
	sort.SliceStable(res.Findings, func(i, j int) bool {
		a, b := res.Findings[i], res.Findings[j]
		if a.Severity != b.Severity {
			return a.Severity > b.Severity
		}
		if a.Rule != b.Rule {
			return a.Rule < b.Rule
		}
		if a.Node != b.Node {
			return a.Node < b.Node
		}
		return a.Message < b.Message
	})
	sort.SliceStable(res.Skipped, func(i, j int) bool {
		a, b := res.Skipped[i], res.Skipped[j]
		if a.Rule != b.Rule {
			return a.Rule < b.Rule
		}
		if a.Node != b.Node {
			return a.Node < b.Node
		}
		return a.Why < b.Why
	})
}

// ev cites one line of node n.
func ev(n *model.Node, pos parse.Pos, text string) Evidence {
	return Evidence{Node: n.Name, File: pos.File, Line: pos.Line, Text: firstLine(text)}
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return strings.TrimSpace(s)
}

// sourceWhy says why a node's source of kind and key cannot be trusted
// for "is X missing?" questions: absent, failed, capped or truncated. ""
// when it is present (or empty: the command ran and printed nothing).
func sourceWhy(n *model.Node, kind parse.Kind, key string) string {
	if n.Bundle == nil {
		return ""
	}
	sf, ok := n.Bundle.Source(kind, key)
	if !ok {
		return "no such source in the bundle"
	}
	switch sf.Status {
	case collect.StatusPresent, collect.StatusEmpty:
		return ""
	}
	why := string(sf.Status)
	if sf.Why != "" {
		why += " (" + sf.Why + ")"
	}
	return why
}

// gapWhy returns why the model lacks what ("" when it has no such gap).
func gapWhy(n *model.Node, what string) string {
	for _, g := range n.Gaps {
		if g.What == what {
			return g.Why
		}
	}
	return ""
}
