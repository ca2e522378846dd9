package ovs

import (
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"netxray/parse"
)

func stOpenDB(t *testing.T, name string) *DB {
	t.Helper()
	f, err := os.Open("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	db, err := ParseDB(f, name)
	if err != nil {
		t.Fatal(err)
	}
	return db
}

func stOpenList(t *testing.T, name string) *List {
	t.Helper()
	f, err := os.Open("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	l, err := ParseList(f, name)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// TestDBMatchesList replays database files and compares every stored
// column with what `ovs-vsctl list` printed from the same database: this
// checks the replay (diffs, deletes, snapshots) and that both decoders
// agree on OVSDB values.
func TestDBMatchesList(t *testing.T) {
	for _, tc := range []struct {
		db    string
		lists []string
		// defaults: no ovs-vswitchd served the database, so every column
		// (ephemeral ones too) must equal its stored or default value.
		defaults bool
	}{
		{"standalone.db", []string{"standalone_list_Interface", "standalone_list_Port", "standalone_list_Bridge", "standalone_list_Open_vSwitch"}, true},
		{"clustered2.db", []string{"clustered2_list_Interface", "clustered2_list_Port", "clustered2_list_Bridge", "clustered2_list_Open_vSwitch"}, true},
		{"clustered_compacted.db", []string{"clustered_compacted_list_Interface"}, true},
		{"nxtest_conf.db", []string{"ovs-vsctl_list_Interface", "ovs-vsctl_list_Port", "ovs-vsctl_list_Bridge", "ovs-vsctl_list_Open_vSwitch", "ovs-vsctl_list_Controller"}, false},
	} {
		t.Run(tc.db, func(t *testing.T) {
			db := stOpenDB(t, tc.db)
			if len(db.Issues) != 0 {
				t.Fatalf("issues: %v", db.Issues)
			}
			if db.Schema.Name != "Open_vSwitch" {
				t.Errorf("schema %q", db.Schema.Name)
			}
			compared := 0
			for _, name := range tc.lists {
				list := stOpenList(t, name)
				if list.Table == "" {
					t.Fatalf("%s: table not recognised", name)
				}
				if got, want := len(db.Tables[list.Table]), len(list.Rows); got != want {
					t.Errorf("%s: %d rows replayed, list has %d", list.Table, got, want)
				}
				for i := range list.Rows {
					lr := &list.Rows[i]
					row := db.Row(list.Table, lr.UUID)
					if row == nil {
						t.Errorf("%s %s not in the database", list.Table, lr.UUID)
						continue
					}
					for _, c := range lr.Columns {
						d, stored := row.Columns[c.Name]
						if tc.defaults {
							d, stored = row.Get(c.Name)
						}
						if !stored || !tc.defaults && (c.Name == "statistics" || c.Name == "status") {
							// Ephemeral columns are not in the file, and
							// counters moved between the two captures.
							continue
						}
						if got, want := d.Text(), c.Value.Text(); got != want {
							t.Errorf("%s %s %s: database %s, list %s", list.Table, row.UUID, c.Name, got, want)
						}
						compared++
					}
				}
			}
			t.Logf("%d columns compared", compared)
		})
	}
}

func TestDBReplay(t *testing.T) {
	db := stOpenDB(t, "standalone.db")
	var names []string
	for _, r := range db.Tables["Port"] {
		p := PortOf(r)
		names = append(names, p.Name)
		if p.Name == "tap2" {
			if !p.HasTag || p.Tag != 7 || p.SegmentationID != "1001" || p.NetUUID != "0c8d2a6e-1111-2222-3333-444455556666" {
				t.Errorf("tap2 port %+v", p)
			}
		}
		if p.Name == `tap "q"` && !cmp.Equal(p.Trunks, []int{1, 3, 9}) {
			t.Errorf("trunks after diff %v", p.Trunks)
		}
	}
	if strings.Join(names, ",") != `br-int,tap "q",tap2` && len(names) != 3 {
		t.Errorf("ports %q (tap1 was deleted)", names)
	}
	for _, r := range db.Tables["Interface"] {
		if i := InterfaceOf(r); i.Name == "tap2" {
			want := map[string]string{"iface-id": "z", "attached-mac": "fa:16:3e:00:00:01"}
			if diff := cmp.Diff(want, i.ExternalIDs); diff != "" {
				t.Errorf("tap2 external_ids after diffs (-want +got):\n%s", diff)
			}
		}
	}
	br := BridgeOf(db.Tables["Bridge"][0])
	if br.FailMode != "" || len(br.Ports) != 3 {
		t.Errorf("bridge %+v", br)
	}
	if len(db.Txns) < 8 || !strings.Contains(db.Txns[len(db.Txns)-1].Comment, "trunks 9") || db.Txns[1].Date == 0 {
		t.Errorf("txns %+v", db.Txns)
	}
	if db.Records() != 8 { // Open_vSwitch, Bridge, 3 Ports, 3 Interfaces
		t.Errorf("records %d", db.Records())
	}
}

const stTinySchema = `{"name":"T","version":"1.0.0","tables":{"R":{"columns":{"s":{"type":{"key":"integer","min":0,"max":"unlimited"}},"m":{"type":{"key":"string","value":"string","min":0,"max":"unlimited"}},"n":{"type":"integer"},"o":{"type":{"key":"string","min":0,"max":1}}}}}}`

// stRecord frames a JSON line as a standalone database record with a
// correct length and SHA-1.
func stRecord(magic, json string) string {
	return "OVSDB " + magic + " " + itoa(len(json)+1) + " " + sha1hex(json+"\n") + "\n" + json + "\n"
}

func TestParseDB(t *testing.T) {
	const u1 = "11111111-1111-1111-1111-111111111111"
	schema := stRecord("JSON", stTinySchema)
	tests := []struct {
		name       string
		input      string
		wantRow    map[string]string // column -> Text(), for row u1 ("" map: no row)
		wantIssues []string
	}{
		{"insert then diff",
			schema + stRecord("JSON", `{"R":{"`+u1+`":{"s":["set",[1,2]],"m":["map",[["a","1"],["b","2"]]],"n":5,"o":"x"}}}`) +
				stRecord("JSON", `{"_is_diff":true,"R":{"`+u1+`":{"s":["set",[2,3]],"m":["map",[["a","1"],["b","9"],["c","3"]]],"n":6,"o":["set",[]]}}}`),
			map[string]string{"s": "[1, 3]", "m": "{b=\"9\", c=\"3\"}", "n": "6", "o": "[]"}, nil},
		{"not a diff replaces",
			schema + stRecord("JSON", `{"R":{"`+u1+`":{"s":["set",[1,2]]}}}`) + stRecord("JSON", `{"R":{"`+u1+`":{"s":4}}}`),
			map[string]string{"s": "[4]", "n": "0", "o": "[]", "m": "{}"}, nil},
		{"delete",
			schema + stRecord("JSON", `{"R":{"`+u1+`":{"n":1}}}`) + stRecord("JSON", `{"R":{"`+u1+`":null}}`),
			nil, nil},
		{"edited value: sha1 mismatch is info",
			schema + strings.Replace(stRecord("JSON", `{"R":{"`+u1+`":{"o":"secret"}}}`), "secret", "xxxxxx", 1),
			map[string]string{"o": "xxxxxx"}, []string{"3:info:SHA-1 mismatch"}},
		{"edited length",
			schema + strings.Replace(stRecord("JSON", `{"R":{"`+u1+`":{"o":"secret"}}}`), "secret", "obfuscated", 1),
			map[string]string{"o": "obfuscated"}, []string{"3:info:header says"}},
		{"truncated last record",
			schema + stRecord("JSON", `{"R":{"`+u1+`":{"n":1}}}`) + "OVSDB JSON 40 0123456789012345678901234567890123456789\n{\"R\":{",
			map[string]string{"n": "1"}, []string{"5:warning:last record truncated"}},
		{"bad json and junk",
			schema + "garbage\n" + "OVSDB JSON 5 0123456789012345678901234567890123456789\n{bad\n",
			nil, []string{"3:error:not an OVSDB record header", "4:info:SHA-1 mismatch", "5:error:not valid JSON"}},
		{"unknown column",
			schema + stRecord("JSON", `{"R":{"`+u1+`":{"zz":["map",[["k","v"]]]}}}`),
			map[string]string{"zz": "{k=v}"}, []string{"3:warning:column zz is not in the schema"}},
		{"delete unknown and bad uuid",
			schema + stRecord("JSON", `{"R":{"`+u1+`":null,"nope":{}}}`),
			nil, []string{"3:warning:delete of unknown row", "3:error:not a UUID"}},
		{"cluster",
			stRecord("CLUSTER", `{"name":"T","prev_index":2,"prev_data":[`+stTinySchema+`,{"R":{"`+u1+`":{"n":1}}}]}`) +
				stRecord("CLUSTER", `{"term":1,"vote":"`+u1+`"}`) +
				stRecord("CLUSTER", `{"term":1,"index":3,"data":[null,{"R":{"`+u1+`":{"n":2}}}]}`) +
				stRecord("CLUSTER", `{"term":2,"index":3,"data":[null,{"R":{"`+u1+`":{"n":3}}}]}`) +
				stRecord("CLUSTER", `{"commit_index":3}`),
			map[string]string{"n": "3"}, nil},
		{"cluster without schema",
			stRecord("CLUSTER", `{"name":"T"}`),
			nil, []string{"1:error:without a schema"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, err := ParseDB(strings.NewReader(tt.input), "conf.db")
			if err != nil {
				t.Fatal(err)
			}
			ofCheckIssues(t, db.Issues, tt.wantIssues)
			row := db.Row("R", u1)
			if (row == nil) != (tt.wantRow == nil) {
				t.Fatalf("row %v, want %v", row, tt.wantRow)
			}
			for c, want := range tt.wantRow {
				d, _ := row.Get(c)
				if got := d.Text(); got != want {
					t.Errorf("%s = %s, want %s", c, got, want)
				}
			}
		})
	}
}

func TestParseDBNotADatabase(t *testing.T) {
	db, err := ParseDB(strings.NewReader("hello\n"), "x")
	if err == nil || db == nil || !strings.Contains(err.Error(), "not this format") {
		t.Fatalf("err %v", err)
	}
	db, err = ParseDB(strings.NewReader(""), "x")
	if err != nil || db.Records() != 0 || len(db.Issues) != 0 {
		t.Fatalf("empty file: %v %v", err, db.Issues)
	}
}

var _ parse.Result = (*DB)(nil)
