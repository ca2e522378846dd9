package collect

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/bzip2"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/ulikunitz/xz"
)

// ErrBomb is returned for a compressed stream that inflates beyond
// Limits.MaxRatio: a decompression bomb, or at least not a sosreport.
var ErrBomb = errors.New("decompression ratio limit exceeded")

// archiveExts are the file names Open treats as archives in a directory of
// bundles (the content decides the compression, not the name).
var archiveExts = []string{".tar", ".tar.gz", ".tgz", ".tar.xz", ".txz", ".tar.bz2", ".tbz2", ".tbz"}

func isArchiveName(name string) bool {
	name = strings.ToLower(name)
	for _, ext := range archiveExts {
		if strings.HasSuffix(name, ext) {
			return true
		}
	}
	return false
}

// maxXZDict bounds the dictionary an xz stream may ask for: the decoder
// allocates it up front, so a forged header could ask for 4 GiB. xz -9
// uses 64 MiB.
const maxXZDict = 256 << 20

// store accumulates the members kept from one archive (and the archives
// nested in it, e.g. the sosreports inside a `sos collect` tarball).
type store struct {
	b       *Bundle
	lim     Limits
	archive string // the archive's path, for messages
	files   *memFS // every kept member, by its path in the archive
	links   int
	dirs    int
	kept    int64 // bytes kept, memory and disk
	// refused says why a member the catalog wants was not kept.
	refused map[string]string
	// problem counts per message class, to summarise floods.
	counts   map[string]int
	problems []Problem
}

func newStore(b *Bundle, archive string) *store {
	return &store{b: b, lim: b.opts.limits, archive: archive, files: newMemFS(),
		refused: map[string]string{}, counts: map[string]int{}}
}

// maxProblemsPerClass is how many problems of one class an archive lists
// before summarising the rest in one line.
const maxProblemsPerClass = 20

func (s *store) problemf(class, member, format string, args ...any) {
	s.counts[class]++
	if s.counts[class] > maxProblemsPerClass {
		return
	}
	s.problems = append(s.problems, Problem{Path: s.archive + ":" + member, Msg: fmt.Sprintf(format, args...)})
}

func (s *store) finish() {
	for class, n := range s.counts {
		if n > maxProblemsPerClass {
			s.problems = append(s.problems, Problem{Path: s.archive,
				Msg: fmt.Sprintf("%d more members skipped (%s) not listed", n-maxProblemsPerClass, class)})
		}
	}
	s.files.sortChildren()
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int64
	// progress, if set, is called every progressStep bytes.
	progress func(n int64)
	next     int64
}

const progressStep = 1 << 20

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	if c.progress != nil && c.n >= c.next {
		c.progress(c.n)
		c.next = c.n + progressStep
	}
	return n, err
}

// ratioReader fails once the bytes it produced exceed maxRatio times the
// compressed bytes read below it.
type ratioReader struct {
	r        io.Reader
	in       *countingReader
	out      int64
	maxRatio float64
	minBytes int64
	what     string
}

func (r *ratioReader) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	r.out += int64(n)
	if r.maxRatio > 0 && r.out >= r.minBytes && float64(r.out) > r.maxRatio*float64(max(r.in.n, 1)) {
		return n, fmt.Errorf("%s inflates %d compressed bytes to more than %d (over %.0f:1); refusing it as a likely decompression bomb: %w",
			r.what, r.in.n, r.out, r.maxRatio, ErrBomb)
	}
	return n, err
}

// decompress sniffs r's compression from its first bytes and returns the
// uncompressed stream.
func (s *store) decompress(r io.Reader, what string) (io.Reader, error) {
	in := &countingReader{r: r}
	br := bufio.NewReaderSize(in, 64<<10)
	head, _ := br.Peek(1036)
	ratio := func(dec io.Reader) io.Reader {
		return &ratioReader{r: dec, in: in, maxRatio: s.lim.MaxRatio, minBytes: s.lim.RatioMinBytes, what: what}
	}
	switch {
	case bytes.HasPrefix(head, []byte{0x1f, 0x8b}):
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("reading %s as gzip: %w", what, err)
		}
		return ratio(zr), nil
	case bytes.HasPrefix(head, []byte("BZh")):
		return ratio(bzip2.NewReader(br)), nil
	case bytes.HasPrefix(head, []byte{0xfd, '7', 'z', 'X', 'Z', 0}):
		if dict := xzDictSize(head); dict > maxXZDict {
			return nil, fmt.Errorf("reading %s: xz dictionary of %d MiB is over the %d MiB limit", what, dict>>20, maxXZDict>>20)
		}
		zr, err := xz.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("reading %s as xz: %w", what, err)
		}
		return ratio(zr), nil
	case bytes.HasPrefix(head, []byte{0x28, 0xb5, 0x2f, 0xfd}):
		return nil, fmt.Errorf("%s is zstd-compressed, which netxray does not read yet: decompress it first (unzstd)", what)
	}
	return br, nil
}

