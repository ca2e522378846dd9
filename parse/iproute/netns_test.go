package iproute

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"netxray/parse"
)

func TestParseNetns(t *testing.T) {
	tests := []tableCase[Namespace]{
		{
			name:  "with and without ids",
			input: "fip-e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a5b (id: 2)\nqdhcp-0c8d2a6e-91b4-4d1f-8f0e-3a2b1c0d9e8f\n",
			want: []Namespace{
				{Pos: pos(1), Raw: "fip-e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a5b (id: 2)", Name: "fip-e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a5b", ID: 2},
				{Pos: pos(2), Raw: "qdhcp-0c8d2a6e-91b4-4d1f-8f0e-3a2b1c0d9e8f", Name: "qdhcp-0c8d2a6e-91b4-4d1f-8f0e-3a2b1c0d9e8f", ID: -1},
			},
		},
		{
			name:  "bad lines",
			input: "$ ip netns\nqrouter-1 (id: x)\nthis is not a namespace\nqrouter-2\n",
			want: []Namespace{
				{Pos: pos(2), Raw: "qrouter-1 (id: x)", Name: "qrouter-1", ID: -1},
				{Pos: pos(4), Raw: "qrouter-2", Name: "qrouter-2", ID: -1},
			},
			wantIssues: []string{
				"1: info: collector banner skipped",
				"2: warning: namespace qrouter-1: unreadable id",
				"3: error: not a namespace line",
			},
		},
	}
	runTable(t, tests, ParseNetns, func(x *Namespaces) []Namespace { return x.Namespaces })
}

func TestParseNetnsJSON(t *testing.T) {
	got, err := ParseNetns(strings.NewReader(`[{"name":"qrouter-1","id":1},{"name":"qdhcp-2"},{"name":"x","color":"red"}]`), "t")
	if err != nil {
		t.Fatal(err)
	}
	want := []Namespace{
		{Pos: pos(1), Raw: `{"name":"qrouter-1","id":1}`, Name: "qrouter-1", ID: 1},
		{Pos: pos(1), Raw: `{"name":"qdhcp-2"}`, Name: "qdhcp-2", ID: -1},
		{Pos: pos(1), Raw: `{"name":"x","color":"red"}`, Name: "x", ID: -1, Extra: Params{{"color", "red"}}},
	}
	if diff := cmp.Diff(want, got.Namespaces, cmpOpts...); diff != "" {
		t.Errorf("namespaces (-want +got):\n%s", diff)
	}
	matchIssues(t, got.Issues, []string{`1: warning: unknown namespace JSON member "color"`})
}

func TestParseNetnsErrFormat(t *testing.T) {
	_, err := ParseNetns(strings.NewReader("1: lo: <LOOPBACK,UP> mtu 65536\n    link/loopback 00:00:00:00:00:00\n"), "t")
	if !errors.Is(err, parse.ErrFormat) {
		t.Errorf("ip link read as netns: error = %v, want ErrFormat", err)
	}
}
