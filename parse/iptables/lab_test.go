package iptables_test

import (
	"bytes"
	"io/fs"
	"path"
	"path/filepath"
	"strings"
	"testing"

	"netxray/collect"
	"netxray/parse/iptables"
)

// The kind must be the catalog's, or collect's files would never reach
// this parser.
func TestKindIsCollectKind(t *testing.T) {
	if iptables.KindSave != collect.KindIPTablesSave {
		t.Fatalf("KindSave %q != collect.KindIPTablesSave %q", iptables.KindSave, collect.KindIPTablesSave)
	}
}

// TestLabBundles parses every iptables-save and ip6tables-save file of
// every lab bundle (real outputs of the three-node lab, see
// fixtures/bundles/README.md), read from the tarballs in place: all must
// parse with no problem, and Sniff must recognise the non-empty ones.
func TestLabBundles(t *testing.T) {
	if testing.Short() {
		t.Skip("lab bundles are slow to decompress")
	}
	var files, rules, chains int
	eachLabFile(t, func(p string) bool { return strings.HasSuffix(path.Base(p), "tables-save") },
		func(name string, data []byte) {
			s, err := iptables.ParseSave(bytes.NewReader(data), name)
			if err != nil {
				t.Fatal(err)
			}
			if len(s.Issues) > 0 {
				t.Errorf("%s: %v", name, s.Issues)
			}
			if len(data) > 0 && !iptables.Formats[0].Sniff(data[:min(len(data), 4096)]) {
				t.Errorf("%s: Sniff = false", name)
			}
			files++
			for _, tb := range s.Tables {
				chains += len(tb.Chains)
				rules += len(tb.Rules())
			}
		})
	t.Logf("%d files, %d chains, %d rules", files, chains, rules)
}

// eachLabFile calls fn with the contents of every file of every lab
// bundle tarball (fixtures/bundles/*/netxray-*.tar.xz, read in place) whose
// path in its node matches want. A tarball collect cannot open (one being
// written by the lab) is logged and skipped.
func eachLabFile(t *testing.T, want func(p string) bool, fn func(name string, data []byte)) {
	t.Helper()
	root := filepath.Join("..", "..", "fixtures", "bundles")
	var tarballs []string
	for _, pat := range []string{"*/netxray-*.tar.xz", "*/*/netxray-*.tar.xz"} {
		m, _ := filepath.Glob(filepath.Join(root, pat))
		tarballs = append(tarballs, m...)
	}
	if len(tarballs) == 0 {
		t.Skip("no lab bundle under fixtures/bundles")
	}
	for _, tb := range tarballs {
		b, err := collect.Open(tb)
		if err != nil {
			t.Logf("skipping %s: %v", tb, err)
			continue
		}
		rel, _ := filepath.Rel(root, tb)
		for _, n := range b.Nodes {
			err := fs.WalkDir(n.FS, ".", func(p string, d fs.DirEntry, err error) error {
				if err != nil || d.IsDir() || !want(p) {
					return err
				}
				data, err := fs.ReadFile(n.FS, p)
				if err != nil {
					return err
				}
				fn(rel+":"+p, data)
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		b.Close()
	}
}
