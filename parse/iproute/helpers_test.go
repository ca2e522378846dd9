package iproute

import (
	"fmt"
	"io"
	"net/netip"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"netxray/parse"
)

// cmpOpts compare netip values by value.
var cmpOpts = []cmp.Option{cmpopts.EquateComparable(netip.Addr{}, netip.Prefix{}), cmpopts.EquateEmpty()}

func pfx(s string) netip.Prefix { return netip.MustParsePrefix(s) }
func ip(s string) netip.Addr    { return netip.MustParseAddr(s) }

// pos builds a position in the file every inline test uses.
func pos(line int) parse.Pos { return parse.Pos{File: "t", Line: line} }

// issueStrings renders issues as "line: severity: msg" for comparisons.
func issueStrings(is parse.Issues) []string {
	var out []string
	for _, i := range is {
		out = append(out, fmt.Sprintf("%d: %s: %s", i.Pos.Line, i.Severity, i.Msg))
	}
	return out
}

// matchIssues checks that got has exactly the wanted issues, each given as
// "line: severity: substring of the message".
func matchIssues(t *testing.T, got parse.Issues, want []string) {
	t.Helper()
	gs := issueStrings(got)
	if len(gs) != len(want) {
		t.Errorf("issues: got %d, want %d\n got: %q\nwant: %q", len(gs), len(want), gs, want)
		return
	}
	for i, w := range want {
		line, rest, _ := strings.Cut(w, ": ")
		sev, sub, _ := strings.Cut(rest, ": ")
		prefix := line + ": " + sev + ": "
		if !strings.HasPrefix(gs[i], prefix) || !strings.Contains(gs[i], sub) {
			t.Errorf("issue %d: got %q, want %q", i, gs[i], w)
		}
	}
}

// uncovered returns the non-blank input lines that are neither inside a
// record's span nor named by an issue (the fuzz property: nothing is
// dropped silently).
func uncovered(input string, spans [][2]int, issues parse.Issues) []int {
	seen := map[int]bool{}
	for _, s := range spans {
		for l := s[0]; l <= s[1]; l++ {
			seen[l] = true
		}
	}
	for _, i := range issues {
		seen[i.Pos.Line] = true
	}
	var miss []int
	for n, l := range strings.Split(input, "\n") {
		if strings.TrimSpace(clean(l)) != "" && !seen[n+1] {
			miss = append(miss, n+1)
		}
	}
	return miss
}

// clean mimics the scanner's cleaning (CR, ANSI colours) for the coverage
// check.
func clean(l string) string {
	l = strings.TrimSuffix(l, "\r")
	for {
		i := strings.Index(l, "\x1b[")
		if i < 0 {
			return l
		}
		j := i + 2
		for j < len(l) && (l[j] >= '0' && l[j] <= '9' || l[j] == ';') {
			j++
		}
		if j >= len(l) || l[j] != 'm' {
			return l
		}
		l = l[:i] + l[j+1:]
	}
}

// spans lists the line spans of the records of any result of this
// package.
func spans(res parse.Result) [][2]int {
	var out [][2]int
	switch x := res.(type) {
	case *Interfaces:
		for _, in := range x.Interfaces {
			out = append(out, [2]int{in.Pos.Line, in.End})
			for _, a := range in.Addrs {
				out = append(out, [2]int{a.Pos.Line, a.Pos.Line + strings.Count(a.Raw, "\n")})
			}
		}
	case *Routes:
		for _, r := range x.Routes {
			out = append(out, [2]int{r.Pos.Line, r.End})
		}
	case *Rules:
		for _, r := range x.Rules {
			out = append(out, [2]int{r.Pos.Line, r.Pos.Line})
		}
	case *Neighbors:
		for _, n := range x.Neighbors {
			out = append(out, [2]int{n.Pos.Line, n.Pos.Line})
		}
	case *Namespaces:
		for _, n := range x.Namespaces {
			out = append(out, [2]int{n.Pos.Line, n.Pos.Line})
		}
	}
	return out
}

// tableCase is one inline test of a parser.
type tableCase[T any] struct {
	name       string
	input      string
	want       []T
	wantIssues []string
}

// runTable runs inline tests: records compared with cmp, issues matched,
// and the no-silent-drop property checked.
func runTable[R parse.Result, T any](t *testing.T, tests []tableCase[T], parseFn func(io.Reader, string) (R, error), records func(R) []T, opts ...cmp.Option) {
	t.Helper()
	opts = append(opts, cmpOpts...)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseFn(strings.NewReader(tt.input), "t")
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, records(got), opts...); diff != "" {
				t.Errorf("records (-want +got):\n%s", diff)
			}
			matchIssues(t, got.Problems(), tt.wantIssues)
			if miss := uncovered(tt.input, spans(got), got.Problems()); len(miss) > 0 {
				t.Errorf("lines neither parsed nor reported: %v", miss)
			}
		})
	}
}
