package iproute

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"netxray/parse"
)

// jfield is one member of a JSON object, kept in document order (ip -j key
// order follows the text form, and encoding/json maps would lose it) with
// the offset of its value in the file.
type jfield struct {
	Key string
	Val json.RawMessage
	Off int
}

// jdoc is a JSON file being read: its bytes and where its lines start, to
// give every record a line.
type jdoc struct {
	file  string
	data  []byte
	lines []int // offsets of line starts
}

func newJdoc(file string, data []byte) *jdoc {
	d := &jdoc{file: file, data: data, lines: []int{0}}
	for i, c := range data {
		if c == '\n' {
			d.lines = append(d.lines, i+1)
		}
	}
	return d
}

// pos returns the position of byte offset off.
func (d *jdoc) pos(off int) parse.Pos {
	n := sort.Search(len(d.lines), func(i int) bool { return d.lines[i] > off })
	return parse.Pos{File: d.file, Line: n}
}

// skip returns the first offset at or after off that is not blank or one
// of the separators in seps.
func (d *jdoc) skip(off int, seps string) int {
	for off < len(d.data) && (strings.IndexByte(" \t\r\n", d.data[off]) >= 0 || strings.IndexByte(seps, d.data[off]) >= 0) {
		off++
	}
	return off
}

// jelem is one element of the top-level arrays: an object (or anything
// else, reported by the caller) and where it starts.
type jelem struct {
	Val json.RawMessage
	Off int
}

// elements returns the elements of every top-level array in the file.
// Text around the arrays (banners, error messages printed into the file)
// becomes issues; a JSON syntax error stops the reading with an error
// issue, keeping what was read before it.
func (d *jdoc) elements(issues *parse.Issues) []jelem {
	var out []jelem
	off := 0
	for {
		off = d.skip(off, "")
		if off >= len(d.data) {
			return out
		}
		if d.data[off] != '[' {
			end := bytes.IndexByte(d.data[off:], '\n')
			if end < 0 {
				end = len(d.data) - off
			}
			l := parse.Line{Pos: d.pos(off), Text: strings.TrimRight(string(d.data[off:off+end]), "\r")}
			if !skipBanner(l, issues) && !skipFailure(l, issues) {
				issues.Errorf(l.Pos, "unexpected text outside the JSON array: %s", l.Text)
			}
			off += end
			continue
		}
		dec := json.NewDecoder(bytes.NewReader(d.data[off:]))
		if _, err := dec.Token(); err != nil {
			issues.Errorf(d.pos(off), "bad JSON: %v", err)
			return out
		}
		for dec.More() {
			start := d.skip(off+int(dec.InputOffset()), ",")
			var v json.RawMessage
			if err := dec.Decode(&v); err != nil {
				issues.Errorf(d.pos(d.errOffset(off, dec, err)), "bad JSON: %v", err)
				return out
			}
			out = append(out, jelem{Val: v, Off: start})
		}
		if _, err := dec.Token(); err != nil {
			issues.Errorf(d.pos(off+int(dec.InputOffset())), "bad JSON: %v", err)
			return out
		}
		off += int(dec.InputOffset())
	}
}

// errOffset returns where a decoding error happened, in file offsets.
func (d *jdoc) errOffset(base int, dec *json.Decoder, err error) int {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return base + int(se.Offset)
	}
	return base + int(dec.InputOffset())
}

// object returns the members of the JSON object raw, which starts at file
// offset base.
func object(raw json.RawMessage, base int) ([]jfield, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	t, err := dec.Token()
	if err != nil {
		return nil, err
	}
	if t != json.Delim('{') {
		return nil, fmt.Errorf("expected an object, found %s", jsonKind(raw))
	}
	var out []jfield
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, err
		}
		key, _ := t.(string)
		off := int(dec.InputOffset())
		for off < len(raw) && strings.IndexByte(" \t\r\n:", raw[off]) >= 0 {
			off++
		}
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, err
		}
		out = append(out, jfield{Key: key, Val: v, Off: base + off})
	}
	return out, nil
}

