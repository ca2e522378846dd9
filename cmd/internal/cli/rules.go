package cli

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"netxray/analyze/rules"
	"netxray/report"
)

// ruleInfo is a rule as `rules --json` and `explain --json` print it.
type ruleInfo struct {
	Name     string         `json:"name"`
	Category string         `json:"category"`
	Severity rules.Severity `json:"severity"`
	Summary  string         `json:"summary"`
	// Default is false for rules that run only when enabled.
	Default bool     `json:"default"`
	Needs   []string `json:"needs"`
	Explain string   `json:"explain,omitempty"`
	Hint    string   `json:"hint,omitempty"`
}

func infoOf(r *rules.Rule, long bool) ruleInfo {
	ri := ruleInfo{Name: r.Name, Category: r.Category, Severity: r.Severity, Summary: r.Summary(), Default: !r.Off, Needs: []string{}}
	for _, n := range r.Needs {
		ri.Needs = append(ri.Needs, n.What)
	}
	if long {
		ri.Explain, ri.Hint = r.Explain(), r.Hint
	}
	return ri
}

func newRulesCmd(o *IO) *cobra.Command {
	return &cobra.Command{
		Use:   "rules",
		Short: "List the rules netxray check runs",
		Long:  `List every rule by category with its severity and summary; netxray explain RULE says more.`,
		Args:  usageArgs(cobra.NoArgs),
		RunE: func(_ *cobra.Command, _ []string) error {
			all := rules.All()
			if o.JSON {
				out := []ruleInfo{}
				for _, r := range all {
					out = append(out, infoOf(r, false))
				}
				return report.JSON(o.Out, out)
			}
			t := report.Table{Header: []string{"RULE", "CATEGORY", "SEVERITY", "SUMMARY"}}
			for _, cat := range rules.Categories {
				for _, r := range all {
					if r.Category != cat {
						continue
					}
					sum := r.Summary()
					if r.Off {
						sum += " (off by default)"
					}
					t.Add(r.Name, r.Category, r.Severity.String(), sum)
				}
			}
			return t.Render(o.Out)
		},
	}
}

func newExplainCmd(o *IO) *cobra.Command {
	return &cobra.Command{
		Use:   "explain RULE",
		Short: "Explain a rule: what it checks, why it matters, the usual fix",
		Args:  usageArgs(cobra.ExactArgs(1)),
		RunE: func(_ *cobra.Command, args []string) error {
			for _, r := range rules.All() {
				if r.Name != args[0] {
					continue
				}
				if o.JSON {
					return report.JSON(o.Out, infoOf(r, true))
				}
				return writeExplain(o.Out, r)
			}
			return usageErrorf("unknown rule %q (see netxray rules)", args[0])
		},
	}
}

func writeExplain(w io.Writer, r *rules.Rule) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%s, %s)\n\n%s\n\n%s\n", r.Name, r.Category, r.Severity, r.Summary(), r.Explain())
	if r.Hint != "" {
		fmt.Fprintf(&b, "\nUsual fix: %s\n", r.Hint)
	}
	if len(r.Needs) > 0 {
		var needs []string
		for _, n := range r.Needs {
			needs = append(needs, n.What)
		}
		fmt.Fprintf(&b, "Needs on each node: %s (a node without them is reported as skipped)\n", strings.Join(needs, ", "))
	}
	if r.Off {
		b.WriteString("Off by default: run it with --enable " + r.Name + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}
