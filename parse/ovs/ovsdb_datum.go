package ovs

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"netxray/parse"
)

// AtomType is the OVSDB type of one atom.
type AtomType int

// The OVSDB atomic types (ovsdb(7) "Notation").
const (
	AtomString AtomType = iota
	AtomInteger
	AtomReal
	AtomBoolean
	AtomUUID
	// AtomNamedUUID only appears inside transactions of a database file
	// (["named-uuid", "row1"]); it names a row inserted by the same
	// transaction.
	AtomNamedUUID
)

func (t AtomType) String() string {
	switch t {
	case AtomString:
		return "string"
	case AtomInteger:
		return "integer"
	case AtomReal:
		return "real"
	case AtomBoolean:
		return "boolean"
	case AtomUUID:
		return "uuid"
	case AtomNamedUUID:
		return "named-uuid"
	}
	return fmt.Sprintf("atomtype(%d)", int(t))
}

// MarshalText makes atom types readable in JSON.
func (t AtomType) MarshalText() ([]byte, error) { return []byte(t.String()), nil }

// Atom is one OVSDB atom. Text is the string itself for strings (quotes and
// escapes removed), the UUID for UUIDs, and the value as printed for
// numbers and booleans.
type Atom struct {
	Type AtomType
	Text string
}

// Int returns the atom as an integer.
func (a Atom) Int() (int64, bool) {
	if a.Type != AtomInteger && a.Type != AtomReal {
		return 0, false
	}
	n, err := strconv.ParseInt(a.Text, 10, 64)
	return n, err == nil
}

// Quoted returns the atom as OVSDB text syntax prints it: strings are
// quoted when they are not a plain identifier (OVS >= 2.13 rule).
func (a Atom) Quoted() string {
	if a.Type == AtomString && stringNeedsQuotes(a.Text) {
		b, _ := json.Marshal(a.Text)
		return string(b)
	}
	return a.Text
}

// DatumKind tells a single atom from a set and a map.
type DatumKind int

const (
	// KindAtom is a column of at most one value that holds one.
	KindAtom DatumKind = iota
	// KindSet is a set: "[a, b]" in text. An empty optional value prints
	// as "[]" and decodes to an empty set.
	KindSet
	// KindMap is a map: "{k=v, k2=v2}".
	KindMap
)

func (k DatumKind) String() string {
	switch k {
	case KindAtom:
		return "atom"
	case KindSet:
		return "set"
	case KindMap:
		return "map"
	}
	return fmt.Sprintf("kind(%d)", int(k))
}

