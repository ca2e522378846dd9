package host

import (
	"io"
	"regexp"
	"strings"

	"netxray/parse"
)

// DpkgList is the output of `dpkg -l` (sos: sos_commands/dpkg/dpkg_-l, and
// its root symlink installed-debs).
type DpkgList struct {
	PackageList
	// Header holds the legend and column lines dpkg prints first.
	Header []parse.Line
	// NoArch is set when the list has no Architecture column (dpkg before
	// 1.16.2).
	NoArch bool
}

// dpkgLineRE splits a package line: three state letters, a space, the rest.
var dpkgLineRE = regexp.MustCompile(`^([a-zA-Z])([a-zA-Z])([ a-zA-Z]) (.*)$`)

// ParseDpkgList parses `dpkg -l` (`dpkg-query -l`): a legend, a column
// header and a ruler whose segments give the columns, then one package per
// line (state letters, name, version, architecture, description):
//
//	||/ Name               Version         Architecture Description
//	+++-==================-===============-============-=====================
//	ii  openvswitch-switch 3.1.0-2+deb12u1 amd64        Open vSwitch switch implementations
//	rc  linux-image-6.1.0-12-amd64 6.1.52-1 amd64       Linux 6.1 for 64-bit PCs (signed)
//
// Without a terminal dpkg widens the columns to fit, so fields are
// separated by blanks. A line cut short (a long name followed by a line
// break, as in outputs pasted from a narrow terminal) is completed from the
// indented line that follows it, with a warning.
func ParseDpkgList(r io.Reader, file string) (list *DpkgList, err error) {
	defer parse.Recover(file, &err)
	list = &DpkgList{}
	issues := &list.Issues
	sc := parse.NewScanner(r, file, issues)
	// open is the index of the last package while its line may continue
	// on the next one; -1 otherwise.
	open := -1
	for sc.Scan() {
		l := sc.Line()
		t := strings.TrimRight(l.Text, " \t")
		if open >= 0 && t != "" && (t[0] == ' ' || t[0] == '\t') {
			if list.continueLine(open, l) {
				open = -1
			}
			continue
		}
		if open >= 0 {
			list.incomplete(open)
			open = -1
		}
		switch {
		case t == "":
		case strings.HasPrefix(t, "Desired=") || strings.HasPrefix(t, "|") || strings.HasPrefix(t, "+++"):
			list.Header = append(list.Header, l)
			if strings.HasPrefix(t, "+++") {
				// "+++-====-====-====-====": 4 columns with
				// Architecture, 3 without.
				list.NoArch = strings.Count(t, "-") == 3
			}
		case parse.SkipBanner(l, issues):
		default:
			m := dpkgLineRE.FindStringSubmatch(t)
			if m == nil {
				if !parse.SkipFailure(l, issues, failures) {
					issues.Errorf(l.Pos, "unrecognised dpkg -l line: %q", t)
				}
				continue
			}
			p := Package{Pos: l.Pos, Raw: l.Text, Status: m[1] + m[2] + m[3]}
			if !strings.ContainsRune("uirph", rune(m[1][0])) || !strings.ContainsRune("ncHUFWti", rune(m[2][0])) ||
				!strings.ContainsRune(" R", rune(m[3][0])) {
				issues.Warnf(l.Pos, "unknown dpkg state %q", p.Status)
			}
			list.Packages = append(list.Packages, p)
			if !list.fill(len(list.Packages)-1, m[4]) {
				open = len(list.Packages) - 1
			}
		}
	}
	if open >= 0 {
		list.incomplete(open)
	}
	return list, sc.Err()
}

// columns is the number of columns before the description.
func (l *DpkgList) columns() int {
	if l.NoArch {
		return 2
	}
	return 3
}

// fill assigns the fields of text to the package's empty columns in order
// (name, version, arch), the rest to its description. It reports whether
// every column is now set.
func (l *DpkgList) fill(i int, text string) bool {
	p := &l.Packages[i]
	targets := []*string{&p.Name, &p.Version, &p.Arch}[:l.columns()]
	var empty []*string
	for _, t := range targets {
		if *t == "" {
			empty = append(empty, t)
		}
	}
	fields, rest := cutFields(text, len(empty))
	for j, f := range fields {
		*empty[j] = f
	}
	if rest != "" {
		if p.Description != "" {
			p.Description += " "
		}
		p.Description += rest
	}
	if name, _, ok := strings.Cut(p.Name, ":"); ok {
		// "libc6:amd64": multi-arch qualifier, the arch is also a column.
		p.Name = name
	}
	p.Upstream = debUpstream(p.Version)
	return len(fields) == len(empty)
}

// continueLine joins an indented line to the package whose line it
// continues, and reports whether the package is now complete.
func (l *DpkgList) continueLine(i int, line parse.Line) bool {
	p := &l.Packages[i]
	p.Raw += "\n" + line.Text
	l.Issues.Warnf(line.Pos, "line continues the entry of %s at line %d", p.Name, p.Pos.Line)
	return l.fill(i, line.Text)
}

// incomplete reports a package line that ended before its version (and
// architecture) columns.
func (l *DpkgList) incomplete(i int) {
	p := &l.Packages[i]
	if p.Version == "" || (!l.NoArch && p.Arch == "") {
		l.Issues.Warnf(p.Pos, "package line %s has no version or architecture column", p.Name)
	}
}
