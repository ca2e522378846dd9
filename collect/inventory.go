package collect

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"sort"
	"strings"
	"sync"

	"netxray/parse"
)

// Status is what a node has for one logical source.
type Status string

// Statuses. Present, Truncated and Empty files can be read (Usable); the
// others say why the analyzer has no data and must skip what needs it.
const (
	// StatusPresent: a file with data.
	StatusPresent Status = "present"
	// StatusTruncated: a file with data, but cut by sos's size limit or a
	// command timeout.
	StatusTruncated Status = "truncated"
	// StatusEmpty: the command ran and printed nothing (0 bytes or blank
	// lines): e.g. no conntrack entries. Data, not a failure.
	StatusEmpty Status = "empty"
	// StatusFailed: the command failed (non-zero return code in the
	// manifest, or an error message instead of output), or the file
	// could not be read.
	StatusFailed Status = "failed"
	// StatusCapped: the namespace is listed by `ip netns`, but none of its
	// per-namespace files were collected (sos's namespace limit).
	StatusCapped Status = "capped"
	// StatusAbsent: no file: this collector (or this sos version) does not
	// collect the source.
	StatusAbsent Status = "absent"
)

// Usable reports whether a source with this status has a file to parse.
func (s Status) Usable() bool {
	return s == StatusPresent || s == StatusTruncated || s == StatusEmpty
}

// rank orders statuses from most to least useful when choosing among the
// files that hold one source.
func (s Status) rank() int {
	switch s {
	case StatusPresent:
		return 0
	case StatusTruncated:
		return 1
	case StatusEmpty:
		return 2
	}
	return 3
}

// SourceFile is one logical source of a node: which file holds it, or why
// none does.
type SourceFile struct {
	Kind  parse.Kind `json:"kind"`
	Scope Scope      `json:"scope"`
	// Key is the bridge, namespace, domain, table... ("" for host sources).
	Key string `json:"key,omitempty"`
	// Path is the chosen file, relative to the node root; "" when there is
	// none.
	Path   string `json:"path,omitempty"`
	Status Status `json:"status"`
	// Why explains any status but present.
	Why string `json:"why,omitempty"`
	// Form is "json" for `ip -j` outputs, "" for text.
	Form string `json:"form,omitempty"`
	// Era is who writes the chosen file name ("sos>=4.4", "netxray").
	Era string `json:"era,omitempty"`
	// Others are the other files holding the same source, best first (e.g.
	// the plain dump-flows that failed with "version negotiation failed"
	// when the OpenFlow13 one was chosen).
	Others []Alternative `json:"others,omitempty"`
}

// Alternative is a file not chosen for a source.
type Alternative struct {
	Path   string `json:"path,omitempty"`
	Status Status `json:"status"`
	Why    string `json:"why,omitempty"`
}

// Sources returns the node's sources of one kind, every key, in key order.
func (n *Node) Sources(kind parse.Kind) []SourceFile {
	var out []SourceFile
	for _, s := range n.Inventory {
		if s.Kind == kind {
			out = append(out, s)
		}
	}
	return out
}

// Source returns the source of kind with key ("" for the host's).
func (n *Node) Source(kind parse.Kind, key string) (SourceFile, bool) {
	for _, s := range n.Inventory {
		if s.Kind == kind && s.Key == key {
			return s, true
		}
	}
	return SourceFile{}, false
}

// Open opens a file of the node, p relative to the node root (a
// SourceFile's Path).
func (n *Node) Open(p string) (io.ReadCloser, error) {
	f, err := n.FS.Open(p)
	if err != nil {
		return nil, fmt.Errorf("node %s: %w", n.Name, err)
	}
	return f, nil
}

// candidate is one file (or one manifest entry without a file) that may
// hold a source.
type candidate struct {
	m      match
	path   string
	cmd    *ManifestCommand
	noFile string // why there is no file, if there is none
	status Status
	why    string
}

type groupKey struct {
	src int
	key string
}

