package host

import (
	"strings"

	"netxray/parse"
)

// failures are phrases printed instead of the expected output when the
// command (or the shell around it) could not run.
var failures = []string{
	"command not found",
	"No such file or directory",
	"Permission denied",
	"Operation not permitted",
	"Cannot open network namespace",
	"could not connect",
	"error: ", // rpm: "error: rpmdb: ...", "error: cannot open Packages index"
	"dpkg-query: ",
	"No packages found matching",
	"timed out",
}

// banner reports (and consumes) collector banners such as "# uname -a" or
// "$ dpkg -l".
func banner(l parse.Line, issues *parse.Issues) bool {
	t := strings.TrimSpace(l.Text)
	if strings.HasPrefix(t, "#") || strings.HasPrefix(t, "$ ") {
		issues.Addf(l.Pos, parse.SevInfo, "collector banner skipped: %s", t)
		return true
	}
	return false
}

// failed reports (and consumes) error text the tool printed in place of its
// output. Parsers call it only for lines their grammar rejected, so a
// package description that happens to say "error: " is still a package.
func failed(l parse.Line, issues *parse.Issues) bool {
	t := strings.TrimSpace(l.Text)
	if isFailure(t) {
		issues.Addf(l.Pos, parse.SevInfo, "command failed: %s", t)
		return true
	}
	return false
}

func isFailure(t string) bool {
	for _, f := range failures {
		if strings.Contains(t, f) {
			return true
		}
	}
	return false
}

// firstData returns the first line of head that is neither blank nor a
// banner, for Sniff functions.
func firstData(head []byte) string {
	for _, line := range strings.Split(string(head), "\n") {
		t := strings.TrimSpace(strings.TrimSuffix(line, "\r"))
		if t == "" || strings.HasPrefix(t, "#") || strings.HasPrefix(t, "$ ") {
			continue
		}
		return t
	}
	return ""
}

// cutFields returns the first n whitespace-separated fields of s and the
// rest of s after them, left-trimmed (so a free-text last column keeps its
// inner spacing). It returns fewer fields when s has fewer.
func cutFields(s string, n int) (fields []string, rest string) {
	rest = strings.TrimLeft(s, " \t")
	for len(fields) < n && rest != "" {
		end := strings.IndexAny(rest, " \t")
		if end < 0 {
			end = len(rest)
		}
		fields = append(fields, rest[:end])
		rest = strings.TrimLeft(rest[end:], " \t")
	}
	return fields, rest
}
