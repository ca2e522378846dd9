package iptables

import (
	"strings"
	"testing"

	"netxray/parse"
)

// covered returns the lines that belong to a table, chain, rule, COMMIT or
// comment of s.
func covered(s *Save) map[int]bool {
	lines := map[int]bool{}
	for _, c := range s.Comments {
		lines[c.Pos.Line] = true
	}
	for _, t := range s.Tables {
		lines[t.Pos.Line] = true
		lines[t.Commit.Line] = true
		for _, c := range t.Chains {
			if c.Raw != "" {
				lines[c.Pos.Line] = true
			}
			for _, r := range c.Rules {
				lines[r.Pos.Line] = true
			}
		}
	}
	return lines
}

func FuzzParseSave(f *testing.F) {
	f.Add(natSample)
	f.Add(accessSample)
	f.Add("*filter\r\n:INPUT DROP [5:300]\n[1:2] -A INPUT ! -s 10.0.0.0/8 -m comment --comment \"a \\\" b\" -j ACCEPT\n")
	f.Add("-A X\n*nat\n:X - \n-A Y -m foo --x ! y -j FOO --z\nCOMMIT\nCOMMIT\n$ x\nCannot open network namespace\n")
	f.Fuzz(func(t *testing.T, in string) {
		s, err := ParseSave(strings.NewReader(in), "f")
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		lines := covered(s)
		for _, is := range s.Issues {
			lines[is.Pos.Line] = true
		}
		sc := parse.NewScanner(strings.NewReader(in), "f", nil)
		for sc.Scan() {
			if strings.TrimSpace(sc.Text()) != "" && !lines[sc.Pos().Line] {
				t.Fatalf("line %d %q neither parsed nor reported", sc.Pos().Line, sc.Text())
			}
		}
	})
}
