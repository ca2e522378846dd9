package libvirt

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"netxray/parse"
)

// p is a position in the test file "f".
func p(line int) parse.Pos { return parse.Pos{File: "f", Line: line} }

func issue(line int, sev parse.Severity, msg string) parse.Issue {
	return parse.Issue{Pos: p(line), Severity: sev, Msg: msg}
}

// check compares a result and its issues with what a table case wants.
func check[T any](t *testing.T, got, want T, gotIssues, wantIssues parse.Issues, err error, opts ...cmp.Option) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	opts = append(opts, cmpopts.EquateEmpty())
	if diff := cmp.Diff(want, got, opts...); diff != "" {
		t.Errorf("result (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(wantIssues, gotIssues, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("issues (-want +got):\n%s", diff)
	}
}

func intp(n int) *int { return &n }
