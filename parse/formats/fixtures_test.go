package formats_test

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"netxray/collect"
	"netxray/parse"
	"netxray/parse/formats"
)

// bundlesDir holds the lab's fixture bundles (fixtures/bundles/README.md).
const bundlesDir = "../../fixtures/bundles"

// pendingKinds are catalog kinds whose parser is not registered yet, or
// that no parser reads (collect reads sos's manifest itself). Their files
// are skipped with a log line as long as formats.Lookup does not know the
// kind; once a parser is registered they are parsed like the others.
var pendingKinds = map[parse.Kind]string{
	collect.KindNeutronConf:      "parse/neutron",
	collect.KindVirshList:        "parse/libvirt",
	collect.KindVirshDomiflist:   "parse/libvirt",
	collect.KindLibvirtDomainXML: "parse/libvirt",
	collect.KindOVSVsctlListBr:   "parse/ovs (ovs-vsctl list-br)",
	collect.KindSosManifest:      "read by collect, not a parse format",
}

// knownProblem is a warning or error a fixture file is known to give, for
// a reason outside the parser.
type knownProblem struct {
	bundle string // tarball path under fixtures/bundles, without .tar.xz
	file   string // the file's path in the node
	line   int
	msg    string // substring of the problem
}

// Most lab bundles were collected before the collector sent conntrack's
// stderr to a separate file: `conntrack -L` writes its table to stdout in
// 4 KiB blocks and its summary line to stderr at once, so the summary
// landed at a block boundary, in the middle of an entry. The parser
// rebuilds the entry and reports the splice once, at the summary's line.
// Bundles collected since (e.g. fip-rule-missing, local-ip-wrong,
// pair-sg-tcp80 at 2026-11-22T20:0x) have no splice; regenerating a
// scenario makes its entries here obsolete, which the test reports.
const (
	qrouter   = "qrouter-907f4d76-d5d4-4334-bd29-9eb24e0a20fc"
	snat      = "snat-907f4d76-d5d4-4334-bd29-9eb24e0a20fc"
	ctHost    = "sos_commands/conntrack/conntrack_-L_-o_extended"
	ctQrouter = "sos_commands/conntrack/ip_netns_exec_" + qrouter + "_conntrack_-L_-o_extended"
	nxQrouter = "sos_commands/netxray/namespaces/" + qrouter + "/ip_netns_exec_" + qrouter + "_conntrack_-L_-o_extended"
	ctSnat    = "sos_commands/conntrack/ip_netns_exec_" + snat + "_conntrack_-L_-o_extended"
	nxSnat    = "sos_commands/netxray/namespaces/" + snat + "/ip_netns_exec_" + snat + "_conntrack_-L_-o_extended"
	spliceMsg = "conntrack-tools summary (stderr) was written into the middle of an entry"
)

// spliced lists the conntrack listings of one bundle that the summary cut,
// as "file:line" pairs.
func spliced(bundle string, at ...any) []knownProblem {
	var out []knownProblem
	for i := 0; i+1 < len(at); i += 2 {
		out = append(out, knownProblem{bundle, at[i].(string), at[i+1].(int), spliceMsg})
	}
	return out
}

