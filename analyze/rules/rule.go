package rules

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"netxray/analyze/model"
	"netxray/parse"
)

// Severity ranks a finding. The zero value means "the rule's severity".
type Severity int

// Severities, lowest first.
const (
	Info Severity = iota + 1
	Warning
	Error
)

func (s Severity) String() string {
	switch s {
	case Info:
		return "info"
	case Warning:
		return "warning"
	case Error:
		return "error"
	}
	return fmt.Sprintf("severity(%d)", int(s))
}

// ParseSeverity reads "info", "warning" or "error".
func ParseSeverity(s string) (Severity, error) {
	switch strings.ToLower(s) {
	case "info":
		return Info, nil
	case "warning", "warn":
		return Warning, nil
	case "error":
		return Error, nil
	}
	return 0, fmt.Errorf("unknown severity %q (want info, warning or error)", s)
}

// MarshalText makes severities readable in JSON and YAML.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads a severity name.
func (s *Severity) UnmarshalText(b []byte) error {
	v, err := ParseSeverity(string(b))
	*s = v
	return err
}

// Rule is one check, declared once as a value and listed in All.
type Rule struct {
	// Name is the kebab-case name used by --enable/--disable, the
	// configuration file and `netxray explain`.
	Name string
	// Category groups rules in listings: ovs, tunnel, l2pop, dvr, mtu,
	// firewall, data.
	Category string
	// Doc's first line is the summary `netxray rules` prints (at most 60
	// characters, lower-case start, no final period); the rest is what
	// `netxray explain` prints: what the rule checks, why it matters and
	// the usual fix.
	Doc string
	// Severity is the severity of the rule's findings unless a finding
	// says otherwise or the configuration overrides it.
	Severity Severity
	// Hint is the usual fix, attached to every finding that has none.
	Hint string
	// Needs are the sources the rule reads on each node. A node lacking
	// one is skipped for the rule, with why; it never looks clean.
	Needs []Need
	// Off means the rule runs only when enabled explicitly.
	Off bool
	// Run checks the model through the pass and reports findings.
	Run func(*Pass)
}

// Summary is the first line of Doc.
func (r *Rule) Summary() string {
	s, _, _ := strings.Cut(r.Doc, "\n")
	return s
}

// Explain is Doc without its first line.
func (r *Rule) Explain() string {
	_, rest, _ := strings.Cut(r.Doc, "\n")
	return strings.TrimSpace(rest)
}

// Categories are the valid Rule.Category values, in listing order.
var Categories = []string{"ovs", "tunnel", "l2pop", "dvr", "mtu", "firewall", "data"}

var kebab = regexp.MustCompile(`^[a-z][a-z0-9]*(-[a-z0-9]+)*$`)

// Validate checks a rule list: names unique and kebab-case, a known
// category and severity, a summary of at most 60 characters that starts
// lower-case and has no final period, an explanation, a Run function, and
// needs that say what they are.
func Validate(rules []*Rule) error {
	var errs []error
	seen := map[string]bool{}
	for i, r := range rules {
		if r == nil {
			errs = append(errs, fmt.Errorf("rule %d is nil", i))
			continue
		}
		bad := func(format string, args ...any) {
			errs = append(errs, fmt.Errorf("rule %q: %s", r.Name, fmt.Sprintf(format, args...)))
		}
		if !kebab.MatchString(r.Name) {
			bad("name is not kebab-case")
		}
		if seen[r.Name] {
			bad("duplicate name")
		}
		seen[r.Name] = true
		if !contains(Categories, r.Category) {
			bad("unknown category %q", r.Category)
		}
		if r.Severity < Info || r.Severity > Error {
			bad("invalid severity %d", r.Severity)
		}
		sum := r.Summary()
		switch {
		case sum == "":
			bad("doc has no summary line")
		case len([]rune(sum)) > 60:
			bad("summary longer than 60 characters: %q", sum)
		case strings.ToLower(sum[:1]) != sum[:1]:
			bad("summary starts with a capital: %q", sum)
		case strings.HasSuffix(sum, "."):
			bad("summary ends with a period: %q", sum)
		}
		if r.Explain() == "" {
			bad("doc has no explanation after the summary")
		}
		if r.Run == nil {
			bad("no Run function")
		}
		for _, nd := range r.Needs {
			if nd.What == "" || nd.check == nil {
				bad("a need without description or check")
			}
		}
	}
	return errors.Join(errs...)
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// Finding is one problem found: what, where, how bad, the lines that
// show it, and the usual fix.
type Finding struct {
	Rule     string     `json:"rule"`
	Severity Severity   `json:"severity"`
	Node     string     `json:"node"`
	Message  string     `json:"message"`
	Evidence []Evidence `json:"evidence"`
	Hint     string     `json:"hint,omitempty"`
}

// Evidence is a bundle line that shows the problem: the node whose bundle
// holds it, the file (relative to the node's root), the line and its text.
// Line 0 cites a whole file, e.g. one that lacks an expected line.
type Evidence struct {
	Node string `json:"node"`
	File string `json:"file"`
	Line int    `json:"line"`
	Text string `json:"text"`
}

func (e Evidence) String() string {
	p := parse.Pos{File: e.File, Line: e.Line}
	if e.Text == "" {
		return e.Node + ":" + p.String()
	}
	return e.Node + ":" + p.String() + ": " + e.Text
}

// Skip says a rule did not run on a node, and why.
type Skip struct {
	Rule string `json:"rule"`
	Node string `json:"node"`
	Why  string `json:"why"`
}

// Need is a source a rule reads on each node.
type Need struct {
	// What names the source in skip messages ("flows of br-tun").
	What string
	// check returns "" when n has the source, else why it does not.
	check func(n *model.Node) string
}
