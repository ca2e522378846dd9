package ovn

import (
	"errors"
	"regexp"
	"strings"

	"netxray/parse"
)

// Column is a "key: value" line kept as is because the parser has no field
// for it (or it appeared where it was not expected).
type Column struct {
	Pos   parse.Pos
	Raw   string
	Key   string
	Value string
}

// Column handlers return these to have a column kept as extra.
var (
	errUnknownKey = errors.New("unexpected column")
	errBadValue   = errors.New("bad value")
)

// keepColumn reports and keeps in extra a column its handler did not
// store (err is errUnknownKey or errBadValue); nil err means stored.
func keepColumn(c Column, err error, extra *[]Column, issues *parse.Issues) {
	if err == nil {
		return
	}
	*extra = append(*extra, c)
	issues.Warnf(c.Pos, "%v %s: %s kept as extra", err, c.Key, c.Value)
}

// failures are phrases the OVN utilities (and the shells and container
// runtimes around them) print in place of their output.
var failures = []string{
	"database connection failed",
	"could not connect",
	"failed to connect",
	"connection attempt failed",
	"Connection refused",
	"No such file or directory",
	"Operation not permitted",
	"Permission denied",
	"command not found",
	"executable file not found",
	"no such container",
	"timed out",
}

// toolPrefixRE matches the "program: " prefix of an error message, and the
// "Error: " of podman and docker.
var toolPrefixRE = regexp.MustCompile(`^(ovn-[a-z]+|ovs-[a-z]+|ovsdb-[a-z]+|sudo|timeout|Error|error): `)

// toolPrefixes are the starts of the lines toolPrefixRE can match.
var toolPrefixes = []string{"ovn-", "ovs-", "ovsdb-", "sudo: ", "timeout: ", "Error: ", "error: "}

func hasToolPrefix(t string) bool {
	for _, p := range toolPrefixes {
		if strings.HasPrefix(t, p) {
			return true
		}
	}
	return false
}

// vlogRE matches an OVS/OVN log line printed to stderr and captured with
// the output: "2026-11-22T15:26:38Z|00001|reconnect|WARN|...".
var vlogRE = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z\|\d+\|[\w-]+\|[A-Z]+\|`)

// skipBanner reports (as SevInfo) and consumes a collector banner: "# cmd"
// or "$ cmd".
func skipBanner(l parse.Line, t string, issues *parse.Issues) bool {
	if !strings.HasPrefix(t, "#") && !strings.HasPrefix(t, "$ ") {
		return false
	}
	issues.Addf(l.Pos, parse.SevInfo, "collector banner skipped: %s", t)
	return true
}

// skipToolMessage reports (as SevInfo) and consumes a line that can only
// be a message of the tool: a log line, or "ovn-nbctl: ..." error text.
// No data line of a show output starts like that.
func skipToolMessage(l parse.Line, t string, issues *parse.Issues) bool {
	// Cheap prefix filter: the regexps would cost more than the parsing
	// on every data line.
	if !(len(t) > 20 && t[0] >= '0' && t[0] <= '9' && t[4] == '-') && !hasToolPrefix(t) {
		return false
	}
	switch {
	case vlogRE.MatchString(t):
		issues.Addf(l.Pos, parse.SevInfo, "tool log message skipped: %s", t)
	case toolPrefixRE.MatchString(t):
		issues.Addf(l.Pos, parse.SevInfo, "command failed: %s", t)
	default:
		return false
	}
	return true
}

// skipFailure reports (as SevInfo) and consumes a line holding a failure
// phrase. Parsers call it only for lines their grammar did not accept, so
// data that happens to hold such a phrase is never mistaken for a failure.
func skipFailure(l parse.Line, t string, issues *parse.Issues) bool {
	for _, f := range failures {
		if strings.Contains(t, f) {
			issues.Addf(l.Pos, parse.SevInfo, "command failed: %s", t)
			return true
		}
	}
	return false
}

// scanLines runs fn on every trimmed line that is not blank, a banner or a
// tool message; a line fn does not accept is reported as a failure
// message or, failing that, as an error naming the format.
func scanLines(sc *parse.Scanner, issues *parse.Issues, format string, fn func(parse.Line, string) bool) error {
	for sc.Scan() {
		l := sc.Line()
		t := strings.TrimSpace(l.Text)
		if t == "" || skipBanner(l, t, issues) || skipToolMessage(l, t, issues) ||
			fn(l, t) || skipFailure(l, t, issues) {
			continue
		}
		issues.Errorf(l.Pos, "not an %s line: %q", format, l.Text)
	}
	return sc.Err()
}

// unquote removes one pair of double quotes. ovn-nbctl prints strings
// between quotes without escaping them, so no escape is decoded.
func unquote(s string) string {
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		return s[1 : len(s)-1]
	}
	return s
}

// quotedList splits ovn-nbctl's `["a", "b c"]` into its strings. ok is
// false when s is not such a list.
func quotedList(s string) (items []string, ok bool) {
	s, ok = strings.CutPrefix(s, "[")
	if !ok {
		return nil, false
	}
	if s, ok = strings.CutSuffix(s, "]"); !ok {
		return nil, false
	}
	for s = strings.TrimSpace(s); s != ""; {
		if s[0] != '"' {
			return items, false
		}
		end := strings.IndexByte(s[1:], '"')
		if end < 0 {
			return items, false
		}
		items = append(items, s[1:end+1])
		s = strings.TrimSpace(s[end+2:])
		if s != "" {
			if s, ok = strings.CutPrefix(s, ","); !ok {
				return items, false
			}
			s = strings.TrimSpace(s)
		}
	}
	return items, true
}
