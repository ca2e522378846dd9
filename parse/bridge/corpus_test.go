package bridge

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"netxray/internal/testenv"
	"netxray/parse"
)

// seedBlock returns lines first..last of a seed file, preceded by first-1
// empty lines so that positions are the seed file's own line numbers.
func seedBlock(t *testing.T, path string, first, last int) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(b), "\n")
	if last > len(lines) {
		t.Fatalf("%s has %d lines, block ends at %d", path, len(lines), last)
	}
	var out bytes.Buffer
	out.WriteString(strings.Repeat("\n", first-1))
	for _, l := range lines[first-1 : last] {
		out.WriteString(l + "\n")
	}
	return out.Bytes()
}

type corpusCase struct {
	file        string // relative to shared/
	first, last int    // seed line range; 0 for whole file
	kind        parse.Kind
	records     int
	problems    []string // "line: severity: substring" expected, in order
}

func runCorpus(t *testing.T, cases []corpusCase) {
	shared := testenv.Shared(t)
	for _, c := range cases {
		t.Run(filepath.Base(c.file), func(t *testing.T) {
			path := filepath.Join(shared, c.file)
			var data []byte
			if c.first > 0 {
				data = seedBlock(t, path, c.first, c.last)
			} else {
				var err error
				if data, err = os.ReadFile(path); err != nil {
					t.Fatal(err)
				}
			}
			f := formatOf(t, c.kind)
			if !f.Sniff(data) {
				t.Errorf("Sniff(%s) = false", c.kind)
			}
			res, err := f.Parse(bytes.NewReader(data), c.file)
			if err != nil {
				t.Fatal(err)
			}
			if res.Records() != c.records {
				t.Errorf("records = %d, want %d", res.Records(), c.records)
			}
			checkProblems(t, res.Problems(), c.problems)
		})
	}
}

func formatOf(t *testing.T, k parse.Kind) parse.Format {
	for _, f := range Formats {
		if f.Kind == k {
			return f
		}
	}
	t.Fatalf("no format %s", k)
	return parse.Format{}
}

// checkProblems compares issues with "line: severity: substring" specs.
func checkProblems(t *testing.T, got parse.Issues, want []string) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("got %d problems, want %d:\n%v", len(got), len(want), got)
		return
	}
	for i, w := range want {
		s := got[i].String()
		parts := strings.SplitN(w, ": ", 3)
		if !strings.HasSuffix(got[i].Pos.String(), ":"+parts[0]) ||
			got[i].Severity.String() != parts[1] || !strings.Contains(got[i].Msg, parts[2]) {
			t.Errorf("problem %d = %q, want %q", i, s, w)
		}
	}
}

func TestCorpus(t *testing.T) {
	runCorpus(t, []corpusCase{
		{file: "real/neutron-devref-layer3/brctl_show.txt", kind: KindBrctl, records: 6},
		{file: "real/insights-core-fixtures/brctl_show_tabs.txt", kind: KindBrctl, records: 2},
		// Pasted into a blog: whitespace collapsed, the continuation line
		// lost its indentation.
		{file: "seeds/001_a2c8ad67aaf93afb.txt", first: 125, last: 127, kind: KindBrctl, records: 1,
			problems: []string{"127: warning: without leading whitespace"}},
		{file: "seeds/004_28bc4c432f39284d.txt", first: 125, last: 127, kind: KindBrctl, records: 1},
		{file: "seeds/004_28bc4c432f39284d.txt", first: 304, last: 310, kind: KindBrctl, records: 2},
	})
}

// covered checks the fuzz property: every non-blank line is part of a
// record or named in an issue (header lines of brctl are exempt).
func covered(t *testing.T, input string, records map[int]bool, issues parse.Issues) {
	t.Helper()
	for _, is := range issues {
		records[is.Pos.Line] = true
	}
	sc := parse.NewScanner(strings.NewReader(input), "fuzz", nil)
	for sc.Scan() {
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "bridge name") {
			continue
		}
		if !records[sc.Pos().Line] {
			t.Fatalf("line %d %q neither parsed nor reported", sc.Pos().Line, text)
		}
	}
}
