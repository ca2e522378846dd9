package ovs

import (
	"encoding/binary"
	"fmt"
	"io"
	"io/fs"
	"math"
	"math/bits"
	"slices"
	"strconv"
	"strings"
	"unsafe"

	"netxray/parse"
)

// FlowFormats lists the OpenFlow-table formats of this package: flow dumps,
// group dumps and ofproto/trace output. (The package's combined Formats
// list includes them.)
var FlowFormats = []parse.Format{
	{Kind: "ovs-ofctl-dump-flows", Doc: "ovs-ofctl [-O OpenFlowNN] [--names] [--no-stats] dump-flows BRIDGE",
		Parse: ofResult(ParseFlows), Sniff: sniffFlows},
	{Kind: "ovs-ofctl-dump-groups", Doc: "ovs-ofctl [-O OpenFlowNN] dump-groups BRIDGE",
		Parse: ofResult(ParseGroups), Sniff: sniffGroups},
	{Kind: "ovs-appctl-ofproto-trace", Doc: "ovs-appctl ofproto/trace BRIDGE FLOW (OVS 2.8+ output)",
		Parse: ofResult(ParseTrace), Sniff: sniffTrace},
}

// ofResult adapts a typed parser to parse.Format. These parsers return a
// nil result with their error, which must not become a non-nil interface.
func ofResult[T interface {
	parse.Result
	comparable
}](fn func(io.Reader, string) (T, error)) func(io.Reader, string) (parse.Result, error) {
	return func(r io.Reader, file string) (parse.Result, error) {
		res, err := fn(r, file)
		var zero T
		if err != nil || res == zero {
			return nil, err
		}
		return res, nil
	}
}

// FlowDump is the output of `ovs-ofctl [-O OpenFlowNN] [--names] [--no-stats]
// dump-flows BRIDGE`.
type FlowDump struct {
	// Version is the OpenFlow version named by the reply banner
	// ("OpenFlow10" for NXST_FLOW, "OpenFlow13" for "OFPST_FLOW reply
	// (OF1.3)"), or "" when the dump has no banner (OVS >= 2.8 prints none
	// with --names, --no-stats or --sort).
	Version string
	Flows   []Flow
	// Banners are the reply banner lines ("NXST_FLOW reply (xid=0x4):"),
	// one per OpenFlow reply message: large tables come in several
	// replies, all but the last flagged "flags=[more]".
	Banners []Banner
	Issues  parse.Issues
}

// Banner is one OpenFlow reply banner line of a dump.
type Banner struct {
	Pos parse.Pos
	Raw string
	// Version as in FlowDump.Version.
	Version string
	// More is set for "flags=[more]": more replies follow.
	More bool
}

// Records returns the number of flows.
func (d *FlowDump) Records() int { return len(d.Flows) }

// Problems returns the issues found while parsing.
func (d *FlowDump) Problems() parse.Issues { return d.Issues }

// Flow is one flow entry of a dump. Identity (table, priority, match) is kept
// apart from volatile counters (Stats).
type Flow struct {
	Pos parse.Pos
	Raw string

	Cookie uint64
	// Table is the numeric table id. When the dump printed a table name
	// (table=name with --names and named tables), TableName holds it and
	// Table is -1 unless the name is a number.
	Table     int
	TableName string
	// Priority defaults to 32768 when the dump omits it, as OVS does.
	Priority    int
	IdleTimeout int
	HardTimeout int
	Importance  int
	// Flags are the flag words OVS prints before the match
	// (send_flow_rem, check_overlap, reset_counts, no_packet_counts,
	// no_byte_counts), in printed order.
	Flags   []string
	Match   []Match
	Actions []Action
	Stats   FlowStats
}

// Match is one match item as printed: Key "ip" with Value "" for protocol
// shorthands, otherwise key=value with the value unquoted ("tap1234" for
// in_port="tap1234"); masks stay in Value ("0x1/0x1").
type Match struct {
	Key   string
	Value string
}

// Action is one top-level action. Name is the keyword in lower case
// ("output", "resubmit", "ct", "learn", "load", "move", "set_field",
// "mod_vlan_vid", "strip_vlan", "normal", "in_port", "drop", "goto_table",
// "conjunction", "note", ...). Arg is the raw argument text: what follows
// ':' or what is inside the outer parentheses ("" when there is none);
// nested parentheses and brackets are kept verbatim for the consumer to
// split with SplitArgs. Raw is the action exactly as printed.
//
// Reserved ports printed bare become their lower-case name with no Arg
// ("NORMAL" → "normal", "IN_PORT" → "in_port"); "CONTROLLER:65535" is
// controller with Arg "65535"; a bare port number "3" is output with Arg
// "3"; "output(port=2,max_len=100)" is output with Arg "port=2,max_len=100";
// check_pkt_larger keeps "->dst" only in Raw (see CheckPktLarger).
type Action struct {
	Name string
	Arg  string
	Raw  string
}

// FlowStats are the volatile per-flow counters. Has* tell printed zero from
// absent.
type FlowStats struct {
	Duration   float64 // seconds
	NPackets   uint64
	NBytes     uint64
	IdleAge    int
	HardAge    int
	HasCounts  bool // n_packets/n_bytes printed (absent with --no-stats)
	HasIdleAge bool
	HasHardAge bool
}

// DefaultPriority is the priority OVS omits from dumps.
const DefaultPriority = 32768

// ParseFlows parses the output of `ovs-ofctl [-O OpenFlowNN] [--names]
// [--no-stats] dump-flows BRIDGE`, OpenFlow 1.0 (NXST_FLOW) and 1.1+
// (OFPST_FLOW) alike, with or without banners, for example:
//
//	NXST_FLOW reply (xid=0x4):
//	 cookie=0x9c3f1d2e4b5a6978, duration=86012.331s, table=0, n_packets=41233, n_bytes=3911230, idle_age=0, hard_age=65534, priority=1,in_port=1 actions=resubmit(,1)
//	 cookie=0x8a8d4d7575036c1a, duration=2225.561s, table=10, n_packets=68, n_bytes=8211, priority=1 actions=learn(table=20,hard_timeout=300,priority=1,NXM_OF_VLAN_TCI[0..11],NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],load:0->NXM_OF_VLAN_TCI[],output:OXM_OF_IN_PORT[]),output:"patch-int"
//	 cookie=0x9b32c8053d494869, reset_counts priority=10,arp,in_port="tap648437e1-0d" actions=goto_table:24
//
// Unknown match keys and action names are kept and reported as warnings;
// malformed values (bad hex, unbalanced parentheses) are reported at their
// line.
func ParseFlows(r io.Reader, file string) (d *FlowDump, err error) {
	return parseFlows(r, file, false)
}

