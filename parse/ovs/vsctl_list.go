package ovs

import (
	"io"
	"regexp"
	"strings"

	"netxray/parse"
)

// List is the output of `ovs-vsctl [--format=list] list TABLE` or of
// `ovsdb-client -f list dump` (which prints every table, each under a
// "<Table> table" caption).
type List struct {
	// Table is the table every record belongs to, when they all agree
	// ("" for a mix or when no record could be recognised).
	Table  string
	Rows   []ListRow
	Issues parse.Issues
	// understood counts the input lines taken as data, for tests.
	understood int
}

// ListRow is one blank-line separated record: one database row.
type ListRow struct {
	Pos parse.Pos
	// Raw is the record's first line.
	Raw string
	// Table is the caption's table (ovsdb-client dump), the table given
	// to ParseListTable, or the one recognised from the columns ("" when
	// unknown).
	Table   string
	UUID    string
	Columns []ListColumn
}

// ListColumn is one "column : value" line.
type ListColumn struct {
	Pos   parse.Pos
	Raw   string
	Name  string
	Value Datum
}

// Get returns the value of column name.
func (r *ListRow) Get(name string) (Datum, bool) {
	for i := range r.Columns {
		if r.Columns[i].Name == name {
			return r.Columns[i].Value, true
		}
	}
	return Datum{}, false
}

// Records returns the number of rows.
func (l *List) Records() int { return len(l.Rows) }

// Problems returns the issues found while parsing.
func (l *List) Problems() parse.Issues { return l.Issues }

// TableRows returns the rows of table name.
func (l *List) TableRows(table string) []*ListRow {
	var out []*ListRow
	for i := range l.Rows {
		if l.Rows[i].Table == table {
			out = append(out, &l.Rows[i])
		}
	}
	return out
}

var captionRE = regexp.MustCompile(`^([A-Za-z_][A-Za-z0-9_]*) table$`)

// ParseList parses list-format OVSDB records, as printed by
// `ovs-vsctl list Interface` (also --format=list, list Port, Bridge,
// Open_vSwitch, ...) and by `ovsdb-client -f list dump` (sos <= 4.2):
//
//	_uuid               : 3f1c0a4e-2b7d-4c55-9f10-6a1e2d3c4b5a
//	external_ids        : {attached-mac="fa:16:3e:5e:1f:2a", iface-id="5e1f2a3b-c4d5-4e6f-8a7b-9c0d1e2f3a4b"}
//	ingress_policing_burst: 0
//	ofport              : -1
//
// Values are decoded from OVSDB text syntax into Datums. The table of each
// record comes from a "<Table> table" caption when there is one, otherwise
// it is recognised from the record's columns.
func ParseList(r io.Reader, file string) (*List, error) {
	return ParseListTable(r, file, "")
}

// ParseListTable is ParseList for a file known to list table (e.g. from
// its name, "ovs-vsctl_-t_5_list_interface"); records under a caption
// still take the caption's table.
func ParseListTable(r io.Reader, file, table string) (list *List, err error) {
	defer parse.Recover(file, &err)
	list = &List{}
	sc := parse.NewScanner(r, file, &list.Issues)
	caption := table
	var cur *ListRow
	end := func() {
		if cur != nil {
			list.Rows = append(list.Rows, *cur)
			cur = nil
		}
	}
	for sc.Scan() {
		l := sc.Line()
		t := strings.TrimSpace(l.Text)
		if t == "" {
			end()
			continue
		}
		if skipBanner(l, &list.Issues) {
			continue
		}
		if m := captionRE.FindStringSubmatch(t); m != nil {
			end()
			list.understood++
			caption = m[1]
			continue
		}
		name, val, ok := strings.Cut(t, ":")
		name = strings.TrimSpace(name)
		if !ok || !isColumnName(name) {
			if !skipFailure(l, &list.Issues) {
				list.Issues.Errorf(l.Pos, "not a list record line: %q", l.Text)
			}
			continue
		}
		if cur == nil {
			cur = &ListRow{Pos: l.Pos, Raw: l.Text, Table: caption}
		}
		col := ListColumn{Pos: l.Pos, Raw: l.Text, Name: name}
		val = strings.TrimSpace(val)
		col.Value = parseColumnValue(l.Pos, name, val, &list.Issues)
		if name == "_uuid" {
			cur.UUID = col.Value.String()
		}
		cur.Columns = append(cur.Columns, col)
		list.understood++
	}
	end()
	list.Table = recognise(list)
	return list, sc.Err()
}

// tableSignatures name columns only one table of the Open_vSwitch schema
// has, to recognise a record's table when the output does not say.
var tableSignatures = []struct {
	table   string
	columns []string
}{
	{"Interface", []string{"ofport", "mac_in_use", "admin_state", "ifindex", "link_state", "ofport_request"}},
	{"Port", []string{"interfaces", "vlan_mode", "bond_mode", "trunks", "lacp"}},
	{"Bridge", []string{"ports", "datapath_id", "fail_mode", "stp_enable", "flood_vlans"}},
	{"Open_vSwitch", []string{"bridges", "ovs_version", "db_version", "cur_cfg", "iface_types"}},
	{"Controller", []string{"controller_burst_limit", "enable_async_messages", "role", "local_gateway"}},
	{"Manager", []string{"max_backoff", "inactivity_probe", "target", "is_connected"}},
	{"Datapath", []string{"ct_zones", "capabilities", "datapath_version"}},
	{"Mirror", []string{"select_all", "output_port", "select_src_port"}},
	{"QoS", []string{"queues"}},
	{"Flow_Table", []string{"flow_limit", "overflow_policy", "prefixes"}},
}

// recognise fills the Table of records that have none and returns the
// table common to all records.
func recognise(list *List) string {
	common := ""
	for i := range list.Rows {
		rec := &list.Rows[i]
		if rec.Table == "" {
			rec.Table = guessTable(rec)
		}
		switch {
		case i == 0:
			common = rec.Table
		case rec.Table != common:
			common = ""
		}
	}
	return common
}

// guessTable returns the table whose signature columns the record has
// most of (ties go to the earlier table: Interface before Port, etc.).
func guessTable(rec *ListRow) string {
	best, bestN := "", 0
	for _, sig := range tableSignatures {
		n := 0
		for _, c := range sig.columns {
			if _, ok := rec.Get(c); ok {
				n++
			}
		}
		if n > bestN {
			best, bestN = sig.table, n
		}
	}
	return best
}

var listLineRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]* *: `)

func sniffList(head []byte) bool {
	t := parse.FirstData(head)
	return strings.HasPrefix(t, "_uuid") && listLineRE.MatchString(t)
}

func sniffDump(head []byte) bool {
	return captionRE.MatchString(parse.FirstData(head))
}
