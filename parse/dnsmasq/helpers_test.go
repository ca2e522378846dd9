package dnsmasq

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

var cmpOpts = []cmp.Option{cmpopts.EquateComparable(netip.Addr{}), cmpopts.EquateEmpty()}

func ip(s string) netip.Addr { return netip.MustParseAddr(s) }

// pos builds a position in the file every inline test uses.
func pos(line int) parse.Pos { return parse.Pos{File: "t", Line: line} }

// matchIssues checks that got has exactly the wanted issues, each given as
// "line: severity: substring of the message".
func matchIssues(t *testing.T, got parse.Issues, want []string) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("issues: got %d, want %d\n got: %v\nwant: %q", len(got), len(want), got, want)
		return
	}
	for i, w := range want {
		line, rest, _ := strings.Cut(w, ": ")
		sev, sub, _ := strings.Cut(rest, ": ")
		g := got[i]
		if fmt.Sprint(g.Pos.Line) != line || g.Severity.String() != sev || !strings.Contains(g.Msg, sub) {
			t.Errorf("issue %d: got %v, want %q", i, g, w)
		}
	}
}

// recordLines returns the lines of the records of any result of this
// package.
func recordLines(res parse.Result) map[int]bool {
	seen := map[int]bool{}
	switch x := res.(type) {
	case *Hosts:
		for _, e := range x.Entries {
			seen[e.Pos.Line] = true
		}
	case *Leases:
		for _, e := range x.Leases {
			seen[e.Pos.Line] = true
		}
		for _, d := range x.DUIDs {
			seen[d.Pos.Line] = true
		}
	case *AddnHosts:
		for _, e := range x.Entries {
			seen[e.Pos.Line] = true
		}
	}
	return seen
}

// uncovered returns the non-blank input lines that are neither a record
// nor named by an issue: the no-silent-drop property.
func uncovered(input string, res parse.Result) []int {
	seen := recordLines(res)
	for _, i := range res.Problems() {
		seen[i.Pos.Line] = true
	}
	var miss []int
	sc := parse.NewScanner(strings.NewReader(input), "t", nil)
	for sc.Scan() {
		if strings.TrimSpace(sc.Text()) != "" && !seen[sc.Pos().Line] {
			miss = append(miss, sc.Pos().Line)
		}
	}
	return miss
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
func runTable[R parse.Result, T any](t *testing.T, tests []tableCase[T], parseFn func(io.Reader, string) (R, error), records func(R) []T) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseFn(strings.NewReader(tt.input), "t")
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, records(got), cmpOpts...); diff != "" {
				t.Errorf("records (-want +got):\n%s", diff)
			}
			matchIssues(t, got.Problems(), tt.wantIssues)
			if miss := uncovered(tt.input, got); len(miss) > 0 {
				t.Errorf("lines neither parsed nor reported: %v", miss)
			}
		})
	}
}

func formatOf(t testing.TB, k parse.Kind) parse.Format {
	for _, f := range Formats {
		if f.Kind == k {
			return f
		}
	}
	t.Fatalf("no format %s", k)
	return parse.Format{}
}
