package ovs

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestParseCTDump(t *testing.T) {
	input := `tcp,orig=(src=192.168.10.5,dst=192.168.20.7,sport=43822,dport=22),reply=(src=192.168.20.7,dst=192.168.10.5,sport=22,dport=43822),zone=1,protoinfo=(state=ESTABLISHED)
icmp,orig=(src=10.251.2.140,dst=10.251.0.99,id=1374,type=8,code=0),reply=(src=10.251.0.99,dst=10.251.2.140,id=1374,type=0,code=0),zone=4201
tcp,orig=(src=10.99.0.1,dst=10.99.0.2,sport=53616,dport=8080,packets=5,bytes=300),reply=(src=10.99.0.2,dst=10.99.0.1,sport=8080,dport=53616),start=2026-11-22T15:26:01.123,id=7,zone=5,status=CONFIRMED|SEEN_REPLY,timeout=431999,mark=42,labels=0x1,protoinfo=(state_orig=ESTABLISHED,state_reply=ESTABLISHED,wscale_orig=10),helper=ftp,foo=bar
udp,orig=(src=fd00::1,dst=fd00::2,sport=1,dport=x,weird=1),reply=(src=fd00::2,dst=fd00::1,sport=2,dport=1),zone=z
ovs-appctl: dpctl/dump-conntrack: Operation not permitted
junk
`
	got, err := ParseCTDump(strings.NewReader(input), "f")
	if err != nil {
		t.Fatal(err)
	}
	noStats := func(t CTTuple) CTTuple { t.Packets, t.Bytes = -1, -1; return t }
	want := []CTEntry{
		{Pos: stPos(1), Proto: "tcp", Zone: 1, State: "ESTABLISHED", ProtoInfo: []KeyVal{{"state", "ESTABLISHED"}},
			Orig:  noStats(CTTuple{Src: "192.168.10.5", Dst: "192.168.20.7", SPort: 43822, DPort: 22}),
			Reply: noStats(CTTuple{Src: "192.168.20.7", Dst: "192.168.10.5", SPort: 22, DPort: 43822})},
		{Pos: stPos(2), Proto: "icmp", Zone: 4201,
			Orig:  noStats(CTTuple{Src: "10.251.2.140", Dst: "10.251.0.99", ICMPID: 1374, ICMPType: 8}),
			Reply: noStats(CTTuple{Src: "10.251.0.99", Dst: "10.251.2.140", ICMPID: 1374})},
		{Pos: stPos(3), Proto: "tcp", Zone: 5, Mark: 42, Labels: "0x1", ID: "7", Status: "CONFIRMED|SEEN_REPLY", Timeout: 431999,
			Start: "2026-11-22T15:26:01.123", Helper: "ftp", State: "ESTABLISHED",
			ProtoInfo: []KeyVal{{"state_orig", "ESTABLISHED"}, {"state_reply", "ESTABLISHED"}, {"wscale_orig", "10"}},
			Extra:     []KeyVal{{"foo", "bar"}},
			Orig:      CTTuple{Src: "10.99.0.1", Dst: "10.99.0.2", SPort: 53616, DPort: 8080, Packets: 5, Bytes: 300},
			Reply:     noStats(CTTuple{Src: "10.99.0.2", Dst: "10.99.0.1", SPort: 8080, DPort: 53616})},
		{Pos: stPos(4), Proto: "udp",
			Orig:  noStats(CTTuple{Src: "fd00::1", Dst: "fd00::2", SPort: 1, Extra: []KeyVal{{"weird", "1"}}}),
			Reply: noStats(CTTuple{Src: "fd00::2", Dst: "fd00::1", SPort: 2, DPort: 1})},
	}
	if diff := cmp.Diff(want, got.Entries, cmpopts.IgnoreFields(CTEntry{}, "Raw"), cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	ofCheckIssues(t, got.Issues, []string{
		`3:warning:conntrack item "foo=bar" kept as extra`,
		`4:warning:conntrack tuple dport="x" is not a number`,
		`4:warning:tuple item weird=1 kept as extra`,
		`4:warning:conntrack zone="z" is not a number`,
		"5:info:command failed",
		"6:error:not a conntrack entry",
	})
	stCheckCoverage(t, input, got.Issues, got.understood)
}
