package dnsmasq

import (
	"regexp"
	"strings"

	"netxray/parse"
)

// failures are phrases a collector (cat, sudo, a container runtime) prints
// in place of a file it could not read.
var failures = []string{
	"No such file or directory",
	"Permission denied",
	"Operation not permitted",
	"command not found",
	"Is a directory",
}

// skipNoise reports (as SevInfo) and consumes lines that are not data:
// comments ("#", which dnsmasq itself ignores in these files and which
// collectors use for banners), "$ command" banners and error text printed
// instead of the file.
func skipNoise(l parse.Line, issues *parse.Issues) bool {
	t := strings.TrimSpace(l.Text)
	switch {
	case strings.HasPrefix(t, "#"):
		issues.Addf(l.Pos, parse.SevInfo, "comment skipped: %s", t)
		return true
	case strings.HasPrefix(t, "$ "):
		issues.Addf(l.Pos, parse.SevInfo, "collector banner skipped: %s", t)
		return true
	}
	for _, f := range failures {
		if strings.Contains(t, f) {
			issues.Addf(l.Pos, parse.SevInfo, "command failed: %s", t)
			return true
		}
	}
	return false
}

// macRE matches an Ethernet address; dnsmasq also accepts "*" wildcard
// octets in dhcp-host MACs.
var macRE = regexp.MustCompile(`^([0-9A-Fa-f]{1,2}|\*)(:([0-9A-Fa-f]{1,2}|\*)){5}$`)

func isMAC(s string) bool { return macRE.MatchString(s) }

// firstData returns the first line of head that is neither blank nor a
// comment or banner, for Sniff functions.
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

// run scans a file line by line, skipping blank and noise lines, and hands
// every other line to fn.
func run(sc *parse.Scanner, issues *parse.Issues, fn func(parse.Line)) error {
	for sc.Scan() {
		l := sc.Line()
		if strings.TrimSpace(l.Text) == "" || skipNoise(l, issues) {
			continue
		}
		fn(l)
	}
	return sc.Err()
}