// parseFlows is ParseFlows; general makes it take no shortcut (no stats
// fast path, no memo), which tests compare the shortcuts with.
func parseFlows(r io.Reader, file string, general bool) (d *FlowDump, err error) {
	defer parse.Recover(file, &err)
	buf, err := readWhole(r)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", file, err)
	}
	d = &FlowDump{}
	p := flowParser{dump: d, general: general}
	n := flowSizeHint(buf)
	if n > 0 {
		p.cur = make([]Flow, 0, n)
	}
	// A small dump gets small arenas (a flow has a few items of each).
	p.arena.matches = make([]Match, 0, min(arenaChunk, 4*n+8))
	p.arena.actions = make([]Action, 0, min(arenaChunk, 4*n+8))
	p.memo = newActionMemo(n)
	p.matchMemo = newMatchMemo(n)
	eachLine(buf, file, &d.Issues, p.line)
	p.finish()
	if len(d.Flows) == 0 && len(d.Banners) == 0 && d.Issues.Count(parse.SevError) > 0 {
		return nil, fmt.Errorf("%s: no flow found: %w", file, parse.ErrFormat)
	}
	return d, nil
}

// readWhole returns the whole content of r. The string of a reader that
// has one (collect's in-memory bundle members, with ReadRest; a
// strings.Reader) is taken as it is: strings are immutable, so keeping
// substrings of it is safe and costs no copy. Other readers are copied
// into one buffer, sized in advance when r can tell its size; it is a
// strings.Builder's, which is not cleared before the copy as a
// bytes.Buffer's would be.
func readWhole(r io.Reader) (string, error) {
	if rr, ok := r.(interface{ ReadRest() string }); ok {
		return rr.ReadRest(), nil // collect's in-memory bundle members
	}
	if sr, ok := r.(*strings.Reader); ok {
		var w stringTaker
		_, err := sr.WriteTo(&w)
		return w.s, err
	}
	var b strings.Builder
	var n int64
	switch v := r.(type) {
	case interface{ Len() int }:
		n = int64(v.Len())
	case interface{ Stat() (fs.FileInfo, error) }:
		if fi, err := v.Stat(); err == nil && fi.Mode().IsRegular() {
			n = fi.Size()
		}
	}
	if n > 0 && n < 1<<40 {
		b.Grow(int(n))
	}
	_, err := io.Copy(&b, r)
	return b.String(), err
}

// stringTaker keeps what a strings.Reader's WriteTo hands over: the rest of
// its string, in one WriteString call.
type stringTaker struct{ s string }

func (w *stringTaker) WriteString(s string) (int, error) {
	w.s += s // one call: no copy
	return len(s), nil
}

func (w *stringTaker) Write(p []byte) (int, error) {
	w.s += string(p)
	return len(p), nil
}

// eachLine calls fn for every line of buf, exactly as parse.Scanner would
// deliver them (numbering, CR and LF stripped, lines longer than
// parse.MaxLine reported and skipped), but without copying: every
// Line.Text, and so every Raw and every string cut from it, is a substring
// of buf, which stays in memory as long as any of those strings does: for
// a dump, about as long as its flows. Input with ANSI escapes (colour forced) goes through parse.Scanner
// itself, which removes them.
func eachLine(buf string, file string, issues *parse.Issues, fn func(parse.Line)) {
	if strings.IndexByte(buf, 0x1b) >= 0 {
		sc := parse.NewScanner(strings.NewReader(buf), file, issues)
		for sc.Scan() {
			fn(sc.Line())
		}
		return // a strings.Reader has no read errors
	}
	for n := 1; len(buf) > 0; n++ {
		line, next := buf, len(buf)
		if i := strings.IndexByte(buf, '\n'); i >= 0 {
			line, next = buf[:i], i+1
		}
		buf = buf[next:]
		pos := parse.Pos{File: file, Line: n}
		if next > parse.MaxLine { // the Scanner's test, newline included
			issues.Errorf(pos, "line longer than %d bytes skipped", parse.MaxLine)
			continue
		}
		if len(line) > 0 && line[len(line)-1] == '\r' {
			line = line[:len(line)-1]
		}
		fn(parse.Line{Pos: pos, Text: line})
	}
}

// flowParser holds the arenas that flows' Match, Actions and Flags slices
// are cut from: one allocation per few hundred flows instead of three per
// flow.
type flowParser struct {
	dump      *FlowDump
	arena     ofArena
	pending   parse.Issues // issues of the line being parsed, kept only if it is a flow
	memo      *actionMemo
	matchMemo matchMemo
	// Starts of the current flow's items in the arenas.
	mStart, fStart int
	// Flows are built in chunks (see newFlow).
	chunks [][]Flow
	cur    []Flow
	// general: no shortcut (tests).
	general bool
	// The last cookie read by stats, and its value.
	lastCookie      string
	lastCookieValue uint64
}

// ofArena hands out sub-slices of shared backing arrays. A sub-slice is
// capped so appending to it can never overwrite a neighbour.
type ofArena struct {
	matches []Match
	actions []Action
	flags   []string
}

const arenaChunk = 2048

// arenaPush appends v to *buf, where (*buf)[*start:] are the items of the
// record being built. When the chunk is full it moves those items to a new
// chunk, so every record's items stay contiguous.
func arenaPush[T any](buf *[]T, start *int, v T) {
	if len(*buf) == cap(*buf) {
		n := len(*buf) - *start
		nb := make([]T, n, max(arenaChunk, 2*n))
		copy(nb, (*buf)[*start:])
		*buf, *start = nb, 0
	}
	*buf = append(*buf, v)
}

// arenaAppend is arenaPush for several items.
func arenaAppend[T any](buf *[]T, start *int, vs []T) {
	if cap(*buf)-len(*buf) < len(vs) {
		n := len(*buf) - *start
		nb := make([]T, n, max(arenaChunk, 2*(n+len(vs))))
		copy(nb, (*buf)[*start:])
		*buf, *start = nb, 0
	}
	*buf = append(*buf, vs...)
}

// arenaCut returns the record's items, capped, or nil when there are none.
func arenaCut[T any](buf []T, start int) []T {
	if len(buf) == start {
		return nil
	}
	return buf[start:len(buf):len(buf)]
}

