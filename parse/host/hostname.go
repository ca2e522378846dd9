package host

import (
	"io"
	"strings"

	"netxray/parse"
)

// Hostname is the node's host name, from the output of `hostname` (sos:
// hostname, sos_commands/host/hostname) or the file /etc/hostname.
type Hostname struct {
	Pos parse.Pos
	Raw string
	// Name is the name as written ("net1", "cmp-1.example.org").
	Name string
	// Short is Name up to its first dot.
	Short string

	Issues parse.Issues
}

// Records implements parse.Result: 1 once the name is read.
func (h *Hostname) Records() int {
	if h.Name == "" {
		return 0
	}
	return 1
}

// Problems implements parse.Result.
func (h *Hostname) Problems() parse.Issues { return h.Issues }

// ParseHostname parses a file holding one host name, such as
//
//	cmp-1.example.org
//
// Lines starting with "#" (comments of /etc/hostname, collector banners)
// are skipped with an info issue; a second name is an error.
func ParseHostname(r io.Reader, file string) (h *Hostname, err error) {
	defer parse.Recover(file, &err)
	h = &Hostname{}
	sc := parse.NewScanner(r, file, &h.Issues)
	for sc.Scan() {
		l := sc.Line()
		t := strings.TrimSpace(l.Text)
		switch {
		case t == "" || parse.SkipBanner(l, &h.Issues):
		case strings.ContainsAny(t, " \t") || strings.IndexFunc(t, notHostname) >= 0:
			if !parse.SkipFailure(l, &h.Issues, failures) {
				h.Issues.Errorf(l.Pos, "not a host name: %q", t)
			}
		case h.Name != "":
			h.Issues.Errorf(l.Pos, "second host name %q after %q", t, h.Name)
		default:
			h.Pos, h.Raw, h.Name = l.Pos, l.Text, t
			h.Short, _, _ = strings.Cut(t, ".")
		}
	}
	return h, sc.Err()
}

// notHostname reports characters no host name has (RFC 1123 letters,
// digits, hyphens and dots; underscores occur in practice).
func notHostname(c rune) bool {
	return !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_')
}
