package collect

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path"
	"sort"
	"strings"
	"time"
)

// ErrEscape is returned for a symbolic link that leads outside the bundle.
var ErrEscape = errors.New("symbolic link leads outside the bundle")

// maxLinkHops bounds symlink resolution, as the kernel does (ELOOP).
const maxLinkHops = 40

// memEntry is one member kept from an archive: a regular file (in memory
// or spilled to the private temporary directory), a symlink or a directory.
type memEntry struct {
	name    string // base name
	mode    fs.FileMode
	size    int64
	data    string // regular file kept in memory (a string: parsers may keep substrings of it without a copy)
	spill   string // regular file kept on disk
	link    string // symlink target
	modTime time.Time
}

// memFS is the read-only file system of one node read from an archive.
// Symlinks are resolved inside it and never leave it. It implements
// fs.StatFS, fs.ReadDirFS and fs.ReadLinkFS.
type memFS struct {
	entries  map[string]*memEntry // by path; "." is the root
	children map[string][]string  // directory path -> sorted child names
}

func newMemFS() *memFS {
	m := &memFS{entries: map[string]*memEntry{}, children: map[string][]string{}}
	m.entries["."] = &memEntry{name: ".", mode: fs.ModeDir | 0o555}
	return m
}

// add records e at p (a clean, relative path), creating parent directories.
func (m *memFS) add(p string, e *memEntry) {
	if old, ok := m.entries[p]; ok && old.mode.IsDir() && e.mode.IsDir() {
		return
	}
	if _, ok := m.entries[p]; !ok {
		dir := path.Dir(p)
		m.add(dir, &memEntry{name: path.Base(dir), mode: fs.ModeDir | 0o555})
		m.children[dir] = append(m.children[dir], path.Base(p))
	}
	c := *e
	c.name = path.Base(p)
	m.entries[p] = &c
}

func (m *memFS) sortChildren() {
	for _, c := range m.children {
		sort.Strings(c)
	}
}

// resolve finds the entry for name, following symlinks in every component
// (and in the last one too when followLast). It returns the resolved path.
func (m *memFS) resolve(op, name string, followLast bool) (string, *memEntry, error) {
	if !fs.ValidPath(name) {
		return "", nil, &fs.PathError{Op: op, Path: name, Err: fs.ErrInvalid}
	}
	var parts []string
	if name != "." {
		parts = strings.Split(name, "/")
	}
	cur, hops := ".", 0
	for i := 0; i < len(parts); i++ {
		next := path.Join(cur, parts[i])
		e, ok := m.entries[next]
		if !ok {
			return "", nil, &fs.PathError{Op: op, Path: name, Err: fs.ErrNotExist}
		}
		if e.mode&fs.ModeSymlink == 0 || (i == len(parts)-1 && !followLast) {
			cur = next
			continue
		}
		if hops++; hops > maxLinkHops {
			return "", nil, &fs.PathError{Op: op, Path: name, Err: errors.New("too many levels of symbolic links")}
		}
		target := path.Join(cur, e.link)
		if path.IsAbs(e.link) || target == ".." || strings.HasPrefix(target, "../") {
			return "", nil, &fs.PathError{Op: op, Path: name, Err: ErrEscape}
		}
		rest := parts[i+1:]
		parts = nil
		if target != "." {
			parts = strings.Split(target, "/")
		}
		parts = append(parts, rest...)
		cur, i = ".", -1
	}
	return cur, m.entries[cur], nil
}

func (m *memFS) Open(name string) (fs.File, error) {
	p, e, err := m.resolve("open", name, true)
	if err != nil {
		return nil, err
	}
	info := memInfo{e}
	switch {
	case e.mode.IsDir():
		ents, err := m.readDir(p)
		if err != nil {
			return nil, err
		}
		return &memDir{info: info, ents: ents}, nil
	case e.spill != "":
		f, err := os.Open(e.spill)
		if err != nil {
			return nil, &fs.PathError{Op: "open", Path: name, Err: err}
		}
		return &spillFile{File: f, info: info}, nil
	}
	return &memFile{info: info, Reader: strings.NewReader(e.data)}, nil
}

func (m *memFS) Stat(name string) (fs.FileInfo, error) {
	_, e, err := m.resolve("stat", name, true)
	if err != nil {
		return nil, err
	}
	return memInfo{e}, nil
}

func (m *memFS) Lstat(name string) (fs.FileInfo, error) {
	_, e, err := m.resolve("lstat", name, false)
	if err != nil {
		return nil, err
	}
	return memInfo{e}, nil
}

func (m *memFS) ReadLink(name string) (string, error) {
	_, e, err := m.resolve("readlink", name, false)
	if err != nil {
		return "", err
	}
	if e.mode&fs.ModeSymlink == 0 {
		return "", &fs.PathError{Op: "readlink", Path: name, Err: fs.ErrInvalid}
	}
	return e.link, nil
}

func (m *memFS) ReadDir(name string) ([]fs.DirEntry, error) {
	p, e, err := m.resolve("readdir", name, true)
	if err != nil {
		return nil, err
	}
	if !e.mode.IsDir() {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: errors.New("not a directory")}
	}
	return m.readDir(p)
}

func (m *memFS) readDir(p string) ([]fs.DirEntry, error) {
	names := m.children[p]
	ents := make([]fs.DirEntry, 0, len(names))
	for _, n := range names {
		ents = append(ents, fs.FileInfoToDirEntry(memInfo{m.entries[path.Join(p, n)]}))
	}
	return ents, nil
}

type memInfo struct{ e *memEntry }

func (i memInfo) Name() string       { return i.e.name }
func (i memInfo) Size() int64        { return i.e.size }
func (i memInfo) Mode() fs.FileMode  { return i.e.mode }
func (i memInfo) ModTime() time.Time { return i.e.modTime }
func (i memInfo) IsDir() bool        { return i.e.mode.IsDir() }
func (i memInfo) Sys() any           { return nil }

type memFile struct {
	info memInfo
	*strings.Reader
}

func (f *memFile) Stat() (fs.FileInfo, error) { return f.info, nil }
func (f *memFile) Close() error               { return nil }

// ReadRest reads the rest of the member and returns it without a copy:
// the member is an immutable string, so a parser may keep substrings of it
// (parse/ovs does).
func (f *memFile) ReadRest() string {
	s := f.info.e.data[f.Size()-int64(f.Len()):]
	_, _ = f.Seek(0, io.SeekEnd) // cannot fail on a strings.Reader
	return s
}

type spillFile struct {
	*os.File
	info memInfo
}

func (f *spillFile) Stat() (fs.FileInfo, error) { return f.info, nil }

type memDir struct {
	info memInfo
	ents []fs.DirEntry
	off  int
}

func (d *memDir) Stat() (fs.FileInfo, error) { return d.info, nil }
func (d *memDir) Close() error               { return nil }
func (d *memDir) Read([]byte) (int, error) {
	return 0, &fs.PathError{Op: "read", Path: d.info.Name(), Err: errors.New("is a directory")}
}

func (d *memDir) ReadDir(n int) ([]fs.DirEntry, error) {
	rest := d.ents[d.off:]
	if n <= 0 {
		d.off = len(d.ents)
		return rest, nil
	}
	if len(rest) == 0 {
		return nil, io.EOF
	}
	n = min(n, len(rest))
	d.off += n
	return rest[:n], nil
}
