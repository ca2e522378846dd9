package ovs

import (
	"regexp"
	"strings"

	"netxray/parse"
)

// toolFailures are phrases OVS tools (and the shells around them) print in
// place of their output when the command could not run.
var toolFailures = []string{
	"is not a bridge or a socket",
	"version negotiation failed",
	"Cannot open network namespace",
	"could not connect",
	"Operation not permitted",
	"Permission denied",
	"Connection refused",
	"No such file or directory",
	"database connection failed",
	"failed to connect",
	"command not found",
	"no datapaths exist",
	"datapath not found",
	"executable file not found",
	"timed out",
}

// toolPrefixRE matches the "program: " prefix OVS utilities put on their
// error messages.
var toolPrefixRE = regexp.MustCompile(`^(ovs-[a-z]+|ovsdb-[a-z]+|ovn-[a-z]+|ovs-appctl|sudo|timeout): `)

// vlogRE matches an OVS log line printed to stderr and captured with the
// output: "2026-11-22T15:26:38Z|00001|dpif_netlink|INFO|...".
var vlogRE = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z\|\d+\|[\w-]+\|[A-Z]+\|`)

// isBanner reports a collector banner: "# ovs-vsctl show", "$ ovs-ofctl ...".
func isBanner(t string) bool {
	return strings.HasPrefix(t, "#") || strings.HasPrefix(t, "$ ")
}

// skipBanner reports (as SevInfo) and consumes a collector banner line.
func skipBanner(l parse.Line, issues *parse.Issues) bool {
	t := strings.TrimSpace(l.Text)
	if !isBanner(t) {
		return false
	}
	issues.Addf(l.Pos, parse.SevInfo, "collector banner skipped: %s", t)
	return true
}

// skipFailure reports (as SevInfo) and consumes a line that is error text
// the tool printed instead of data. Parsers call it only for lines their
// grammar did not accept, so data that happens to hold such a phrase (an
// Interface error column) is never mistaken for a failure.
func skipFailure(l parse.Line, issues *parse.Issues) bool {
	t := strings.TrimSpace(l.Text)
	if vlogRE.MatchString(t) {
		issues.Addf(l.Pos, parse.SevInfo, "tool log message skipped: %s", t)
		return true
	}
	failed := toolPrefixRE.MatchString(t)
	for _, f := range toolFailures {
		if failed {
			break
		}
		failed = strings.Contains(t, f)
	}
	if failed {
		issues.Addf(l.Pos, parse.SevInfo, "command failed: %s", t)
	}
	return failed
}

// splitOutside splits s at sep bytes that are outside parentheses,
// brackets and double quotes: "ct(zone=1,nat),recirc(0x1)" gives
// "ct(zone=1,nat)" and "recirc(0x1)".
func splitOutside(s string, sep byte) []string {
	var out []string
	depth, start, quoted := 0, 0, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quoted:
			if c == '\\' {
				i++
			} else if c == '"' {
				quoted = false
			}
		case c == '"':
			quoted = true
		case c == '(' || c == '[' || c == '{':
			depth++
		case c == ')' || c == ']' || c == '}':
			if depth > 0 {
				depth--
			}
		case c == sep && depth == 0:
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}

// nameArg splits "name(arg)" into name and arg; ok is false when s has no
// parenthesised argument closing at its end.
func nameArg(s string) (name, arg string, ok bool) {
	i := strings.IndexByte(s, '(')
	if i <= 0 || !strings.HasSuffix(s, ")") {
		return s, "", false
	}
	return s[:i], s[i+1 : len(s)-1], true
}
