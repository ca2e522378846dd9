package ovs

import (
	"maps"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// ParseFlows takes shortcuts for speed: the counters that open a line are
// read by a fast path (stats), and match items and actions already seen in
// the dump are copied from memos instead of checked again. None of them may
// change a result: ofCheckFastPaths parses text with them and without any
// (parseFlows general) and wants the same dump, raw texts and issues
// included.
func ofCheckFastPaths(t *testing.T, text string) {
	t.Helper()
	fast, errFast := parseFlows(strings.NewReader(text), "f", false)
	general, errGeneral := parseFlows(strings.NewReader(text), "f", true)
	if (errFast == nil) != (errGeneral == nil) {
		t.Fatalf("error with shortcuts %v, without %v", errFast, errGeneral)
	}
	if diff := cmp.Diff(general, fast, cmpopts.EquateEmpty()); diff != "" {
		t.Fatalf("dump (-general path +shortcuts):\n%s", diff)
	}
}

// ofFastPathCases are dumps where a shortcut could go wrong: counters the
// fast path must decline, and repeated items with problems, which the memos
// must not keep.
var ofFastPathCases = map[string]string{
	"odd counters": ` cookie=0x1, duration=1s, table=300, n_packets=?, n_bytes=?, priority=1 actions=drop
 cookie=0x1, duration=0x1s, table=0, n_packets=1, n_bytes=1, priority=1 actions=drop
 cookie=0x1, duration=1.5s, table=ingress, n_packets=1, n_bytes=1, idle_timeout=10, hard_timeout=4294967296, priority=1 actions=drop
 cookie=0x11111111111111111, duration=1.5s, table=0, n_packets=99999999999999999999, n_bytes=1, priority=1 actions=drop
 cookie=0x1, duration=1.5s, table=0, n_packets=1, n_bytes=1, idle_age=5, hard_age=6, send_flow_rem priority=2,ip actions=drop
 cookie=0x1, table=0, importance=7, idle_age=5, priority=2147483649,ip actions=drop
 hard_age=1, idle_age=2, cookie=0x1, priority=3 actions=drop
 priority=4
 cookie=0x1, duration=1.5s, table=0, priority=5 actions=drop
 cookie=0x1, duration=1.5s, table=0, priority=5, actions=drop
 cookie=0x1, duration=1.5s, table=0, priority=5
 cookie=256, table=ingress	cookie=, priority=1 actions=drop
 priority=6,ip,nw_src=10.0.0.1 actions=drop
 cookie=0x1, duration=1.5s, table=255, n_bytes=7, idle_age=5, priority=7 actions=drop
 cookie=0x1, duration=1.5s, table=256, n_packets=1, priority=7 actions=drop
 duration=1234567.1234567s, table=2, hard_timeout=2147483648, priority=8 actions=drop
 duration=1234567.12345678s, table=2, hard_timeout=2147483647, priority=8 actions=drop`,
	"repeats with problems": ` priority=1,in_port=1,nw_src=10.0.0.300 actions=output:1,frob,load:0x1->NXM_NX_REG5[]
 priority=1,in_port=1,nw_src=10.0.0.300 actions=output:1,frob,load:0x1->NXM_NX_REG5[]
 priority=1,in_port=1,nw_src=10.0.0.3 actions=output:1,load:0x1->NXM_NX_REG5[99]
 priority=1,in_port=1,nw_src=10.0.0.3 actions=output:1,load:0x1->NXM_NX_REG5[]`,
}

func TestFlowFastPaths(t *testing.T) {
	cases := map[string]string{
		"bench dump":   string(ofBenchDump(3000)),
		"OVS 3.1 dump": ofRealDumpOVS31,
	}
	maps.Copy(cases, ofFastPathCases)
	for name, text := range cases {
		t.Run(name, func(t *testing.T) { ofCheckFastPaths(t, text) })
	}
}

// FuzzFlowFastPaths starts from small dumps: every input is parsed once
// per line, and large ones make minimizing slow.
func FuzzFlowFastPaths(f *testing.F) {
	f.Add(string(ofBenchDump(8)))
	for _, text := range ofFastPathCases {
		f.Add(text)
	}
	f.Fuzz(ofCheckFastPaths)
}

// The fast path's key table must agree with setStat's: the same stat for
// the same key, and keys short enough for its two-word compare and for its
// number to start within the first sixteen bytes of its window.
func TestStatOrderMatchesSetStat(t *testing.T) {
	for _, sk := range statOrder {
		name, ok := strings.CutSuffix(sk.key, "=")
		if !ok || len(sk.key) > 15 || statKey(name) != sk.k {
			t.Errorf("%q: stat %d, statKey says %d", sk.key, sk.k, statKey(name))
		}
	}
}

// ofCheckNumberScans holds the fast number readers of stats to the
// general ones: scanDecimal and scanUint to parseOFUint on the digits that
// open s, scanDuration to parseDuration on the "N[.N]s" that opens s
// (scanDuration may decline only what needs strconv.ParseFloat).
func ofCheckNumberScans(t *testing.T, s string) {
	t.Helper()
	digits := len(s) - len(strings.TrimLeft(s, "0123456789"))
	want, ok := parseOFUint(s[:digits])
	if digits == 20 {
		ok = false // left to the general path
	}
	if n, e := scanDecimal(s, 0); ok != (e >= 0) || ok && (n != want || e != digits) {
		t.Errorf("scanDecimal(%q) = %d, %d; want %d, %d (%v)", s, n, e, want, digits, ok)
	}
	if !strings.HasPrefix(s, "0x") && !strings.HasPrefix(s, "0X") {
		if n, e := scanUint(s, 0); ok != (e >= 0) || ok && (n != want || e != digits) {
			t.Errorf("scanUint(%q) = %d, %d; want %d, %d", s, n, e, want, digits)
		}
	}
	end := digits
	if end < len(s) && s[end] == '.' {
		end++
		end += len(s[end:]) - len(strings.TrimLeft(s[end:], "0123456789"))
	}
	d, e := scanDuration(s, 0)
	if digits == 0 || end >= len(s) || s[end] != 's' {
		if e >= 0 {
			t.Errorf("scanDuration(%q) = %v, %d; want none", s, d, e)
		}
		return
	}
	wantD, okD := parseDuration(s[:end+1])
	switch {
	case e >= 0 && (!okD || d != wantD || e != end+1):
		t.Errorf("scanDuration(%q) = %v, %d; parseDuration says %v, %v at %d", s, d, e, wantD, okD, end+1)
	case e < 0 && okD && end-1 <= 15 && digits <= 15:
		t.Errorf("scanDuration(%q) declined %v", s, wantD)
	}
}

func TestNumberScans(t *testing.T) {
	const digits = "9876543210123456789012"
	for n := 0; n <= len(digits); n++ {
		for _, after := range []string{"", ",", ", n_bytes=1", " ", "x", "/", ":", "\x80", "a", "s", ".s, ", ".5s", ".0123456789s, x",
			".1234567890123456789s", ".12345678901234567890s", ".1234567890123456789", ".5", ".5x", ".1234567, "} {
			for _, lead := range []string{"", "0", "00000000"} {
				// Numbers read as words (eight or sixteen bytes left in
				// the line) and byte by byte (at its end).
				ofCheckNumberScans(t, lead+digits[:n]+after)
				ofCheckNumberScans(t, lead+digits[:n]+after+"\x00 pad ")
				ofCheckNumberScans(t, lead+digits[:n]+after+"\x00 pad to sixteen")
			}
		}
	}
}

func FuzzNumberScans(f *testing.F) {
	for _, s := range []string{"123, ", "86012.331s, table=0", "7.1234567s, table=0", "0x1s", "99999999999999999999", "1.s"} {
		f.Add(s)
	}
	f.Fuzz(ofCheckNumberScans)
}

// The last cookie is remembered as text: a longer one that starts with
// it is another cookie.
func TestCookieMemo(t *testing.T) {
	var p flowParser
	for _, c := range []string{"0x1", "0x1", "0x1f", "0x1", "0xffffffffffffffff", "0xffffffffffffffff", "7", "0x"} {
		line := c + ", duration=1s"
		want, wantEnd := scanUint(line, 0)
		if n, e := p.cookie(line, 0); n != want || e != wantEnd {
			t.Errorf("cookie(%q) = %#x, %d; want %#x, %d", line, n, e, want, wantEnd)
		}
	}
}
