package ovs

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"netxray/parse"
)

// ofActions parses one action list the way ParseFlows does.
func ofActions(t *testing.T, s string) ([]Action, parse.Issues) {
	t.Helper()
	var issues parse.Issues
	var arena ofArena
	ap := actionParser{pos: parse.Pos{File: "a", Line: 1}, issues: &issues}
	return ap.list(&arena, s), issues
}

func TestActionSplitting(t *testing.T) {
	tests := []struct {
		in   string
		want []Action
	}{
		{"drop", []Action{{"drop", "", "drop"}}},
		{"NORMAL,IN_PORT,LOCAL,FLOOD,ALL,CONTROLLER:65535", []Action{
			{"normal", "", "NORMAL"}, {"in_port", "", "IN_PORT"}, {"local", "", "LOCAL"},
			{"flood", "", "FLOOD"}, {"all", "", "ALL"}, {"controller", "65535", "CONTROLLER:65535"}}},
		{"3,output:4", []Action{{"output", "3", "3"}, {"output", "4", "output:4"}}},
		{`output:"tap-xyz",enqueue:"tap-xyz":3`, []Action{{"output", `"tap-xyz"`, `output:"tap-xyz"`}, {"enqueue", `"tap-xyz":3`, `enqueue:"tap-xyz":3`}}},
		{"resubmit(,60),resubmit(in_port,1,ct),resubmit:3,goto_table:5", []Action{
			{"resubmit", ",60", "resubmit(,60)"}, {"resubmit", "in_port,1,ct", "resubmit(in_port,1,ct)"},
			{"resubmit", "3", "resubmit:3"}, {"goto_table", "5", "goto_table:5"}}},
		{"ct(commit,zone=NXM_NX_REG6[0..15],nat(src=1.2.3.4-1.2.3.5:1000-2000),exec(load:0x1->NXM_NX_CT_MARK[])),output:2", []Action{
			{"ct", "commit,zone=NXM_NX_REG6[0..15],nat(src=1.2.3.4-1.2.3.5:1000-2000),exec(load:0x1->NXM_NX_CT_MARK[])",
				"ct(commit,zone=NXM_NX_REG6[0..15],nat(src=1.2.3.4-1.2.3.5:1000-2000),exec(load:0x1->NXM_NX_CT_MARK[]))"},
			{"output", "2", "output:2"}}},
		{"conjunction(5,1/2),set_field:0x1->reg5,load:0x3e9->NXM_NX_TUN_ID[],move:NXM_OF_ETH_SRC[]->NXM_OF_ETH_DST[]", []Action{
			{"conjunction", "5,1/2", "conjunction(5,1/2)"}, {"set_field", "0x1->reg5", "set_field:0x1->reg5"},
			{"load", "0x3e9->NXM_NX_TUN_ID[]", "load:0x3e9->NXM_NX_TUN_ID[]"},
			{"move", "NXM_OF_ETH_SRC[]->NXM_OF_ETH_DST[]", "move:NXM_OF_ETH_SRC[]->NXM_OF_ETH_DST[]"}}},
		{"check_pkt_larger(1500)->NXM_NX_REG0[0],output(port=2,max_len=100)", []Action{
			{"check_pkt_larger", "1500", "check_pkt_larger(1500)->NXM_NX_REG0[0]"},
			{"output", "port=2,max_len=100", "output(port=2,max_len=100)"}}},
		{"note:00.01.02,push_vlan:0x8100,mod_nw_ttl:9,dec_ttl,dec_ttl(1,2),write_metadata:0x10/0xff,meter:3,group:1", []Action{
			{"note", "00.01.02", "note:00.01.02"}, {"push_vlan", "0x8100", "push_vlan:0x8100"}, {"mod_nw_ttl", "9", "mod_nw_ttl:9"},
			{"dec_ttl", "", "dec_ttl"}, {"dec_ttl", "1,2", "dec_ttl(1,2)"}, {"write_metadata", "0x10/0xff", "write_metadata:0x10/0xff"},
			{"meter", "3", "meter:3"}, {"group", "1", "group:1"}}},
		{"controller(reason=no_match,userdata=01.02),clone(push_vlan:0x8100,output:2),bundle(eth_src,0,hrw,ofport,members:1,2)", []Action{
			{"controller", "reason=no_match,userdata=01.02", "controller(reason=no_match,userdata=01.02)"},
			{"clone", "push_vlan:0x8100,output:2", "clone(push_vlan:0x8100,output:2)"},
			{"bundle", "eth_src,0,hrw,ofport,members:1,2", "bundle(eth_src,0,hrw,ofport,members:1,2)"}}},
		{"", nil},
	}
	for _, tt := range tests {
		got, issues := ofActions(t, tt.in)
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.in, diff)
		}
		if len(issues) != 0 {
			t.Errorf("%s: issues %v", tt.in, issues)
		}
	}
}

