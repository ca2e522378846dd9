package iproute

import (
	"io"
	"strings"

	"netxray/parse"
)

// KindNetns is the kind of `ip netns` outputs, text or JSON.
const KindNetns parse.Kind = "ip-netns"

// Namespaces is the output of `ip netns [list]`.
type Namespaces struct {
	JSON       bool
	Namespaces []Namespace
	Issues     parse.Issues
}

// Records counts namespaces.
func (x *Namespaces) Records() int { return len(x.Namespaces) }

// Problems returns the issues found.
func (x *Namespaces) Problems() parse.Issues { return x.Issues }

// Namespace is one named network namespace.
type Namespace struct {
	Pos  parse.Pos
	Raw  string
	Name string
	// ID is the nsid the namespace has in the namespace ip ran in, -1 when
	// not printed (old iproute2, or no id assigned). It is what
	// "link-netnsid N" of `ip link` refers to.
	ID    int
	Extra Params // unknown JSON members
}

// ParseNetns parses the output of `ip netns` / `ip netns list`, with or
// without ids, text or JSON. Samples:
//
//	fip-e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a5b (id: 2)
//	qdhcp-0c8d2a6e-91b4-4d1f-8f0e-3a2b1c0d9e8f
func ParseNetns(r io.Reader, file string) (x *Namespaces, err error) {
	defer parse.Recover(file, &err)
	x = &Namespaces{}
	err = readFile(r, file, &x.Issues, &x.JSON, grammar{
		what: "a namespace line",
		json: func(d *jdoc) { parseNetnsJSON(d, x) },
		line: oneLine(&x.Namespaces, &x.Issues, parseNetnsLine),
		end:  func() int { return len(x.Namespaces) },
	})
	if err != nil {
		return nil, err
	}
	return x, nil
}

// parseNetnsLine parses "NAME" or "NAME (id: N)".
func parseNetnsLine(l parse.Line, issues *parse.Issues) (Namespace, bool) {
	f := fields(l.Text)
	ns := Namespace{Pos: l.Pos, Raw: l.Text, Name: f[0], ID: -1}
	switch {
	case len(f) == 1:
	case len(f) == 3 && f[1] == "(id:" && strings.HasSuffix(f[2], ")"):
		id, ok := atoi(strings.TrimSuffix(f[2], ")"))
		if !ok {
			issues.Warnf(l.Pos, "namespace %s: unreadable id %q", f[0], f[2])
		}
		if ok {
			ns.ID = id
		}
	default:
		return ns, false
	}
	return ns, validNetnsName(ns.Name)
}

// validNetnsName reports a name ip netns could have created: a file name
// under /run/netns.
func validNetnsName(s string) bool {
	return s != "" && s != "." && s != ".." && !strings.ContainsAny(s, "/\x00")
}

// parseNetnsJSON reads ip -j netns: [{"name":"x","id":0}].
func parseNetnsJSON(d *jdoc, x *Namespaces) {
	jrecords(d, &x.Issues, func(r jrec) {
		fs, pos, raw := r.fields, r.pos, r.raw
		ns := Namespace{Pos: pos, Raw: raw, ID: -1}
		for _, f := range fs {
			switch f.Key {
			case "name":
				ns.Name, _ = jstr(f.Val)
			case "id":
				n, _ := jint(f.Val)
				ns.ID = int(n)
			default:
				ns.Extra = append(ns.Extra, Param{Key: f.Key, Value: jtext(f.Val)})
				x.Issues.Warnf(pos, "unknown namespace JSON member %q kept in Extra", f.Key)
			}
		}
		x.Namespaces = append(x.Namespaces, ns)
	})
}
