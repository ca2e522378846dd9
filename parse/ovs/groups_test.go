package ovs

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"netxray/parse"
)

// Real `ovs-ofctl dump-groups` output of Open vSwitch 3.1 for the same
// groups dumped with -O OpenFlow11, 13, 15 (--names) and the default (the
// Nicira NXST_GROUP_DESC reply).
const ofRealGroups = `OFPST_GROUP_DESC reply (OF1.1) (xid=0x2):
 group_id=7,type=select,bucket=weight:100,actions=output:1,bucket=weight:50,watch_port:3,actions=mod_dl_src:00:11:22:33:44:55,output:3
 group_id=8,type=all,bucket=actions=output:1,bucket=actions=output:2
 group_id=10,type=indirect,bucket=actions=ct(commit,nat(src=10.1.1.1-10.1.1.9:1000-2000)),output:1
 group_id=13,type=all
 group_id=9,type=ff,bucket=watch_port:1,actions=output:1,bucket=watch_port:2,actions=output:2
 group_id=11,type=select,bucket=weight:100,actions=output:1
OFPST_GROUP_DESC reply (OF1.3) (xid=0x2):
 group_id=7,type=select,bucket=weight:100,actions=output:1,bucket=weight:50,watch_port:3,actions=set_field:00:11:22:33:44:55->eth_src,output:3
 group_id=8,type=all,bucket=actions=output:1,bucket=actions=output:2
 group_id=10,type=indirect,bucket=actions=ct(commit,nat(src=10.1.1.1-10.1.1.9:1000-2000)),output:1
 group_id=13,type=all
 group_id=9,type=ff,bucket=watch_port:1,actions=output:1,bucket=watch_port:2,actions=output:2
 group_id=11,type=select,bucket=weight:100,actions=output:1
OFPST_GROUP_DESC reply (OF1.5) (xid=0x2):
 group_id=7,type=select,bucket=bucket_id:0,weight:100,actions=output:p1,bucket=bucket_id:1,weight:50,watch_port:p3,actions=set_field:00:11:22:33:44:55->eth_src,output:p3
 group_id=8,type=all,bucket=bucket_id:0,actions=output:p1,bucket=bucket_id:1,actions=output:p2
 group_id=10,type=indirect,bucket=bucket_id:0,actions=ct(commit,nat(src=10.1.1.1-10.1.1.9:1000-2000)),output:p1
 group_id=13,type=all
 group_id=9,type=ff,bucket=bucket_id:0,watch_port:p1,actions=output:p1,bucket=bucket_id:1,watch_port:p2,actions=output:p2
 group_id=11,type=select,selection_method=hash,selection_method_param=7,fields(ip_src,nw_proto),bucket=bucket_id:5,weight:100,actions=output:p1
NXST_GROUP_DESC reply (xid=0x2):
 group_id=7,type=select,bucket=bucket_id:0,weight:100,actions=output:1,bucket=bucket_id:1,weight:50,watch_port:3,actions=mod_dl_src:00:11:22:33:44:55,output:3
 group_id=8,type=all,bucket=bucket_id:0,actions=output:1,bucket=bucket_id:1,actions=output:2
 group_id=10,type=indirect,bucket=bucket_id:0,actions=ct(commit,nat(src=10.1.1.1-10.1.1.9:1000-2000)),output:1
 group_id=13,type=all
 group_id=9,type=ff,bucket=bucket_id:0,watch_port:1,actions=output:1,bucket=bucket_id:1,watch_port:2,actions=output:2
 group_id=11,type=select,selection_method=hash,selection_method_param=7,fields(ip_src,nw_proto),bucket=bucket_id:5,weight:100,actions=output:1
`

