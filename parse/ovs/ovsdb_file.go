package ovs

import (
	"bufio"
	"bytes"
	"crypto/sha1" //nolint:gosec // OVSDB files checksum records with SHA-1
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strconv"

	"netxray/parse"
)

// DB is an OVSDB database file (conf.db) replayed to its final state.
type DB struct {
	// Clustered is true for a RAFT cluster member's file ("OVSDB
	// CLUSTER" records) rather than a standalone one ("OVSDB JSON").
	Clustered bool
	Schema    DBSchema
	// Tables maps a table name to its rows, sorted by UUID.
	Tables map[string][]*DBRow
	// Txns are the transactions replayed, in file order (the compacted
	// snapshot of a standalone file is its first transaction).
	Txns   []DBTxn
	Issues parse.Issues
}

// DBSchema is the part of the schema record the replay needs.
type DBSchema struct {
	Pos     parse.Pos
	Name    string
	Version string
	Tables  map[string]map[string]ColumnType
}

// ColumnType is an OVSDB column type: a key type, an optional value type
// (for maps) and the number of elements allowed.
type ColumnType struct {
	Key   AtomType
	Value AtomType
	IsMap bool
	Min   int
	// Max is -1 for "unlimited".
	Max int
}

// composite reports whether values of the type are sets or maps (and
// are merged, not replaced, by diff transactions).
func (c ColumnType) composite() bool { return c.IsMap || c.Max != 1 }

// DBTxn is one transaction record.
type DBTxn struct {
	Pos parse.Pos
	// Date is the "_date" member: milliseconds since the Unix epoch, or 0.
	Date int64
	// Comment is the "_comment" member, e.g. "ovs-vsctl: ovs-vsctl
	// --timeout=5 -- --may-exist add-port br-int tap1".
	Comment string
	// Rows is the number of row inserts, updates and deletes.
	Rows int
}

// DBRow is one row of the final state.
type DBRow struct {
	// Pos is the record that inserted the row; Modified the last one that
	// changed it.
	Pos      parse.Pos
	Modified parse.Pos
	Table    string
	UUID     string
	// Columns holds the columns written to the file. Columns at their
	// default value may be absent: Get fills them from the schema.
	Columns map[string]Datum
	schema  map[string]ColumnType
}

// Get returns the value of column name ("_uuid" included), or its default
// when the row does not store it.
func (r *DBRow) Get(name string) (Datum, bool) {
	if name == "_uuid" {
		return Datum{Kind: KindAtom, Set: []Atom{{Type: AtomUUID, Text: r.UUID}}}, true
	}
	if d, ok := r.Columns[name]; ok {
		return d, true
	}
	ct, ok := r.schema[name]
	if !ok {
		return Datum{}, false
	}
	return defaultDatum(ct), true
}

func defaultDatum(ct ColumnType) Datum {
	switch {
	case ct.IsMap:
		return Datum{Kind: KindMap}
	case ct.Min == 0 || ct.Max != 1:
		return Datum{Kind: KindSet}
	}
	a := Atom{Type: ct.Key}
	switch ct.Key {
	case AtomInteger, AtomReal:
		a.Text = "0"
	case AtomBoolean:
		a.Text = "false"
	case AtomUUID:
		a.Text = "00000000-0000-0000-0000-000000000000"
	}
	return Datum{Kind: KindAtom, Set: []Atom{a}}
}

// Records returns the number of rows in the final state.
func (db *DB) Records() int {
	n := 0
	for _, rows := range db.Tables {
		n += len(rows)
	}
	return n
}

// Problems returns the issues found while reading.
func (db *DB) Problems() parse.Issues { return db.Issues }

// Row returns the row of table with the given UUID, or nil.
func (db *DB) Row(table, uuid string) *DBRow {
	rows := db.Tables[table]
	i := sort.Search(len(rows), func(i int) bool { return rows[i].UUID >= uuid })
	if i < len(rows) && rows[i].UUID == uuid {
		return rows[i]
	}
	return nil
}

