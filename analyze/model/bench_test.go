package model

import (
	"path/filepath"
	"testing"

	"netxray/collect"
	"netxray/internal/synth"
)

// BenchmarkBuildLab builds the model of the lab's three healthy bundles
// (opening them is outside the timing).
func BenchmarkBuildLab(b *testing.B) {
	bundle, err := collect.Open(filepath.Join("..", "..", "fixtures", "bundles", "healthy"))
	if err != nil {
		b.Fatal(err)
	}
	defer bundle.Close()
	b.ResetTimer()
	for b.Loop() {
		Build(bundle)
	}
}

// BenchmarkBuildScaled builds a synthetic 100-node cloud made of the lab's
// nodes (internal/synth): 67 compute nodes with 30 VM ports each (2,010
// VMs) and 33 network nodes, from memory, so it measures the model, not
// the decompression.
func BenchmarkBuildScaled(b *testing.B) {
	fsys, err := synth.Cloud(filepath.Join("..", "..", "fixtures", "bundles", "healthy"), 100, 30)
	if err != nil {
		b.Fatal(err)
	}
	bundle, err := collect.OpenFS(fsys, "scaled")
	if err != nil {
		b.Fatal(err)
	}
	defer bundle.Close()
	b.ResetTimer()
	for b.Loop() {
		m := Build(bundle)
		vms := 0
		for _, n := range m.Nodes {
			vms += len(n.VMs)
		}
		if len(m.Nodes) != 100 || vms < 2000 {
			b.Fatalf("%d nodes, %d VMs", len(m.Nodes), vms)
		}
	}
}
