package rules

import (
	"path/filepath"
	"testing"

	"netxray/analyze/model"
	"netxray/collect"
	"netxray/internal/synth"
)

// BenchmarkCheckLab runs every rule over the healthy lab's model (built
// outside the timing).
func BenchmarkCheckLab(b *testing.B) {
	m := labModel(b, "healthy")
	rules := All()
	b.ResetTimer()
	for b.Loop() {
		Run(m, rules, nil)
	}
}

// BenchmarkCheckScaled runs every rule over the synthetic 100-node cloud
// of internal/synth (67 computes with 30 VM ports each, 33 network nodes,
// made of the healthy lab's files), built outside the timing.
func BenchmarkCheckScaled(b *testing.B) {
	fsys, err := synth.Cloud(filepath.Join("..", "..", "fixtures", "bundles", "healthy"), 100, 30)
	if err != nil {
		b.Fatal(err)
	}
	bundle, err := collect.OpenFS(fsys, "scaled")
	if err != nil {
		b.Fatal(err)
	}
	defer bundle.Close()
	m := model.Build(bundle)
	if len(m.Nodes) != 100 {
		b.Fatalf("%d nodes", len(m.Nodes))
	}
	rules := All()
	b.ResetTimer()
	var res *Result
	for b.Loop() {
		res = Run(m, rules, nil)
	}
	b.ReportMetric(float64(len(res.Findings)), "findings")
	b.ReportMetric(float64(res.Count(Warning)), "warnings+")
}
