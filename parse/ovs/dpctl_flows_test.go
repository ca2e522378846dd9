package ovs

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestParseDPFlows(t *testing.T) {
	input := `flow-dump from pmd on cpu core: 1
recirc_id(0),in_port(2),eth(src=fa:16:3e:11:ba:24,dst=fa:16:3e:53:45:40),eth_type(0x0800),ipv4(frag=no), packets:3, bytes:294, used:0.512s, flags:S, actions:ct(zone=1,nat),recirc(0x1)
ufid:60ab39c4-1111-2222-3333-444455556666, recirc_id(0),in_port(3),eth_type(0x0800), packets:0, bytes:0, used:never, offloaded:yes, dp:tc, actions:set(tunnel(tun_id=0x5,dst=10.0.0.2,ttl=64,flags(df|key))),4, dp-extra-info:miniflow_bits(5,1)
recirc_id(0),in_port(1), packets:x, bytes:1, used:1.0s, color:red, actions:drop
in_port(1),eth(src=a) actions:drop
`
	got, err := ParseDPFlows(strings.NewReader(input), "f")
	if err != nil {
		t.Fatal(err)
	}
	it := func(name, arg string) DPItem { return DPItem{Name: name, Arg: arg} }
	want := []DPFlow{
		{Pos: stPos(2), Thread: "pmd on cpu core: 1", Packets: 3, Bytes: 294, Used: 0.512, TCPFlags: "S",
			Key:     []DPItem{it("recirc_id", "0"), it("in_port", "2"), it("eth", "src=fa:16:3e:11:ba:24,dst=fa:16:3e:53:45:40"), it("eth_type", "0x0800"), it("ipv4", "frag=no")},
			Actions: []DPItem{it("ct", "zone=1,nat"), it("recirc", "0x1")}},
		{Pos: stPos(3), Thread: "pmd on cpu core: 1", UFID: "60ab39c4-1111-2222-3333-444455556666", Used: -1, Offloaded: "yes", DP: "tc",
			DPExtraInfo: "miniflow_bits(5,1)",
			Key:         []DPItem{it("recirc_id", "0"), it("in_port", "3"), it("eth_type", "0x0800")},
			Actions:     []DPItem{it("set", "tunnel(tun_id=0x5,dst=10.0.0.2,ttl=64,flags(df|key))"), it("output", "4")}},
		{Pos: stPos(4), Thread: "pmd on cpu core: 1", Bytes: 1, Used: 1,
			Key:     []DPItem{it("recirc_id", "0"), it("in_port", "1")},
			Actions: []DPItem{it("drop", "")},
			Extra:   []DPItem{{Name: "color", Arg: "red", Raw: "color:red"}}},
	}
	if diff := cmp.Diff(want, got.Flows, cmpopts.IgnoreFields(DPFlow{}, "Raw"), cmpopts.IgnoreFields(DPItem{}, "Raw"), cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	ofCheckIssues(t, got.Issues, []string{
		`4:warning:datapath flow packets:"x" is not a number`,
		`4:warning:datapath flow stat "color:red" kept as extra`,
		"5:error:not a datapath flow",
	})
	stCheckCoverage(t, input, got.Issues, got.understood)
	if v, ok := got.Flows[0].KeyArg("in_port"); !ok || v != "2" {
		t.Errorf("KeyArg = %q %v", v, ok)
	}
	if got.Flows[1].Actions[1].Raw != "4" {
		t.Errorf("raw output action %q", got.Flows[1].Actions[1].Raw)
	}
}