func (p *flowParser) line(l parse.Line) {
	t := strings.TrimSpace(l.Text)
	if t == "" {
		return
	}
	// Banners start with an upper-case reply name, flows never do.
	if t[0] >= 'A' && t[0] <= 'Z' {
		if b, ok := parseBanner(l, t, "_FLOW reply"); ok {
			p.banner(&p.dump.Version, &p.dump.Banners, &p.dump.Issues, b)
			return
		}
	}
	// t is trimmed already: isBanner first spares flow lines skipBanner's
	// second trim.
	if isBanner(t) && skipBanner(l, &p.dump.Issues) {
		return
	}
	if p.flow(l, t) {
		return
	}
	if !skipFailure(l, &p.dump.Issues) {
		if looksLikeFlow(t) {
			p.dump.Issues.Errorf(l.Pos, "flow without actions= (truncated line?): %q", clip(t))
		} else {
			p.dump.Issues.Errorf(l.Pos, "not a flow line: %q", clip(t))
		}
	}
}

func (p *flowParser) banner(version *string, list *[]Banner, issues *parse.Issues, b Banner) {
	if *version != "" && *version != b.Version {
		issues.Warnf(b.Pos, "banner says %s, earlier banner said %s", b.Version, *version)
	}
	if *version == "" {
		*version = b.Version
	}
	*list = append(*list, b)
}

// parseBanner recognises OpenFlow reply banners such as
// "NXST_FLOW reply (xid=0x4):" or
// "OFPST_GROUP_DESC reply (OF1.3) (xid=0x2): flags=[more]"; what names the
// reply type (e.g. "_FLOW reply").
func parseBanner(l parse.Line, t, what string) (Banner, bool) {
	i := strings.Index(t, what)
	if i <= 0 || i > 8 || !strings.HasSuffix(t[:i], "ST") || !isUpperWord(t[:i]) {
		return Banner{}, false
	}
	rest := t[i+len(what):]
	b := Banner{Pos: l.Pos, Raw: l.Text, Version: "OpenFlow10"}
	if v, ok := strings.CutPrefix(rest, " (OF1."); ok && len(v) > 1 && v[1] == ')' && v[0] >= '0' && v[0] <= '9' {
		b.Version = "OpenFlow1" + v[:1]
	}
	b.More = strings.Contains(rest, "flags=[more]")
	return b, true
}

func isUpperWord(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return s != ""
}

// flow parses one flow line; it returns false, recording nothing, when the
// line has no top-level "actions=".
func (p *flowParser) flow(l parse.Line, t string) bool {
	a := &p.arena
	p.mStart, p.fStart = len(a.matches), len(a.flags)
	p.pending = p.pending[:0]
	f := p.newFlow()
	f.Pos, f.Raw, f.Priority = l.Pos, l.Text, DefaultPriority
	actions, i := -1, 0
	if !p.general {
		i = p.stats(f, t)
	}
	for {
		for i < len(t) && (t[i] == ',' || t[i] == ' ' || t[i] == '\t') {
			i++
		}
		if strings.HasPrefix(t[i:], "actions=") {
			// Checked before scanning the item: the item would run over
			// the whole first action, which the action parser reads anyway.
			actions = i + len("actions=")
			break
		}
		start, end, eq, state := ofItem(t, i, true)
		if start == end {
			break
		}
		i = end
		var slot *matchSlot
		if state == itemOK && !p.general {
			slot = p.matchMemo.slot(t[start:end])
			if slot.text == t[start:end] {
				arenaPush(&a.matches, &p.mStart, slot.m)
				continue
			}
		}
		if state != itemOK {
			p.pending.Errorf(l.Pos, "%s in %q", state, clip(t[start:end]))
		}
		key, val, hasVal := t[start:end], "", eq >= 0
		if hasVal {
			key, val = t[start:eq], t[eq+1:end]
		}
		if p.info(f, key, val, hasVal) && slot != nil {
			slot.text, slot.m = t[start:end], a.matches[len(a.matches)-1]
		}
	}
	if actions < 0 {
		a.matches = a.matches[:p.mStart]
		a.flags = a.flags[:p.fStart]
		p.dropFlow()
		return false
	}
	f.Match = arenaCut(a.matches, p.mStart)
	f.Flags = arenaCut(a.flags, p.fStart)
	p.dump.Issues = append(p.dump.Issues, p.pending...)
	ap := actionParser{pos: l.Pos, issues: &p.dump.Issues}
	if !p.general {
		ap.memo = p.memo
	}
	f.Actions = ap.list(a, t[actions:])
	return true
}

// flowSizeHint guesses how many flows buf holds, so that a dump's flows
// are built in their final slice with no copy: its line count, but no more
// than one flow per 24 bytes (a flow line is longer; this bounds what a
// file of empty lines can make us allocate). A short guess only costs a
// copy (newFlow). An empty input gets none: Flows stays nil.
func flowSizeHint(buf string) int {
	if len(buf) == 0 {
		return 0
	}
	return min(strings.Count(buf, "\n")+1, len(buf)/24+16)
}

// newFlow returns a slot for the next flow. Flows are built in place in
// chunks and copied once into FlowDump.Flows at the end: appending 250-byte
// structs to one growing slice cost more than all the tokenizing.
func (p *flowParser) newFlow() *Flow {
	if len(p.cur) == cap(p.cur) {
		if len(p.cur) > 0 {
			p.chunks = append(p.chunks, p.cur)
		}
		p.cur = make([]Flow, 0, min(4096, max(16, 2*cap(p.cur))))
	}
	// The slot beyond len is still zero: make cleared it and a dropped
	// line (dropFlow) clears its slot again.
	p.cur = p.cur[:len(p.cur)+1]
	return &p.cur[len(p.cur)-1]
}

// dropFlow gives back the slot newFlow handed out last.
func (p *flowParser) dropFlow() {
	p.cur[len(p.cur)-1] = Flow{}
	p.cur = p.cur[:len(p.cur)-1]
}

// finish gathers the chunks into the dump.
func (p *flowParser) finish() {
	if len(p.chunks) == 0 {
		p.dump.Flows = p.cur
		return
	}
	n := len(p.cur)
	for _, c := range p.chunks {
		n += len(c)
	}
	flows := make([]Flow, 0, n)
	for _, c := range p.chunks {
		flows = append(flows, c...)
	}
	p.dump.Flows = append(flows, p.cur...)
	p.chunks, p.cur = nil, nil
}