// MarshalText makes datum kinds readable in JSON.
func (k DatumKind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// Datum is the value of one OVSDB column, decoded from OVSDB text syntax
// (ovs-vsctl list, show) or OVSDB JSON (database files).
type Datum struct {
	Kind DatumKind
	// Set holds the atom (KindAtom, exactly one) or the set members.
	Set []Atom `json:",omitempty"`
	// Map holds the pairs of a map, in printed order (OVSDB sorts keys).
	Map []Pair `json:",omitempty"`
}

// Pair is one key=value of a map.
type Pair struct {
	Key, Value Atom
}

// IsEmpty reports whether the datum is an empty set or map ("[]", "{}").
func (d Datum) IsEmpty() bool { return len(d.Set) == 0 && len(d.Map) == 0 }

// Scalar returns the one atom of a single value or of a one-member set.
func (d Datum) Scalar() (Atom, bool) {
	if d.Kind != KindMap && len(d.Set) == 1 {
		return d.Set[0], true
	}
	return Atom{}, false
}

// String returns the text of the single atom, or "" when there is none
// (an empty set, a map, or several members).
func (d Datum) String() string {
	a, _ := d.Scalar()
	return a.Text
}

// Int returns the single atom as an integer.
func (d Datum) Int() (int64, bool) {
	a, ok := d.Scalar()
	if !ok {
		return 0, false
	}
	return a.Int()
}

// Strings returns the text of every set member (or of the single atom).
func (d Datum) Strings() []string {
	if len(d.Set) == 0 {
		return nil
	}
	out := make([]string, len(d.Set))
	for i, a := range d.Set {
		out[i] = a.Text
	}
	return out
}

// Ints returns every set member that is an integer, in order.
func (d Datum) Ints() []int {
	var out []int
	for _, a := range d.Set {
		if n, ok := a.Int(); ok {
			out = append(out, int(n))
		}
	}
	return out
}

// Get returns the value of key in a map.
func (d Datum) Get(key string) (string, bool) {
	for _, p := range d.Map {
		if p.Key.Text == key {
			return p.Value.Text, true
		}
	}
	return "", false
}

// StringMap returns a map as Go strings (nil when the datum has no pairs).
func (d Datum) StringMap() map[string]string {
	if len(d.Map) == 0 {
		return nil
	}
	m := make(map[string]string, len(d.Map))
	for _, p := range d.Map {
		m[p.Key.Text] = p.Value.Text
	}
	return m
}

// Text returns the datum in OVSDB text syntax, as OVS >= 2.13 prints it.
func (d Datum) Text() string {
	var b strings.Builder
	switch d.Kind {
	case KindAtom:
		if len(d.Set) == 1 {
			return d.Set[0].Quoted()
		}
		return "[]"
	case KindSet:
		b.WriteByte('[')
		for i, a := range d.Set {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(a.Quoted())
		}
		b.WriteByte(']')
	case KindMap:
		b.WriteByte('{')
		for i, p := range d.Map {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(p.Key.Quoted())
			b.WriteByte('=')
			b.WriteString(p.Value.Quoted())
		}
		b.WriteByte('}')
	}
	return b.String()
}

var uuidRE = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// IsUUID reports whether s is a UUID in its usual 8-4-4-4-12 form.
func IsUUID(s string) bool { return len(s) == 36 && uuidRE.MatchString(s) }

// stringNeedsQuotes mirrors OVS lib/ovsdb-data.c: a string is printed bare
// only if it is an identifier ([A-Za-z_][A-Za-z0-9_.-]*) that is not
// "true", "false" or a UUID. OVS < 2.13 also quoted any string holding a
// digit; readers accept both.
func stringNeedsQuotes(s string) bool {
	if s == "" || s == "true" || s == "false" || IsUUID(s) {
		return true
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c == '_':
		case i > 0 && (c >= '0' && c <= '9' || c == '-' || c == '.'):
		default:
			return true
		}
	}
	return false
}

// ParseDatum decodes one value in OVSDB text syntax: an atom (bare or a
// JSON-quoted string), a set "[a, b]" or a map "{k=v, "k 2"="v"}". Bare
// atoms are typed by their look: true/false, UUID, integer, real, else
// string (OVS quotes any string that could be mistaken for another type).
func ParseDatum(s string) (Datum, error) {
	p := datumParser{s: strings.TrimSpace(s)}
	d, err := p.datum()
	if err != nil {
		return Datum{}, err
	}
	p.space()
	if p.i < len(p.s) {
		return Datum{}, fmt.Errorf("unexpected %q after value", p.s[p.i:])
	}
	return d, nil
}

type datumParser struct {
	s string
	i int
}

func (p *datumParser) space() {
	for p.i < len(p.s) && (p.s[p.i] == ' ' || p.s[p.i] == '\t') {
		p.i++
	}
}

func (p *datumParser) datum() (Datum, error) {
	p.space()
	if p.i >= len(p.s) {
		return Datum{}, fmt.Errorf("empty value")
	}
	switch p.s[p.i] {
	case '[':
		p.i++
		set, err := p.list(']', false)
		return Datum{Kind: KindSet, Set: set}, err
	case '{':
		p.i++
		var d Datum
		d.Kind = KindMap
		atoms, err := p.list('}', true)
		for i := 0; i+1 < len(atoms); i += 2 {
			d.Map = append(d.Map, Pair{atoms[i], atoms[i+1]})
		}
		return d, err
	}
	a, err := p.atom()
	return Datum{Kind: KindAtom, Set: []Atom{a}}, err
}

