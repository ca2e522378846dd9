package parse

import (
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestScanner(t *testing.T) {
	long := strings.Repeat("x", MaxLine+10)
	tests := []struct {
		name       string
		input      string
		want       []Line
		wantIssues Issues
	}{
		{"empty", "", nil, nil},
		{"no final newline", "a\nb", []Line{{Pos{"f", 1}, "a"}, {Pos{"f", 2}, "b"}}, nil},
		{"crlf and blank", "a\r\n\r\nb\r\n", []Line{{Pos{"f", 1}, "a"}, {Pos{"f", 2}, ""}, {Pos{"f", 3}, "b"}}, nil},
		{"ansi colour", "\x1b[1;31mred\x1b[0m x\n", []Line{{Pos{"f", 1}, "red x"}}, nil},
		{"overlong line skipped", "a\n" + long + "\nb\n",
			[]Line{{Pos{"f", 1}, "a"}, {Pos{"f", 3}, "b"}},
			Issues{{Pos{"f", 2}, SevError, "line longer than 1048576 bytes skipped"}}},
		{"overlong last line", "a\n" + long,
			[]Line{{Pos{"f", 1}, "a"}},
			Issues{{Pos{"f", 2}, SevError, "line longer than 1048576 bytes skipped"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var issues Issues
			s := NewScanner(strings.NewReader(tt.input), "f", &issues)
			var got []Line
			for s.Scan() {
				got = append(got, s.Line())
			}
			if err := s.Err(); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("lines (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantIssues, issues); diff != "" {
				t.Errorf("issues (-want +got):\n%s", diff)
			}
		})
	}
}

// A 10 MB line must not be buffered whole.
func TestScannerHugeLineBoundedMemory(t *testing.T) {
	r := io.MultiReader(strings.NewReader("a\n"), io.LimitReader(infiniteX{}, 10<<20), strings.NewReader("\nb\n"))
	var issues Issues
	s := NewScanner(r, "f", &issues)
	var got []string
	for s.Scan() {
		got = append(got, s.Text())
	}
	if len(got) != 2 || got[1] != "b" || len(issues) != 1 {
		t.Fatalf("got %q issues %v", got, issues)
	}
}

type infiniteX struct{}

func (infiniteX) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'x'
	}
	return len(p), nil
}

func FuzzScanner(f *testing.F) {
	f.Add("a\nb\r\n\x1b[0m\n")
	f.Fuzz(func(t *testing.T, in string) {
		var issues Issues
		s := NewScanner(strings.NewReader(in), "f", &issues)
		n := 0
		for s.Scan() {
			n++
		}
		if want := strings.Count(in, "\n"); in != "" && !strings.HasSuffix(in, "\n") {
			want++
			if n+len(issues) != want {
				t.Fatalf("lines %d + issues %d != %d", n, len(issues), want)
			}
		} else if n+len(issues) != want {
			t.Fatalf("lines %d + issues %d != %d", n, len(issues), want)
		}
	})
}