// info handles one item before actions=: a statistic, a flag word or a
// match item. It reports whether the item was a match item without any
// problem, which the match memo may then remember.
func (p *flowParser) info(f *Flow, key, val string, hasVal bool) (clean bool) {
	pos := f.Pos
	if !hasVal {
		switch key {
		case "send_flow_rem", "check_overlap", "reset_counts", "no_packet_counts", "no_byte_counts",
			"allow_hidden_fields", "no_readonly_table":
			arenaPush(&p.arena.flags, &p.fStart, key)
			return false
		}
		_, clean = LookupProtocol(key)
		if !clean {
			p.pending.Warnf(pos, "unknown match keyword %q kept", clip(key))
		}
		arenaPush(&p.arena.matches, &p.mStart, Match{Key: key})
		return clean
	}
	if handled, ok := setStat(f, key, val); handled {
		if !ok {
			p.pending.Warnf(pos, "bad %s value %q", key, clip(val))
		}
		return false
	}
	m, msg := checkMatch(key, val)
	if msg != "" {
		p.pending.Warnf(pos, "%s", msg)
	}
	arenaPush(&p.arena.matches, &p.mStart, m)
	return msg == ""
}

// memoHash hashes a memo key cheaply: its length and its first and last
// eight bytes, which tell apart the items and lists a dump repeats
// ("in_port=10" from "in_port=11", one port's MAC from the next). A
// collision only costs a miss: slots are compared by text.
func memoHash(s string) uint64 {
	n := len(s)
	h := uint64(n) * 0x9e3779b97f4a7c15
	if n >= 8 {
		b := unsafe.Slice(unsafe.StringData(s), n)
		h ^= binary.LittleEndian.Uint64(b)
		h *= 0xbf58476d1ce4e5b9
		h ^= binary.LittleEndian.Uint64(b[n-8:])
	} else {
		for i := 0; i < n; i++ {
			h = h<<8 | uint64(s[i])
		}
	}
	h *= 0x94d049bb133111eb
	return h ^ h>>31
}

// matchMemo remembers match items that were checked without a problem, by
// their text, as actionMemo does for action lists: "ip", "ct_state=+est"
// or a port's in_port=N recur from flow to flow, and a repeat is then
// copied instead of looked up and checked again.
type matchMemo struct {
	slots []matchSlot
}

type matchSlot struct {
	text string
	m    Match
}

// newMatchMemo returns a memo sized for a dump of about n flows.
func newMatchMemo(n int) matchMemo {
	size := 16
	for size < n && size < 4096 {
		size *= 2
	}
	return matchMemo{slots: make([]matchSlot, size)}
}

// slot returns the slot of item; it holds item when slot.text == item.
func (mm *matchMemo) slot(item string) *matchSlot {
	return &mm.slots[memoHash(item)&uint64(len(mm.slots)-1)]
}

// Keys setStat handles.
const (
	statNone = iota
	statCookie
	statDuration
	statTable
	statNPackets
	statNBytes
	statIdleTimeout
	statHardTimeout
	statImportance
	statPriority
	statIdleAge
	statHardAge
	statCount // the number of stats above
)

// statKey identifies the keys setStat handles from their first letter and
// length, then one comparison: cheaper than a string switch on every item.
func statKey(key string) int {
	var want string
	var k int
	switch key[0] {
	case 'c':
		want, k = "cookie", statCookie
	case 'd':
		want, k = "duration", statDuration
	case 't':
		want, k = "table", statTable
	case 'p':
		want, k = "priority", statPriority
	case 'n':
		want, k = "n_packets", statNPackets
		if len(key) == 7 {
			want, k = "n_bytes", statNBytes
		}
	case 'i':
		switch len(key) {
		case 8:
			want, k = "idle_age", statIdleAge
		case 10:
			want, k = "importance", statImportance
		default:
			want, k = "idle_timeout", statIdleTimeout
		}
	case 'h':
		want, k = "hard_timeout", statHardTimeout
		if len(key) == 8 {
			want, k = "hard_age", statHardAge
		}
	default:
		return statNone
	}
	if key != want {
		return statNone
	}
	return k
}

// setStat stores a counter or flow attribute printed before the match
// (cookie, duration, table, n_packets, ..., priority). handled is false for
// other keys; ok is false for a malformed value.
func setStat(f *Flow, key, val string) (handled, ok bool) {
	if key == "" {
		return false, false
	}
	k := statKey(key)
	switch k {
	case statNone:
		return false, false
	case statDuration:
		f.Stats.Duration, ok = parseDuration(val)
		return true, ok
	case statTable:
		f.Table, f.TableName, ok = parseTableRef(val)
		return true, ok
	}
	n, ok := parseOFUint(val)
	var vals [statCount]uint64
	vals[k] = n
	storeStats(f, &vals, 1<<k)
	if k == statNPackets || k == statNBytes {
		return true, ok || val == "?" // '?': a count the switch does not keep
	}
	return true, ok && n <= statMax(k)
}

// statMax is the largest value of stat k (not duration).
func statMax(k int) uint64 {
	switch k {
	case statCookie, statNPackets, statNBytes:
		return math.MaxUint64
	case statTable:
		return 255
	}
	return 1 << 31
}

// storeStats stores the stats whose bit is set in seen (bit k for stat
// k, not duration) from vals: the one place that maps stats to Flow
// fields, for setStat one at a time and for stats all at once.
func storeStats(f *Flow, vals *[statCount]uint64, seen uint) {
	has := func(k int) bool { return seen&(1<<k) != 0 }
	if has(statCookie) {
		f.Cookie = vals[statCookie]
	}
	if has(statTable) {
		f.Table, f.TableName = int(vals[statTable]), ""
	}
	if has(statNPackets) {
		f.Stats.NPackets, f.Stats.HasCounts = vals[statNPackets], true
	}
	if has(statNBytes) {
		f.Stats.NBytes, f.Stats.HasCounts = vals[statNBytes], true
	}
	if has(statIdleTimeout) {
		f.IdleTimeout = int(vals[statIdleTimeout])
	}
	if has(statHardTimeout) {
		f.HardTimeout = int(vals[statHardTimeout])
	}
	if has(statImportance) {
		f.Importance = int(vals[statImportance])
	}
	if has(statPriority) {
		f.Priority = int(vals[statPriority])
	}
	if has(statIdleAge) {
		f.Stats.IdleAge, f.Stats.HasIdleAge = int(vals[statIdleAge]), true
	}
	if has(statHardAge) {
		f.Stats.HardAge, f.Stats.HasHardAge = int(vals[statHardAge]), true
	}
}