// maxDBRecord bounds one record of a database file. A compacted file holds
// the whole database in one JSON line, which can be far longer than the
// line limit of text outputs (parse.MaxLine).
const maxDBRecord = 512 << 20

var dbHeaderRE = regexp.MustCompile(`^OVSDB (JSON|CLUSTER) (\d+) ([0-9a-fA-F]{40})$`)

// ParseDB reads an OVSDB database file (ovsdb(5) "Database File
// Formats"): an append-only log of records, each a header line followed by
// one line of JSON:
//
//	OVSDB JSON 14759 deed1daa3dc5e33410f5590b12b7cf86e5ad7c1b
//	{"name":"Open_vSwitch","version":"8.3.1","tables":{...}}
//	OVSDB JSON 231 40e78d2d0ba83873ac1c3368425af982305fd5aa
//	{"_date":1795361151656,"_is_diff":true,"Open_vSwitch":{"d7cf6a35-...":{"db_version":"8.3.1"}}}
//
// The first record is the schema; each later one is a transaction (table →
// row UUID → row, null to delete; with "_is_diff" set, set and map columns
// hold the elements to toggle). Clustered files ("OVSDB CLUSTER") are
// replayed from their snapshot and log entries.
//
// Checksums are verified, but a mismatch is only SevInfo: `sos clean`
// rewrites values without fixing them. A truncated last record is reported
// and ignored.
func ParseDB(r io.Reader, file string) (db *DB, err error) {
	defer parse.Recover(file, &err)
	db = &DB{Tables: map[string][]*DBRow{}}
	rd := dbReader{br: bufio.NewReaderSize(r, 64<<10), file: file, issues: &db.Issues}
	rp := replay{db: db, rows: map[string]map[string]*DBRow{}}
	var cl *cluster
	for n := 0; ; n++ {
		rec, ok, err := rd.next()
		if err != nil {
			return db, err
		}
		if !ok {
			if n == 0 && rd.junk {
				return db, fmt.Errorf("%s: %w: no OVSDB record header", file, parse.ErrFormat)
			}
			break
		}
		if n == 0 {
			db.Clustered = rec.magic == "CLUSTER"
			if db.Clustered {
				cl = &cluster{}
			}
		}
		if rec.magic == "CLUSTER" != db.Clustered {
			db.Issues.Errorf(rec.pos, "%s record in a %s file skipped", rec.magic, map[bool]string{true: "clustered", false: "standalone"}[db.Clustered])
			continue
		}
		switch {
		case cl != nil:
			cl.add(&rp, rec, n == 0)
		case n == 0:
			rp.schema(rec.pos, rec.json)
		default:
			rp.txn(rec.pos, rec.json)
		}
	}
	if cl != nil {
		cl.replay(&rp)
	}
	for table, rows := range rp.rows {
		list := make([]*DBRow, 0, len(rows))
		for _, row := range rows {
			list = append(list, row)
		}
		sort.Slice(list, func(i, j int) bool { return list[i].UUID < list[j].UUID })
		db.Tables[table] = list
	}
	return db, nil
}

type dbRecord struct {
	pos   parse.Pos // of the header line
	magic string
	json  json.RawMessage
}

// dbReader splits a database file into records. Framing is by lines, not
// by the header's length, so a file whose values were edited in place
// (sos clean) still reads.
type dbReader struct {
	br     *bufio.Reader
	file   string
	line   int
	issues *parse.Issues
	junk   bool // a non-header line was seen
}

