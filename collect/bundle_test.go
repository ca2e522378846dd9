package collect

import (
	"archive/tar"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"netxray/parse"
)

// inventoryLines renders an inventory for comparisons.
func inventoryLines(n *Node) []string {
	var out []string
	for _, s := range n.Inventory {
		out = append(out, fmt.Sprintf("%s %s %s %s %s %s", s.Kind, s.Scope, s.Key, s.Path, s.Status, s.Why))
	}
	return out
}

const sosTop = "sosreport-compute-1-2024-01-15-abcdef"

// TestFormats opens each era's tree as a directory and as every archive
// format, and expects the same inventory as from the in-memory tree.
func TestFormats(t *testing.T) {
	for _, era := range eraTrees {
		tr := era.tree()
		mem, err := OpenFS(tr.mapFS(), "mem")
		if err != nil {
			t.Fatal(err)
		}
		want := inventoryLines(mem.Nodes[0])
		mem.Close()

		dir := t.TempDir()
		tr.writeDir(t, filepath.Join(dir, "tree", sosTop))
		tarData := tr.tarBytes(t, sosTop)
		paths := map[string]string{"dir": filepath.Join(dir, "tree", sosTop)}
		for _, ext := range []string{".tar", ".tar.gz", ".tar.xz", ".tar.bz2"} {
			if ext == ".tar.bz2" && era.name != "sos4.5" {
				continue // one bzip2 case is enough: the program is slow
			}
			paths[ext] = writeFile(t, filepath.Join(dir, sosTop+ext), compress(t, tarData, ext))
		}
		for form, p := range paths {
			t.Run(era.name+"/"+form, func(t *testing.T) {
				b, err := Open(p)
				if err != nil {
					t.Fatal(err)
				}
				defer b.Close()
				if len(b.Nodes) != 1 {
					t.Fatalf("%d nodes", len(b.Nodes))
				}
				n := b.Nodes[0]
				if n.Name != "compute-1" || n.Layout != era.layout {
					t.Errorf("node %q layout %q", n.Name, n.Layout)
				}
				if diff := cmp.Diff(want, inventoryLines(n)); diff != "" {
					t.Errorf("inventory differs from the in-memory tree's (-want +got):\n%s", diff)
				}
				if len(b.Problems) != 0 {
					t.Errorf("problems: %v", b.Problems)
				}
				// Files read back intact.
				s, _ := n.Source(KindOFCtlDumpFlows, "br-tun")
				r, err := n.Open(s.Path)
				if err != nil {
					t.Fatal(err)
				}
				data, _ := io.ReadAll(r)
				r.Close()
				if string(data) != tr[s.Path] {
					t.Errorf("%s read back as %q, want %q", s.Path, data, tr[s.Path])
				}
			})
		}
	}
}

// TestBzip2Fixture opens a committed .tar.bz2 (made with tar and bzip2),
// so bzip2 is covered where the bzip2 program is missing.
func TestBzip2Fixture(t *testing.T) {
	b, err := Open("testdata/sos45-mini.tar.bz2")
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	n := b.Nodes[0]
	if n.Name != "compute-9" || n.Layout != LayoutSos44 {
		t.Errorf("node %q layout %q", n.Name, n.Layout)
	}
	for _, k := range []struct {
		kind parse.Kind
		key  string
	}{{KindOFCtlDumpFlows, "br-int"}, {KindIPRule, "qrouter-aaa"}} {
		if s, _ := n.Source(k.kind, k.key); s.Status != StatusPresent {
			t.Errorf("%s %s: %+v", k.kind, k.key, s)
		}
	}
}