// stats is a fast path for the counters that open every flow line, in
// the order OVS prints them (ofputil_flow_stats_format): "cookie=0x...,
// duration=1.5s, table=0, n_packets=3, n_bytes=180, idle_timeout=..,
// hard_timeout=.., importance=.., idle_age=2, hard_age=65534, priority=N",
// each one optional. It stores plain numbers followed by ", " (priority:
// followed by the match, ',' or ' ') and returns where it stopped: at the
// first item it does not take (a table name, a flag word, "n_packets=?",
// a counter other than the cookie in hex, another order), which the
// general tokenizer then reads through setStat.
func (p *flowParser) stats(f *Flow, t string) int {
	i := 0
	if w, ok := statWindow(t, i); ok && statWords0.at(w) {
		n, e := p.cookie(t, statWords0.n)
		if !commaSpace(t, e) {
			return 0
		}
		f.Cookie, i = n, e+2
	}
	if w, ok := statWindow(t, i); ok && statWords1.at(w) {
		d, e := scanDuration(t, i+statWords1.n)
		if !commaSpace(t, e) {
			return i
		}
		f.Stats.Duration, i = d, e+2
	}
	// The decimal counters are gathered first and stored together after
	// the loop (storeStats): no switch on which one each is.
	var vals [statCount]uint64
	var seen uint
	for k := range statSequence {
		sk := &statSequence[k]
		w, ok := statWindow(t, i)
		if !ok {
			break // near the end of a line: the general tokenizer's
		}
		if !sk.at(w) {
			continue // not printed: try the next key
		}
		v := i + sk.n
		n, e, long := decimalAt(v, binary.LittleEndian.Uint64(w[sk.n&15:]))
		if long {
			n, e = scanDecimalBytes(t, v)
		}
		if e < 0 || n > sk.max {
			break // a hex counter, a table name...: setStat's
		}
		if sk.k == statPriority {
			if e == len(t) || t[e] != ',' && t[e] != ' ' {
				break
			}
			f.Priority, i = int(n), e
			break
		}
		if !commaSpace(t, e) {
			break
		}
		vals[sk.k], seen, i = n, seen|1<<sk.k, e+2
	}
	storeStats(f, &vals, seen)
	return i
}

// statWindow returns t[i:i+24] as bytes, if t is that long: the key
// (up to 16 bytes) and the word after it, where its number starts.
func statWindow(t string, i int) (w *[24]byte, ok bool) {
	if i+24 > len(t) {
		return nil, false
	}
	return (*[24]byte)(unsafe.Add(unsafe.Pointer(unsafe.StringData(t)), i)), true // i+24 <= len(t)
}

// statWords is a stat key spelled as two masked little-endian words, so
// that stats compares it with the line in two word compares.
type statWords struct {
	w0, m0, w1, m1 uint64
	n, k           int    // key length, "=" included; its stat
	max            uint64 // its largest value
}

// at reports whether the window w opens with the key.
func (sk *statWords) at(w *[24]byte) bool {
	return binary.LittleEndian.Uint64(w[:8])&sk.m0 == sk.w0 && binary.LittleEndian.Uint64(w[8:16])&sk.m1 == sk.w1
}

// newStatWords spells key as statWords.
func newStatWords(key string, k int) statWords {
	if len(key) > 15 {
		panic("stat key too long for stats' window: " + key) // stats reads the number at w[n&15:]
	}
	var b, m [16]byte
	copy(b[:], key)
	for j := range key {
		m[j] = 0xff
	}
	return statWords{
		w0: binary.LittleEndian.Uint64(b[:8]), m0: binary.LittleEndian.Uint64(m[:8]),
		w1: binary.LittleEndian.Uint64(b[8:]), m1: binary.LittleEndian.Uint64(m[8:]),
		n: len(key), k: k, max: statMax(k),
	}
}

// statOrder lists the keys stats reads, in OVS's order.
var statOrder = [...]struct {
	key string
	k   int
}{
	{"cookie=", statCookie}, {"duration=", statDuration}, {"table=", statTable},
	{"n_packets=", statNPackets}, {"n_bytes=", statNBytes},
	{"idle_timeout=", statIdleTimeout}, {"hard_timeout=", statHardTimeout},
	{"importance=", statImportance}, {"idle_age=", statIdleAge}, {"hard_age=", statHardAge},
	{"priority=", statPriority},
}

// The cookie and the duration, which stats reads first, and the decimal
// counters that follow them (statSequence), as words.
var (
	statWords0   = newStatWords(statOrder[0].key, statOrder[0].k)
	statWords1   = newStatWords(statOrder[1].key, statOrder[1].k)
	statSequence = func() (out [len(statOrder) - 2]statWords) {
		for i, sk := range statOrder[2:] {
			out[i] = newStatWords(sk.key, sk.k)
		}
		return out
	}()
)

// cookie reads the cookie at t[v:] as scanUint does. An agent gives all
// its flows one cookie, so the last one read is compared first: cheaper
// than its sixteen hex digits.
func (p *flowParser) cookie(t string, v int) (n uint64, e int) {
	if c := p.lastCookie; c != "" && strings.HasPrefix(t[v:], c) && commaSpace(t, v+len(c)) {
		return p.lastCookieValue, v + len(c)
	}
	n, e = scanUint(t, v)
	if e >= 0 {
		p.lastCookie, p.lastCookieValue = t[v:e], n
	}
	return n, e
}

// scanDecimal is scanUint for decimal numbers only, as OVS prints every
// counter but the cookie. A number of up to seven digits (most counters)
// is read as one word (decimalWord), with no branch per digit to
// mispredict.
func scanDecimal(t string, i int) (n uint64, e int) {
	if i+8 <= len(t) {
		if n, e, long := decimalAt(i, binary.LittleEndian.Uint64(unsafe.Slice(unsafe.StringData(t[i:]), 8))); !long {
			return n, e
		}
	}
	return scanDecimalBytes(t, i)
}

// decimalAt is scanDecimal for a number at i whose first eight bytes are
// w, for numbers of up to seven digits; long reports eight or more, for
// scanDecimalBytes to read. (Small enough to be inlined in stats.)
func decimalAt(i int, w uint64) (n uint64, e int, long bool) {
	n, c := decimalWord(w)
	if c == 0 {
		return 0, -1, false
	}
	return n, i + c, c == 8
}

