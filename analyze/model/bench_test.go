package model

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

	"netxray/collect"
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

// BenchmarkBuildScaled builds a 102-node set: 34 renamed copies of each
// lab node (compute nodes with 3 VMs each, so 68 computes and 204 VMs, 34
// network nodes), from memory. It measures the model, not the decompression.
func BenchmarkBuildScaled(b *testing.B) {
	fsys := fstest.MapFS{}
	tars, _ := filepath.Glob(filepath.Join("..", "..", "fixtures", "bundles", "healthy", "*.tar.xz"))
	for _, path := range tars {
		files := readTarXZ(b, path)
		node := strings.Split(filepath.Base(path), "-")[1] // netxray-cmp1-...
		for i := range 34 {
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
	defer bundle.Close()
	if len(bundle.Nodes) != 102 {
		b.Fatalf("%d nodes, want 102", len(bundle.Nodes))
	}
	b.ResetTimer()
	for b.Loop() {
		m := Build(bundle)
		if len(m.Nodes) != 102 {
			b.Fatalf("%d model nodes", len(m.Nodes))
		}
	}
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
