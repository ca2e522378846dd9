package iptables_test

import (
	"bytes"
	"path"
	"strings"
	"testing"

	"netxray/collect"
	"netxray/collect/collecttest"
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
	collecttest.EachLabFile(t, func(p string) bool { return strings.HasSuffix(path.Base(p), "tables-save") },
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
