package parse

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
)

// MaxLine is the longest line a parser accepts. Longer lines (a flow with a
// huge learn(), a corrupted file with no newlines) are skipped and reported,
// never buffered whole: a 10 MB line must not cost 10 MB.
const MaxLine = 1 << 20

// Line is one line of input with its position. Text has the line ending
// (\n or \r\n) and ANSI colour escapes removed.
type Line struct {
	Pos  Pos
	Text string
}

// Scanner reads lines with positions. Unlike bufio.Scanner it does not stop
// at the first overlong line: it skips it, records an Issue and goes on.
type Scanner struct {
	r      *bufio.Reader
	file   string
	line   int
	cur    Line
	err    error
	issues *Issues
}

// NewScanner returns a Scanner over r. Overlong lines are reported into
// issues (which may be nil to drop them; parsers should pass their own).
func NewScanner(r io.Reader, file string, issues *Issues) *Scanner {
	return &Scanner{r: bufio.NewReaderSize(r, 64<<10), file: file, issues: issues}
}

// Scan advances to the next line. It returns false at EOF or on a read error
// (see Err).
func (s *Scanner) Scan() bool {
	for {
		if s.err != nil {
			return false
		}
		text, tooLong, err := s.readLine()
		if err != nil && !errors.Is(err, io.EOF) {
			s.err = fmt.Errorf("reading %s: %w", s.file, err)
			return false
		}
		if errors.Is(err, io.EOF) && text == nil && !tooLong {
			s.err = io.EOF
			return false
		}
		s.line++
		if errors.Is(err, io.EOF) {
			s.err = io.EOF
		}
		if tooLong {
			if s.issues != nil {
				s.issues.Errorf(Pos{s.file, s.line}, "line longer than %d bytes skipped", MaxLine)
			}
			if s.err != nil {
				return false
			}
			continue
		}
		s.cur = Line{Pos: Pos{File: s.file, Line: s.line}, Text: clean(text)}
		return true
	}
}

// readLine returns the next line without its ending. For a line over MaxLine
// it discards the rest of the line and reports tooLong.
func (s *Scanner) readLine() (line []byte, tooLong bool, err error) {
	var buf []byte
	for {
		chunk, err := s.r.ReadSlice('\n')
		if len(buf)+len(chunk) > MaxLine {
			tooLong = true
			buf = nil
		}
		if !tooLong {
			buf = append(buf, chunk...)
		}
		switch {
		case err == nil:
			return trimEOL(buf), tooLong, nil
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case errors.Is(err, io.EOF):
			if len(buf) == 0 && !tooLong {
				return nil, false, io.EOF
			}
			return trimEOL(buf), tooLong, io.EOF
		default:
			return nil, false, err
		}
	}
}

func trimEOL(b []byte) []byte {
	b = bytes.TrimSuffix(b, []byte("\n"))
	b = bytes.TrimSuffix(b, []byte("\r"))
	if b == nil {
		b = []byte{}
	}
	return b
}

// clean strips ANSI colour escapes (ESC [ ... m), which iproute2 and OVS
// print when colour was forced.
func clean(b []byte) string {
	if bytes.IndexByte(b, 0x1b) < 0 {
		return string(b)
	}
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		if b[i] == 0x1b && i+1 < len(b) && b[i+1] == '[' {
			j := i + 2
			for j < len(b) && (b[j] >= '0' && b[j] <= '9' || b[j] == ';') {
				j++
			}
			if j < len(b) && b[j] == 'm' {
				i = j
				continue
			}
		}
		out = append(out, b[i])
	}
	return string(out)
}

// Line returns the current line.
func (s *Scanner) Line() Line { return s.cur }

// Text returns the current line's text.
func (s *Scanner) Text() string { return s.cur.Text }

// Pos returns the current line's position.
func (s *Scanner) Pos() Pos { return s.cur.Pos }

// Err returns the first read error, or nil at a clean EOF.
func (s *Scanner) Err() error {
	if errors.Is(s.err, io.EOF) {
		return nil
	}
	return s.err
}
