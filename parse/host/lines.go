package host

import "strings"

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
