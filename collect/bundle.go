package collect

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"netxray/parse"
)

// Limits bound what reading one bundle may cost. The zero value of a field
// means its default (DefaultLimits).
type Limits struct {
	// MaxMember is the largest archive member kept (default 2 GiB).
	MaxMember int64
	// MaxTotal is the most bytes kept from one archive, in memory and on
	// disk together (default 16 GiB).
	MaxTotal int64
	// MaxMemory is the most bytes of members kept in memory for the whole
	// bundle; further members go to the temporary directory (default
	// 256 MiB).
	MaxMemory int64
	// MemberInMemory is the largest member kept in memory (default 4 MiB).
	MemberInMemory int64
	// MaxRatio is the largest decompression ratio accepted (default
	// 1000:1); RatioMinBytes is how much must have been inflated before it
	// is checked (default 16 MiB), so small, very regular archives pass.
	MaxRatio      float64
	RatioMinBytes int64
	// MaxMembers bounds the members read from one archive, and separately
	// the directories and the symbolic links kept (default 4 million).
	MaxMembers int
}

// DefaultLimits returns the limits Open uses unless told otherwise.
func DefaultLimits() Limits {
	return Limits{
		MaxMember:      2 << 30,
		MaxTotal:       16 << 30,
		MaxMemory:      256 << 20,
		MemberInMemory: 4 << 20,
		MaxRatio:       1000,
		RatioMinBytes:  16 << 20,
		MaxMembers:     4_000_000,
	}
}

func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	orDefault(&l.MaxMember, d.MaxMember)
	orDefault(&l.MaxTotal, d.MaxTotal)
	orDefault(&l.MaxMemory, d.MaxMemory)
	orDefault(&l.MemberInMemory, d.MemberInMemory)
	orDefault(&l.MaxRatio, d.MaxRatio)
	orDefault(&l.RatioMinBytes, d.RatioMinBytes)
	orDefault(&l.MaxMembers, d.MaxMembers)
	return l
}

func orDefault[T int | int64 | float64](v *T, def T) {
	if *v <= 0 {
		*v = def
	}
}

type options struct {
	limits   Limits
	progress func(done, total int64)
	tempDir  string
}

// Option configures Open.
type Option func(*options)

// WithLimits replaces the default limits (zero fields keep their default).
func WithLimits(l Limits) Option { return func(o *options) { o.limits = l.withDefaults() } }

// WithProgress has Open call fn as it reads archives: done is the bytes of
// the archive file read so far, total its size (0 when unknown). The CLI
// draws its progress bar from it; the library never prints.
func WithProgress(fn func(done, total int64)) Option {
	return func(o *options) { o.progress = fn }
}

// WithTempDir sets where the private temporary directory is created
// (default os.TempDir()).
func WithTempDir(dir string) Option { return func(o *options) { o.tempDir = dir } }

// Problem is something wrong with a bundle that did not stop Open: a member
// refused for safety, a damaged archive, two nodes with the same name, a
// source that could not be checked.
type Problem struct {
	Node string `json:"node,omitempty"`
	// Path is the file or archive member concerned ("a.tar.xz:member").
	Path string `json:"path,omitempty"`
	Msg  string `json:"msg"`
}

func (p Problem) String() string {
	var b strings.Builder
	if p.Node != "" {
		b.WriteString(p.Node + ": ")
	}
	if p.Path != "" {
		b.WriteString(p.Path + ": ")
	}
	b.WriteString(p.Msg)
	return b.String()
}

// Bundle is what Open read: one node per sosreport or netxray bundle.
type Bundle struct {
	// Path is what was opened.
	Path     string
	Nodes    []*Node
	Problems []Problem

	opts    options
	tmp     string // private temporary directory, "" until first needed
	nspill  int
	memUsed int64
	closers []io.Closer
}

// Layout names the file layout of a node.
type Layout string

