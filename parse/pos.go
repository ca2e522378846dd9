package parse

import (
	"errors"
	"fmt"
	"sort"
)

// Pos is where a record came from: a file (as named inside its bundle) and a
// 1-based line number. Line 0 means the whole file.
type Pos struct {
	File string `json:"file"`
	Line int    `json:"line"`
}

func (p Pos) String() string {
	if p.Line <= 0 {
		return p.File
	}
	return fmt.Sprintf("%s:%d", p.File, p.Line)
}

// Severity ranks a parse problem.
type Severity int

const (
	// SevError: a line or record was not understood and its data is lost
	// for analysis (it is still quoted in the problem).
	SevError Severity = iota
	// SevWarning: the record was kept, but part of it (an unknown keyword,
	// an odd value) was kept only as raw text.
	SevWarning
	// SevInfo: something worth knowing that loses nothing (a truncation
	// marker, an error message the tool printed into its output).
	SevInfo
)

func (s Severity) String() string {
	switch s {
	case SevError:
		return "error"
	case SevWarning:
		return "warning"
	case SevInfo:
		return "info"
	}
	return fmt.Sprintf("severity(%d)", int(s))
}

// MarshalText makes severities readable in JSON.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Issue is one problem found while parsing, kept as data.
type Issue struct {
	Pos      Pos      `json:"pos"`
	Severity Severity `json:"severity"`
	Msg      string   `json:"msg"`
}

func (i Issue) String() string { return fmt.Sprintf("%s: %s: %s", i.Pos, i.Severity, i.Msg) }

// Issues is the list every parse result carries.
type Issues []Issue

// Addf appends an issue at pos.
func (l *Issues) Addf(pos Pos, sev Severity, format string, args ...any) {
	*l = append(*l, Issue{Pos: pos, Severity: sev, Msg: fmt.Sprintf(format, args...)})
}

// Errorf appends an error-severity issue at pos.
func (l *Issues) Errorf(pos Pos, format string, args ...any) { l.Addf(pos, SevError, format, args...) }

// Warnf appends a warning-severity issue at pos.
func (l *Issues) Warnf(pos Pos, format string, args ...any) { l.Addf(pos, SevWarning, format, args...) }

// Sort orders issues by file, line, then message, for stable output.
func (l Issues) Sort() {
	sort.SliceStable(l, func(i, j int) bool {
		a, b := l[i], l[j]
		if a.Pos.File != b.Pos.File {
			return a.Pos.File < b.Pos.File
		}
		if a.Pos.Line != b.Pos.Line {
			return a.Pos.Line < b.Pos.Line
		}
		return a.Msg < b.Msg
	})
}

// Count returns how many issues have severity sev.
func (l Issues) Count(sev Severity) int {
	n := 0
	for _, i := range l {
		if i.Severity == sev {
			n++
		}
	}
	return n
}

// ErrSyntax is wrapped by every positioned parse error.
var ErrSyntax = errors.New("syntax error")

// ErrFormat means the input is not the format the parser reads at all.
var ErrFormat = errors.New("not this format")

// Error is a positioned error; errors.Is(err, ErrSyntax) works through it.
type Error struct {
	Pos Pos
	Err error
}

func (e *Error) Error() string { return fmt.Sprintf("%s: %v", e.Pos, e.Err) }
func (e *Error) Unwrap() error { return e.Err }

// Errorf returns a positioned error wrapping ErrSyntax.
func Errorf(pos Pos, format string, args ...any) error {
	return &Error{Pos: pos, Err: fmt.Errorf("%w: %s", ErrSyntax, fmt.Sprintf(format, args...))}
}