// decimalWord reads the decimal digits that open w (eight bytes of a line,
// the first in the low byte): their count c (8: all eight are digits, and
// n is not their value) and, for up to seven, their value n: the count
// from a bit count, the value from three multiplications.
func decimalWord(w uint64) (n uint64, c int) {
	x := w - 0x3030303030303030 // '0' off every byte: a digit is now 0..9
	// Anything else has its top bit set, or gets it by adding 0x76; bytes
	// after the first non-digit may be garbled by a borrow, but only the
	// first one counts.
	c = bits.TrailingZeros64((x+0x7676767676767676|x)&0x8080808080808080) >> 3
	x <<= 8 * (8 - c) & 63 // leading zeros in place of what follows
	x = x * (10<<8 + 1) >> 8 & 0x00ff00ff00ff00ff
	x = x * (100<<16 + 1) >> 16 & 0x0000ffff0000ffff
	return x * (10000<<32 + 1) >> 32, c
}

// scanDecimalBytes is scanDecimal a byte at a time.
func scanDecimalBytes(t string, i int) (n uint64, e int) {
	e = i
	for ; e < len(t) && t[e]-'0' <= 9; e++ {
		n = n*10 + uint64(t[e]-'0')
	}
	if d := e - i; d == 0 || d > 19 {
		return 0, -1
	}
	return n, e
}

// commaSpace reports whether ", " follows a value that ends at e (e < 0:
// there was none).
func commaSpace(t string, e int) bool {
	return e >= 0 && e+1 < len(t) && t[e] == ',' && t[e+1] == ' '
}

// scanUint reads the number at t[i:] as parseOFUint would (up to 19
// decimal digits or 0x and up to 16 hex digits) and returns where it ends,
// or e = -1 when there is none or it may be out of range.
func scanUint(t string, i int) (n uint64, e int) {
	j := i
	if j+2 < len(t) && t[j] == '0' && (t[j+1] == 'x' || t[j+1] == 'X') {
		j += 2
		for ; j < len(t); j++ {
			h := hexTable[t[j]]
			if h < 0 {
				break
			}
			n = n<<4 | uint64(h)
		}
		if d := j - i - 2; d == 0 || d > 16 {
			return 0, -1
		}
		return n, j
	}
	return scanDecimal(t, i)
}

// scanDuration reads "86012.331s" at t[i:] as parseDuration would, for
// values that need no strconv.ParseFloat: at most 2^53 once the point is
// taken out, and at most 18 decimals; e = -1 otherwise.
func scanDuration(t string, i int) (d float64, e int) {
	if i+16 <= len(t) {
		// The common case, read inline: up to seven digits, a point and up
		// to seven decimals within sixteen bytes.
		b := unsafe.Slice(unsafe.StringData(t[i:]), 16)
		w, c := decimalWord(binary.LittleEndian.Uint64(b))
		if c > 0 && c < 8 && b[c] == '.' {
			frac, n := decimalWord(binary.LittleEndian.Uint64(b[c+1:]))
			if n > 0 && n < 8 && b[c+1+n] == 's' {
				return float64(w*pow10[n]+frac) / float64(pow10[n]), i + c + n + 2
			}
		}
	}
	w, j := scanDecimal(t, i)
	if j < 0 {
		return 0, -1
	}
	num, den := w, uint64(1)
	if j+1 < len(t) && t[j] == '.' && t[j+1]-'0' <= 9 {
		frac, k := scanDecimal(t, j+1)
		n := k - j - 1
		if k < 0 || n > 18 {
			return 0, -1
		}
		hi, lo := bits.Mul64(w, pow10[n])
		if hi != 0 || lo > 1<<53 {
			return 0, -1
		}
		num, den, j = lo+frac, pow10[n], k
	} else if j < len(t) && t[j] == '.' {
		j++ // "5.s": no decimals
	}
	if num > 1<<53 || j >= len(t) || t[j] != 's' {
		return 0, -1
	}
	return float64(num) / float64(den), j + 1
}

// pow10 are the powers of ten up to 10^18.
var pow10 = [...]uint64{1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9,
	1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18}

// checkMatch builds a Match from a key=value item and checks the key and
// the value's syntax; msg is "" when both are fine.
func checkMatch(key, val string) (m Match, msg string) {
	m = Match{Key: key, Value: val}
	if val != "" && val[0] == '"' {
		if u, ok := unquoteName(val); ok {
			m.Value = u
		} else {
			return m, fmt.Sprintf("unterminated quoted value in %s=%s", key, clip(val))
		}
	}
	if key == "" {
		return m, fmt.Sprintf("match item without a key: %q", clip("="+val))
	}
	name := key
	if key[len(key)-1] == ']' { // a subfield, "reg0[0..3]=5"
		i := strings.IndexByte(key, '[')
		if i <= 0 {
			return m, fmt.Sprintf("bad subfield %q", clip(key))
		}
		name = key[:i]
		if _, err := ParseSubfield(key); err != nil {
			return m, fmt.Sprintf("bad subfield %q: %v", clip(key), err)
		}
	}
	d, ok := LookupField(name)
	if !ok {
		return m, fmt.Sprintf("unknown match field %q kept", clip(key))
	}
	if name != key {
		if !checkNumber(val) && checkMasked(val, checkNumber, errNumber) != nil {
			return m, fmt.Sprintf("bad value %q for %s", clip(val), clip(key))
		}
		return m, ""
	}
	if val == "" {
		return m, fmt.Sprintf("missing value for %s", key)
	}
	if val[0] == '"' && d.Format != FormatPort {
		return m, fmt.Sprintf("bad value %s for %s: quoted", clip(val), key)
	}
	if err := d.CheckValue(val); err != nil {
		return m, fmt.Sprintf("bad value %q for %s: %v", clip(val), key, err)
	}
	return m, ""
}

// parseMatchList parses a comma-separated match as printed by OVS in traces
// ("Flow:", "Megaflow:", table steps), reporting problems at pos.
func parseMatchList(s string, pos parse.Pos, issues *parse.Issues) []Match {
	var out []Match
	for i := 0; ; {
		start, end, _, state := ofItem(s, i, true)
		if start == end {
			break
		}
		i = end
		tok := s[start:end]
		if state != itemOK {
			issues.Errorf(pos, "%s in %q", state, clip(tok))
		}
		key, val, hasVal := strings.Cut(tok, "=")
		if !hasVal {
			if _, ok := LookupProtocol(key); !ok {
				issues.Warnf(pos, "unknown match keyword %q kept", clip(key))
			}
			out = append(out, Match{Key: key})
			continue
		}
		m, msg := checkMatch(key, val)
		if msg != "" {
			issues.Warnf(pos, "%s", msg)
		}
		out = append(out, m)
	}
	return out
}