// buildInventory fills n.Inventory.
func (n *Node) buildInventory(problem func(p, msg string)) {
	groups := map[groupKey][]*candidate{}
	add := func(c *candidate) {
		k := groupKey{c.m.c.src, c.m.key}
		groups[k] = append(groups[k], c)
	}

	byPath := map[string]*ManifestCommand{}
	if n.Manifest != nil {
		cmds := n.Manifest.Commands()
		for i := range cmds {
			for _, p := range cmds[i].Paths() {
				byPath[p] = &cmds[i]
			}
		}
	}
	seen := map[string]bool{}
	for _, p := range n.listFiles(problem) {
		seen[p] = true
		for _, m := range matchPath(p) {
			add(&candidate{m: m, path: p, cmd: byPath[p]})
		}
	}
	listed := map[*ManifestCommand]bool{}
	for _, p := range sortedKeys(byPath) {
		c := byPath[p]
		if seen[p] || listed[c] {
			continue
		}
		why := c.failure()
		if why == "" {
			why = "listed in the sos manifest, but the file is missing"
		}
		for _, m := range matchPath(p) {
			if !m.tailed {
				listed[c] = true
				add(&candidate{m: m, cmd: c, noFile: why + ": " + c.Exec})
			}
		}
	}
	for _, p := range sortedKeys(n.refused) {
		for _, m := range matchPath(p) {
			add(&candidate{m: m, path: p, noFile: n.refused[p]})
		}
	}

	var inv []SourceFile
	keys := map[Scope]map[string]bool{}
	for gk, cs := range groups {
		cs = dropTailedCopies(cs)
		for _, c := range cs {
			n.check(c)
		}
		sort.SliceStable(cs, func(i, j int) bool {
			a, b := cs[i], cs[j]
			if a.status.rank() != b.status.rank() {
				return a.status.rank() < b.status.rank()
			}
			if a.m.c.variant != b.m.c.variant {
				return a.m.c.variant < b.m.c.variant
			}
			if a.m.of != b.m.of {
				return a.m.of > b.m.of
			}
			return a.path < b.path
		})
		best := cs[0]
		src := &Catalog[gk.src]
		v := src.Variants[best.m.c.variant]
		sf := SourceFile{Kind: src.Kind, Scope: src.Scope, Key: gk.key, Path: best.path,
			Status: best.status, Why: best.why, Form: v.Form, Era: v.Era}
		if best.noFile != "" {
			sf.Path = ""
		}
		for _, o := range cs[1:] {
			sf.Others = append(sf.Others, Alternative{Path: o.path, Status: o.status, Why: o.why})
		}
		inv = append(inv, sf)
		if keys[src.Scope] == nil {
			keys[src.Scope] = map[string]bool{}
		}
		keys[src.Scope][gk.key] = true
	}

	// Sources with no file at all: absent, or capped namespaces.
	for _, br := range n.readList(inv, KindOVSVsctlListBr) {
		addKey(keys, ScopeBridge, br)
	}
	listedNS := map[string]bool{}
	for _, ns := range n.readList(inv, KindIPNetns) {
		listedNS[ns] = true
		addKey(keys, ScopeNamespace, ns)
	}
	nsFiles := n.namespacesWithFiles(groups)
	anyNSFiles := false
	for ns := range keys[ScopeNamespace] {
		if !listedNS[ns] || nsFiles[ns] {
			anyNSFiles = true
		}
	}
	for si := range Catalog {
		src := &Catalog[si]
		var want []string
		if src.Scope == ScopeHost || src.Key != "" {
			want = []string{src.Key}
		} else {
			want = sortedKeys(keys[src.Scope])
		}
		for _, k := range want {
			if _, ok := groups[groupKey{si, k}]; ok {
				continue
			}
			sf := SourceFile{Kind: src.Kind, Scope: src.Scope, Key: k, Status: StatusAbsent,
				Why: "not in the bundle; written by " + eras(src)}
			if src.Scope == ScopeNamespace && listedNS[k] && !nsFiles[k] {
				sf.Status = StatusCapped
				sf.Why = fmt.Sprintf("namespace %s is listed by `ip netns` but none of its files were collected: sos stops at its namespace limit (the RHOSP preset sets networking.namespaces=200)", k)
				if !anyNSFiles {
					sf.Why = fmt.Sprintf("namespace %s is listed by `ip netns` but no namespace has per-namespace files: this sos may predate them, or their collection was limited or disabled", k)
				}
				if m := n.Manifest; m != nil && m.Components.Report.Netxray != nil {
					x := m.Components.Report.Netxray
					sf.Why = fmt.Sprintf("namespace %s is listed by `ip netns` but was not collected: netxray collected %d of %d namespaces (limit %d)",
						k, x.NamespacesCollected, x.NamespacesListed, x.MaxNamespaces)
				}
			}
			inv = append(inv, sf)
		}
	}
	sort.Slice(inv, func(i, j int) bool {
		a, b := inv[i], inv[j]
		if a.Kind != b.Kind {
			return a.Kind < b.Kind
		}
		if a.Scope != b.Scope {
			return a.Scope < b.Scope
		}
		return a.Key < b.Key
	})
	n.Inventory = inv
}