func (rd *dbReader) next() (dbRecord, bool, error) {
	for {
		hdr, err := rd.readLine()
		if err != nil || hdr == nil {
			return dbRecord{}, false, err
		}
		pos := parse.Pos{File: rd.file, Line: rd.line}
		text := string(bytes.TrimRight(hdr, "\r\n"))
		m := dbHeaderRE.FindStringSubmatch(text)
		if m == nil {
			if len(bytes.TrimSpace(hdr)) > 0 {
				rd.junk = true
				rd.issues.Errorf(pos, "not an OVSDB record header: %.80q", text)
			}
			continue
		}
		data, err := rd.readLine()
		if err != nil {
			return dbRecord{}, false, err
		}
		dpos := parse.Pos{File: rd.file, Line: rd.line}
		if data == nil || data[len(data)-1] != '\n' {
			rd.issues.Warnf(pos, "last record truncated (%d of %s bytes): ignored", len(data), m[2])
			return dbRecord{}, false, nil
		}
		rd.check(pos, m[2], m[3], data)
		body := bytes.TrimRight(data, "\r\n")
		if !json.Valid(body) {
			rd.issues.Errorf(dpos, "record is not valid JSON: ignored")
			continue
		}
		return dbRecord{pos: pos, magic: m[1], json: body}, true, nil
	}
}

// check compares a record with its header's length and SHA-1.
func (rd *dbReader) check(pos parse.Pos, length, sum string, data []byte) {
	want, _ := strconv.Atoi(length)
	got := sha1.Sum(data) //nolint:gosec // format checksum, not security
	switch {
	case want != len(data):
		rd.issues.Addf(pos, parse.SevInfo, "record is %d bytes, header says %d (file edited after writing?)", len(data), want)
	case hex.EncodeToString(got[:]) != sum:
		rd.issues.Addf(pos, parse.SevInfo, "record SHA-1 mismatch (file edited after writing, e.g. by sos clean)")
	}
}

// readLine returns the next line with its ending, nil at EOF.
func (rd *dbReader) readLine() ([]byte, error) {
	var buf []byte
	for {
		chunk, err := rd.br.ReadSlice('\n')
		if len(buf)+len(chunk) > maxDBRecord {
			return nil, fmt.Errorf("%s:%d: record longer than %d bytes", rd.file, rd.line+1, maxDBRecord)
		}
		buf = append(buf, chunk...)
		switch {
		case err == nil:
			rd.line++
			return buf, nil
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case errors.Is(err, io.EOF):
			if len(buf) == 0 {
				return nil, nil
			}
			rd.line++
			return buf, nil
		default:
			return nil, fmt.Errorf("reading %s: %w", rd.file, err)
		}
	}
}

// replay applies records to the in-memory state.
type replay struct {
	db   *DB
	rows map[string]map[string]*DBRow
}

func (rp *replay) schema(pos parse.Pos, raw json.RawMessage) {
	var s struct {
		Name    string `json:"name"`
		Version string `json:"version"`
		Tables  map[string]struct {
			Columns map[string]struct {
				Type json.RawMessage `json:"type"`
			} `json:"columns"`
		} `json:"tables"`
	}
	if err := json.Unmarshal(raw, &s); err != nil || s.Tables == nil {
		rp.db.Issues.Errorf(pos, "first record is not a database schema")
		return
	}
	sch := DBSchema{Pos: pos, Name: s.Name, Version: s.Version, Tables: map[string]map[string]ColumnType{}}
	for tname, t := range s.Tables {
		cols := map[string]ColumnType{}
		for cname, c := range t.Columns {
			ct, err := parseColumnType(c.Type)
			if err != nil {
				rp.db.Issues.Warnf(pos, "schema: %s.%s: %v", tname, cname, err)
			}
			cols[cname] = ct
		}
		sch.Tables[tname] = cols
	}
	rp.db.Schema = sch
}

func parseColumnType(raw json.RawMessage) (ColumnType, error) {
	ct := ColumnType{Min: 1, Max: 1}
	var atomic string
	if json.Unmarshal(raw, &atomic) == nil {
		ct.Key = atomType(atomic)
		return ct, nil
	}
	var t struct {
		Key   json.RawMessage `json:"key"`
		Value json.RawMessage `json:"value"`
		Min   *int            `json:"min"`
		Max   json.RawMessage `json:"max"`
	}
	if err := json.Unmarshal(raw, &t); err != nil {
		return ct, fmt.Errorf("bad column type: %w", err)
	}
	ct.Key = baseType(t.Key)
	if t.Value != nil {
		ct.IsMap, ct.Value = true, baseType(t.Value)
	}
	if t.Min != nil {
		ct.Min = *t.Min
	}
	if t.Max != nil {
		var n int
		if json.Unmarshal(t.Max, &n) == nil {
			ct.Max = n
		} else {
			ct.Max = -1 // "unlimited"
		}
	}
	return ct, nil
}