// TestMultiBundleDir opens a directory of bundles: extracted trees,
// tarballs, a `sos collect` tarball of tarballs, a duplicate node, an
// unrelated file and a broken archive.
func TestMultiBundleDir(t *testing.T) {
	dir := t.TempDir()
	node := func(name string, tr tree) tree {
		return tr.with(tree{"sos_commands/host/hostname": name + "\n", "hostname": "->sos_commands/host/hostname",
			"sos_commands/general/hostname": name + "\n"})
	}
	node("controller-0", sos45Tree()).writeDir(t, filepath.Join(dir, "sosreport-controller-0-2024-01-15-aaaaaa"))
	writeFile(t, filepath.Join(dir, "sosreport-compute-0-2024-01-15-bbbbbb.tar.xz"),
		compress(t, node("compute-0", sos43Tree()).tarBytes(t, "sosreport-compute-0-2024-01-15-bbbbbb"), ".tar.xz"))
	writeFile(t, filepath.Join(dir, "netxray-compute-1-20240115T100000.tar.gz"),
		compress(t, netxrayTree().tarBytes(t, "netxray-compute-1-20240115T100000"), ".tar.gz"))
	// The same node captured again later.
	writeFile(t, filepath.Join(dir, "later", "netxray-compute-1-20240116T100000.tar.gz"),
		compress(t, netxrayTree().tarBytes(t, "netxray-compute-1-20240116T100000"), ".tar.gz"))
	// sos collect: a tarball of sosreport tarballs.
	var outer bytes.Buffer
	tw := tar.NewWriter(&outer)
	for _, name := range []string{"compute-2", "compute-3"} {
		top := "sosreport-" + name + "-2024-01-15-cccccc"
		inner := compress(t, node(name, sos42Tree()).tarBytes(t, top), ".tar.xz")
		must(t, tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: "sos-collector-case-2024-01-15/" + top + ".tar.xz", Size: int64(len(inner)), Mode: 0o644}))
		_, err := tw.Write(inner)
		must(t, err)
	}
	must(t, tw.Close())
	writeFile(t, filepath.Join(dir, "sos-collector-case-2024-01-15.tar.gz"), compress(t, outer.Bytes(), ".tar.gz"))
	writeFile(t, filepath.Join(dir, "README.txt"), []byte("case notes\n"))
	writeFile(t, filepath.Join(dir, "broken.tar.gz"), []byte("\x1f\x8bnot really gzip"))

	b, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	var names []string
	for _, n := range b.Nodes {
		names = append(names, n.Name+" "+string(n.Layout))
	}
	want := []string{"compute-0 sos4.3", "compute-1 netxray", "compute-1#2 netxray", "compute-2 sos4.1", "compute-3 sos4.1", "controller-0 sos4.4+"}
	if diff := cmp.Diff(want, names); diff != "" {
		t.Errorf("nodes (-want +got):\n%s", diff)
	}
	var probs []string
	for _, p := range b.Problems {
		probs = append(probs, p.String())
	}
	joined := strings.Join(probs, "\n")
	if !strings.Contains(joined, "broken.tar.gz") || !strings.Contains(joined, `another bundle is also for node "compute-1"`) || len(probs) != 2 {
		t.Errorf("problems:\n%s\nwant the broken archive and the duplicate node", joined)
	}
	if n := b.Node("compute-2"); n == nil || !strings.Contains(n.Root, "sos-collector-case-2024-01-15.tar.gz:sos-collector-case-2024-01-15/sosreport-compute-2-2024-01-15-cccccc.tar.xz/sosreport-compute-2") {
		t.Errorf("compute-2 root: %+v", n)
	}
	// Every node's inventory finds its flows.
	for _, n := range b.Nodes {
		if s, _ := n.Source(KindOFCtlDumpFlows, "br-int"); s.Status != StatusPresent {
			t.Errorf("%s: br-int flows %+v", n.Name, s)
		}
	}
}

func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	if _, err := Open(filepath.Join(dir, "missing.tar.xz")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: %v, want fs.ErrNotExist", err)
	}
	empty := t.TempDir()
	if _, err := Open(empty); err == nil || !strings.Contains(err.Error(), "no sosreport or netxray bundle found") {
		t.Errorf("empty dir: %v", err)
	}
	p := writeFile(t, filepath.Join(dir, "notes.txt"), []byte("hello\n"))
	if _, err := Open(p); err == nil || !strings.Contains(err.Error(), "not a tar archive") {
		t.Errorf("text file: %v", err)
	}
	p = writeFile(t, filepath.Join(dir, "x.tar.zst"), []byte{0x28, 0xb5, 0x2f, 0xfd, 0, 0, 0, 0})
	if _, err := Open(p); err == nil || !strings.Contains(err.Error(), "zstd") {
		t.Errorf("zstd file: %v", err)
	}
	// A tar of files that are not a bundle.
	p = writeFile(t, filepath.Join(dir, "loose.tar"), tree{"ovs-ofctl_dump-flows_br-int": flows}.tarBytes(t, ""))
	if _, err := Open(p); err == nil || !strings.Contains(err.Error(), "not a sosreport or netxray bundle") {
		t.Errorf("loose files: %v", err)
	}
}

