package ovs

import (
	"bytes"
	"errors"
	"io"
	"os"
	"strings"
	"testing"
	"testing/iotest"
	"unsafe"

	"github.com/google/go-cmp/cmp"

	"netxray/parse"
)

// ofScannerLines is what parse.Scanner makes of text: the reference that
// eachLine must match.
func ofScannerLines(text string) ([]parse.Line, parse.Issues) {
	var issues parse.Issues
	var lines []parse.Line
	sc := parse.NewScanner(strings.NewReader(text), "f", &issues)
	for sc.Scan() {
		lines = append(lines, sc.Line())
	}
	return lines, issues
}

func ofEachLine(text string) ([]parse.Line, parse.Issues) {
	var issues parse.Issues
	var lines []parse.Line
	eachLine(text, "f", &issues, func(l parse.Line) { lines = append(lines, l) })
	return lines, issues
}

func ofCheckEachLine(t *testing.T, text string) {
	t.Helper()
	wantLines, wantIssues := ofScannerLines(text)
	gotLines, gotIssues := ofEachLine(text)
	if diff := cmp.Diff(wantLines, gotLines); diff != "" {
		t.Errorf("lines of %.40q (-scanner +eachLine):\n%s", text, diff)
	}
	if diff := cmp.Diff(wantIssues, gotIssues); diff != "" {
		t.Errorf("issues of %.40q (-scanner +eachLine):\n%s", text, diff)
	}
}

// TestEachLineMatchesScanner checks that the zero-copy line splitter of
// ParseFlows delivers exactly the lines and issues parse.Scanner does.
func TestEachLineMatchesScanner(t *testing.T) {
	long := strings.Repeat("x", parse.MaxLine)
	for _, text := range []string{
		"", "\n", "\n\n", "a", "a\n", "a\nb", "a\r\nb\r\n", "\r", "\r\n", "a\r\r\n", "\ra\n",
		" cookie=0x1, priority=1 actions=drop \n\n  \nNXST_FLOW reply (xid=0x4):\n",
		"\x1b[31mcookie=0x1\x1b[0m, priority=1 actions=drop\n", // colour: the Scanner path
		long, long + "\n", long[1:] + "\n", long[1:] + "\r\n", long[2:] + "\r\n",
		"a\n" + long + "\nb\n", "a\n" + long + "x", "a\n" + long + long + "\nb",
	} {
		ofCheckEachLine(t, text)
	}
}

func FuzzEachLine(f *testing.F) {
	for _, s := range []string{"a\r\nb", "\x1b[1mx\n", "\n\r\n\r"} {
		f.Add(s)
	}
	f.Fuzz(ofCheckEachLine)
}

// TestParseFlowsReaders checks that how the input arrives (unknown size,
// one byte per read) changes nothing, and that a read error is returned.
func TestParseFlowsReaders(t *testing.T) {
	want, err := ParseFlows(strings.NewReader(ofRealDumpOVS31), "f")
	if err != nil {
		t.Fatal(err)
	}
	got, err := ParseFlows(iotest.OneByteReader(bytes.NewBufferString(ofRealDumpOVS31)), "f")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("one byte per read (-want +got):\n%s", diff)
	}
	boom := errors.New("boom")
	_, err = ParseFlows(iotest.DataErrReader(iotest.ErrReader(boom)), "f")
	if !errors.Is(err, boom) || !strings.Contains(err.Error(), "reading f") {
		t.Errorf("read error: %v", err)
	}
}

// TestReadWhole checks that readWhole returns what is left to read from
// every kind of reader, and that a strings.Reader's string is kept without
// a copy (bundle members from archives come as strings.Readers).
func TestReadWhole(t *testing.T) {
	const text = "NXST_FLOW reply (xid=0x4):\n cookie=0x1, priority=1 actions=drop\n"
	path := t.TempDir() + "/dump"
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	file, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	partly := strings.NewReader(text)
	if _, err := partly.Read(make([]byte, 5)); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		r    io.Reader
		want string
	}{
		{"strings.Reader", strings.NewReader(text), text},
		{"strings.Reader read in part", partly, text[5:]},
		{"bytes.Reader", bytes.NewReader([]byte(text)), text},
		{"file", file, text},
		{"one byte per read", iotest.OneByteReader(strings.NewReader(text)), text},
		{"empty", strings.NewReader(""), ""},
	} {
		got, err := readWhole(c.r)
		if err != nil || got != c.want {
			t.Errorf("%s: %q, %v; want %q", c.name, got, err, c.want)
		}
	}
	got, _ := readWhole(strings.NewReader(text))
	if unsafe.StringData(got) != unsafe.StringData(text) {
		t.Error("strings.Reader: the string was copied")
	}
	got, _ = readWhole(restReader{text})
	if got != text || unsafe.StringData(got) != unsafe.StringData(text) {
		t.Errorf("ReadRest reader: %q, or copied", got)
	}
}

// restReader stands for collect's in-memory bundle members.
type restReader struct{ s string }

func (r restReader) Read([]byte) (int, error) { return 0, errors.New("Read called") }
func (r restReader) ReadRest() string         { return r.s }