// baseType reads a base type: "string" or {"type":"uuid","refTable":...}.
func baseType(raw json.RawMessage) AtomType {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return atomType(s)
	}
	var o struct {
		Type string `json:"type"`
	}
	_ = json.Unmarshal(raw, &o)
	return atomType(o.Type)
}

func atomType(s string) AtomType {
	switch s {
	case "integer":
		return AtomInteger
	case "real":
		return AtomReal
	case "boolean":
		return AtomBoolean
	case "uuid":
		return AtomUUID
	}
	return AtomString
}

// txn applies one transaction object.
func (rp *replay) txn(pos parse.Pos, raw json.RawMessage) {
	var members map[string]json.RawMessage
	if err := json.Unmarshal(raw, &members); err != nil {
		rp.db.Issues.Errorf(pos, "transaction is not a JSON object: ignored")
		return
	}
	t := DBTxn{Pos: pos}
	isDiff := false
	_ = json.Unmarshal(members["_is_diff"], &isDiff)
	_ = json.Unmarshal(members["_date"], &t.Date)
	_ = json.Unmarshal(members["_comment"], &t.Comment)
	names := make([]string, 0, len(members))
	for name := range members {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, table := range names {
		switch table {
		case "_date", "_comment", "_is_diff":
			continue
		}
		var rows map[string]json.RawMessage
		if err := json.Unmarshal(members[table], &rows); err != nil {
			rp.db.Issues.Errorf(pos, "table %s: rows are not a JSON object: ignored", table)
			continue
		}
		sch, known := rp.db.Schema.Tables[table]
		if !known {
			rp.db.Issues.Warnf(pos, "table %s is not in the schema; its columns are typed by their look", table)
		}
		uuids := make([]string, 0, len(rows))
		for u := range rows {
			uuids = append(uuids, u)
		}
		sort.Strings(uuids)
		for _, u := range uuids {
			t.Rows++
			rp.row(pos, table, sch, u, rows[u], isDiff)
		}
	}
	rp.db.Txns = append(rp.db.Txns, t)
}

func (rp *replay) row(pos parse.Pos, table string, sch map[string]ColumnType, uuid string, raw json.RawMessage, isDiff bool) {
	if !IsUUID(uuid) {
		rp.db.Issues.Errorf(pos, "table %s: row key %q is not a UUID: ignored", table, uuid)
		return
	}
	rows := rp.rows[table]
	if rows == nil {
		rows = map[string]*DBRow{}
		rp.rows[table] = rows
	}
	if string(raw) == "null" {
		if rows[uuid] == nil {
			rp.db.Issues.Warnf(pos, "table %s: delete of unknown row %s", table, uuid)
		}
		delete(rows, uuid)
		return
	}
	var cols map[string]json.RawMessage
	if err := json.Unmarshal(raw, &cols); err != nil {
		rp.db.Issues.Errorf(pos, "table %s row %s: not a JSON object: ignored", table, uuid)
		return
	}
	row := rows[uuid]
	if row == nil {
		row = &DBRow{Pos: pos, Table: table, UUID: uuid, Columns: map[string]Datum{}, schema: sch}
		rows[uuid] = row
		isDiff = false // a new row is written whole
	}
	row.Modified = pos
	for name, v := range cols {
		ct, ok := sch[name]
		if !ok && sch != nil {
			rp.db.Issues.Warnf(pos, "table %s: column %s is not in the schema; typed by its look", table, name)
		}
		d, err := jsonDatum(v, ct, ok)
		if err != nil {
			rp.db.Issues.Errorf(pos, "table %s row %s column %s: %v", table, uuid, name, err)
			continue
		}
		if isDiff && (ct.composite() || !ok && d.Kind != KindAtom) {
			d = applyDiff(row.Columns[name], d)
		}
		row.Columns[name] = d
	}
}

// jsonDatum decodes an OVSDB JSON value (ovsdb(7) "Notation"). With a
// known column type, a lone atom in a set column becomes a one-member
// set, and a one-member set in a scalar column becomes an atom, the way
// ovs-vsctl prints them.
func jsonDatum(raw json.RawMessage, ct ColumnType, typed bool) (Datum, error) {
	var arr []json.RawMessage
	if json.Unmarshal(raw, &arr) == nil && len(arr) == 2 {
		var tag string
		_ = json.Unmarshal(arr[0], &tag)
		switch tag {
		case "set":
			var elems []json.RawMessage
			if err := json.Unmarshal(arr[1], &elems); err != nil {
				return Datum{}, fmt.Errorf("bad set: %w", err)
			}
			d := Datum{Kind: KindSet}
			for _, e := range elems {
				a, err := jsonAtom(e, ct.Key, typed)
				if err != nil {
					return Datum{}, err
				}
				d.Set = append(d.Set, a)
			}
			if typed && !ct.composite() && len(d.Set) == 1 {
				d.Kind = KindAtom
			}
			return d, nil
		case "map":
			var pairs [][2]json.RawMessage
			if err := json.Unmarshal(arr[1], &pairs); err != nil {
				return Datum{}, fmt.Errorf("bad map: %w", err)
			}
			d := Datum{Kind: KindMap}
			for _, p := range pairs {
				k, err := jsonAtom(p[0], ct.Key, typed)
				if err != nil {
					return Datum{}, err
				}
				v, err := jsonAtom(p[1], ct.Value, typed)
				if err != nil {
					return Datum{}, err
				}
				d.Map = append(d.Map, Pair{k, v})
			}
			return d, nil
		}
	}
	a, err := jsonAtom(raw, ct.Key, typed)
	if err != nil {
		return Datum{}, err
	}
	d := Datum{Kind: KindAtom, Set: []Atom{a}}
	if typed && ct.composite() {
		d.Kind = KindSet
	}
	return d, nil
}

func jsonAtom(raw json.RawMessage, want AtomType, typed bool) (Atom, error) {
	var v any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return Atom{}, fmt.Errorf("bad atom: %w", err)
	}
	switch x := v.(type) {
	case string:
		return Atom{Type: AtomString, Text: x}, nil
	case bool:
		return Atom{Type: AtomBoolean, Text: strconv.FormatBool(x)}, nil
	case json.Number:
		t := AtomInteger
		if typed && want == AtomReal {
			t = AtomReal
		} else if _, err := x.Int64(); err != nil {
			t = AtomReal
		}
		return Atom{Type: t, Text: x.String()}, nil
	case []any:
		if len(x) == 2 {
			tag, _ := x[0].(string)
			s, _ := x[1].(string)
			switch tag {
			case "uuid":
				return Atom{Type: AtomUUID, Text: s}, nil
			case "named-uuid":
				return Atom{Type: AtomNamedUUID, Text: s}, nil
			}
		}
	}
	return Atom{}, fmt.Errorf("not an OVSDB atom: %.60s", raw)
}

