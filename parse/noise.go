package parse

import "strings"

// Collectors and people pasting outputs put lines into a file that are not
// the command's output: banners naming the command ("# ovs-vsctl show",
// "$ ip route") and the error text a tool printed instead of its output.
// Every parser skips them the same way, as info issues, so that a file
// with them still parses and says why lines were left out.

// IsBanner reports whether t (a trimmed line) is a collector banner:
// "# command" or "$ command".
func IsBanner(t string) bool {
	return strings.HasPrefix(t, "#") || strings.HasPrefix(t, "$ ")
}

// SkipBanner records a banner line as an info issue and reports whether l
// is one.
func SkipBanner(l Line, issues *Issues) bool {
	t := strings.TrimSpace(l.Text)
	if !IsBanner(t) {
		return false
	}
	issues.Addf(l.Pos, SevInfo, "collector banner skipped: %s", t)
	return true
}

// HasPhrase reports whether t contains one of phrases.
func HasPhrase(t string, phrases []string) bool {
	for _, f := range phrases {
		if strings.Contains(t, f) {
			return true
		}
	}
	return false
}

// SkipFailure records l as "command failed" (info) and reports true when
// it holds one of the failure phrases a tool prints instead of output.
// Parsers call it for lines their grammar did not accept, so data that
// happens to hold such a phrase is never taken for a failure.
func SkipFailure(l Line, issues *Issues, failures []string) bool {
	t := strings.TrimSpace(l.Text)
	if !HasPhrase(t, failures) {
		return false
	}
	issues.Addf(l.Pos, SevInfo, "command failed: %s", t)
	return true
}

// FirstData returns the first line of head (the start of a file) that is
// neither blank nor a banner, for Sniff functions.
func FirstData(head []byte) string {
	for _, line := range strings.Split(string(head), "\n") {
		t := strings.TrimSpace(strings.TrimSuffix(line, "\r"))
		if t == "" || IsBanner(t) {
			continue
		}
		return t
	}
	return ""
}
