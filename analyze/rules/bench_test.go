package rules

import (
	"archive/tar"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/ulikunitz/xz"

	"netxray/analyze/model"
	"netxray/collect"
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

// BenchmarkCheckScaled runs every rule over a 102-node set: 34 renamed
// copies of each lab node, as the model's BenchmarkBuildScaled builds it.
// The copies share addresses and MACs, so cross-node rules see the worst
// case: every network on every node, every endpoint and MAC 34 times.
func BenchmarkCheckScaled(b *testing.B) {
	m := scaledModel(b, 34)
	if len(m.Nodes) != 102 {
		b.Fatalf("%d nodes", len(m.Nodes))
	}
	rules := All()
	b.ResetTimer()
	var res *Result
	for b.Loop() {
		res = Run(m, rules, nil)
	}
	b.ReportMetric(float64(len(res.Findings)), "findings")
}

func scaledModel(b *testing.B, copies int) *model.Model {
	fsys := fstest.MapFS{}
	tars, _ := filepath.Glob(filepath.Join("..", "..", "fixtures", "bundles", "healthy", "*.tar.xz"))
	for _, path := range tars {
		files := readTarXZ(b, path)
		node := strings.Split(filepath.Base(path), "-")[1] // netxray-cmp1-...
		for i := range copies {
			name := fmt.Sprintf("%s-%02d", node, i)
			for p, data := range files {
				_, rest, _ := strings.Cut(p, "/")
				text := strings.ReplaceAll(string(data), `"host": "`+node+`"`, `"host": "`+name+`"`)
				fsys[name+"/"+rest] = &fstest.MapFile{Data: []byte(text), Mode: 0o644}
			}
		}
	}
	bundle, err := collect.OpenFS(fsys, "scaled")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { bundle.Close() })
	return model.Build(bundle)
}

func readTarXZ(b *testing.B, path string) map[string][]byte {
	f, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	xr, err := xz.NewReader(f)
	if err != nil {
		b.Fatal(err)
	}
	out := map[string][]byte{}
	tr := tar.NewReader(xr)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			b.Fatal(err)
		}
		if h.Typeflag != tar.TypeReg {
			continue
		}
		data, err := io.ReadAll(tr)
		if err != nil {
			b.Fatal(err)
		}
		out[h.Name] = data
	}
}