func addKey(keys map[Scope]map[string]bool, s Scope, k string) {
	if keys[s] == nil {
		keys[s] = map[string]bool{}
	}
	keys[s][k] = true
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// eras lists who writes a source's files, for "absent" explanations.
func eras(src *Source) string {
	var out []string
	seen := map[string]bool{}
	for _, v := range src.Variants {
		if !seen[v.Era] {
			seen[v.Era] = true
			out = append(out, v.Era)
		}
	}
	return strings.Join(out, ", ")
}

// namespacesWithFiles returns the namespaces that have any per-namespace
// file (or, in sos >= 4.3, a directory).
func (n *Node) namespacesWithFiles(groups map[groupKey][]*candidate) map[string]bool {
	set := map[string]bool{}
	for gk := range groups {
		if Catalog[gk.src].Scope == ScopeNamespace {
			set[gk.key] = true
		}
	}
	ents, _ := fs.ReadDir(n.FS, dirNet+"/namespaces")
	for _, e := range ents {
		if e.IsDir() {
			set[e.Name()] = true
		}
	}
	return set
}

// dropTailedCopies removes sos_strings/*.tailed candidates whose sos_commands
// link is there too: they are the same file.
func dropTailedCopies(cs []*candidate) []*candidate {
	links := map[int]bool{}
	for _, c := range cs {
		if !c.m.tailed && c.noFile == "" {
			links[c.m.c.variant] = true
		}
	}
	out := cs[:0]
	for _, c := range cs {
		if !c.m.tailed || !links[c.m.c.variant] {
			out = append(out, c)
		}
	}
	return out
}

// catalogDirs are the directories the inventory walks: the literal
// directories of the catalog's templates, without those inside another,
// plus sos_strings for truncated copies.
var catalogDirs = sync.OnceValue(func() []string {
	set := map[string]bool{"sos_strings": true}
	for _, c := range compiledCatalog {
		if c.dir != "" {
			set[c.dir] = true
		}
	}
	var dirs []string
	for _, d := range sortedKeys(set) {
		inside := false
		for _, o := range dirs {
			if strings.HasPrefix(d, o+"/") {
				inside = true
				break
			}
		}
		if !inside {
			dirs = append(dirs, d)
		}
	}
	return dirs
})

// listFiles returns the node's files that may be in the catalog.
func (n *Node) listFiles(problem func(p, msg string)) []string {
	var files []string
	for _, d := range catalogDirs() {
		err := fs.WalkDir(n.FS, d, func(p string, de fs.DirEntry, err error) error {
			if err != nil {
				if p != d || !errors.Is(err, fs.ErrNotExist) {
					problem(p, fmt.Sprintf("cannot list: %v", err))
				}
				return nil
			}
			if !de.IsDir() {
				files = append(files, p)
			}
			return nil
		})
		if err != nil {
			problem(d, fmt.Sprintf("cannot list: %v", err))
		}
	}
	for _, c := range compiledCatalog {
		if c.dir != "" {
			continue
		}
		p := Catalog[c.src].Variants[c.variant].Path()
		if strings.Contains(p, "{") {
			continue
		}
		if _, err := lstat(n.FS, p); err == nil {
			files = append(files, p)
		}
	}
	return files
}

func lstat(fsys fs.FS, p string) (fs.FileInfo, error) {
	if rl, ok := fsys.(fs.ReadLinkFS); ok {
		return rl.Lstat(p)
	}
	return fs.Stat(fsys, p)
}

// headSize is how much of a file the inventory reads to tell data from an
// error message.
const headSize = 4096

// check sets a candidate's status and reason.
func (n *Node) check(c *candidate) {
	if c.noFile != "" {
		c.status, c.why = StatusFailed, c.noFile
		return
	}
	var truncated string
	if c.m.tailed {
		truncated = "only sos's truncated copy (the end of the output) is in the bundle"
	}
	if rl, ok := n.FS.(fs.ReadLinkFS); ok {
		if fi, err := rl.Lstat(c.path); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
			if t, err := rl.ReadLink(c.path); err == nil && strings.Contains(t, "sos_strings/") && strings.HasSuffix(t, ".tailed") {
				truncated = "sos kept only the end of the output (" + path.Base(t) + ")"
			}
		}
	}
	fi, err := fs.Stat(n.FS, c.path)
	if err != nil {
		c.status, c.why = StatusFailed, openFailure(err)
		return
	}
	if !fi.Mode().IsRegular() {
		c.status, c.why = StatusFailed, "not a regular file"
		return
	}
	head, err := readHead(n.FS, c.path)
	if err != nil {
		c.status, c.why = StatusFailed, openFailure(err)
		return
	}
	if c.cmd != nil {
		if why := c.cmd.failure(); why != "" {
			if c.cmd.ReturnCode == 124 && len(bytes.TrimSpace(head)) > 0 {
				c.status, c.why = StatusTruncated, why+"; the output may be partial"
			} else {
				c.status, c.why = StatusFailed, why
			}
			return
		}
	}
	switch {
	case fi.Size() == 0:
		c.status, c.why = StatusEmpty, "the file is empty"
	case len(bytes.TrimSpace(head)) == 0 && fi.Size() <= int64(len(head)):
		c.status, c.why = StatusEmpty, "the file holds only blank lines"
	case errorLine(head) != "":
		c.status, c.why = StatusFailed, "the command printed an error: "+errorLine(head)
	case c.cmd != nil && bool(c.cmd.Truncated):
		c.status, c.why = StatusTruncated, "sos truncated the output (manifest)"
	case truncated != "":
		c.status, c.why = StatusTruncated, truncated
	default:
		c.status = StatusPresent
	}
}

