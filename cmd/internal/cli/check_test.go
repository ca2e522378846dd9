package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"netxray/analyze/rules"
)

// TestCheck runs check, rules and explain in-process: exit codes, the
// --json contract of DESIGN.md, rule selection and configuration.
func TestCheck(t *testing.T) {
	bundles := filepath.Join("..", "..", "..", "fixtures", "bundles")
	healthy, snat := filepath.Join(bundles, "healthy"), filepath.Join(bundles, "snat-table-flushed")
	cfg := filepath.Join(t.TempDir(), "netxray.yaml")
	if err := os.WriteFile(cfg, []byte("disable: [source-failed]\nseverity:\n  snat-redirect: warning\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	if err := os.WriteFile(bad, []byte("disabel: [x]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	all := len(rules.All())
	for _, tc := range []struct {
		name   string
		args   []string
		code   int
		stdout []string // substrings
		stderr string
	}{
		{"healthy", []string{"check", healthy}, ExitOK, []string{"0 errors, 0 warnings, 3 info", "source-failed"}, ""},
		{"healthy fail-on warning", []string{"check", "--fail-on", "warning", "-q", healthy}, ExitOK, []string{"0 errors"}, ""},
		{"fault fails on error", []string{"check", "--fail-on", "error", snat}, ExitFindings, []string{"ERROR (1)", "snat-redirect", "ip_rule_list:6", "fix: restart the l3 agent"}, ""},
		{"fault without fail-on", []string{"check", snat}, ExitOK, []string{"snat-redirect"}, ""},
		{"config overrides", []string{"check", "--config", cfg, "--fail-on", "error", snat}, ExitOK, []string{"WARNING (1)", fmt.Sprintf("%d rules", all-1)}, ""},
		{"flag beats config", []string{"check", "--config", cfg, "--enable", "source-failed", snat}, ExitOK, []string{fmt.Sprintf("%d rules", all), "source-failed"}, ""},
		{"only one rule", []string{"check", "--disable", "all", "--enable", "snat-redirect,vif-dead-vlan", snat}, ExitOK, []string{"2 rules: 1 error"}, ""},
		{"bad fail-on", []string{"check", "--fail-on", "fatal", snat}, ExitUsage, nil, "want warning or error"},
		{"unknown rule", []string{"check", "--disable", "nope", snat}, ExitUsage, nil, "unknown rule"},
		{"bad config", []string{"check", "--config", bad, snat}, ExitError, nil, "field disabel not found"},
		{"no bundle", []string{"check"}, ExitUsage, nil, "requires at least 1 arg"},
		{"rules", []string{"rules"}, ExitOK, []string{"vif-dead-vlan", "snat-redirect", "source-failed"}, ""},
		{"explain", []string{"explain", "fip-rule-route"}, ExitOK, []string{"fip-rule-route (dvr, error)", "from f lookup 16", "Usual fix:", "Needs on each node: namespace list"}, ""},
		{"explain unknown", []string{"explain", "nope"}, ExitUsage, nil, "unknown rule"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := Main(tc.args, nil, &out, &errOut)
			if code != tc.code {
				t.Fatalf("exit %d, want %d; stderr:\n%s\nstdout:\n%s", code, tc.code, errOut.String(), out.String())
			}
			for _, s := range tc.stdout {
				if !strings.Contains(out.String(), s) {
					t.Errorf("stdout lacks %q:\n%s", s, out.String())
				}
			}
			if !strings.Contains(errOut.String(), tc.stderr) {
				t.Errorf("stderr lacks %q:\n%s", tc.stderr, errOut.String())
			}
		})
	}
}

func TestCheckJSON(t *testing.T) {
	snat := filepath.Join("..", "..", "..", "fixtures", "bundles", "snat-table-flushed")
	var out, errOut bytes.Buffer
	if code := Main([]string{"check", "--json", "--fail-on", "warning", snat}, nil, &out, &errOut); code != ExitFindings {
		t.Fatalf("exit %d; stderr %s", code, errOut.String())
	}
	var got struct {
		Findings []struct {
			Rule     string `json:"rule"`
			Severity string `json:"severity"`
			Node     string `json:"node"`
			Message  string `json:"message"`
			Evidence []struct {
				Node string `json:"node"`
				File string `json:"file"`
				Line int    `json:"line"`
				Text string `json:"text"`
			} `json:"evidence"`
			Hint string `json:"hint"`
		} `json:"findings"`
		Skipped []struct{ Rule, Node, Why string } `json:"skipped"`
	}
	dec := json.NewDecoder(&out)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&got); err != nil {
		t.Fatal(err)
	}
	if len(got.Findings) == 0 || got.Findings[0].Rule != "snat-redirect" || got.Findings[0].Severity != "error" || got.Findings[0].Node != "cmp2" ||
		got.Findings[0].Evidence[0].Line != 6 || got.Findings[0].Hint == "" || got.Skipped == nil {
		t.Errorf("unexpected JSON: %+v", got)
	}
	out.Reset()
	if code := Main([]string{"rules", "--json"}, nil, &out, &errOut); code != ExitOK {
		t.Fatal(code)
	}
	var list []ruleInfo
	if err := json.Unmarshal(out.Bytes(), &list); err != nil || len(list) != len(rules.All()) {
		t.Errorf("rules --json: %d rules, %v", len(list), err)
	}
}
