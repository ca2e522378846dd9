package host_test

import (
	"os"
	"path/filepath"
	"testing"

	"netxray/collect"
	"netxray/parse"
	"netxray/parse/host"
)

// The kinds must be the catalog's, or collect's files would never reach
// these parsers.
func TestKindsAreCollectKinds(t *testing.T) {
	want := map[parse.Kind]bool{
		collect.KindDpkgList: true, collect.KindInstalledRPMs: true, collect.KindUname: true,
		collect.KindHostname: true, collect.KindSosVersion: true, collect.KindPcapSidecar: true,
		collect.KindSysctl: true,
	}
	for _, f := range host.Formats {
		if !want[f.Kind] {
			t.Errorf("kind %q is not a collect kind of this package", f.Kind)
		}
		delete(want, f.Kind)
	}
	for k := range want {
		t.Errorf("no format for collect kind %q", k)
	}
}

// TestLabBundles parses every file of this package's kinds in the healthy
// lab bundles (real outputs of the three-node lab, see
// fixtures/bundles/README.md): all must parse with no problem.
func TestLabBundles(t *testing.T) {
	dir := filepath.Join("..", "..", "fixtures", "bundles", "healthy")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("lab bundles not found: %v", err)
	}
	b, err := collect.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	records := map[parse.Kind]int{}
	for _, n := range b.Nodes {
		for _, f := range host.Formats {
			for _, src := range n.Sources(f.Kind) {
				if src.Path == "" {
					continue
				}
				rc, err := n.Open(src.Path)
				if err != nil {
					t.Fatal(err)
				}
				res, err := f.Parse(rc, n.Name+"/"+src.Path)
				rc.Close()
				if err != nil {
					t.Fatal(err)
				}
				if f.Sniff != nil && f.Kind != host.KindHostname {
					checkSniff(t, n, src.Path, f)
				}
				if p := res.Problems(); len(p) > 0 {
					t.Errorf("%s/%s: %v", n.Name, src.Path, p)
				}
				records[f.Kind] += res.Records()
			}
		}
	}
	want := map[parse.Kind]int{
		host.KindDpkgList: 3 * 979, host.KindUname: 3, host.KindHostname: 3,
		host.KindSosVersion: 3, host.KindPcapSidecar: 13,
		// sysctl -a of the 9 router and DHCP namespaces (the collector
		// took no host sysctl -a then).
		host.KindSysctl: 9961,
	}
	for _, f := range host.Formats {
		if records[f.Kind] != want[f.Kind] {
			t.Errorf("%s: %d records, want %d", f.Kind, records[f.Kind], want[f.Kind])
		}
	}
}

func checkSniff(t *testing.T, n *collect.Node, path string, f parse.Format) {
	t.Helper()
	rc, err := n.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	head := make([]byte, 4096)
	k, _ := rc.Read(head)
	if !f.Sniff(head[:k]) {
		t.Errorf("%s/%s: Sniff(%s) = false", n.Name, path, f.Kind)
	}
}