// applyDiff merges a diff into a set or map the way ovsdb-server does: a
// set member present in both is removed, otherwise added; a map key with
// the same value is removed, with another value updated, else added.
func applyDiff(old, diff Datum) Datum {
	if diff.Kind == KindMap || old.Kind == KindMap {
		vals := map[Atom]Atom{}
		for _, p := range old.Map {
			vals[p.Key] = p.Value
		}
		for _, p := range diff.Map {
			if v, ok := vals[p.Key]; ok && v == p.Value {
				delete(vals, p.Key)
			} else {
				vals[p.Key] = p.Value
			}
		}
		out := Datum{Kind: KindMap}
		for k, v := range vals {
			out.Map = append(out.Map, Pair{k, v})
		}
		sort.Slice(out.Map, func(i, j int) bool { return atomLess(out.Map[i].Key, out.Map[j].Key) })
		return out
	}
	out := Datum{Kind: KindSet}
	present := map[Atom]bool{}
	for _, a := range old.Set {
		present[a] = true
	}
	for _, a := range diff.Set {
		present[a] = !present[a]
	}
	for a, in := range present {
		if in {
			out.Set = append(out.Set, a)
		}
	}
	sort.Slice(out.Set, func(i, j int) bool { return atomLess(out.Set[i], out.Set[j]) })
	return out
}

