package collect

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"netxray/parse"
)

// member is one tar member written by a safety test.
type member struct {
	typ        byte
	name, link string
	data       string
}

// rawTar writes members exactly as given (no cleaning), for hostile
// archives.
func rawTar(tb testing.TB, ms []member) []byte {
	tb.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, m := range ms {
		hdr := &tar.Header{Typeflag: m.typ, Name: m.name, Linkname: m.link, Mode: 0o644, Size: int64(len(m.data)), ModTime: time.Unix(1.7e9, 0)}
		if m.typ != tar.TypeReg {
			hdr.Size = 0
		}
		must(tb, tw.WriteHeader(hdr))
		if m.typ == tar.TypeReg {
			_, err := tw.Write([]byte(m.data))
			must(tb, err)
		}
	}
	must(tb, tw.Close())
	return buf.Bytes()
}

func problemsText(b *Bundle) string {
	var lines []string
	for _, p := range b.Problems {
		lines = append(lines, p.String())
	}
	return strings.Join(lines, "\n")
}

func TestUnsafeMembers(t *testing.T) {
	top := "sosreport-c1-2024-01-15-abcdef/"
	ms := []member{
		{typ: tar.TypeReg, name: top + "hostname", data: "c1\n"},
		{typ: tar.TypeReg, name: top + "sos_commands/openvswitch/ovs-vsctl_-t_5_show", data: sample},
		{typ: tar.TypeReg, name: top + "var/log/messages", data: "log\n"},
		{typ: tar.TypeReg, name: "../evil.txt", data: "x"},
		{typ: tar.TypeReg, name: top + "../../evil2.txt", data: "x"},
		{typ: tar.TypeReg, name: "/etc/evil3", data: "x"},
		{typ: tar.TypeSymlink, name: top + "sos_commands/networking/ip_route_show_table_all", link: "../../../../../etc/passwd"},
		{typ: tar.TypeSymlink, name: top + "sos_commands/networking/ip_-s_-d_link", link: "/etc/passwd"},
		{typ: tar.TypeLink, name: top + "sos_commands/networking/ip_-d_address", link: top + "sos_commands/openvswitch/ovs-vsctl_-t_5_show"},
		{typ: tar.TypeLink, name: top + "sos_commands/virsh/virsh_-r_list_--all", link: top + "var/log/messages"},
		{typ: tar.TypeLink, name: top + "sos_commands/networking/ip_-4_rule_list", link: "../outside"},
		{typ: tar.TypeChar, name: top + "dev/null"},
		{typ: tar.TypeFifo, name: top + "sos_commands/networking/ip_netns"},
	}
	tmp := t.TempDir()
	work := t.TempDir()
	p := writeFile(t, filepath.Join(work, "hostile.tar"), rawTar(t, ms))
	b, err := Open(p, WithTempDir(tmp), WithLimits(Limits{MemberInMemory: 1}))
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	probs := problemsText(b)
	for _, want := range []string{
		`../evil.txt: member refused: member name with ".."`,
		`evil2.txt: member refused: member name with ".."`,
		`/etc/evil3: member refused: absolute member name`,
		`ip_route_show_table_all: symbolic link to "../../../../../etc/passwd" refused: it points outside the archive`,
		`ip_-s_-d_link: symbolic link to "/etc/passwd" refused`,
		`virsh_-r_list_--all: hard link to "` + top + `var/log/messages" refused: the target is not a regular file kept earlier`,
		`ip_-4_rule_list: hard link to "../outside" refused`,
		`dev/null: character device skipped`,
		`ip_netns: named pipe skipped`,
	} {
		if !strings.Contains(probs, want) {
			t.Errorf("problems lack %q:\n%s", want, probs)
		}
	}
	n := b.Nodes[0]
	for _, tt := range []struct {
		kind parse.Kind
		st   Status
		why  string
	}{
		{KindIPRoute, StatusFailed, "points outside the archive"},
		{KindIPLink, StatusFailed, "points outside the archive"},
		{KindIPAddr, StatusPresent, ""}, // hard link to a kept member
		{KindVirshList, StatusFailed, "hard link to a member that was not kept"},
		{KindIPRule, StatusFailed, "hard link refused"},
		{KindIPNetns, StatusFailed, "named pipe"},
	} {
		s, _ := n.Source(tt.kind, "")
		if s.Status != tt.st || !strings.Contains(s.Why, tt.why) {
			t.Errorf("%s: %s (%s), want %s (%s)", tt.kind, s.Status, s.Why, tt.st, tt.why)
		}
	}
	s, _ := n.Source(KindIPAddr, "")
	r, err := n.Open(s.Path)
	must(t, err)
	data, _ := io.ReadAll(r)
	r.Close()
	if string(data) != sample {
		t.Errorf("hard-linked member reads %q", data)
	}
	// Nothing was written but the private spill files.
	for _, dir := range []string{work, filepath.Dir(work)} {
		for _, evil := range []string{"evil.txt", "evil2.txt", "evil3"} {
			if _, err := os.Stat(filepath.Join(dir, evil)); err == nil {
				t.Errorf("%s written in %s", evil, dir)
			}
		}
	}
	err = filepath.WalkDir(tmp, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && !strings.HasPrefix(d.Name(), "m0") {
			t.Errorf("unexpected file in the temp dir: %s", p)
		}
		return err
	})
	must(t, err)
}