// list reads "a, b]" or, for maps, "k=v, k2=v2}" (returned flattened as
// k, v, k2, v2).
func (p *datumParser) list(end byte, isMap bool) ([]Atom, error) {
	var out []Atom
	for first := true; ; first = false {
		p.space()
		if p.i < len(p.s) && p.s[p.i] == end {
			p.i++
			return out, nil
		}
		if !first {
			if p.i >= len(p.s) || p.s[p.i] != ',' {
				return out, p.expected(fmt.Sprintf("',' or '%c'", end))
			}
			p.i++
			p.space()
		}
		a, err := p.atom()
		if err != nil {
			return out, err
		}
		out = append(out, a)
		if isMap {
			p.space()
			if p.i >= len(p.s) || p.s[p.i] != '=' {
				return out, p.expected("'='")
			}
			p.i++
			p.space()
			v, err := p.atom()
			if err != nil {
				return out, err
			}
			out = append(out, v)
		}
	}
}

func (p *datumParser) expected(what string) error {
	if p.i >= len(p.s) {
		return fmt.Errorf("expected %s, found end of value", what)
	}
	return fmt.Errorf("expected %s at %q", what, p.s[p.i:])
}

func (p *datumParser) atom() (Atom, error) {
	if p.i >= len(p.s) {
		return Atom{}, p.expected("a value")
	}
	if p.s[p.i] == '"' {
		end := quotedEnd(p.s, p.i)
		if end < 0 {
			return Atom{}, fmt.Errorf("unterminated string %s", p.s[p.i:])
		}
		var str string
		if err := json.Unmarshal([]byte(p.s[p.i:end]), &str); err != nil {
			return Atom{}, fmt.Errorf("bad string %s: %w", p.s[p.i:end], err)
		}
		p.i = end
		return Atom{Type: AtomString, Text: str}, nil
	}
	start := p.i
	for p.i < len(p.s) && !strings.ContainsRune(` ,=[]{}"`, rune(p.s[p.i])) {
		p.i++
	}
	if p.i == start {
		return Atom{}, p.expected("a value")
	}
	return bareAtom(p.s[start:p.i]), nil
}

// quotedEnd returns the index just past the closing quote of the JSON
// string starting at s[i], or -1.
func quotedEnd(s string, i int) int {
	for j := i + 1; j < len(s); j++ {
		switch s[j] {
		case '\\':
			j++
		case '"':
			return j + 1
		}
	}
	return -1
}

func bareAtom(t string) Atom {
	switch {
	case t == "true" || t == "false":
		return Atom{Type: AtomBoolean, Text: t}
	case IsUUID(t):
		return Atom{Type: AtomUUID, Text: strings.ToLower(t)}
	}
	if _, err := strconv.ParseInt(t, 10, 64); err == nil {
		return Atom{Type: AtomInteger, Text: t}
	}
	if c := t[0]; c == '-' || c == '+' || c == '.' || c >= '0' && c <= '9' {
		if _, err := strconv.ParseFloat(t, 64); err == nil {
			return Atom{Type: AtomReal, Text: t}
		}
	}
	return Atom{Type: AtomString, Text: t}
}

// parseColumnValue decodes the value of a "column: value" line; a value
// that is not valid OVSDB text is kept whole as a string atom and reported.
func parseColumnValue(pos parse.Pos, name, val string, issues *parse.Issues) Datum {
	val = strings.TrimSpace(val)
	d, err := ParseDatum(val)
	if err != nil {
		issues.Warnf(pos, "column %s: value kept as text: %v", name, err)
		return Datum{Kind: KindAtom, Set: []Atom{{Type: AtomString, Text: val}}}
	}
	return d
}