// xzDictSize reads the LZMA2 dictionary size from the first block header of
// an xz stream (xz file format 1.0.4, sections 2.1 and 3.1); 0 if unknown.
func xzDictSize(head []byte) int64 {
	const streamHeader = 12
	if len(head) < streamHeader+2 || head[streamHeader] == 0 {
		return 0
	}
	hdr := head[streamHeader:]
	size := (int(hdr[0]) + 1) * 4
	if len(hdr) < size {
		return 0
	}
	hdr = hdr[1:size]
	flags := hdr[0]
	hdr = hdr[1:]
	varint := func() (uint64, bool) {
		var v uint64
		for i := 0; i < 9 && i < len(hdr); i++ {
			v |= uint64(hdr[i]&0x7f) << (7 * i)
			if hdr[i]&0x80 == 0 {
				hdr = hdr[i+1:]
				return v, true
			}
		}
		return 0, false
	}
	for _, bit := range []byte{0x40, 0x80} { // compressed, uncompressed size
		if flags&bit != 0 {
			if _, ok := varint(); !ok {
				return 0
			}
		}
	}
	for range int(flags&3) + 1 {
		id, ok1 := varint()
		n, ok2 := varint()
		if !ok1 || !ok2 || uint64(len(hdr)) < n {
			return 0
		}
		props := hdr[:n]
		hdr = hdr[n:]
		if id == 0x21 && n == 1 { // LZMA2
			p := props[0]
			if p > 40 {
				return 1 << 40 // invalid: refuse
			}
			if p == 40 {
				return 1<<32 - 1
			}
			return int64(2|(p&1)) << (p/2 + 11)
		}
	}
	return 0
}

// cleanMember checks a member name and returns it clean and relative, or
// says why it is refused.
func cleanMember(name string) (string, string) {
	if name == "" {
		return "", "empty member name"
	}
	if strings.HasPrefix(name, "/") {
		return "", "absolute member name"
	}
	for _, c := range strings.Split(name, "/") {
		if c == ".." {
			return "", `member name with ".."`
		}
	}
	if strings.IndexByte(name, 0) >= 0 {
		return "", "member name with a NUL byte"
	}
	return path.Clean(strings.TrimPrefix(name, "./")), ""
}

// wanted reports whether the catalog may want the member at p. The member's
// node root is not known while streaming, so p is tried as it is and with
// its first one or two directories removed (sosreport-x/..., or the
// sos-collector-y/sosreport-x/... of a `sos collect` tarball).
func wanted(p string) bool {
	for range 3 {
		if wantedRel(p) {
			return true
		}
		i := strings.IndexByte(p, '/')
		if i < 0 {
			return false
		}
		p = p[i+1:]
	}
	return false
}

func wantedRel(p string) bool {
	if strings.HasPrefix(p, dirNX+"/") {
		return true // our own bundle: everything in it is for us
	}
	return inCatalog(p)
}

// nestedArchive reports whether a member is a bundle inside a bundle, as in
// `sos collect` tarballs (sos-collector-x/sosreport-node-....tar.xz): only
// near the top of the outer archive, never inside a sosreport's copied
// files.
func nestedArchive(p string) bool {
	return strings.Count(p, "/") <= 1 && isArchiveName(p)
}

// scan reads one archive stream in a single pass, keeping the wanted
// members under prefix.
func (s *store) scan(r io.Reader, what, prefix string, depth int) error {
	dr, err := s.decompress(r, what)
	if err != nil {
		return err
	}
	tr := tar.NewReader(dr)
	members := 0
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			if members == 0 {
				return fmt.Errorf("%s: not a tar archive, or an empty one", what)
			}
			return nil
		}
		if err != nil {
			if errors.Is(err, ErrBomb) {
				return err
			}
			if members == 0 {
				return fmt.Errorf("%s: not a tar archive: %w", what, err)
			}
			s.problemf("damaged", what, "archive is damaged after %d members, the rest is lost: %v", members, err)
			return nil
		}
		members++
		if members > s.lim.MaxMembers {
			s.problemf("members", what, "more than %d members; the rest is ignored", s.lim.MaxMembers)
			return nil
		}
		if err := s.member(tr, hdr, what, prefix, depth); err != nil {
			return err
		}
	}
}

