package rules

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"netxray/analyze/model"
)

func TestValidateAll(t *testing.T) {
	if err := Validate(All()); err != nil {
		t.Fatal(err)
	}
	if n := len(All()); n < 30 {
		t.Errorf("%d rules, the issue asks for at least 30", n)
	}
}

func TestValidateRejects(t *testing.T) {
	ok := func() *Rule {
		return &Rule{Name: "good-rule", Category: "ovs", Severity: Warning, Doc: "a summary\nthe explanation", Run: func(*Pass) {}}
	}
	for _, tc := range []struct {
		name string
		edit func(r *Rule)
		want string
	}{
		{"camel name", func(r *Rule) { r.Name = "badRule" }, "kebab-case"},
		{"no category", func(r *Rule) { r.Category = "misc" }, "unknown category"},
		{"no severity", func(r *Rule) { r.Severity = 0 }, "invalid severity"},
		{"capital", func(r *Rule) { r.Doc = "A summary\nx" }, "capital"},
		{"period", func(r *Rule) { r.Doc = "a summary.\nx" }, "period"},
		{"long", func(r *Rule) { r.Doc = strings.Repeat("x", 61) + "\nx" }, "longer than 60"},
		{"no explanation", func(r *Rule) { r.Doc = "a summary" }, "no explanation"},
		{"no run", func(r *Rule) { r.Run = nil }, "no Run"},
		{"bad need", func(r *Rule) { r.Needs = []Need{{}} }, "need"},
	} {
		r := ok()
		tc.edit(r)
		err := Validate([]*Rule{r})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want an error containing %q", tc.name, err, tc.want)
		}
	}
	if err := Validate([]*Rule{ok(), ok()}); err == nil || !strings.Contains(err.Error(), "duplicate") {
		t.Errorf("duplicate names: got %v", err)
	}
}

func TestConfigSelect(t *testing.T) {
	all := []*Rule{{Name: "a"}, {Name: "b"}, {Name: "c", Off: true}}
	for _, tc := range []struct {
		name            string
		yaml            string
		enable, disable []string
		want            []string
		err             string
	}{
		{name: "defaults", want: []string{"a", "b"}},
		{name: "config disables", yaml: "disable: [a]", want: []string{"b"}},
		{name: "config enables an off rule", yaml: "enable: [c]", want: []string{"a", "b", "c"}},
		{name: "flag beats config", yaml: "disable: [a]", enable: []string{"a"}, want: []string{"a", "b"}},
		{name: "all off then one", disable: []string{"all"}, enable: []string{"b"}, want: []string{"b"}},
		{name: "unknown rule", disable: []string{"nope"}, err: "unknown rule"},
		{name: "unknown severity rule", yaml: "severity: {zz: error}", err: "unknown rule"},
		{name: "unknown key", yaml: "disabel: [a]", err: "field disabel not found"},
		{name: "bad severity", yaml: "severity: {a: fatal}", err: "unknown severity"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := LoadConfig(strings.NewReader(tc.yaml))
			var got []*Rule
			if err == nil {
				got, err = c.Select(all, tc.enable, tc.disable)
			}
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("got %v, want error %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, r := range got {
				names = append(names, r.Name)
			}
			if d := cmp.Diff(tc.want, names); d != "" {
				t.Errorf("selected (-want +got):\n%s", d)
			}
		})
	}
}

// TestRunSkipsAndSeverity checks the driver: a node lacking a need is
// skipped with why and not checked; identical findings are reported once;
// the configuration overrides severities and thresholds reach rules.
func TestRunSkipsAndSeverity(t *testing.T) {
	has := &model.Node{Name: "has", Bridges: []*model.Bridge{{Name: "br-int"}}}
	lacks := &model.Node{Name: "lacks", Gaps: []model.Gap{{What: "OVS bridges and ports", Why: "failed: command failed with return code 1"}}}
	m := model.Assemble(has, lacks)
	var seen []string
	r := &Rule{Name: "probe", Category: "ovs", Severity: Warning, Doc: "probe\nx", Needs: []Need{needOVS}, Run: func(p *Pass) {
		for _, n := range p.Nodes() {
			seen = append(seen, n.Name)
			p.Reportf(n, nil, "found %d", p.Config.Thresholds.UnderlayMTU)
			p.Reportf(n, nil, "found %d", p.Config.Thresholds.UnderlayMTU)
			p.Report(Finding{Node: n.Name, Severity: Info, Message: "minor"})
		}
	}}
	res := Run(m, []*Rule{r}, &Config{Severity: map[string]Severity{"probe": Error}, Thresholds: Thresholds{UnderlayMTU: 9000}})
	if d := cmp.Diff([]string{"has"}, seen); d != "" {
		t.Errorf("nodes checked (-want +got):\n%s", d)
	}
	want := []Finding{
		{Rule: "probe", Severity: Error, Node: "has", Message: "found 9000", Evidence: []Evidence{}},
		{Rule: "probe", Severity: Error, Node: "has", Message: "minor", Evidence: []Evidence{}},
	}
	if d := cmp.Diff(want, res.Findings); d != "" {
		t.Errorf("findings (-want +got):\n%s", d)
	}
	wantSkip := []Skip{{Rule: "probe", Node: "lacks", Why: "OVS bridges and ports: failed: command failed with return code 1"}}
	if d := cmp.Diff(wantSkip, res.Skipped); d != "" {
		t.Errorf("skipped (-want +got):\n%s", d)
	}
	if res.Count(Error) != 2 || res.Count(Warning) != 2 {
		t.Errorf("counts %d %d", res.Count(Error), res.Count(Warning))
	}
}

func TestSeverityText(t *testing.T) {
	for _, s := range []Severity{Info, Warning, Error} {
		b, _ := s.MarshalText()
		var back Severity
		if err := back.UnmarshalText(b); err != nil || back != s {
			t.Errorf("%v round trip: %v %v", s, back, err)
		}
	}
	if _, err := ParseSeverity("fatal"); err == nil {
		t.Error("fatal parsed")
	}
}

// TestSkippedNeverClean checks that, on the lab, a node whose flows are
// missing is listed as skipped by the rules that need them.
func TestSkippedNeverClean(t *testing.T) {
	m := labModel(t, "healthy")
	node(t, m, "cmp1").Bridge("br-tun").Flows = nil
	res := Run(model.Assemble(m.Nodes...), []*Rule{TunFlowMissing, L2popFloodMissing}, nil)
	got := map[string]bool{}
	for _, s := range res.Skipped {
		if s.Node == "cmp1" {
			got[s.Rule] = true
		}
	}
	if !got["tun-flow-missing"] || !got["l2pop-flood-missing"] {
		t.Errorf("cmp1 without br-tun flows not skipped: %+v", res.Skipped)
	}
}
