package bridge

import (
	"regexp"
	"strings"

	"netxray/parse"
)

// failures are phrases the bridge tools (and the shells around them) print
// instead of a table when the command could not run.
var failures = []string{
	"Cannot find device",
	"Cannot find bridge device",
	"does not exist!",
	"Cannot open network namespace",
	"Cannot send dump request",
	"Dump terminated",
	"Operation not permitted",
	"Operation not supported",
	"Permission denied",
	"command not found",
	"No such file or directory",
	"Object \"",
}

// skipNoise reports (and consumes) lines that are not data: collector
// banners such as "# bridge fdb show" or "$ brctl show", and error text the
// tool printed in place of its output.
func skipNoise(l parse.Line, issues *parse.Issues) bool {
	t := strings.TrimSpace(l.Text)
	if strings.HasPrefix(t, "#") || strings.HasPrefix(t, "$ ") {
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

var macRE = regexp.MustCompile(`^[0-9A-Fa-f]{1,2}(:[0-9A-Fa-f]{1,2}){5,19}$`)

// isMAC reports whether s looks like a link-layer address as iproute2
// prints it (Ethernet, or longer for InfiniBand).
func isMAC(s string) bool { return macRE.MatchString(s) }

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