// member handles one tar member; only an error that condemns the whole
// archive is returned.
func (s *store) member(tr *tar.Reader, hdr *tar.Header, what, prefix string, depth int) error {
	name, why := cleanMember(hdr.Name)
	if why != "" {
		s.problemf("unsafe name", hdr.Name, "member refused: %s", why)
		return nil
	}
	if name == "." {
		return nil
	}
	full := path.Join(prefix, name)
	switch hdr.Typeflag {
	case tar.TypeDir:
		if s.dirs < s.lim.MaxMembers {
			s.dirs++
			s.files.add(full, &memEntry{mode: fs.ModeDir | 0o555, modTime: hdr.ModTime})
		}
	case tar.TypeSymlink:
		target := path.Join(path.Dir(name), hdr.Linkname)
		if hdr.Linkname == "" || path.IsAbs(hdr.Linkname) || target == ".." || strings.HasPrefix(target, "../") {
			s.problemf("link outside", name, "symbolic link to %q refused: it points outside the archive", hdr.Linkname)
			if wanted(name) {
				s.refused[full] = fmt.Sprintf("symbolic link to %q points outside the archive", hdr.Linkname)
			}
			return nil
		}
		if s.links >= s.lim.MaxMembers {
			return nil
		}
		s.links++
		s.files.add(full, &memEntry{mode: fs.ModeSymlink | 0o777, link: hdr.Linkname, size: int64(len(hdr.Linkname)), modTime: hdr.ModTime})
	case tar.TypeLink:
		if !wanted(name) {
			return nil
		}
		target, why := cleanMember(hdr.Linkname)
		if why != "" {
			s.problemf("hard link", name, "hard link to %q refused: %s", hdr.Linkname, why)
			s.refused[full] = "hard link refused: " + why
			return nil
		}
		e, ok := s.files.entries[path.Join(prefix, target)]
		if !ok || !e.mode.IsRegular() {
			s.problemf("hard link", name, "hard link to %q refused: the target is not a regular file kept earlier in the archive", hdr.Linkname)
			s.refused[full] = "hard link to a member that was not kept"
			return nil
		}
		s.files.add(full, e)
	case tar.TypeReg, tar.TypeGNUSparse:
		if depth == 0 && nestedArchive(name) {
			err := s.scan(tr, s.archive+":"+name, full, depth+1)
			if err != nil && errors.Is(err, ErrBomb) {
				return err
			}
			if err != nil {
				s.problemf("nested", name, "nested archive skipped: %v", err)
			}
			return nil
		}
		if !wanted(name) {
			return nil // tar.Reader skips the data without keeping it
		}
		return s.keep(tr, hdr, name, full)
	case tar.TypeChar, tar.TypeBlock, tar.TypeFifo:
		kinds := map[byte]string{tar.TypeChar: "character device", tar.TypeBlock: "block device", tar.TypeFifo: "named pipe"}
		s.problemf("special file", name, "%s skipped", kinds[hdr.Typeflag])
		if wanted(name) {
			s.refused[full] = kinds[hdr.Typeflag] + " in the archive"
		}
	default:
		if wanted(name) {
			s.problemf("member type", name, "member of unsupported tar type %q skipped", hdr.Typeflag)
			s.refused[full] = fmt.Sprintf("unsupported tar member type %q", hdr.Typeflag)
		}
	}
	return nil
}

// keep stores a wanted regular member in memory or, when large or when the
// memory budget is spent, in the bundle's temporary directory.
func (s *store) keep(r io.Reader, hdr *tar.Header, name, full string) error {
	size := hdr.Size
	if size > s.lim.MaxMember {
		s.problemf("too large", name, "member of %d bytes skipped: over the %d-byte limit per member", size, s.lim.MaxMember)
		s.refused[full] = fmt.Sprintf("member of %d bytes is over the per-member limit of %d bytes", size, s.lim.MaxMember)
		return nil
	}
	if s.kept+size > s.lim.MaxTotal {
		s.problemf("total", name, "member skipped: the archive's kept members would exceed %d bytes", s.lim.MaxTotal)
		s.refused[full] = fmt.Sprintf("kept members would exceed the total limit of %d bytes", s.lim.MaxTotal)
		return nil
	}
	e := &memEntry{mode: 0o444, size: size, modTime: hdr.ModTime}
	if size <= s.lim.MemberInMemory && s.b.memUsed+size <= s.lim.MaxMemory {
		var data strings.Builder
		data.Grow(int(size))
		if _, err := io.Copy(&data, io.LimitReader(r, size)); err != nil {
			return s.readFailed(err, name, full)
		}
		e.data, e.size = data.String(), int64(data.Len())
		s.b.memUsed += e.size
	} else {
		f, err := s.b.spillFile()
		if err != nil {
			return fmt.Errorf("keeping %s: %w", name, err)
		}
		n, err := io.Copy(f, io.LimitReader(r, size))
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			_ = os.Remove(f.Name())
			return s.readFailed(err, name, full)
		}
		e.spill, e.size = f.Name(), n
	}
	s.kept += e.size
	s.files.add(full, e)
	return nil
}

func (s *store) readFailed(err error, name, full string) error {
	if errors.Is(err, ErrBomb) {
		return err
	}
	s.problemf("damaged", name, "member could not be read: %v", err)
	s.refused[full] = fmt.Sprintf("member could not be read: %v", err)
	return nil
}

// spillFile creates a file in the bundle's private temporary directory.
func (b *Bundle) spillFile() (*os.File, error) {
	if b.tmp == "" {
		dir, err := os.MkdirTemp(b.opts.tempDir, "netxray-bundle-")
		if err != nil {
			return nil, fmt.Errorf("creating temporary directory: %w", err)
		}
		b.tmp = dir
	}
	b.nspill++
	return os.OpenFile(filepath.Join(b.tmp, fmt.Sprintf("m%06d", b.nspill)), os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
}