func atomLess(a, b Atom) bool {
	if a.Type == AtomInteger && b.Type == AtomInteger {
		x, _ := strconv.ParseInt(a.Text, 10, 64)
		y, _ := strconv.ParseInt(b.Text, 10, 64)
		return x < y
	}
	if a.Type == AtomReal || b.Type == AtomReal {
		x, _ := strconv.ParseFloat(a.Text, 64)
		y, _ := strconv.ParseFloat(b.Text, 64)
		return x < y
	}
	return a.Text < b.Text
}

// cluster collects the records of a clustered database file: the header
// record (with an optional snapshot in "prev_data") and RAFT log entries,
// some of which may be overwritten by later entries of the same index.
type cluster struct {
	snapshot json.RawMessage
	snapPos  parse.Pos
	prevIdx  uint64
	entries  []clusterEntry
}

type clusterEntry struct {
	pos   parse.Pos
	index uint64
	data  json.RawMessage
}

func (cl *cluster) add(rp *replay, rec dbRecord, first bool) {
	var m struct {
		Name      string          `json:"name"`
		PrevData  json.RawMessage `json:"prev_data"`
		PrevIndex uint64          `json:"prev_index"`
		Index     *uint64         `json:"index"`
		Data      json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(rec.json, &m); err != nil {
		rp.db.Issues.Errorf(rec.pos, "cluster record is not a JSON object: ignored")
		return
	}
	if first {
		cl.snapshot, cl.snapPos, cl.prevIdx = m.PrevData, rec.pos, m.PrevIndex
		rp.db.Schema.Name = m.Name
		return
	}
	if m.Index == nil || m.Data == nil {
		return // term, vote, leader or commit record: no data
	}
	// A RAFT log may rewrite entries from an index on: drop the old ones.
	for len(cl.entries) > 0 && cl.entries[len(cl.entries)-1].index >= *m.Index {
		cl.entries = cl.entries[:len(cl.entries)-1]
	}
	cl.entries = append(cl.entries, clusterEntry{rec.pos, *m.Index, m.Data})
}

// replay applies the snapshot and the surviving entries. Each holds
// [schema or null, transaction or null].
func (cl *cluster) replay(rp *replay) {
	if cl.snapshot != nil && string(cl.snapshot) != "null" {
		cl.apply(rp, cl.snapPos, cl.snapshot)
	}
	for _, e := range cl.entries {
		if e.index <= cl.prevIdx {
			continue
		}
		cl.apply(rp, e.pos, e.data)
	}
	if rp.db.Schema.Tables == nil {
		rp.db.Issues.Errorf(cl.snapPos, "clustered database without a schema: nothing replayed")
	}
}

func (cl *cluster) apply(rp *replay, pos parse.Pos, raw json.RawMessage) {
	var pair []json.RawMessage
	if err := json.Unmarshal(raw, &pair); err != nil || len(pair) != 2 {
		rp.db.Issues.Errorf(pos, "cluster entry data is not [schema, transaction]: ignored")
		return
	}
	if string(pair[0]) != "null" {
		rp.schema(pos, pair[0])
	}
	if string(pair[1]) != "null" {
		rp.txn(pos, pair[1])
	}
}

func sniffDB(head []byte) bool {
	return bytes.HasPrefix(head, []byte("OVSDB JSON ")) || bytes.HasPrefix(head, []byte("OVSDB CLUSTER "))
}
