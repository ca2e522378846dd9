package dnsmasq

import (
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
	if t := strings.TrimSpace(l.Text); strings.HasPrefix(t, "#") {
		issues.Addf(l.Pos, parse.SevInfo, "comment skipped: %s", t)
		return true
	}
	return parse.SkipBanner(l, issues) || parse.SkipFailure(l, issues, failures)
}

// isMAC reports an Ethernet address: six colon-separated octets of one or
// two hex digits; dnsmasq also accepts "*" wildcard octets in dhcp-host
// MACs. (A hand loop: this runs on every field of every line.)
func isMAC(s string) bool {
	octets, digits := 1, 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == ':':
			if digits == 0 {
				return false
			}
			octets, digits = octets+1, 0
		case c == '*' && digits == 0 && (i+1 == len(s) || s[i+1] == ':'):
			digits = 2
		case isHex(c) && digits < 2:
			digits++
		default:
			return false
		}
	}
	return octets == 6 && digits > 0
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
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