func TestActionChecks(t *testing.T) {
	tests := []struct {
		in   string
		want string // substring of the single issue, "" for none
	}{
		{"learn(table=20,hard_timeout=300,priority=1,cookie=0x1,NXM_OF_VLAN_TCI[0..11],NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],load:0->NXM_OF_VLAN_TCI[],load:NXM_NX_TUN_ID[]->NXM_NX_TUN_ID[],output:OXM_OF_IN_PORT[])", ""},
		{"learn(table=1,NXM_BOGUS[]=NXM_OF_ETH_SRC[])", "unknown field"},
		{"ct(commit,exec(set_field:0x1->ct_mark,frob))", `unknown action "frob" kept`},
		{"clone(clone(load:0xQ->NXM_NX_REG0[]))", `bad action "load:0xQ->NXM_NX_REG0[]"`},
		{"ct(table=72,zone=NXM_NX_REG6[0..15])", ""},
		{"ct(comit)", "unknown argument"},
		{"resubmit(,60,ct,x)", "expected resubmit"},
		{"resubmit(1)", "expected resubmit"},
		{"conjunction(5,3/2)", "conjunction(id,k/n)"},
		{"set_field:0x1->reg99", "unknown field"},
		{"set_field:300.0.0.1->ip_src", "IPv4"},
		{"set_field:fa:16:3e:3c:4d:5e->eth_src", ""},
		{`set_field:"tap1"->in_port`, ""},
		{"move:NXM_OF_ETH_SRC[]NXM_OF_ETH_DST[]", `expected "->"`},
		{"note:0g", "hex bytes"},
		{"strip_vlan:3", "takes no argument"},
		{"resubmit(,60)x", "after ')'"},
		{"check_pkt_larger(1500)", `expected "->"`},
		{"mod_dl_src:fa:16:3e:3c:4d", "MAC"},
		{"output:NXM_NX_REG1[0..15]", ""},
		{"output:NXM_NX_REG1[0..40]", "bit range"},
		{"ct(commit,zone=NXM_NX_REG6[0..15],exec(load:0x1->NXM_NX_CT_MARK[])", "unbalanced"},
	}
	for _, tt := range tests {
		_, issues := ofActions(t, tt.in)
		switch {
		case tt.want == "" && len(issues) != 0:
			t.Errorf("%s: unexpected issues %v", tt.in, issues)
		case tt.want != "" && (len(issues) != 1 || !strings.Contains(issues[0].Msg, tt.want)):
			t.Errorf("%s: issues %v, want one containing %q", tt.in, ofIssueStrings(issues), tt.want)
		}
	}
}