// Layouts, by the sos version that introduced them.
const (
	// LayoutSos3 is sos 3.x-4.0: per-namespace files flat in
	// sos_commands/networking, no per-namespace ip rule or neighbours.
	LayoutSos3 Layout = "sos3"
	// LayoutSos41 is sos 4.1-4.2: per-namespace rules and neighbours, flat.
	LayoutSos41 Layout = "sos4.1"
	// LayoutSos43 is sos 4.3: per-namespace files in namespaces/<ns>/.
	LayoutSos43 Layout = "sos4.3"
	// LayoutSos44 is sos 4.4 and later: `ip -4 rule list` names.
	LayoutSos44 Layout = "sos4.4+"
	// LayoutNetxray is netxray's collector: sos 4.4+ names plus
	// sos_commands/netxray/.
	LayoutNetxray Layout = "netxray"
	// LayoutSos is a sosreport whose era neither its version nor its
	// per-namespace files tell (e.g. a node without namespaces and without
	// version.txt).
	LayoutSos Layout = "sos"
)

// Node is one node's bundle.
type Node struct {
	// Name is the node's name, unique within the Bundle: the name netxray's
	// collector was given (manifest), else the bundle's hostname file, else
	// a name guessed from the bundle's directory or archive name.
	Name string
	// Root says where the node's files are: a directory, or
	// "archive.tar.xz:sosreport-host-2024-01-01-abcdef".
	Root   string
	Layout Layout
	// SosVersion is the version of sos (or netxray) that wrote the bundle,
	// from sos_reports/manifest.json or version.txt; "" if unknown.
	SosVersion string
	// FS holds the node's files, paths relative to its root. Symbolic
	// links are followed only inside it.
	FS fs.FS
	// Manifest is the sos manifest, nil when the bundle has none.
	Manifest *Manifest
	// Inventory lists every logical source of the catalog for this node,
	// with the file that holds it or why there is none, sorted by kind,
	// scope and key.
	Inventory []SourceFile

	refused map[string]string // archive members the catalog wanted but refused
}

// Open reads the bundle at p: a directory (one node's tree, or a directory
// of several bundles, extracted or not), or a tar archive, plain or
// compressed with gzip, xz or bzip2. Close the Bundle to remove its
// temporary files.
func Open(p string, opts ...Option) (*Bundle, error) {
	b := newBundle(p, opts)
	fi, err := os.Stat(p)
	if err != nil {
		return nil, fmt.Errorf("opening bundle: %w", err)
	}
	if fi.IsDir() {
		err = b.addDir(p)
	} else {
		err = b.addArchiveFile(p)
	}
	return b.finish(err)
}

// OpenReader reads one archive from r; name labels it in messages.
func OpenReader(r io.Reader, name string, opts ...Option) (*Bundle, error) {
	b := newBundle(name, opts)
	return b.finish(b.addArchive(r, name, 0))
}

// OpenFS reads the bundles in fsys: fsys is one node's tree, or holds node
// trees and archives at its top levels (as for a directory). name labels it
// in messages. Tests use it with fstest.MapFS.
func OpenFS(fsys fs.FS, name string, opts ...Option) (*Bundle, error) {
	b := newBundle(name, opts)
	return b.finish(b.discover(fsys, name, ".", 0, func(rel string) (fs.FS, error) {
		return fs.Sub(fsys, rel)
	}))
}

func newBundle(p string, opts []Option) *Bundle {
	b := &Bundle{Path: p}
	b.opts.limits = DefaultLimits()
	for _, o := range opts {
		o(&b.opts)
	}
	return b
}

func (b *Bundle) finish(err error) (*Bundle, error) {
	if err == nil && len(b.Nodes) == 0 {
		err = fmt.Errorf("%s: no sosreport or netxray bundle found (no sos_commands/ directory)", b.Path)
	}
	if err != nil {
		_ = b.Close()
		return nil, err
	}
	b.nameNodes()
	for _, n := range b.Nodes {
		n.buildInventory(func(p, msg string) { b.Problems = append(b.Problems, Problem{Node: n.Name, Path: p, Msg: msg}) })
	}
	return b, nil
}

// Close releases the bundle's files and removes its temporary directory.
func (b *Bundle) Close() error {
	var errs []error
	for _, c := range b.closers {
		errs = append(errs, c.Close())
	}
	b.closers = nil
	if b.tmp != "" {
		errs = append(errs, os.RemoveAll(b.tmp))
		b.tmp = ""
	}
	return errors.Join(errs...)
}

// Node returns the node called name, or nil.
func (b *Bundle) Node(name string) *Node {
	for _, n := range b.Nodes {
		if n.Name == name {
			return n
		}
	}
	return nil
}