// parseTableRef reads a table number or (possibly quoted) table name.
func parseTableRef(v string) (id int, name string, ok bool) {
	if v == "" {
		return -1, "", false
	}
	if n, ok := parseOFUint(v); ok && n < 256 {
		return int(n), "", true
	}
	if v != "" && v[0] == '"' {
		u, ok := unquoteName(v)
		return -1, u, ok && u != ""
	}
	if c := v[0]; !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
		return -1, v, false
	}
	return -1, v, true
}

// parseOFUint parses a decimal or 0x-hex unsigned number without
// allocating.
func parseOFUint(s string) (uint64, bool) {
	if s == "" || len(s) > 20 {
		return 0, false
	}
	var n uint64
	if len(s) > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') {
		if len(s) > 18 {
			return 0, false
		}
		for i := 2; i < len(s); i++ {
			h := hexVal(s[i])
			if h < 0 {
				return 0, false
			}
			n = n<<4 | uint64(h)
		}
		return n, true
	}
	if len(s) == 20 {
		n, err := strconv.ParseUint(s, 10, 64)
		return n, err == nil
	}
	for i := 0; i < len(s); i++ { // 19 digits cannot overflow
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + uint64(c-'0')
	}
	return n, true
}

// parseDuration reads "86012.331s" (the fraction and the s are printed as
// OVS's ofp_print_duration does: no fraction when zero).
func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func parseDuration(s string) (float64, bool) {
	s, ok := strings.CutSuffix(s, "s")
	if !ok {
		return 0, false
	}
	whole, frac, _ := strings.Cut(s, ".")
	w, ok := parseOFUint(whole)
	if !ok || strings.HasPrefix(whole, "0x") {
		return 0, false
	}
	// One correctly rounded division of exact integers gives what
	// strconv.ParseFloat would, without its cost.
	num, den := w, uint64(1)
	for i := 0; i < len(frac); i++ {
		c := frac[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		if num > 1<<53 || den >= 1e18 {
			v, err := strconv.ParseFloat(s, 64)
			return v, err == nil && isDigits(frac)
		}
		num = num*10 + uint64(c-'0')
		den *= 10
	}
	if num > 1<<53 {
		v, err := strconv.ParseFloat(s, 64)
		return v, err == nil
	}
	return float64(num) / float64(den), true
}

// Tokenizing.
//
// OVS's own reader (lib/ofp-parse.c ofputil_parse_key_value) splits on
// commas and white space, skipping over parenthesised values. We also skip
// over brackets (subfields) and double-quoted names (which OVS prints
// JSON-escaped when they are not plain alphanumeric), so a port named
// "a,b" cannot split an item.

// itemState reports what went wrong while scanning an item.
type itemState uint8

const (
	itemOK itemState = iota
	itemUnbalanced
	itemStrayClose
	itemOpenQuote
)

func (s itemState) String() string {
	switch s {
	case itemUnbalanced:
		return "unbalanced parentheses or brackets (truncated line?)"
	case itemStrayClose:
		return "unmatched closing parenthesis or bracket"
	case itemOpenQuote:
		return "unterminated quoted name"
	}
	return "ok"
}

// Character classes for ofItem.
const (
	clNone = iota
	clComma
	clSpace
	clOpen
	clClose
	clQuote
	clEq
	clColon // ofActionClass only
)

var ofClass = func() (t [256]uint8) {
	t[','] = clComma
	t[' '], t['\t'], t['\r'], t['\n'] = clSpace, clSpace, clSpace, clSpace
	t['('], t['['] = clOpen, clOpen
	t[')'], t[']'] = clClose, clClose
	t['"'] = clQuote
	t['='] = clEq
	return t
}()

// ofItem scans the next item of s from i: it skips leading delimiters
// (commas, and white space when spaces is set), then returns the item's
// bounds, stopping at the next delimiter outside parentheses, brackets and
// quotes, and the index of the item's first top-level '=' (-1 if none).
// start == end means s has no more items.
func ofItem(s string, i int, spaces bool) (start, end, eq int, state itemState) {
	for i < len(s) {
		c := ofClass[s[i]]
		if c == clComma || c == clSpace && spaces {
			i++
			continue
		}
		break
	}
	start, eq = i, -1
	depth := 0
	for {
		i = skipPlain(s, i)
		if i >= len(s) {
			break
		}
		switch ofClass[s[i]] {
		case clEq:
			if eq < 0 && depth == 0 {
				eq = i
			}
		case clComma:
			if depth == 0 {
				return start, i, eq, state
			}
		case clSpace:
			if depth == 0 && spaces {
				return start, i, eq, state
			}
		case clOpen:
			depth++
		case clClose:
			if depth == 0 {
				state = itemStrayClose
			} else {
				depth--
			}
		case clQuote:
			j := closingQuote(s, i)
			if j < 0 {
				return start, len(s), eq, itemOpenQuote
			}
			i = j
		}
		i++
	}
	if depth > 0 {
		state = itemUnbalanced
	}
	return start, i, eq, state
}

// skipPlain returns the index of the first byte of s from i on that is not
// of class clNone, or len(s). Match items are mostly plain bytes, of
// varied lengths: eight bytes at a time, with the first special one found
// by a bit count rather than a branch per byte, mispredicts fewer
// branches. (Actions are too dense in special bytes for it to pay.)
func skipPlain(s string, i int) int {
	for i+8 <= len(s) {
		b := s[i : i+8]
		m := uint(ofSpecial[b[0]]) | uint(ofSpecial[b[1]])<<1 | uint(ofSpecial[b[2]])<<2 |
			uint(ofSpecial[b[3]])<<3 | uint(ofSpecial[b[4]])<<4 | uint(ofSpecial[b[5]])<<5 |
			uint(ofSpecial[b[6]])<<6 | uint(ofSpecial[b[7]])<<7
		if m != 0 {
			return i + bits.TrailingZeros(m)
		}
		i += 8
	}
	for i < len(s) && ofSpecial[s[i]] == 0 {
		i++
	}
	return i
}

// ofSpecial is 1 for the bytes whose class is not clNone.
var ofSpecial = func() (t [256]uint8) {
	for c, cl := range ofClass {
		if cl != clNone {
			t[c] = 1
		}
	}
	return t
}()

// closingQuote returns the index of the '"' closing the one at s[i], or -1.
// Names are quoted JSON strings, as OVSDB strings are (quotedEnd).
func closingQuote(s string, i int) int {
	if e := quotedEnd(s, i); e > 0 {
		return e - 1
	}
	return -1
}

// SplitArgs splits s at top-level commas, keeping parenthesised, bracketed
// and quoted parts whole, and trims white space around each part:
// SplitArgs("commit,zone=NXM_NX_REG6[0..15],exec(load:0x1->NXM_NX_CT_MARK[])")
// returns the three parts; SplitArgs(",60") returns "" and "60" (the empty
// port of resubmit(,60)).
func SplitArgs(s string) []string {
	var out []string
	start, depth := 0, 0
	for i := 0; i < len(s); i++ {
		switch ofClass[s[i]] {
		case clComma:
			if depth == 0 {
				out = append(out, strings.TrimSpace(s[start:i]))
				start = i + 1
			}
		case clOpen:
			depth++
		case clClose:
			if depth > 0 {
				depth--
			}
		case clQuote:
			if j := closingQuote(s, i); j > 0 {
				i = j
			} else {
				i = len(s) - 1
			}
		}
	}
	if s == "" {
		return nil
	}
	return append(out, strings.TrimSpace(s[start:]))
}

// unquoteName undoes OVS's JSON quoting of port and table names.
func unquoteName(s string) (string, bool) {
	if len(s) < 2 || s[0] != '"' || closingQuote(s, 0) != len(s)-1 {
		return s, false
	}
	in := s[1 : len(s)-1]
	if strings.IndexByte(in, '\\') < 0 {
		return in, true
	}
	u, err := strconv.Unquote(`"` + strings.ReplaceAll(in, `\/`, `/`) + `"`)
	if err != nil {
		return s, false
	}
	return u, true
}

// quoteName quotes a port or table name the way OVS does: only when it is
// not a letter followed by letters and digits.
func quoteName(s string) string {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && c >= '0' && c <= '9') {
			return strconv.Quote(s)
		}
	}
	if s == "" {
		return `""`
	}
	return s
}

