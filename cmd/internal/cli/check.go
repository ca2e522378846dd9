package cli

import (
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"netxray/analyze/model"
	"netxray/analyze/rules"
	"netxray/report"
)

type checkOptions struct {
	failOn          string
	config          string
	enable, disable []string
}

func newCheckCmd(o *IO) *cobra.Command {
	opts := &checkOptions{}
	cmd := &cobra.Command{
		Use:   "check BUNDLE... [--fail-on warning|error] [--enable RULE] [--disable RULE] [--config netxray.yaml]",
		Short: "Run the rules over bundles and list what is wrong, with evidence",
		Long: `Run netxray's rules (see netxray rules) over the bundles and print the findings,
most severe first: what is wrong, on which node, the bundle lines that show it,
and the usual fix. Rules that could not look at a node because a source is
absent, failed, capped or truncated list it as skipped, never as clean.

--enable/--disable take rule names ("all" for every rule) and override the
configuration file, a YAML file with enable, disable, severity (rule: level)
and thresholds (underlay_mtu, ct_mark_invalid). With --fail-on, exit status is
3 when a finding is at or above that severity.`,
		Args: usageArgs(cobra.MinimumNArgs(1)),
		RunE: func(_ *cobra.Command, args []string) error {
			failOn, cfg, selected, err := opts.parse()
			if err != nil {
				return err
			}
			return withModel(o, args, func(m *model.Model) error {
				res := rules.Run(m, selected, cfg)
				if o.JSON {
					err = report.JSON(o.Out, res)
				} else {
					err = writeCheck(o.Out, res, len(selected), o.Quiet)
				}
				if err == nil && failOn != 0 && res.Count(failOn) > 0 {
					return &SilentError{Code: ExitFindings}
				}
				return err
			})
		},
	}
	cmd.Flags().StringVar(&opts.failOn, "fail-on", "", "exit 3 when a finding is at or above this severity: warning or error")
	cmd.Flags().StringVar(&opts.config, "config", "", "YAML configuration (rule selection, severities, thresholds)")
	cmd.Flags().StringSliceVar(&opts.enable, "enable", nil, "run this rule (repeatable, comma-separated, or all)")
	cmd.Flags().StringSliceVar(&opts.disable, "disable", nil, "do not run this rule (repeatable, comma-separated, or all)")
	return cmd
}

// parse validates the flags and reads the configuration.
func (opts *checkOptions) parse() (rules.Severity, *rules.Config, []*rules.Rule, error) {
	var failOn rules.Severity
	switch opts.failOn {
	case "":
	case "warning", "error":
		failOn, _ = rules.ParseSeverity(opts.failOn)
	default:
		return 0, nil, nil, usageErrorf("--fail-on %q: want warning or error", opts.failOn)
	}
	cfg := &rules.Config{}
	if opts.config != "" {
		f, err := os.Open(opts.config)
		if err != nil {
			return 0, nil, nil, fmt.Errorf("opening configuration: %w", err)
		}
		defer f.Close()
		if cfg, err = rules.LoadConfig(f); err != nil {
			return 0, nil, nil, fmt.Errorf("%s: %w", opts.config, err)
		}
	}
	selected, err := cfg.Select(rules.All(), opts.enable, opts.disable)
	if err != nil {
		return 0, nil, nil, usageErrorf("%v", err)
	}
	return failOn, cfg, selected, nil
}

// writeCheck prints findings in one table per severity, each with its
// evidence and hint, then the skipped checks grouped by node and reason.
func writeCheck(w io.Writer, res *rules.Result, ran int, quiet bool) error {
	counts := map[rules.Severity]int{}
	for _, f := range res.Findings {
		counts[f.Severity]++
	}
	if _, err := fmt.Fprintf(w, "%s: %s, %s, %d info; %s\n", count(ran, "rule"),
		count(counts[rules.Error], "error"), count(counts[rules.Warning], "warning"), counts[rules.Info], count(len(res.Skipped), "skipped check")); err != nil {
		return err
	}
	for _, sev := range []rules.Severity{rules.Error, rules.Warning, rules.Info} {
		if counts[sev] == 0 || (quiet && sev == rules.Info) {
			continue
		}
		t := report.Table{Title: fmt.Sprintf("\n%s (%d)", strings.ToUpper(sev.String()), counts[sev]), Header: []string{"RULE", "NODE", "FINDING"}}
		for _, f := range res.Findings {
			if f.Severity != sev {
				continue
			}
			cell := []string{f.Message}
			for _, e := range f.Evidence {
				cell = append(cell, "  "+e.String())
			}
			if f.Hint != "" {
				cell = append(cell, "  fix: "+f.Hint)
			}
			t.Add(f.Rule, f.Node, strings.Join(cell, "\n"))
		}
		if err := t.Render(w); err != nil {
			return err
		}
	}
	if quiet || len(res.Skipped) == 0 {
		return nil
	}
	type group struct{ node, why string }
	byWhy := map[group][]string{}
	for _, s := range res.Skipped {
		g := group{s.Node, s.Why}
		byWhy[g] = append(byWhy[g], s.Rule)
	}
	var groups []group
	for g := range byWhy {
		groups = append(groups, g)
	}
	sort.Slice(groups, func(i, j int) bool {
		if groups[i].node != groups[j].node {
			return groups[i].node < groups[j].node
		}
		return groups[i].why < groups[j].why
	})
	t := report.Table{Title: fmt.Sprintf("\nSKIPPED (%d): not checked, not clean", len(res.Skipped)), Header: []string{"NODE", "WHY", "RULES"}}
	for _, g := range groups {
		t.Add(g.node, g.why, strings.Join(byWhy[g], ", "))
	}
	return t.Render(w)
}

func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