// TestLinkOutsideNode: a link that stays in the archive but leaves its own
// node's tree is not followed.
func TestLinkOutsideNode(t *testing.T) {
	a := sos45Tree().with(tree{"sos_commands/networking/ip_route_show_table_all": "->../../../sosreport-b/sos_commands/networking/ip_route_show_table_all"})
	bt := sos45Tree().with(tree{"sos_commands/host/hostname": "compute-2\n"})
	data := append(a.tarBytes(t, "sosreport-a")[:0:0], a.tarBytes(t, "sosreport-a")...)
	// Concatenate the two trees into one archive.
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, src := range [][]byte{data, bt.tarBytes(t, "sosreport-b")} {
		tr := tar.NewReader(bytes.NewReader(src))
		for {
			hdr, err := tr.Next()
			if err == io.EOF {
				break
			}
			must(t, err)
			must(t, tw.WriteHeader(hdr))
			_, err = io.Copy(tw, tr)
			must(t, err)
		}
	}
	must(t, tw.Close())
	b, err := OpenReader(bytes.NewReader(buf.Bytes()), "two.tar")
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if len(b.Nodes) != 2 {
		t.Fatalf("%d nodes, want 2", len(b.Nodes))
	}
	s, _ := b.Node("compute-1").Source(KindIPRoute, "")
	if s.Status != StatusFailed || !strings.Contains(s.Why, "leads outside the bundle") {
		t.Errorf("link into another node: %+v", s)
	}
	if _, err := b.Node("compute-1").FS.Open("sos_commands/networking/ip_route_show_table_all"); !errors.Is(err, ErrEscape) {
		t.Errorf("opening the link: %v, want ErrEscape", err)
	}
}

// TestDirSymlinkEscape: in a directory bundle, links out of the tree are
// not followed either.
func TestDirSymlinkEscape(t *testing.T) {
	dir := t.TempDir()
	secret := writeFile(t, filepath.Join(dir, "secret"), []byte("secret\n"))
	root := filepath.Join(dir, "sosreport-c1")
	sos45Tree().with(tree{
		"sos_commands/networking/ip_route_show_table_all": "->" + secret,
		"sos_commands/networking/ip_-s_-d_link":           "->../../../secret",
		"sos_commands/networking/ip_-d_address":           "->../../hostname", // inside: fine
	}).writeDir(t, root)
	b, err := Open(root)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	n := b.Nodes[0]
	for _, k := range []parse.Kind{KindIPRoute, KindIPLink} {
		s, _ := n.Source(k, "")
		if s.Status != StatusFailed || !strings.Contains(s.Why, "leads outside the bundle") {
			t.Errorf("%s: %+v", k, s)
		}
	}
	if s, _ := n.Source(KindIPAddr, ""); s.Status != StatusPresent {
		t.Errorf("link inside the tree: %+v", s)
	}
}

func TestMemberLimits(t *testing.T) {
	big := strings.Repeat(flows, 50)
	tr := sos45Tree().with(tree{"sos_commands/openvswitch/ovs-ofctl_dump-flows_br-tun": big})
	b, err := OpenReader(bytes.NewReader(tr.tarBytes(t, sosTop)), "big.tar", WithLimits(Limits{MaxMember: 2000}))
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if want := fmt.Sprintf("ovs-ofctl_dump-flows_br-tun: member of %d bytes skipped: over the 2000-byte limit per member", len(big)); !strings.Contains(problemsText(b), want) {
		t.Errorf("problems:\n%s", problemsText(b))
	}
	s, _ := b.Nodes[0].Source(KindOFCtlDumpFlows, "br-tun")
	if s.Status != StatusFailed || !strings.Contains(s.Why, "per-member limit") {
		t.Errorf("oversize source: %+v", s)
	}

	b2, err := OpenReader(bytes.NewReader(tr.tarBytes(t, sosTop)), "big.tar", WithLimits(Limits{MaxTotal: 3000}))
	if err != nil {
		t.Fatal(err)
	}
	defer b2.Close()
	if !strings.Contains(problemsText(b2), "would exceed 3000 bytes") {
		t.Errorf("total limit problems:\n%s", problemsText(b2))
	}
}

// zeros is an endless stream of zero bytes.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }

// bombTarGz is a tar.gz holding one member of size bytes of zeros, built
// without holding the member in memory (gzip reaches about 1030:1).
func bombTarGz(tb testing.TB, name string, size int64) []byte {
	tb.Helper()
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	tw := tar.NewWriter(zw)
	must(tb, tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: name, Size: size, Mode: 0o644}))
	_, err := io.CopyN(tw, zeros{}, size)
	must(tb, err)
	must(tb, tw.Close())
	must(tb, zw.Close())
	return buf.Bytes()
}

func TestDecompressionBomb(t *testing.T) {
	bomb := bombTarGz(t, "sosreport-x/var/log/huge", 200<<20)
	t.Logf("bomb: %d bytes compressed, 200 MiB inflated (%.0f:1)", len(bomb), float64(200<<20)/float64(len(bomb)))
	start := time.Now()
	_, err := OpenReader(bytes.NewReader(bomb), "bomb.tar.gz")
	if !errors.Is(err, ErrBomb) || !strings.Contains(err.Error(), "decompression bomb") {
		t.Fatalf("bomb: %v, want ErrBomb", err)
	}
	t.Logf("refused in %v: %v", time.Since(start), err)

	// The same bomb inside a `sos collect` tarball condemns the whole.
	var outer bytes.Buffer
	tw := tar.NewWriter(&outer)
	must(t, tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: "collect/sosreport-x.tar.gz", Size: int64(len(bomb)), Mode: 0o644}))
	_, err = tw.Write(bomb)
	must(t, err)
	must(t, tw.Close())
	if _, err := OpenReader(bytes.NewReader(outer.Bytes()), "collect.tar"); !errors.Is(err, ErrBomb) {
		t.Errorf("nested bomb: %v, want ErrBomb", err)
	}

	// Small, very regular archives are not bombs: the ratio is only
	// checked after RatioMinBytes.
	small := sos45Tree().with(tree{"var/log/zeros": strings.Repeat("\x00", 4<<20)})
	b, err := OpenReader(bytes.NewReader(compress(t, small.tarBytes(t, sosTop), ".tar.gz")), "small.tar.gz")
	if err != nil {
		t.Fatalf("4 MiB of zeros refused: %v", err)
	}
	b.Close()
}

func TestXZDictionaryLimit(t *testing.T) {
	data := compress(t, sos45Tree().tarBytes(t, sosTop), ".tar.xz")
	if d := xzDictSize(data); d != 8<<20 {
		t.Errorf("xzDictSize = %d, want the writer's 8 MiB", d)
	}
	// Forge the LZMA2 property byte of the first block to ask for 4 GiB.
	forged := append([]byte(nil), data...)
	hdr := forged[12:]
	i := bytes.Index(hdr[:(int(hdr[0])+1)*4], []byte{0x21, 0x01})
	if i < 0 {
		t.Fatal("LZMA2 filter flags not found in the first block header")
	}
	hdr[i+2] = 40
	_, err := OpenReader(bytes.NewReader(forged), "forged.tar.xz")
	if err == nil || !strings.Contains(err.Error(), "xz dictionary of 4095 MiB is over the 256 MiB limit") {
		t.Errorf("forged xz: %v", err)
	}
}

func TestDamagedArchive(t *testing.T) {
	data := sos45Tree().tarBytes(t, sosTop)
	cut := data[:len(data)*2/3]
	b, err := OpenReader(bytes.NewReader(cut), "cut.tar")
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if !strings.Contains(problemsText(b), "archive is damaged after") {
		t.Errorf("problems:\n%s", problemsText(b))
	}
	if len(b.Nodes) != 1 || len(usable(b.Nodes[0])) == 0 {
		t.Errorf("the members before the damage are lost")
	}
}

// TestLongLine: a 10 MB line inside a member. The bundle opens, and the
// member reads in bounded memory (the parse scanner skips the line).
func TestLongLine(t *testing.T) {
	long := strings.Repeat("a", 10<<20) + "\n" + flows
	tr := sos45Tree().with(tree{"sos_commands/openvswitch/ovs-ofctl_dump-flows_br-tun": long})
	b, err := OpenReader(bytes.NewReader(tr.tarBytes(t, sosTop)), "long.tar")
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	n := b.Nodes[0]
	s, _ := n.Source(KindOFCtlDumpFlows, "br-tun")
	if s.Status != StatusPresent {
		t.Fatalf("source: %+v", s)
	}
	tr = nil
	long = ""
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	r, err := n.Open(s.Path)
	must(t, err)
	var issues parse.Issues
	sc := parse.NewScanner(r, s.Path, &issues)
	var lines []string
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	r.Close()
	runtime.ReadMemStats(&after)
	if len(lines) != 1 || lines[0]+"\n" != flows || len(issues) != 1 || !strings.Contains(issues[0].Msg, "line longer than") {
		t.Errorf("lines %q, issues %v", lines, issues)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 6<<20 {
		t.Errorf("reading the member allocated %d bytes, want well under the 10 MB line", alloc)
	}
}