// maxDiscoverDepth is how deep Open looks for bundles in a directory: a
// directory of bundles, or a directory of such directories (e.g. one per
// capture time).
const maxDiscoverDepth = 2

// addDir adds the bundles in the directory dir.
func (b *Bundle) addDir(dir string) error {
	return b.discover(os.DirFS(dir), dir, ".", 0, func(rel string) (fs.FS, error) {
		root, err := os.OpenRoot(filepath.Join(dir, filepath.FromSlash(rel)))
		if err != nil {
			return nil, err
		}
		b.closers = append(b.closers, root)
		return root.FS(), nil
	})
}

// isNodeRoot reports whether dir in fsys is a bundle's root.
func isNodeRoot(fsys fs.FS, dir string) bool {
	for _, d := range []string{"sos_commands", "sos_reports"} {
		if fi, err := fs.Stat(fsys, path.Join(dir, d)); err == nil && fi.IsDir() {
			return true
		}
	}
	return false
}

// discover adds the node at rel in fsys, or the nodes and archives below
// it. label names fsys in messages and node roots; nodeFS opens a node's
// tree.
func (b *Bundle) discover(fsys fs.FS, label, rel string, depth int, nodeFS func(rel string) (fs.FS, error)) error {
	where := label
	if rel != "." {
		where = filepath.Join(label, filepath.FromSlash(rel))
	}
	if isNodeRoot(fsys, rel) {
		nfs, err := nodeFS(rel)
		if err != nil {
			return fmt.Errorf("opening %s: %w", where, err)
		}
		b.addNode(nfs, where, path.Base(where), nil)
		return nil
	}
	ents, err := fs.ReadDir(fsys, rel)
	if err != nil {
		return fmt.Errorf("reading %s: %w", where, err)
	}
	var errs []error
	for _, e := range ents {
		p := path.Join(rel, e.Name())
		fi, err := fs.Stat(fsys, p) // follows links the user made in their own directory
		if err != nil {
			continue
		}
		switch {
		case fi.IsDir() && (depth < maxDiscoverDepth || isNodeRoot(fsys, p)):
			if err := b.discover(fsys, label, p, depth+1, nodeFS); err != nil {
				errs = append(errs, err)
			}
		case fi.Mode().IsRegular() && isArchiveName(e.Name()):
			if err := b.addArchiveFS(fsys, p, filepath.Join(label, filepath.FromSlash(p)), fi.Size()); err != nil {
				errs = append(errs, err)
			}
		}
	}
	for _, err := range errs {
		b.Problems = append(b.Problems, Problem{Path: where, Msg: err.Error()})
	}
	if depth == 0 && len(b.Nodes) == 0 && len(errs) > 0 {
		return errors.Join(errs...)
	}
	return nil
}

func (b *Bundle) addArchiveFS(fsys fs.FS, p, label string, size int64) error {
	f, err := fsys.Open(p)
	if err != nil {
		return fmt.Errorf("opening %s: %w", label, err)
	}
	defer f.Close()
	return b.addArchive(f, label, size)
}

func (b *Bundle) addArchiveFile(p string) error {
	f, err := os.Open(p)
	if err != nil {
		return fmt.Errorf("opening bundle: %w", err)
	}
	defer f.Close()
	var size int64
	if fi, err := f.Stat(); err == nil {
		size = fi.Size()
	}
	return b.addArchive(f, p, size)
}

// addArchive reads one archive stream and adds the nodes found in it.
func (b *Bundle) addArchive(r io.Reader, label string, size int64) error {
	if b.opts.progress != nil {
		r = &countingReader{r: r, progress: func(n int64) { b.opts.progress(n, size) }}
	}
	st := newStore(b, label)
	err := st.scan(r, label, "", 0)
	st.finish()
	b.Problems = append(b.Problems, st.problems...)
	if err != nil {
		return err
	}
	roots := st.nodeRoots()
	if len(roots) == 0 {
		return fmt.Errorf("%s: not a sosreport or netxray bundle (no sos_commands/ directory)", label)
	}
	for _, root := range roots {
		nfs, refused := st.sub(root)
		where := label
		if root != "." {
			where += ":" + root
		}
		base := path.Base(root)
		if root == "." {
			base = archiveStem(filepath.Base(label))
		}
		b.addNode(nfs, where, base, refused)
	}
	return nil
}

