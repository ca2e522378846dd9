package ovn

import (
	"fmt"
	"io"
	"net/netip"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"netxray/parse"
)

var cmpOpts = []cmp.Option{cmpopts.EquateComparable(netip.Addr{}, netip.Prefix{}), cmpopts.EquateEmpty()}

func ip(s string) netip.Addr    { return netip.MustParseAddr(s) }
func pfx(s string) netip.Prefix { return netip.MustParsePrefix(s) }
func pos(line int) parse.Pos    { return parse.Pos{File: "t", Line: line} }
func ips(s ...string) []netip.Addr {
	var out []netip.Addr
	for _, x := range s {
		out = append(out, ip(x))
	}
	return out
}

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

// recordLines returns the lines that are records or columns stored in
// them, for the no-silent-drop property.
func recordLines(res parse.Result) map[int]bool {
	seen := map[int]bool{}
	add := func(p parse.Pos) { seen[p.Line] = true }
	addCols := func(cs []Column) {
		for _, c := range cs {
			add(c.Pos)
		}
	}
	switch x := res.(type) {
	case *NBShow:
		for _, s := range x.Switches {
			add(s.Pos)
			addCols(s.Extra)
			for _, p := range s.Ports {
				add(p.Pos)
				addCols(p.Extra)
			}
		}
		for _, r := range x.Routers {
			add(r.Pos)
			addCols(r.Extra)
			for _, p := range r.Ports {
				add(p.Pos)
				addCols(p.Extra)
			}
			for _, n := range r.NATs {
				add(n.Pos)
				addCols(n.Extra)
			}
		}
	case *SBShow:
		for _, c := range x.Chassis {
			add(c.Pos)
			addCols(c.Extra)
			for _, e := range c.Encaps {
				add(e.Pos)
				addCols(e.Extra)
			}
			for _, p := range c.Ports {
				add(p.Pos)
			}
		}
	}
	return seen
}

// uncovered returns the non-blank input lines that are neither part of a
// record nor named by an issue. Column lines stored in typed fields have
// no position of their own, so a line also counts when it follows a
// record line within the same block (columns never start a block).
func uncovered(input string, res parse.Result) []int {
	seen := recordLines(res)
	for _, i := range res.Problems() {
		seen[i.Pos.Line] = true
	}
	var miss []int
	inBlock := false
	sc := parse.NewScanner(strings.NewReader(input), "t", nil)
	for sc.Scan() {
		n, t := sc.Pos().Line, strings.TrimSpace(sc.Text())
		switch {
		case t == "":
		case seen[n]:
			inBlock = true
		case inBlock && isColumnLine(t):
		default:
			miss = append(miss, n)
		}
	}
	return miss
}

// isColumnLine reports a "key: value" line of either show output.
func isColumnLine(t string) bool {
	key, _, ok := strings.Cut(t, ": ")
	return ok && (isNBKey(key) || isColumnName(key))
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

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}