func TestActionViews(t *testing.T) {
	act := func(s string) Action {
		a, _ := ofActions(t, s)
		return a[0]
	}
	jumps := []struct {
		in   string
		want Jump
	}{
		{"resubmit(,60)", Jump{Table: 60}},
		{"resubmit(in_port,1,ct)", Jump{Port: "in_port", Table: 1, CT: true}},
		{`resubmit("tap-x",egress)`, Jump{Port: "tap-x", Table: -1, TableName: "egress"}},
		{"resubmit:3", Jump{Port: "3", Table: -1}},
		{"goto_table:9", Jump{Table: 9, Goto: true}},
	}
	for _, tt := range jumps {
		got, ok := act(tt.in).Jump()
		if !ok || got != tt.want {
			t.Errorf("%s.Jump() = %+v, %v; want %+v", tt.in, got, ok, tt.want)
		}
	}
	if _, ok := act("output:1").Jump(); ok {
		t.Error("output has no jump")
	}
	ports := map[string]string{
		"output:1": "1", `output:"tap-x"`: "tap-x", "NORMAL": "NORMAL", "IN_PORT": "IN_PORT",
		"output(port=2,max_len=100)": "2", "CONTROLLER:65535": "CONTROLLER", "output:NXM_NX_REG1[0..15]": "NXM_NX_REG1[0..15]", "7": "7",
	}
	for in, want := range ports {
		if got, ok := act(in).OutputPort(); !ok || got != want {
			t.Errorf("%s.OutputPort() = %q, %v; want %q", in, got, ok, want)
		}
	}
	if v, dst, ok := act("load:0x3e9->NXM_NX_TUN_ID[]").Load(); !ok || v != "0x3e9" || dst.Field.Name != "tun_id" || dst.Bits != 64 {
		t.Errorf("Load = %q %+v %v", v, dst, ok)
	}
	if src, dst, ok := act("move:NXM_NX_TUN_METADATA0[16..30]->NXM_NX_REG14[0..14]").Move(); !ok ||
		src.Ofs != 16 || src.Bits != 15 || dst.Field.Name != "reg14" || dst.String() != "NXM_NX_REG14[0..14]" {
		t.Errorf("Move = %+v %+v %v", src, dst, ok)
	}
	if v, f, ok := act("set_field:0x1/0x1->ct_mark").SetField(); !ok || v != "0x1/0x1" || f.Name != "ct_mark" {
		t.Errorf("SetField = %q %v %v", v, f, ok)
	}
	if n, dst, ok := act("check_pkt_larger(1500)->NXM_NX_REG0[0]").CheckPktLarger(); !ok || n != 1500 || dst.String() != "NXM_NX_REG0[0]" {
		t.Errorf("CheckPktLarger = %d %+v %v", n, dst, ok)
	}
	if id, k, n, ok := act("conjunction(18,2/2)").Conjunction(); !ok || id != 18 || k != 2 || n != 2 {
		t.Errorf("Conjunction = %d %d %d %v", id, k, n, ok)
	}
}

func TestParseSubfield(t *testing.T) {
	tests := []struct {
		in         string
		ofs, bits  int
		field, out string
		bad        bool
	}{
		{in: "NXM_NX_REG6[0..15]", ofs: 0, bits: 16, field: "reg6", out: "NXM_NX_REG6[0..15]"},
		{in: "NXM_OF_ETH_DST[]", ofs: 0, bits: 48, field: "eth_dst", out: "NXM_OF_ETH_DST[]"},
		{in: "reg0[3]", ofs: 3, bits: 1, field: "reg0", out: "reg0[3]"},
		{in: "tun_id", ofs: 0, bits: 64, field: "tun_id", out: "tun_id[]"},
		{in: "NXM_NX_REG6[16..15]", bad: true},
		{in: "NXM_NX_REG6[0..32]", bad: true},
		{in: "NXM_NX_REG6[0..15", bad: true},
		{in: "NXM_NX_BOGUS[]", bad: true},
		{in: "[1]", bad: true},
	}
	for _, tt := range tests {
		sf, err := ParseSubfield(tt.in)
		if tt.bad {
			if err == nil {
				t.Errorf("ParseSubfield(%q) accepted", tt.in)
			}
			continue
		}
		if err != nil || sf.Ofs != tt.ofs || sf.Bits != tt.bits || sf.Field.Name != tt.field || sf.String() != tt.out {
			t.Errorf("ParseSubfield(%q) = %+v %q, %v", tt.in, sf, sf.String(), err)
		}
	}
}