// archiveStem is an archive's file name without its extensions.
func archiveStem(name string) string {
	low := strings.ToLower(name)
	for _, ext := range archiveExts {
		if strings.HasSuffix(low, ext) {
			return name[:len(name)-len(ext)]
		}
	}
	return name
}

// nodeRoots returns the directories of the archive that are bundle roots:
// those holding sos_commands/ or sos_reports/, not nested in another root.
func (s *store) nodeRoots() []string {
	set := map[string]bool{}
	for p, e := range s.files.entries {
		parts := strings.Split(p, "/")
		for i, c := range parts {
			if c != "sos_commands" && c != "sos_reports" {
				continue
			}
			if i < len(parts)-1 || e.mode.IsDir() {
				set[path.Join(append([]string{"."}, parts[:i]...)...)] = true
			}
			break
		}
	}
	var roots []string
	for r := range set {
		roots = append(roots, r)
	}
	sort.Strings(roots)
	var out []string
	for _, r := range roots {
		nested := false
		for _, o := range out {
			if o == "." || strings.HasPrefix(r, o+"/") {
				nested = true
				break
			}
		}
		if !nested {
			out = append(out, r)
		}
	}
	return out
}

// sub returns the files under root as a node's own file system, so that
// links cannot reach another node's files.
func (s *store) sub(root string) (*memFS, map[string]string) {
	m := newMemFS()
	prefix := root + "/"
	rel := func(p string) (string, bool) {
		if root == "." {
			return p, p != "."
		}
		r, ok := strings.CutPrefix(p, prefix)
		return r, ok
	}
	for p, e := range s.files.entries {
		if r, ok := rel(p); ok {
			m.add(r, e)
		}
	}
	m.sortChildren()
	refused := map[string]string{}
	for p, why := range s.refused {
		if r, ok := rel(p); ok {
			refused[r] = why
		}
	}
	return m, refused
}

func (b *Bundle) addNode(fsys fs.FS, root, base string, refused map[string]string) {
	n := &Node{Root: root, FS: fsys, refused: refused}
	n.readVersion(func(p, msg string) { b.Problems = append(b.Problems, Problem{Path: root + "/" + p, Msg: msg}) })
	// The name netxray's collector was given (--name) wins over the
	// host's own name.
	if m := n.Manifest; m != nil && m.Components.Report.Netxray != nil {
		n.Name = strings.TrimSpace(m.Components.Report.Netxray.Host)
	}
	if n.Name == "" {
		n.Name = readHostname(fsys)
	}
	if n.Name == "" {
		n.Name = nameFromDir(base)
	}
	n.Layout = n.detectLayout()
	b.Nodes = append(b.Nodes, n)
}

// readHostname returns the first line of the node's hostname file.
func readHostname(fsys fs.FS) string {
	for _, v := range sourceOf(KindHostname, "").Variants {
		if f, err := fsys.Open(v.Path()); err == nil {
			name := readFirstLine(f)
			f.Close()
			if name != "" && !strings.ContainsAny(name, " \t/") {
				return name
			}
		}
	}
	return ""
}

var dirDateRE = regexp.MustCompile(`[-_.](\d{4}-?\d{2}-?\d{2}|\d{8,}).*$`)

// nameFromDir guesses a host name from a bundle's directory or archive
// name: sosreport-HOST-[CASE-]YYYY-MM-DD-RAND, netxray-HOST-TIME.
func nameFromDir(base string) string {
	name := base
	for _, p := range []string{"sosreport-", "sos-report-", "netxray-"} {
		name = strings.TrimPrefix(name, p)
	}
	if n := dirDateRE.ReplaceAllString(name, ""); n != "" {
		name = n
	}
	if name == "" || name == "." {
		return "node"
	}
	return name
}

// sourceOf returns the catalog entry for kind with fixed key key.
func sourceOf(kind parse.Kind, key string) *Source {
	for i := range Catalog {
		s := &Catalog[i]
		if s.Kind == kind && s.Key == key && (s.Scope == ScopeHost || s.Key != "") {
			return s
		}
	}
	panic("collect: no catalog source " + string(kind))
}

var versionRE = regexp.MustCompile(`^(?:sosreport|sos report|sos|netxray)\s*:?\s*v?(\d+(?:\.\d+)*\S*)`)

