package bridge

import (
	"regexp"

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
	return parse.SkipBanner(l, issues) || parse.SkipFailure(l, issues, failures)
}

var macRE = regexp.MustCompile(`^[0-9A-Fa-f]{1,2}(:[0-9A-Fa-f]{1,2}){5,19}$`)

// isMAC reports whether s looks like a link-layer address as iproute2
// prints it (Ethernet, or longer for InfiniBand).
func isMAC(s string) bool { return macRE.MatchString(s) }