// jsonKind names the JSON type of raw, for messages.
func jsonKind(raw json.RawMessage) string {
	raw = bytes.TrimLeft(raw, " \t\r\n")
	if len(raw) == 0 {
		return "nothing"
	}
	switch raw[0] {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number"
}

// jstr returns a string or number member as text.
func jstr(raw json.RawMessage) (string, bool) {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s, true
	}
	var n json.Number
	if json.Unmarshal(raw, &n) == nil {
		return n.String(), true
	}
	return "", false
}

// jint returns a number member (or a numeric string) as int64.
func jint(raw json.RawMessage) (int64, bool) {
	s, ok := jstr(raw)
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseInt(s, 0, 64)
	if err != nil {
		u, err2 := strconv.ParseUint(s, 0, 64)
		if err2 != nil {
			return 0, false
		}
		return int64(u), true
	}
	return n, true
}

// juint returns a number member (or a numeric string, hex allowed) as
// uint64.
func juint(raw json.RawMessage) (uint64, bool) {
	s, ok := jstr(raw)
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseUint(s, 0, 64)
	return n, err == nil
}

// jstrings returns an array of strings.
func jstrings(raw json.RawMessage) ([]string, bool) {
	var out []string
	if json.Unmarshal(raw, &out) != nil {
		return nil, false
	}
	return out, true
}

// isNull reports a JSON null; ip -j prints flag words as "key": null.
func isNull(raw json.RawMessage) bool {
	return string(bytes.TrimSpace(raw)) == "null"
}

// jtext flattens any JSON value to the text kept in a Param: strings and
// numbers as they are, booleans as "true"/"false", null as "", arrays
// joined with ",", objects as compact JSON.
func jtext(raw json.RawMessage) string {
	if s, ok := jstr(raw); ok {
		return s
	}
	raw = bytes.TrimSpace(raw)
	switch {
	case isNull(raw):
		return ""
	case len(raw) > 0 && raw[0] == '[':
		var items []json.RawMessage
		if json.Unmarshal(raw, &items) == nil {
			parts := make([]string, len(items))
			for i, it := range items {
				parts[i] = jtext(it)
			}
			return strings.Join(parts, ",")
		}
	}
	var buf bytes.Buffer
	if json.Compact(&buf, raw) == nil {
		return buf.String()
	}
	return string(raw)
}

// flatten turns an object member into Params: nested objects become dotted
// keys ("port_range.low").
func flatten(prefix string, raw json.RawMessage, base int) Params {
	fs, err := object(raw, base)
	if err != nil {
		return Params{{Key: prefix, Value: jtext(raw)}}
	}
	var out Params
	for _, f := range fs {
		key := f.Key
		if prefix != "" {
			key = prefix + "." + f.Key
		}
		if v := bytes.TrimSpace(f.Val); len(v) > 0 && v[0] == '{' {
			out = append(out, flatten(key, f.Val, f.Off)...)
			continue
		}
		out = append(out, Param{Key: key, Value: jtext(f.Val)})
	}
	return out
}

// compact returns raw as one line, for Raw fields.
func compact(raw json.RawMessage) string {
	var buf bytes.Buffer
	if json.Compact(&buf, raw) != nil {
		return string(raw)
	}
	return buf.String()
}

// jrec is one object of a JSON file: its members, where it starts, its
// last line, and its compact text for Raw.
type jrec struct {
	fields []jfield
	pos    parse.Pos
	end    int
	raw    string
}

// jrecords walks the objects of a JSON file, calling fn with each;
// elements that are not objects become errors.
func jrecords(d *jdoc, issues *parse.Issues, fn func(r jrec)) {
	for _, e := range d.elements(issues) {
		pos := d.pos(e.Off)
		fs, err := object(e.Val, e.Off)
		if err != nil {
			issues.Errorf(pos, "bad JSON record: %v", err)
			continue
		}
		fn(jrec{fields: fs, pos: pos, end: d.pos(e.Off + max(len(e.Val)-1, 0)).Line, raw: compact(e.Val)})
	}
}
