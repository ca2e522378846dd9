package collecttest

import (
	"io/fs"
	"path/filepath"
	"testing"

	"netxray/collect"
	"netxray/internal/testenv"
)

// EachLabFile calls fn with the contents of every file of every lab bundle
// tarball (fixtures/bundles/*/netxray-*.tar.xz and one level deeper, read
// in place) whose path in its node satisfies want; name is the tarball,
// relative to fixtures/bundles, ":" the path. A tarball collect cannot open
// (one the lab is writing) is logged and skipped; with no tarball at all
// the test is skipped.
func EachLabFile(t testing.TB, want func(path string) bool, fn func(name string, data []byte)) {
	t.Helper()
	root := testenv.Bundles(t)
	var tarballs []string
	for _, pat := range []string{"*/netxray-*.tar.xz", "*/*/netxray-*.tar.xz"} {
		m, err := filepath.Glob(filepath.Join(root, pat))
		if err != nil {
			t.Fatal(err)
		}
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
		rel, err := filepath.Rel(root, tb)
		if err != nil {
			t.Fatal(err)
		}
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
