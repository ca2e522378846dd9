package conntrack

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"netxray/parse"
)

func ip(s string) netip.Addr { return netip.MustParseAddr(s) }
func intp(n int) *int        { return &n }

var cmpOpts = []cmp.Option{cmpopts.EquateEmpty(), cmpopts.EquateComparable(netip.Addr{})}

func TestParseConntrack(t *testing.T) {
	const f = "ct"
	pos := func(n int) parse.Pos { return parse.Pos{File: f, Line: n} }
	tests := []struct {
		name        string
		input       string
		want        []Entry
		wantSummary *Summary
		wantIssues  parse.Issues
	}{
		{
			// Captured with conntrack-tools 1.4.7 in a test namespace;
			// the summary came first because stderr is unbuffered.
			name: "default layout, summary first",
			input: "conntrack v1.4.7 (conntrack-tools): 3 flow entries have been shown.\n" +
				"udp      17 29 src=192.0.2.1 dst=192.0.2.2 sport=48375 dport=53 [UNREPLIED] src=192.0.2.2 dst=192.0.2.1 sport=53 dport=48375 mark=0 zone=4101 use=1\n" +
				"tcp      6 119 FIN_WAIT src=192.0.2.1 dst=192.0.2.2 sport=39210 dport=2222 src=192.0.2.2 dst=192.0.2.1 sport=2222 dport=39210 [ASSURED] mark=0 use=1\n" +
				"icmp     1 29 src=192.0.2.1 dst=192.0.2.2 type=8 code=0 id=21053 src=192.0.2.2 dst=192.0.2.1 type=0 code=0 id=21053 mark=0 use=1\n",
			wantSummary: &Summary{Pos: pos(1), Raw: "conntrack v1.4.7 (conntrack-tools): 3 flow entries have been shown.", Version: "1.4.7", Count: 3},
			wantIssues:  parse.Issues{{Pos: pos(1), Severity: parse.SevInfo, Msg: "conntrack-tools summary (stderr): conntrack v1.4.7 (conntrack-tools): 3 flow entries have been shown."}},
			want: []Entry{
				{Pos: pos(2), Raw: "udp      17 29 src=192.0.2.1 dst=192.0.2.2 sport=48375 dport=53 [UNREPLIED] src=192.0.2.2 dst=192.0.2.1 sport=53 dport=48375 mark=0 zone=4101 use=1",
					Proto: "udp", ProtoNum: 17, Timeout: intp(29),
					Orig:      Tuple{Src: ip("192.0.2.1"), Dst: ip("192.0.2.2"), SPort: 48375, DPort: 53},
					Reply:     Tuple{Src: ip("192.0.2.2"), Dst: ip("192.0.2.1"), SPort: 53, DPort: 48375},
					Unreplied: true, HasMark: true, Zone: 4101, Use: 1},
				{Pos: pos(3), Raw: "tcp      6 119 FIN_WAIT src=192.0.2.1 dst=192.0.2.2 sport=39210 dport=2222 src=192.0.2.2 dst=192.0.2.1 sport=2222 dport=39210 [ASSURED] mark=0 use=1",
					Proto: "tcp", ProtoNum: 6, Timeout: intp(119), State: "FIN_WAIT",
					Orig:    Tuple{Src: ip("192.0.2.1"), Dst: ip("192.0.2.2"), SPort: 39210, DPort: 2222},
					Reply:   Tuple{Src: ip("192.0.2.2"), Dst: ip("192.0.2.1"), SPort: 2222, DPort: 39210},
					Assured: true, HasMark: true, Use: 1},
				{Pos: pos(4), Raw: "icmp     1 29 src=192.0.2.1 dst=192.0.2.2 type=8 code=0 id=21053 src=192.0.2.2 dst=192.0.2.1 type=0 code=0 id=21053 mark=0 use=1",
					Proto: "icmp", ProtoNum: 1, Timeout: intp(29),
					Orig:    Tuple{Src: ip("192.0.2.1"), Dst: ip("192.0.2.2"), Type: 8, ID: 21053},
					Reply:   Tuple{Src: ip("192.0.2.2"), Dst: ip("192.0.2.1"), ID: 21053},
					HasMark: true, Use: 1},
			},
		},
		{
			name: "extended with counters, id, secctx, directional zone, timestamps, summary mismatch",
			input: "ipv6     10 tcp      6 431999 ESTABLISHED src=2001:db8::5 dst=2001:db8::7 sport=22 dport=4000 zone-orig=3 packets=10 bytes=1000 src=2001:db8::7 dst=2001:db8::5 sport=4000 dport=22 packets=9 bytes=900 [OFFLOAD] mark=0x1 secctx=system_u:object_r:unlabeled_t:s0 zone=7 delta-time=12 [start=Mon Jan  1 00:00:00 2024] helper=ftp use=2 id=3942890623 labels=a,b\n" +
				"conntrack v1.4.6 (conntrack-tools): 2 flow entries have been shown.\n",
			wantSummary: &Summary{Pos: pos(2), Raw: "conntrack v1.4.6 (conntrack-tools): 2 flow entries have been shown.", Version: "1.4.6", Count: 2},
			want: []Entry{{Pos: pos(1), Raw: "ipv6     10 tcp      6 431999 ESTABLISHED src=2001:db8::5 dst=2001:db8::7 sport=22 dport=4000 zone-orig=3 packets=10 bytes=1000 src=2001:db8::7 dst=2001:db8::5 sport=4000 dport=22 packets=9 bytes=900 [OFFLOAD] mark=0x1 secctx=system_u:object_r:unlabeled_t:s0 zone=7 delta-time=12 [start=Mon Jan  1 00:00:00 2024] helper=ftp use=2 id=3942890623 labels=a,b",
				L3Proto: "ipv6", L3Num: 10, Proto: "tcp", ProtoNum: 6, Timeout: intp(431999), State: "ESTABLISHED",
				Orig:    Tuple{Src: ip("2001:db8::5"), Dst: ip("2001:db8::7"), SPort: 22, DPort: 4000, Zone: intp(3), Packets: 10, Bytes: 1000, HasCounters: true},
				Reply:   Tuple{Src: ip("2001:db8::7"), Dst: ip("2001:db8::5"), SPort: 4000, DPort: 22, Packets: 9, Bytes: 900, HasCounters: true},
				Offload: true, Mark: 1, HasMark: true, Secctx: "system_u:object_r:unlabeled_t:s0", Zone: 7,
				DeltaTime: intp(12), Start: "Mon Jan  1 00:00:00 2024", Helper: "ftp", Use: 2, ID: 3942890623, Labels: []string{"a", "b"}}},
			wantIssues: parse.Issues{
				{Pos: pos(2), Severity: parse.SevInfo, Msg: "conntrack-tools summary (stderr): conntrack v1.4.6 (conntrack-tools): 2 flow entries have been shown."},
				{Pos: pos(2), Severity: parse.SevWarning, Msg: "summary says 2 entries, parsed 1"},
			},
		},
		{
			name: "events, gre, unknown, noise",
			input: "# conntrack -L\n" +
				" [DESTROY] gre      47 src=10.0.0.1 dst=10.0.0.2 srckey=0x0 dstkey=0x0 src=10.0.0.2 dst=10.0.0.1 srckey=0x0 dstkey=0x0 [HW_OFFLOAD] [FOO] wat sport=x color=blue\n" +
				"conntrack v1.4.4 (conntrack-tools): Operation failed: invalid parameters\n" +
				"Cannot open network namespace \"qrouter-x\": No such file or directory\n" +
				"random words here\n" +
				"unknown  41 599 mark=0 use=1\n",
			want: []Entry{
				{Pos: pos(2), Raw: " [DESTROY] gre      47 src=10.0.0.1 dst=10.0.0.2 srckey=0x0 dstkey=0x0 src=10.0.0.2 dst=10.0.0.1 srckey=0x0 dstkey=0x0 [HW_OFFLOAD] [FOO] wat sport=x color=blue",
					Event: "DESTROY", Proto: "gre", ProtoNum: 47,
					Orig:    Tuple{Src: ip("10.0.0.1"), Dst: ip("10.0.0.2"), SrcKey: "0x0", DstKey: "0x0"},
					Reply:   Tuple{Src: ip("10.0.0.2"), Dst: ip("10.0.0.1"), SrcKey: "0x0", DstKey: "0x0"},
					Offload: true, HWOffload: true, Extra: []string{"[FOO]", "wat", "sport=x", "color=blue"}},
				{Pos: pos(6), Raw: "unknown  41 599 mark=0 use=1", Proto: "unknown", ProtoNum: 41, Timeout: intp(599), HasMark: true, Use: 1},
			},
			wantIssues: parse.Issues{
				{Pos: pos(1), Severity: parse.SevInfo, Msg: "collector banner skipped: # conntrack -L"},
				{Pos: pos(2), Severity: parse.SevWarning, Msg: `unknown conntrack flag "[FOO]" kept`},
				{Pos: pos(2), Severity: parse.SevWarning, Msg: `unknown conntrack token "wat" kept`},
				{Pos: pos(2), Severity: parse.SevWarning, Msg: `conntrack sport="x": bad value kept in Extra`},
				{Pos: pos(2), Severity: parse.SevWarning, Msg: `unknown conntrack key "color" kept`},
				{Pos: pos(3), Severity: parse.SevInfo, Msg: "command failed: conntrack v1.4.4 (conntrack-tools): Operation failed: invalid parameters"},
				{Pos: pos(4), Severity: parse.SevInfo, Msg: `command failed: Cannot open network namespace "qrouter-x": No such file or directory`},
				{Pos: pos(5), Severity: parse.SevError, Msg: `not a conntrack entry: "random words here"`},
				{Pos: pos(6), Severity: parse.SevWarning, Msg: "conntrack entry without an address tuple"},
			},
		},
	}
	tests = append(tests, splicedTests(f)...)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseConntrack(strings.NewReader(tc.input), f)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got.Entries, cmpOpts...); diff != "" {
				t.Errorf("entries (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.wantSummary, got.Summary); diff != "" {
				t.Errorf("summary (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.wantIssues, got.Issues, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("issues (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSniff(t *testing.T) {
	tests := []struct {
		head string
		want bool
	}{
		{"tcp      6 431999 ESTABLISHED src=1.1.1.1 dst=2.2.2.2 sport=1 dport=2\n", true},
		{"conntrack v1.4.7 (conntrack-tools): 1 flow entries have been shown.\nipv4     2 icmp     1 29 src=192.0.2.1 dst=192.0.2.2 type=8\n", true},
		{"icmp,orig=(src=10.251.2.140,dst=10.251.0.99,id=1374,type=8,code=0),reply=(src=10.251.0.99)\n", false},
		{"33:33:00:00:00:01 dev br0 self permanent\n", false},
	}
	for _, tc := range tests {
		if got := Formats[0].Sniff([]byte(tc.head)); got != tc.want {
			t.Errorf("Sniff(%q) = %v, want %v", tc.head, got, tc.want)
		}
	}
}

func FuzzParseConntrack(f *testing.F) {
	f.Add("udp      17 29 src=192.0.2.1 dst=192.0.2.2 sport=48375 dport=53 [UNREPLIED] src=192.0.2.2 dst=192.0.2.1 sport=53 dport=48375 mark=0 zone=4101 use=1\n")
	f.Add("ipv4     2 icmp     1 29 src=192.0.2.1 dst=192.0.2.2 type=8 code=0 id=21053 src=192.0.2.2 dst=192.0.2.1 type=0 code=0 id=21053 mark=0 use=1 [start=a b\nconntrack v1.4.7 (conntrack-tools): 3 flow entries have been shown.\n")
	f.Add("[NEW] x 1 src=1 src=2 src=3 id=4\n")
	for _, tc := range splicedTests("fuzz") {
		f.Add(tc.input)
	}
	f.Fuzz(func(t *testing.T, input string) {
		got, err := ParseConntrack(strings.NewReader(input), "fuzz")
		if err != nil {
			t.Fatal(err)
		}
		lines := map[int]bool{}
		for _, e := range got.Entries {
			lines[e.Pos.Line], lines[e.End] = true, true
		}
		if got.Summary != nil {
			lines[got.Summary.Pos.Line] = true
		}
		for _, is := range got.Issues {
			lines[is.Pos.Line] = true
		}
		sc := parse.NewScanner(strings.NewReader(input), "fuzz", nil)
		for sc.Scan() {
			if strings.TrimSpace(sc.Text()) != "" && !lines[sc.Pos().Line] {
				t.Fatalf("line %d %q neither parsed nor reported", sc.Pos().Line, sc.Text())
			}
		}
	})
}

// splicedTests are listings whose stderr summary a collector wrote into the
// middle of stdout (lab bundles collected before the collector split
// stderr out): conntrack writes its table in 4 KiB blocks, so the summary
// lands at a block boundary.
func splicedTests(f string) []struct {
	name        string
	input       string
	want        []Entry
	wantSummary *Summary
	wantIssues  parse.Issues
} {
	pos := func(n int) parse.Pos { return parse.Pos{File: f, Line: n} }
	const (
		sum   = "conntrack v1.4.7 (conntrack-tools): 2 flow entries have been shown."
		icmp  = "ipv4     2 icmp     1 6 src=10.10.1.23 dst=172.24.4.1 type=8 code=0 id=17964 src=172.24.4.1 dst=172.24.4.65 type=0 code=0 id=57398 mark=0 use=1"
		tcp   = "ipv4     2 tcp      6 96 SYN_SENT src=10.10.1.156 dst=172.24.4.1 sport=47960 dport=22 [UNREPLIED] src=172.24.4.1 dst=10.10.1.156 sport=22 dport=47960 mark=0 use=1"
		cutAt = 54 // in icmp, after "dst=172.24."
	)
	icmpEntry := func(p parse.Pos, end int) Entry {
		return Entry{Pos: p, Raw: icmp, End: end, L3Proto: "ipv4", L3Num: 2, Proto: "icmp", ProtoNum: 1, Timeout: intp(6),
			Orig:    Tuple{Src: ip("10.10.1.23"), Dst: ip("172.24.4.1"), Type: 8, ID: 17964},
			Reply:   Tuple{Src: ip("172.24.4.1"), Dst: ip("172.24.4.65"), ID: 57398},
			HasMark: true, Use: 1}
	}
	tcpEntry := func(p parse.Pos) Entry {
		return Entry{Pos: p, Raw: tcp, L3Proto: "ipv4", L3Num: 2, Proto: "tcp", ProtoNum: 6, Timeout: intp(96), State: "SYN_SENT",
			Orig:      Tuple{Src: ip("10.10.1.156"), Dst: ip("172.24.4.1"), SPort: 47960, DPort: 22},
			Reply:     Tuple{Src: ip("172.24.4.1"), Dst: ip("10.10.1.156"), SPort: 22, DPort: 47960},
			Unreplied: true, HasMark: true, Use: 1}
	}
	rebuilt := "conntrack-tools summary (stderr) was written into the middle of an entry; the entry is rebuilt from this line and the next: " + sum
	without := "conntrack-tools summary (stderr) was written into the middle of an entry; the entry is parsed without it: " + sum
	return []struct {
		name        string
		input       string
		want        []Entry
		wantSummary *Summary
		wantIssues  parse.Issues
	}{
		{
			name:        "summary in the middle of an entry",
			input:       tcp + "\n" + icmp[:cutAt] + sum + "\n" + icmp[cutAt:] + "\n",
			want:        []Entry{tcpEntry(pos(1)), icmpEntry(pos(2), 3)},
			wantSummary: &Summary{Pos: pos(2), Raw: sum, Version: "1.4.7", Count: 2},
			wantIssues:  parse.Issues{{Pos: pos(2), Severity: parse.SevWarning, Msg: rebuilt}},
		},
		{
			name:        "summary right before a newline",
			input:       icmp + sum + "\n\n" + tcp + "\n",
			want:        []Entry{icmpEntry(pos(1), 2), tcpEntry(pos(3))},
			wantSummary: &Summary{Pos: pos(1), Raw: sum, Version: "1.4.7", Count: 2},
			wantIssues:  parse.Issues{{Pos: pos(1), Severity: parse.SevWarning, Msg: rebuilt}},
		},
		{
			name:        "summary with text after it, cut last line",
			input:       icmp[:cutAt] + sum + icmp[cutAt:] + "\n" + tcp[:4] + sum,
			want:        []Entry{icmpEntry(pos(1), 0)},
			wantSummary: &Summary{Pos: pos(1), Raw: sum, Version: "1.4.7", Count: 2},
			wantIssues: parse.Issues{
				{Pos: pos(1), Severity: parse.SevWarning, Msg: without},
				{Pos: pos(2), Severity: parse.SevWarning, Msg: "second conntrack-tools summary ignored: " + sum},
				{Pos: pos(2), Severity: parse.SevWarning, Msg: rebuilt},
				{Pos: pos(2), Severity: parse.SevError, Msg: `not a conntrack entry: "ipv4"`},
				{Pos: pos(1), Severity: parse.SevWarning, Msg: "summary says 2 entries, parsed 1"},
			},
		},
		{
			name:        "rebuilt entry still bad",
			input:       "junk" + sum + "\nmore junk\n",
			wantSummary: &Summary{Pos: pos(1), Raw: sum, Version: "1.4.7", Count: 2},
			wantIssues: parse.Issues{
				{Pos: pos(1), Severity: parse.SevWarning, Msg: rebuilt},
				{Pos: pos(1), Severity: parse.SevError, Msg: `not a conntrack entry: "junkmore junk"`},
				{Pos: pos(2), Severity: parse.SevError, Msg: "end of the entry cut at line 1 lost with it"},
				{Pos: pos(1), Severity: parse.SevWarning, Msg: "summary says 2 entries, parsed 0"},
			},
		},
	}
}
