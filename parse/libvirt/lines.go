package libvirt

import (
	"io"
	"regexp"
	"strings"

	"netxray/parse"
)

// failures are messages virsh (or the shell) prints instead of output.
var failures = []string{
	"error: ", "failed to connect to the hypervisor", "Domain not found",
	"command not found", "No such file or directory", "Permission denied",
	"Operation not permitted",
}

// noise reports whether text (a trimmed line) is a collector banner or a
// command failure, and records it as an info issue.
func noise(pos parse.Pos, text string, issues *parse.Issues) bool {
	if strings.HasPrefix(text, "#") || strings.HasPrefix(text, "$ ") {
		issues.Addf(pos, parse.SevInfo, "collector banner skipped: %s", text)
		return true
	}
	for _, f := range failures {
		if strings.Contains(text, f) {
			issues.Addf(pos, parse.SevInfo, "command failed: %s", text)
			return true
		}
	}
	return false
}

var macRE = regexp.MustCompile(`^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}$`)

// isDashes reports whether t is a table rule line ("-----").
func isDashes(t string) bool { return t != "" && strings.Trim(t, "-") == "" }

// dash turns virsh's "-" placeholder into "".
func dash(s string) string {
	if s == "-" {
		return ""
	}
	return s
}

// headerFields returns the fields of the first non-blank, non-banner line
// of head, for Sniff functions.
func headerFields(head []byte) []string {
	for _, line := range strings.Split(string(head), "\n") {
		t := strings.TrimSpace(line)
		if t == "" || strings.HasPrefix(t, "#") || strings.HasPrefix(t, "$ ") {
			continue
		}
		return strings.Fields(t)
	}
	return nil
}

// eachRow calls fn with each row of a virsh table and its fields, skipping
// blank lines, dash rules, the header (as isHeader tells) and the banners
// and failure messages noise reports.
func eachRow(r io.Reader, file string, issues *parse.Issues, isHeader func(f []string) bool, fn func(l parse.Line, f []string)) error {
	sc := parse.NewScanner(r, file, issues)
	for sc.Scan() {
		l := sc.Line()
		t := strings.TrimSpace(l.Text)
		if t == "" || isDashes(t) || noise(l.Pos, t, issues) {
			continue
		}
		if f := strings.Fields(t); !isHeader(f) {
			fn(l, f)
		}
	}
	return sc.Err()
}
