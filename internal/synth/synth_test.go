package synth

import (
	"path/filepath"
	"testing"

	"netxray/analyze/model"
	"netxray/collect"
)

// The synthetic cloud reads back as nodes × VMs through the real pipeline.
func TestCloud(t *testing.T) {
	fsys, err := Cloud(filepath.Join("..", "..", "fixtures", "bundles", "healthy"), 6, 20)
	if err != nil {
		t.Fatal(err)
	}
	b, err := collect.OpenFS(fsys, "synth")
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	m := model.Build(b)
	vms, computes := 0, 0
	for _, n := range m.Nodes {
		if len(n.VMs) > 0 {
			computes++
		}
		vms += len(n.VMs)
	}
	if len(m.Nodes) != 6 || computes != 4 || vms != 80 {
		t.Errorf("%d nodes, %d computes, %d VMs; want 6, 4, 80", len(m.Nodes), computes, vms)
	}
}