// quotePort quotes a port name for printing; numbers are port numbers.
// (A port named like a number, printed quoted by OVS, cannot be told from
// the number once Match.Value is unquoted.)
func quotePort(s string) string {
	if checkNumber(s) {
		return s
	}
	return quoteName(s)
}

// Canonical forms.

// Key returns the flow's identity for diffs: table, priority and the match
// with field names canonicalised (dl_src → eth_src, nw_src → ip_src, ...)
// and items sorted, with no cookie, timeouts, counters or actions. Port
// names and numbers are not unified: that needs the bridge's port map.
func (f *Flow) Key() string {
	var b strings.Builder
	b.WriteString("table=")
	b.WriteString(f.tableText())
	b.WriteString(",priority=")
	b.WriteString(strconv.Itoa(f.Priority))
	items := make([]string, 0, len(f.Match))
	for _, m := range f.Match {
		items = append(items, canonicalMatch(m))
	}
	slices.SortFunc(items, func(a, b string) int {
		// Protocol shorthands (no '=') first, as OVS prints them.
		if ea, eb := strings.Contains(a, "="), strings.Contains(b, "="); ea != eb {
			if eb {
				return -1
			}
			return 1
		}
		return strings.Compare(a, b)
	})
	for _, it := range items {
		b.WriteByte(',')
		b.WriteString(it)
	}
	return b.String()
}

func canonicalMatch(m Match) string {
	if m.Value == "" && !strings.Contains(m.Key, "[") {
		return m.Key
	}
	key := m.Key
	d, ok := LookupField(key)
	if ok {
		key = d.Name
	}
	val := m.Value
	if ok && d.Format == FormatPort {
		val = quotePort(val)
	}
	return key + "=" + val
}

func (f *Flow) tableText() string {
	if f.TableName != "" {
		return quoteName(f.TableName)
	}
	return strconv.Itoa(f.Table)
}

// String renders the flow without counters, in the syntax ovs-ofctl
// add-flow accepts, using the printed spellings of match and actions:
// "cookie=0x1, table=0, priority=10,arp,in_port=4 actions=resubmit(,24)".
func (f *Flow) String() string {
	var b strings.Builder
	if f.Cookie != 0 {
		fmt.Fprintf(&b, "cookie=%#x, ", f.Cookie)
	}
	b.WriteString("table=")
	b.WriteString(f.tableText())
	b.WriteString(", ")
	if f.IdleTimeout != 0 {
		fmt.Fprintf(&b, "idle_timeout=%d, ", f.IdleTimeout)
	}
	if f.HardTimeout != 0 {
		fmt.Fprintf(&b, "hard_timeout=%d, ", f.HardTimeout)
	}
	for _, fl := range f.Flags {
		b.WriteString(fl)
		b.WriteByte(' ')
	}
	if f.Importance != 0 {
		fmt.Fprintf(&b, "importance=%d, ", f.Importance)
	}
	b.WriteString("priority=")
	b.WriteString(strconv.Itoa(f.Priority))
	for _, m := range f.Match {
		b.WriteByte(',')
		b.WriteString(m.Key)
		if m.Value != "" {
			b.WriteByte('=')
			if d, ok := LookupField(m.Key); ok && d.Format == FormatPort {
				b.WriteString(quotePort(m.Value))
			} else {
				b.WriteString(m.Value)
			}
		}
	}
	b.WriteString(" actions=")
	b.WriteString(ActionsString(f.Actions))
	return b.String()
}

// ActionsString joins actions as OVS prints them; no action prints "drop".
func ActionsString(acts []Action) string {
	if len(acts) == 0 {
		return "drop"
	}
	var b strings.Builder
	for i, a := range acts {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(a.Raw)
	}
	return b.String()
}

// Line classification shared by the dump and trace parsers. Collector
// banners and tool failures are recognised by skipBanner and skipFailure
// (cmdout.go).

func looksLikeFlow(t string) bool {
	return strings.HasPrefix(t, "cookie=") || strings.HasPrefix(t, "table=") ||
		strings.HasPrefix(t, "priority=") || strings.HasPrefix(t, "duration=")
}

// clip shortens text quoted in issue messages.
func clip(s string) string {
	const max = 120
	if len(s) <= max {
		return s
	}
	return s[:max] + "..."
}

// Sniffers.

func firstLines(head []byte, n int) []string {
	var out []string
	for line := range strings.SplitSeq(string(head), "\n") {
		t := strings.TrimSpace(line)
		if t == "" || t[0] == '#' || strings.HasPrefix(t, "$ ") {
			continue
		}
		out = append(out, t)
		if len(out) == n {
			break
		}
	}
	return out
}

func sniffFlows(head []byte) bool {
	for _, t := range firstLines(head, 3) {
		if strings.HasPrefix(t, "NXST_FLOW reply") || strings.HasPrefix(t, "OFPST_FLOW reply") {
			return true
		}
		if looksLikeFlow(t) && strings.Contains(t, "actions=") {
			return true
		}
	}
	return false
}