var knownProblems = concatKnown(
	spliced("dvr-mac-missing/netxray-cmp1-20261122T164707Z", ctQrouter, 127, nxQrouter, 127),
	spliced("dvr-mac-missing/netxray-cmp2-20261122T164707Z", ctHost, 289, ctQrouter, 127, nxQrouter, 127),
	spliced("healthy/netxray-cmp1-20261122T154732Z", ctQrouter, 26, nxQrouter, 26),
	spliced("healthy/netxray-cmp2-20261122T154732Z", ctHost, 148, ctQrouter, 26, nxQrouter, 26),
	spliced("l2pop-unicast-missing/netxray-cmp1-20261122T162526Z", ctQrouter, 102, nxQrouter, 102),
	spliced("l2pop-unicast-missing/netxray-cmp2-20261122T162526Z", ctHost, 218, ctQrouter, 102, nxQrouter, 102),
	spliced("ovs-flows-wiped/netxray-cmp1-20261122T163158Z", ctQrouter, 51, nxQrouter, 51),
	spliced("ovs-flows-wiped/netxray-cmp2-20261122T163158Z", ctHost, 239, ctQrouter, 102, nxQrouter, 102),
	spliced("qr-port-deleted/netxray-cmp1-20261122T165244Z", ctQrouter, 101, nxQrouter, 76),
	spliced("qr-port-deleted/netxray-cmp2-20261122T165244Z", ctHost, 313, ctQrouter, 128, nxQrouter, 128),
	spliced("sg-rule-removed/netxray-cmp1-20261122T181243Z", ctQrouter, 76, nxQrouter, 76),
	spliced("sg-rule-removed/netxray-cmp2-20261122T181243Z", ctHost, 165, ctQrouter, 76, nxQrouter, 76),
	spliced("snat-table-flushed/netxray-cmp1-20261122T164949Z", ctQrouter, 153, nxQrouter, 127),
	spliced("snat-table-flushed/netxray-cmp2-20261122T164949Z", ctHost, 338, ctQrouter, 127, nxQrouter, 127),
	spliced("tun-flow-missing/netxray-cmp1-20261122T154935Z", ctQrouter, 76, nxQrouter, 76),
	spliced("tun-flow-missing/netxray-cmp2-20261122T154935Z", ctHost, 217, ctQrouter, 77, nxQrouter, 77),
	spliced("tunnel-port-missing/netxray-cmp1-20261122T162710Z", ctQrouter, 76, nxQrouter, 76),
	spliced("tunnel-port-missing/netxray-cmp2-20261122T162710Z", ctHost, 215, ctQrouter, 102, nxQrouter, 76),
	spliced("underlay-mtu/netxray-cmp1-20261122T165111Z", ctQrouter, 152, nxQrouter, 127),
	spliced("underlay-mtu/netxray-cmp2-20261122T165111Z", ctHost, 336, ctQrouter, 152, nxQrouter, 127),
	spliced("vlan-4095/netxray-cmp1-20261122T163016Z", ctQrouter, 101, nxQrouter, 101),
	spliced("vlan-4095/netxray-cmp2-20261122T163016Z", ctHost, 237, ctQrouter, 101, nxQrouter, 101),
)

func concatKnown(lists ...[]knownProblem) []knownProblem {
	var out []knownProblem
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}

