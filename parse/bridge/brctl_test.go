package bridge

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"netxray/parse"
)

func TestParseBrctlShow(t *testing.T) {
	const f = "brctl"
	pos := func(n int) parse.Pos { return parse.Pos{File: f, Line: n} }
	tests := []struct {
		name       string
		input      string
		want       []Bridge
		wantIssues parse.Issues
	}{
		{
			// Captured with bridge-utils 1.7.1.
			name: "tabs, continuation, empty bridge",
			input: "bridge name\tbridge id\t\tSTP enabled\tinterfaces\n" +
				"br0\t\t8000.82fb12a9a816\tno\t\tveth0\n" +
				"\t\t\t\t\t\t\tvxlan-1001\n" +
				"virbr0\t\t8000.525400112233\tyes\t\t\n",
			want: []Bridge{
				{Pos: pos(2), Raw: "br0\t\t8000.82fb12a9a816\tno\t\tveth0", Name: "br0", ID: "8000.82fb12a9a816",
					Priority: 0x8000, MAC: "82:fb:12:a9:a8:16", STPRaw: "no",
					Interfaces: []Member{{pos(2), "veth0"}, {pos(3), "vxlan-1001"}}},
				{Pos: pos(4), Raw: "virbr0\t\t8000.525400112233\tyes\t\t", Name: "virbr0", ID: "8000.525400112233",
					Priority: 0x8000, MAC: "52:54:00:11:22:33", STP: true, STPRaw: "yes"},
			},
		},
		{
			name: "unindented member, odd STP, extra names, garbage",
			input: "br-x 0000.E2E7FC5CCB4D maybe a b\n" +
				"c\n" +
				"what is this\n" +
				"bridge br9 does not exist!\n",
			want: []Bridge{{Pos: pos(1), Raw: "br-x 0000.E2E7FC5CCB4D maybe a b", Name: "br-x", ID: "0000.E2E7FC5CCB4D",
				MAC: "e2:e7:fc:5c:cb:4d", STPRaw: "maybe",
				Interfaces: []Member{{pos(1), "a"}, {pos(1), "b"}, {pos(2), "c"}}}},
			wantIssues: parse.Issues{
				{Pos: pos(1), Severity: parse.SevWarning, Msg: `STP column "maybe" is neither yes nor no`},
				{Pos: pos(1), Severity: parse.SevWarning, Msg: "bridge br-x line has 2 interface names; expected at most one"},
				{Pos: pos(2), Severity: parse.SevWarning, Msg: `interface "c" without leading whitespace taken as a port of br-x`},
				{Pos: pos(3), Severity: parse.SevError, Msg: `not a brctl show line: "what is this"`},
				{Pos: pos(4), Severity: parse.SevInfo, Msg: "command failed: bridge br9 does not exist!"},
			},
		},
		{
			name:       "member before any bridge",
			input:      "\t\ttap0\n",
			wantIssues: parse.Issues{{Pos: pos(1), Severity: parse.SevError, Msg: `not a brctl show line: "\t\ttap0"`}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseBrctlShow(strings.NewReader(tc.input), f)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got.Bridges, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("bridges (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.wantIssues, got.Issues, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("issues (-want +got):\n%s", diff)
			}
		})
	}
	b := Bridge{Interfaces: []Member{{Name: "a"}, {Name: "b"}}}
	if diff := cmp.Diff([]string{"a", "b"}, b.MemberNames()); diff != "" {
		t.Error(diff)
	}
}

func FuzzParseBrctlShow(f *testing.F) {
	f.Add("bridge name\tbridge id\t\tSTP enabled\tinterfaces\nbr0\t\t8000.82fb12a9a816\tno\t\tveth0\n\t\t\t\tvxlan-1001\n")
	f.Add("x 8000.82fb12a9a816 no\ny\n z q\n")
	f.Fuzz(func(t *testing.T, input string) {
		got, err := ParseBrctlShow(strings.NewReader(input), "fuzz")
		if err != nil {
			t.Fatal(err)
		}
		lines := map[int]bool{}
		for _, b := range got.Bridges {
			lines[b.Pos.Line] = true
			for _, m := range b.Interfaces {
				lines[m.Pos.Line] = true
			}
		}
		covered(t, input, lines, got.Issues)
	})
}