func TestParseGroupsReal(t *testing.T) {
	blocks := strings.SplitAfter(ofRealGroups, "\n")
	var cur []string
	var dumps []string
	for _, l := range blocks {
		if strings.Contains(l, "_GROUP_DESC reply") && len(cur) > 0 {
			dumps = append(dumps, strings.Join(cur, ""))
			cur = nil
		}
		cur = append(cur, l)
	}
	dumps = append(dumps, strings.Join(cur, ""))
	versions := []string{"OpenFlow11", "OpenFlow13", "OpenFlow15", "OpenFlow10"}
	if len(dumps) != len(versions) {
		t.Fatalf("%d dumps", len(dumps))
	}
	for i, in := range dumps {
		d, err := ParseGroups(strings.NewReader(in), "g")
		if err != nil {
			t.Fatal(err)
		}
		ofCheckIssues(t, d.Issues, nil)
		if d.Version != versions[i] || len(d.Groups) != 6 || d.Records() != 6 {
			t.Errorf("dump %d: version %q, %d groups", i, d.Version, len(d.Groups))
		}
		nb := 0
		for _, g := range d.Groups {
			nb += len(g.Buckets)
		}
		if nb != 8 {
			t.Errorf("dump %d: %d buckets, want 8", i, nb)
		}
	}
	// The OpenFlow 1.5 dump, in full.
	d, _ := ParseGroups(strings.NewReader(dumps[2]), "g")
	act := func(raw string) Action { a, _, _ := splitAction(raw); return a }
	want := []Group{
		{ID: 7, Type: "select", Buckets: []Bucket{
			{ID: 0, HasID: true, Weight: 100, Actions: []Action{act("output:p1")}},
			{ID: 1, HasID: true, Weight: 50, WatchPort: "p3", Actions: []Action{act("set_field:00:11:22:33:44:55->eth_src"), act("output:p3")}},
		}},
		{ID: 8, Type: "all", Buckets: []Bucket{
			{HasID: true, Actions: []Action{act("output:p1")}},
			{ID: 1, HasID: true, Actions: []Action{act("output:p2")}},
		}},
		{ID: 10, Type: "indirect", Buckets: []Bucket{
			{HasID: true, Actions: []Action{act("ct(commit,nat(src=10.1.1.1-10.1.1.9:1000-2000))"), act("output:p1")}},
		}},
		{ID: 13, Type: "all"},
		{ID: 9, Type: "ff", Buckets: []Bucket{
			{HasID: true, WatchPort: "p1", Actions: []Action{act("output:p1")}},
			{ID: 1, HasID: true, WatchPort: "p2", Actions: []Action{act("output:p2")}},
		}},
		{ID: 11, Type: "select", SelectionMethod: "hash", SelectionMethodParam: 7, Fields: []string{"ip_src", "nw_proto"},
			Buckets: []Bucket{{ID: 5, HasID: true, Weight: 100, Actions: []Action{act("output:p1")}}}},
	}
	if diff := cmp.Diff(want, d.Groups, cmpopts.IgnoreFields(Group{}, "Pos", "Raw"), cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("OF1.5 groups (-want +got):\n%s", diff)
	}
	if d.Groups[0].Pos != (parse.Pos{File: "g", Line: 2}) || !strings.HasPrefix(d.Groups[0].Raw, " group_id=7,") {
		t.Errorf("pos/raw: %v %q", d.Groups[0].Pos, d.Groups[0].Raw)
	}
}

func TestParseGroupsVariants(t *testing.T) {
	tests := []struct {
		name       string
		input      string
		want       []Group
		wantIssues []string
	}{{
		name:  "default weights, quoted watch port, single field, drop bucket",
		input: "OFPST_GROUP_DESC reply (OF1.5) (xid=0x2):\n group_id=1,type=select,selection_method=dp_hash,fields=ip_dst,bucket=watch_port:\"tap-x\",actions=drop,bucket=watch_group:4,actions=resubmit(,60)\n",
		want: []Group{{ID: 1, Type: "select", SelectionMethod: "dp_hash", Fields: []string{"ip_dst"}, Buckets: []Bucket{
			{Weight: 1, WatchPort: "tap-x", Actions: []Action{{Name: "drop", Raw: "drop"}}},
			{Weight: 1, WatchGroup: 4, HasWatchGroup: true, Actions: []Action{{Name: "resubmit", Arg: ",60", Raw: "resubmit(,60)"}}},
		}}},
	}, {
		name:  "unknown type, property and bucket field kept",
		input: " group_id=2,type=fancy,color=blue,bucket=speed:3,actions=output:1\n",
		want: []Group{{ID: 2, Type: "fancy", Extra: []Match{{"color", "blue"}},
			Buckets: []Bucket{{Actions: []Action{{Name: "output", Arg: "1", Raw: "output:1"}}}}}},
		wantIssues: []string{
			`1:warning:unknown group type "fancy"`,
			`1:warning:unknown group property "color=blue"`,
			`1:warning:unknown bucket property "speed:3"`,
		},
	}, {
		name:       "failures and junk",
		input:      "# ovs-ofctl -O OpenFlow13 dump-groups br-int\novs-ofctl: br-int is not a bridge or a socket\nOFPST_GROUP_DESC reply (OF1.3) (xid=0x2):\nbucket=actions=output:1\n",
		wantIssues: []string{"1:info:collector banner", "2:info:command failed", "4:error:not a group line"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := ParseGroups(strings.NewReader(tt.input), "g")
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, d.Groups, cmpopts.IgnoreFields(Group{}, "Pos", "Raw"), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			ofCheckIssues(t, d.Issues, tt.wantIssues)
		})
	}
	if _, err := ParseGroups(strings.NewReader("hello\n"), "g"); err == nil {
		t.Error("junk accepted")
	}
}

// TestGroupsCorpus parses every dump-groups file of the real corpus (there
// is none at the moment; the test is ready for when there is).
func TestGroupsCorpus(t *testing.T) {
	for _, f := range ofCorpusFiles(t, "*dump-groups*") {
		d := ofParseFile(t, f, ParseGroups)
		if len(d.Issues) != 0 || len(d.Groups) == 0 {
			t.Errorf("%s: %d groups, issues:\n%s", f, len(d.Groups), strings.Join(ofIssueStrings(d.Issues), "\n"))
		}
	}
}