// TestFixtureBundles parses every usable file of every lab bundle with the
// parser of its catalog kind: none may give a warning or an error but the
// known ones above, and every known one must still occur.
func TestFixtureBundles(t *testing.T) {
	var tarballs []string
	err := filepath.WalkDir(bundlesDir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasPrefix(d.Name(), "netxray-") && strings.HasSuffix(p, ".tar.xz") {
			tarballs = append(tarballs, p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(tarballs) == 0 {
		t.Fatalf("no netxray-*.tar.xz under %s", bundlesDir)
	}
	names := map[string]bool{}
	for _, tb := range tarballs {
		rel, _ := filepath.Rel(bundlesDir, tb)
		name := strings.TrimSuffix(filepath.ToSlash(rel), ".tar.xz")
		names[name] = true
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			checkBundle(t, tb, name)
		})
	}
	for _, k := range knownProblems {
		if !names[k.bundle] {
			t.Errorf("known problem of a bundle no longer in %s (remove it from knownProblems): %s: %s:%d", bundlesDir, k.bundle, k.file, k.line)
		}
	}
}

func checkBundle(t *testing.T, tarball, name string) {
	b, err := collect.Open(tarball)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	for _, p := range b.Problems {
		t.Errorf("opening: %s", p)
	}
	known := map[knownProblem]bool{}
	for _, k := range knownProblems {
		if k.bundle == name {
			known[k] = false
		}
	}
	pending := map[parse.Kind]int{}
	files := 0
	for _, n := range b.Nodes {
		for _, src := range n.Inventory {
			paths := usablePaths(src)
			if len(paths) == 0 {
				continue
			}
			if _, ok := formats.Lookup(src.Kind); !ok {
				if _, listed := pendingKinds[src.Kind]; !listed {
					t.Errorf("%s: kind %s has no parser and is not listed in pendingKinds", paths[0], src.Kind)
				}
				pending[src.Kind] += len(paths)
				continue
			}
			for _, p := range paths {
				files++
				for _, is := range parseFile(t, n, src.Kind, p) {
					if is.Severity == parse.SevInfo {
						continue
					}
					if k, ok := matchKnown(known, name, p, is); ok {
						known[k] = true
						continue
					}
					t.Errorf("%s:%d: %s: %s (kind %s)", p, is.Pos.Line, is.Severity, is.Msg, src.Kind)
				}
			}
		}
	}
	for k, seen := range known {
		if !seen {
			t.Errorf("known problem no longer reported (remove it from knownProblems): %s:%d: %s", k.file, k.line, k.msg)
		}
	}
	if files == 0 {
		t.Error("no file parsed")
	}
	logPending(t, pending)
}

// usablePaths returns the files holding src that can be read: the chosen
// one and the alternatives (other names and eras of the same output).
func usablePaths(src collect.SourceFile) []string {
	var paths []string
	if src.Status.Usable() && src.Path != "" {
		paths = append(paths, src.Path)
	}
	for _, o := range src.Others {
		if o.Status.Usable() && o.Path != "" {
			paths = append(paths, o.Path)
		}
	}
	return paths
}

// parsed caches parse results by kind and content: the scenarios share
// most files byte for byte, and parsing each once keeps the test fast
// under the race detector. Issues name the file of their first parse; only
// their lines and messages are used.
var parsed struct {
	sync.Mutex
	m map[[sha256.Size]byte]*parseResult
}

type parseResult struct {
	once   sync.Once
	issues parse.Issues
	err    error
}

func parseFile(t *testing.T, n *collect.Node, kind parse.Kind, p string) parse.Issues {
	t.Helper()
	rc, err := n.Open(p)
	if err != nil {
		t.Errorf("%s: %v", p, err)
		return nil
	}
	data, err := io.ReadAll(rc)
	rc.Close()
	if err != nil {
		t.Errorf("%s: %v", p, err)
		return nil
	}
	key := sha256.Sum256(append([]byte(kind+"\x00"), data...))
	parsed.Lock()
	if parsed.m == nil {
		parsed.m = map[[sha256.Size]byte]*parseResult{}
	}
	r := parsed.m[key]
	if r == nil {
		r = &parseResult{}
		parsed.m[key] = r
	}
	parsed.Unlock()
	r.once.Do(func() {
		var res parse.Result
		if res, r.err = formats.Parse(kind, bytes.NewReader(data), p); r.err == nil {
			r.issues = res.Problems()
		}
	})
	if r.err != nil {
		t.Errorf("%s (%s): %v", p, kind, r.err)
	}
	return r.issues
}

func matchKnown(known map[knownProblem]bool, bundle, file string, is parse.Issue) (knownProblem, bool) {
	for k := range known {
		if k.bundle == bundle && k.file == file && k.line == is.Pos.Line && strings.Contains(is.Msg, k.msg) {
			return k, true
		}
	}
	return knownProblem{}, false
}

func logPending(t *testing.T, pending map[parse.Kind]int) {
	kinds := make([]string, 0, len(pending))
	for k, n := range pending {
		kinds = append(kinds, fmt.Sprintf("%s (%s): %d files", k, pendingKinds[k], n))
	}
	sort.Strings(kinds)
	for _, k := range kinds {
		t.Logf("parser pending, skipped: %s", k)
	}
}