// TestNodeNames covers names from hostname files and from directory names.
func TestNodeNames(t *testing.T) {
	tests := []struct{ base, want string }{
		{"sosreport-compute-0-2024-01-15-abcdef", "compute-0"},
		{"sosreport-ctl1.example.com-01234567-2024-01-15-abcdef", "ctl1.example.com"}, // the case number goes too
		{"sosreport-host1.20180101123456", "host1"},
		{"netxray-compute-1-20240115T100000", "compute-1"},
		{"node-a", "node-a"},
		{".", "node"},
	}
	for _, tt := range tests {
		if got := nameFromDir(tt.base); got != tt.want {
			t.Errorf("nameFromDir(%q) = %q, want %q", tt.base, got, tt.want)
		}
	}
	tr := sos45Tree().with(tree{"-hostname": "", "-sos_commands/host/hostname": ""})
	dir := t.TempDir()
	p := writeFile(t, filepath.Join(dir, "sosreport-net-7-2024-01-15-abcdef.tar"), tr.tarBytes(t, "sosreport-net-7-2024-01-15-abcdef"))
	b, err := Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if b.Nodes[0].Name != "net-7" {
		t.Errorf("name %q, want net-7 from the directory name", b.Nodes[0].Name)
	}
}

func TestProgressAndTempDir(t *testing.T) {
	dir := t.TempDir()
	tmp := t.TempDir()
	p := writeFile(t, filepath.Join(dir, "b.tar.gz"), compress(t, netxrayTree().tarBytes(t, "netxray-c1-20240101"), ".tar.gz"))
	fi, _ := os.Stat(p)
	var last, total int64
	calls := 0
	b, err := Open(p, WithTempDir(tmp), WithLimits(Limits{MemberInMemory: 16}),
		WithProgress(func(done, tot int64) { last, total = done, tot; calls++ }))
	if err != nil {
		t.Fatal(err)
	}
	if calls == 0 || total != fi.Size() || last > total {
		t.Errorf("progress: %d calls, last %d of %d, want total %d", calls, last, total, fi.Size())
	}
	ents, _ := os.ReadDir(tmp)
	if len(ents) != 1 {
		t.Fatalf("temp dir holds %d entries, want the bundle's private directory", len(ents))
	}
	spilled, _ := os.ReadDir(filepath.Join(tmp, ents[0].Name()))
	if len(spilled) == 0 {
		t.Errorf("no member spilled to disk with MemberInMemory=16")
	}
	n := b.Nodes[0]
	s, _ := n.Source(KindOFCtlDumpFlows, "br-int")
	r, err := n.Open(s.Path)
	if err != nil {
		t.Fatal(err)
	}
	data, _ := io.ReadAll(r)
	r.Close()
	if string(data) != flows {
		t.Errorf("spilled member read back as %q", data)
	}
	must(t, b.Close())
	if ents, _ := os.ReadDir(tmp); len(ents) != 0 {
		t.Errorf("Close left %d entries in the temp dir", len(ents))
	}
}

func TestDetectLayout(t *testing.T) {
	base := tree{"sos_commands/networking/ip_route_show_table_all": sample}
	tests := []struct {
		name string
		tr   tree
		want Layout
	}{
		{"version 3.9", base.with(tree{"version.txt": "sosreport: 3.9.1\n"}), LayoutSos3},
		{"version 4.0", base.with(tree{"version.txt": "sos report: 4.0\n"}), LayoutSos3},
		{"version 4.2", base.with(tree{"version.txt": "sos report: 4.2\n"}), LayoutSos41},
		{"version 4.3", base.with(tree{"version.txt": "sos report: 4.3\n"}), LayoutSos43},
		{"manifest 4.10.1", base.with(tree{"sos_reports/manifest.json": `{"version": "4.10.1"}`}), LayoutSos44},
		{"netxray dir", base.with(tree{"sos_commands/netxray/ip_-j_rule_list": "[]"}), LayoutNetxray},
		{"ns subdir -4", base.with(tree{"sos_commands/networking/namespaces/n/ip_netns_exec_n_ip_-4_rule_list": sample}), LayoutSos44},
		{"ns subdir", base.with(tree{"sos_commands/networking/namespaces/n/ip_netns_exec_n_ip_rule_list": sample}), LayoutSos43},
		{"flat ns rule", base.with(tree{"sos_commands/networking/ip_netns_exec_n_ip_rule_list": sample}), LayoutSos41},
		{"flat ns", base.with(tree{"sos_commands/networking/ip_netns_exec_n_ip_address_show": sample}), LayoutSos3},
		{"general plugin", base.with(tree{"sos_commands/general/hostname": "h\n"}), LayoutSos3},
		{"no evidence", base, LayoutSos},
	}
	for _, tt := range tests {
		b, err := OpenFS(tt.tr.mapFS(), tt.name)
		if err != nil {
			t.Fatal(err)
		}
		if got := b.Nodes[0].Layout; got != tt.want {
			t.Errorf("%s: layout %s, want %s", tt.name, got, tt.want)
		}
		b.Close()
	}
}