func readHead(fsys fs.FS, p string) ([]byte, error) {
	f, err := fsys.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	head := make([]byte, headSize)
	k, err := io.ReadFull(f, head)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
		return nil, err
	}
	return head[:k], nil
}

// openFailure explains why a file could not be opened.
func openFailure(err error) string {
	switch {
	case errors.Is(err, ErrEscape) || strings.Contains(err.Error(), "escapes from parent"):
		return "symbolic link leads outside the bundle: not followed"
	case errors.Is(err, fs.ErrNotExist):
		return "dangling symbolic link"
	}
	return err.Error()
}

// toolErrors are messages tools print instead of their output. A file
// whose first line holds one is a failed collection, not data.
var toolErrors = []string{
	"version negotiation failed",
	"could not connect",
	"cannot connect",
	"failed to connect",
	"connection refused",
	"database connection failed",
	"is not a bridge or a socket",
	"no such bridge",
	"cannot open network namespace",
	"command not found",
	"operation not permitted",
	"permission denied",
	"no such file or directory",
	"timed out",
	"is unknown, try",
}

// errorLine returns the first non-blank line of head if it is a tool's
// error message, else "".
func errorLine(head []byte) string {
	for line := range strings.SplitSeq(string(head), "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		low := strings.ToLower(line)
		if strings.HasPrefix(low, "usage:") {
			return clip(line)
		}
		for _, e := range toolErrors {
			if strings.Contains(low, e) {
				return clip(line)
			}
		}
		return ""
	}
	return ""
}

func clip(s string) string {
	if len(s) > 200 {
		return s[:200] + "..."
	}
	return s
}

// maxListLines bounds the lines read from ip_netns or list-br.
const maxListLines = 100_000

// readList reads the first word of each line of the node's host source of
// kind (`ip netns`, `ovs-vsctl list-br`), when usable. `ip netns` lines may
// be "name (id: N)".
func (n *Node) readList(inv []SourceFile, kind parse.Kind) []string {
	var p string
	for _, s := range inv {
		if s.Kind == kind && s.Key == "" && (s.Status == StatusPresent || s.Status == StatusTruncated) {
			p = s.Path
		}
	}
	if p == "" {
		return nil
	}
	f, err := n.FS.Open(p)
	if err != nil {
		return nil
	}
	defer f.Close()
	var out []string
	var issues parse.Issues
	sc := parse.NewScanner(f, p, &issues)
	for i := 0; i < maxListLines && sc.Scan(); i++ {
		fields := strings.Fields(sc.Text())
		if len(fields) == 0 || errorLine([]byte(sc.Text())) != "" {
			continue
		}
		out = append(out, fields[0])
	}
	return out
}