// readVersion fills Manifest and SosVersion.
func (n *Node) readVersion(problem func(p, msg string)) {
	const manifest = "sos_reports/manifest.json"
	if f, err := n.FS.Open(manifest); err == nil {
		m, err := ReadManifest(io.LimitReader(f, 256<<20))
		f.Close()
		if err != nil {
			problem(manifest, err.Error())
		} else {
			n.Manifest = m
			n.SosVersion = m.Version
		}
	}
	if n.SosVersion != "" {
		return
	}
	if f, err := n.FS.Open("version.txt"); err == nil {
		sc := bufio.NewScanner(io.LimitReader(f, 64<<10))
		for sc.Scan() {
			if m := versionRE.FindStringSubmatch(strings.TrimSpace(sc.Text())); m != nil {
				n.SosVersion = m[1]
				break
			}
		}
		f.Close()
	}
}

// detectLayout tells the node's layout from its version, else from the
// files it has.
func (n *Node) detectLayout() Layout {
	if fi, err := fs.Stat(n.FS, dirNX); err == nil && fi.IsDir() {
		return LayoutNetxray
	}
	if major, minor, ok := parseVersion(n.SosVersion); ok {
		switch {
		case major < 4 || major == 4 && minor < 1:
			return LayoutSos3
		case major == 4 && minor < 3:
			return LayoutSos41
		case major == 4 && minor == 3:
			return LayoutSos43
		}
		return LayoutSos44
	}
	if ents, err := fs.ReadDir(n.FS, "sos_commands/networking/namespaces"); err == nil && len(ents) > 0 {
		for _, e := range ents {
			if sub, err := fs.ReadDir(n.FS, "sos_commands/networking/namespaces/"+e.Name()); err == nil {
				for _, f := range sub {
					if strings.HasSuffix(f.Name(), "_ip_-4_rule_list") {
						return LayoutSos44
					}
				}
			}
		}
		return LayoutSos43
	}
	ents, _ := fs.ReadDir(n.FS, dirNet)
	layout := LayoutSos
	for _, e := range ents {
		switch name := e.Name(); {
		case strings.HasPrefix(name, "ip_netns_exec_") && strings.HasSuffix(name, "_ip_rule_list"):
			return LayoutSos41
		case strings.HasPrefix(name, "ip_netns_exec_") || name == "brctl_show":
			layout = LayoutSos3
		}
	}
	if fi, err := fs.Stat(n.FS, "sos_commands/general"); err == nil && fi.IsDir() {
		layout = LayoutSos3 // the general plugin became host in sos 3.6
	}
	return layout
}

func parseVersion(v string) (major, minor int, ok bool) {
	parts := strings.SplitN(v, ".", 3)
	if len(parts) < 2 {
		return 0, 0, false
	}
	major, err1 := strconv.Atoi(parts[0])
	minor, err2 := strconv.Atoi(strings.TrimRightFunc(parts[1], func(r rune) bool { return r < '0' || r > '9' }))
	return major, minor, err1 == nil && err2 == nil
}

// nameNodes makes node names unique ("compute-0", "compute-0#2": e.g. two
// captures of one node) and sorts the nodes by name.
func (b *Bundle) nameNodes() {
	sort.SliceStable(b.Nodes, func(i, j int) bool {
		if b.Nodes[i].Name != b.Nodes[j].Name {
			return b.Nodes[i].Name < b.Nodes[j].Name
		}
		return b.Nodes[i].Root < b.Nodes[j].Root
	})
	seen := map[string]int{}
	taken := map[string]bool{}
	for _, n := range b.Nodes {
		taken[n.Name] = true
	}
	for _, n := range b.Nodes {
		seen[n.Name]++
		if k := seen[n.Name]; k > 1 {
			name := n.Name
			for taken[fmt.Sprintf("%s#%d", name, k)] {
				k++
			}
			n.Name = fmt.Sprintf("%s#%d", name, k)
			taken[n.Name] = true
			b.Problems = append(b.Problems, Problem{Node: n.Name, Path: n.Root,
				Msg: fmt.Sprintf("another bundle is also for node %q; this one is called %q", name, n.Name)})
		}
	}
}

// readFirstLine returns the first line of a small identity file.
func readFirstLine(r io.Reader) string {
	line, _ := bufio.NewReader(io.LimitReader(r, 4096)).ReadString('\n')
	return strings.TrimSpace(line)
}
