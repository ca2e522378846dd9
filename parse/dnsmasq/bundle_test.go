package dnsmasq_test

import (
	"bytes"
	"io"
	"path/filepath"
	"testing"

	"netxray/collect"
	"netxray/parse"
	"netxray/parse/dnsmasq"
)

// TestLabBundles parses every dnsmasq file of every lab scenario (real
// files of the three-node lab's DHCP agent on net1, see
// fixtures/bundles/README.md): all must parse with no problem, and the
// healthy and one renewed-leases scenario must give the known counts.
func TestLabBundles(t *testing.T) {
	root := filepath.Join("..", "..", "fixtures", "bundles")
	dirs, err := filepath.Glob(filepath.Join(root, "*", "*.tar.xz"))
	if err != nil || len(dirs) == 0 {
		t.Skipf("lab bundles not found under %s", root)
	}
	// Two networks of five ports each on net1; leases are empty until
	// dnsmasq has rewritten its lease file.
	want := map[string]map[parse.Kind]int{
		"healthy":            {dnsmasq.KindHosts: 10, dnsmasq.KindLeases: 0, dnsmasq.KindAddnHosts: 10},
		"snat-table-flushed": {dnsmasq.KindHosts: 10, dnsmasq.KindLeases: 10, dnsmasq.KindAddnHosts: 10},
	}
	scenarios := map[string]bool{}
	for _, d := range dirs {
		scenarios[filepath.Base(filepath.Dir(d))] = true
	}
	files := 0
	for sc := range scenarios {
		records := parseScenario(t, filepath.Join(root, sc), &files)
		for k, n := range want[sc] {
			if records[k] != n {
				t.Errorf("%s: %s: %d records, want %d", sc, k, records[k], n)
			}
		}
	}
	if files == 0 {
		t.Error("no dnsmasq file found in any lab bundle")
	}
	t.Logf("%d scenarios, %d files", len(scenarios), files)
}

// parseScenario parses every dnsmasq source of one scenario's bundles and
// returns the record counts per kind.
func parseScenario(t *testing.T, dir string, files *int) map[parse.Kind]int {
	t.Helper()
	b, err := collect.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	records := map[parse.Kind]int{}
	for _, n := range b.Nodes {
		for _, f := range dnsmasq.Formats {
			for _, src := range n.Sources(f.Kind) {
				if src.Path == "" {
					continue
				}
				data, err := readAll(n, src.Path)
				if err != nil {
					t.Fatal(err)
				}
				*files++
				if len(data) > 0 && !f.Sniff(data) {
					t.Errorf("%s/%s: %s.Sniff = false", n.Name, src.Path, f.Kind)
				}
				res, err := f.Parse(bytes.NewReader(data), n.Name+"/"+src.Path)
				if err != nil {
					t.Fatal(err)
				}
				if p := res.Problems(); len(p) > 0 {
					t.Errorf("%s/%s: %v", n.Name, src.Path, p)
				}
				records[f.Kind] += res.Records()
			}
		}
	}
	return records
}

func readAll(n *collect.Node, p string) ([]byte, error) {
	rc, err := n.Open(p)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(rc)
}
