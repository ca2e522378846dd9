package conntrack

import (
	"io"
	"net/netip"
	"regexp"
	"strconv"
	"strings"

	"netxray/parse"
)

// Kind is the format of this package.
const Kind parse.Kind = "conntrack"

// Formats lists the formats of this package for generic callers.
var Formats = []parse.Format{{
	Kind:  Kind,
	Doc:   "conntrack -L [-o extended], conntrack -E, /proc/net/nf_conntrack",
	Parse: func(r io.Reader, file string) (parse.Result, error) { return ParseConntrack(r, file) },
	Sniff: sniff,
}}

// Table is one conntrack listing.
type Table struct {
	Entries []Entry
	// Summary is conntrack's closing line, printed on stderr and often
	// captured with the table (before or after it).
	Summary *Summary
	Issues  parse.Issues
}

// Summary is "conntrack v1.4.6 (conntrack-tools): N flow entries have been
// shown.".
type Summary struct {
	Pos     parse.Pos
	Raw     string
	Version string
	Count   int
}

// Entry is one connection. Numbers that were not printed are zero; the
// pointers tell printed zero from absent where zero is meaningful.
type Entry struct {
	Pos parse.Pos
	Raw string
	// End is the line where an entry that the summary line cut in two
	// ends (see ParseConntrack); 0 for the usual one-line entry.
	End int

	// Event is "NEW", "UPDATE" or "DESTROY" for `conntrack -E` lines.
	Event string
	// L3Proto and L3Num are printed only in the extended layout
	// ("ipv4 2", "ipv6 10").
	L3Proto  string
	L3Num    int
	Proto    string // "tcp", "udp", "icmp", "icmpv6", "gre", "unknown", ...
	ProtoNum int
	Timeout  *int // seconds left
	// State is the TCP (or SCTP/DCCP) state: ESTABLISHED, TIME_WAIT, ...
	State string
	Orig  Tuple
	Reply Tuple

	Unreplied bool // [UNREPLIED]: no packet seen in the reply direction
	Assured   bool // [ASSURED]
	Offload   bool // [OFFLOAD] or [HW_OFFLOAD]
	HWOffload bool // [HW_OFFLOAD]

	Mark    uint32
	HasMark bool
	Secmark string
	Secctx  string
	// Zone is the conntrack zone (zone=N); 0 when not printed, which is
	// the default zone.
	Zone      int
	Use       int
	ID        uint32 // -o id
	Helper    string
	Labels    []string
	DeltaTime *int
	Start     string // [start=...] (-o timestamp), ctime text
	Stop      string
	// Extra keeps unknown tokens in order.
	Extra []string
}

// Tuple is one direction of a connection.
type Tuple struct {
	Src, Dst     netip.Addr
	SPort, DPort int
	// Type, Code and ID are the ICMP fields (meaningful for icmp/icmpv6).
	Type, Code, ID int
	// SrcKey and DstKey are the GRE keys as printed ("0x0").
	SrcKey, DstKey string
	// Zone is set by directional zones (zone-orig=/zone-reply=).
	Zone        *int
	Packets     uint64
	Bytes       uint64
	HasCounters bool
}

// Records implements parse.Result.
func (t *Table) Records() int { return len(t.Entries) }

// Problems implements parse.Result.
func (t *Table) Problems() parse.Issues { return t.Issues }

var (
	// summaryRE finds the summary anywhere in a line: it may have been
	// written into the middle of one.
	summaryRE = regexp.MustCompile(`conntrack v(\S+?) \(conntrack-tools\): (\d+) (?:flow|expectation) entries have been shown\.`)
	toolRE    = regexp.MustCompile(`^(?:conntrack v\S+ \(conntrack-tools\)|conntrack): `)
	stateRE   = regexp.MustCompile(`^[A-Z][A-Z_]+$`)
)

// failures are messages printed instead of a table.
var failures = []string{
	"Cannot open network namespace", "Operation not permitted", "command not found",
	"No such file or directory", "Permission denied", "Protocol not supported",
}

// ParseConntrack parses a conntrack listing:
//
//	tcp      6 431999 ESTABLISHED src=192.168.10.5 dst=198.51.100.7 sport=51234 dport=443 src=198.51.100.7 dst=203.0.113.10 sport=443 dport=51234 [ASSURED] mark=0 use=1
//	udp      17 29 src=192.0.2.1 dst=192.0.2.2 sport=48375 dport=53 [UNREPLIED] src=192.0.2.2 dst=192.0.2.1 sport=53 dport=48375 mark=0 zone=4101 use=1
//	ipv4     2 icmp     1 29 src=192.0.2.1 dst=192.0.2.2 type=8 code=0 id=21053 src=192.0.2.2 dst=192.0.2.1 type=0 code=0 id=21053 mark=0 use=1
//	conntrack v1.4.7 (conntrack-tools): 3 flow entries have been shown.
//
// The summary line goes to stderr, unbuffered, while the table goes to
// stdout in 4 KiB blocks; a collector that sends both to one file gets the
// summary first (small tables) or at a 4 KiB boundary, which may fall in
// the middle of an entry:
//
//	ipv4     2 icmp     1 6 src=10.10.1.23 dst=172.24.conntrack v1.4.7 (conntrack-tools): 40 flow entries have been shown.
//	4.1 type=8 code=0 id=17964 src=172.24.4.1 dst=172.24.4.65 type=0 code=0 id=57398 mark=0 use=1
//
// Such an entry is rebuilt from its two parts (Entry.End is the second
// line) and the splice is reported once, as a warning at the summary's
// line. A summary on its own line is reported as info, and the count it
// gives is checked against the entries parsed.
func ParseConntrack(r io.Reader, file string) (table *Table, err error) {
	defer parse.Recover(file, &err)
	table = &Table{}
	sc := parse.NewScanner(r, file, &table.Issues)
	var cut *parse.Line // the first part of an entry the summary cut
	for sc.Scan() {
		l, end := sc.Line(), 0
		if cut != nil {
			l, end, cut = parse.Line{Pos: cut.Pos, Text: cut.Text + l.Text}, l.Pos.Line, nil
		}
		if loc := summaryRE.FindStringSubmatchIndex(l.Text); loc != nil {
			raw := l.Text[loc[0]:loc[1]]
			table.summary(l.Pos, l.Text, loc)
			before, after := l.Text[:loc[0]], l.Text[loc[1]:]
			switch {
			case strings.TrimSpace(before+after) == "":
				table.Issues.Addf(l.Pos, parse.SevInfo, "conntrack-tools summary (stderr): %s", raw)
				continue
			case end == 0 && strings.TrimSpace(after) == "":
				table.Issues.Warnf(l.Pos, "conntrack-tools summary (stderr) was written into the middle of an entry; "+
					"the entry is rebuilt from this line and the next: %s", raw)
				cut = &parse.Line{Pos: l.Pos, Text: before}
				continue
			}
			table.Issues.Warnf(l.Pos, "conntrack-tools summary (stderr) was written into the middle of an entry; "+
				"the entry is parsed without it: %s", raw)
			l.Text = before + after
		}
		table.line(l, end)
	}
	if cut != nil { // the summary cut the last line: parse what there is
		table.line(*cut, 0)
	}
	if s := table.Summary; s != nil && s.Count != len(table.Entries) {
		table.Issues.Warnf(s.Pos, "summary says %d entries, parsed %d", s.Count, len(table.Entries))
	}
	return table, sc.Err()
}

// summary records the summary found in text at loc (a submatch index).
func (t *Table) summary(pos parse.Pos, text string, loc []int) {
	raw := text[loc[0]:loc[1]]
	if t.Summary != nil {
		t.Issues.Warnf(pos, "second conntrack-tools summary ignored: %s", raw)
		return
	}
	n, _ := strconv.Atoi(text[loc[4]:loc[5]])
	t.Summary = &Summary{Pos: pos, Raw: raw, Version: text[loc[2]:loc[3]], Count: n}
}

// line parses one line, or one entry rebuilt from two lines ending at line
// end.
func (t *Table) line(l parse.Line, end int) {
	text := strings.TrimSpace(l.Text)
	switch {
	case text == "":
	case strings.HasPrefix(text, "#") || strings.HasPrefix(text, "$ "):
		t.Issues.Addf(l.Pos, parse.SevInfo, "collector banner skipped: %s", text)
	case toolRE.MatchString(text) || parse.HasPhrase(text, failures):
		t.Issues.Addf(l.Pos, parse.SevInfo, "command failed: %s", text)
	default:
		e, ok := parseEntry(l, text, &t.Issues)
		switch {
		case ok:
			e.End = end
			t.Entries = append(t.Entries, e)
		case end != 0:
			t.Issues.Errorf(parse.Pos{File: l.Pos.File, Line: end}, "end of the entry cut at line %d lost with it", l.Pos.Line)
		}
	}
}

func parseEntry(l parse.Line, text string, issues *parse.Issues) (Entry, bool) {
	e := Entry{Pos: l.Pos, Raw: l.Text}
	tok := fields(text)
	if len(tok) > 0 && strings.HasPrefix(tok[0], "[") && !strings.Contains(tok[0], "=") {
		e.Event = strings.Trim(tok[0], "[]")
		tok = tok[1:]
	}
	tok, ok := e.parseHead(tok)
	if !ok {
		issues.Errorf(l.Pos, "not a conntrack entry: %q", l.Text)
		return e, false
	}
	p := entryParser{e: &e, pos: l.Pos, issues: issues}
	for i := 0; i < len(tok); i++ {
		t := tok[i]
		if strings.HasPrefix(t, "[") {
			p.flag(t)
			continue
		}
		k, v, ok := strings.Cut(t, "=")
		if !ok {
			e.Extra = append(e.Extra, t)
			issues.Warnf(l.Pos, "unknown conntrack token %q kept", t)
			continue
		}
		p.keyValue(k, v)
	}
	if p.tuples == 0 {
		issues.Warnf(l.Pos, "conntrack entry without an address tuple")
	}
	return e, true
}

// parseHead reads "[l3 l3num] proto protonum [timeout] [STATE]" and
// returns the remaining tokens.
func (e *Entry) parseHead(tok []string) ([]string, bool) {
	if len(tok) >= 4 && isNum(tok[1]) && !isNum(tok[2]) && isNum(tok[3]) {
		e.L3Proto = tok[0]
		e.L3Num, _ = strconv.Atoi(tok[1])
		tok = tok[2:]
	}
	if len(tok) < 2 || !isNum(tok[1]) || strings.Contains(tok[0], "=") {
		return nil, false
	}
	e.Proto = tok[0]
	e.ProtoNum, _ = strconv.Atoi(tok[1])
	tok = tok[2:]
	if len(tok) > 0 && isNum(tok[0]) {
		n, _ := strconv.Atoi(tok[0])
		e.Timeout = &n
		tok = tok[1:]
	}
	if len(tok) > 0 && stateRE.MatchString(tok[0]) {
		e.State = tok[0]
		tok = tok[1:]
	}
	return tok, true
}

// fields splits on blanks but keeps a bracketed group such as
// "[start=Mon Jan  1 00:00:00 2024]" whole.
func fields(s string) []string {
	var out []string
	for {
		s = strings.TrimLeft(s, " \t")
		if s == "" {
			return out
		}
		end := strings.IndexAny(s, " \t")
		if s[0] == '[' {
			if j := strings.IndexByte(s, ']'); j > 0 {
				end = j + 1
			}
		}
		if end < 0 {
			end = len(s)
		}
		out = append(out, s[:end])
		s = s[end:]
	}
}

func isNum(s string) bool {
	_, err := strconv.Atoi(s)
	return err == nil
}

// entryParser tracks which tuple key=value pairs belong to: the first
// src= opens the original tuple, the second the reply tuple.
type entryParser struct {
	e       *Entry
	pos     parse.Pos
	issues  *parse.Issues
	tuples  int
	lastKey string
}

func (p *entryParser) tuple() *Tuple {
	if p.tuples >= 2 {
		return &p.e.Reply
	}
	return &p.e.Orig
}

func (p *entryParser) flag(t string) {
	e := p.e
	switch {
	case t == "[UNREPLIED]":
		e.Unreplied = true
	case t == "[ASSURED]":
		e.Assured = true
	case t == "[OFFLOAD]":
		e.Offload = true
	case t == "[HW_OFFLOAD]":
		e.Offload, e.HWOffload = true, true
	case strings.HasPrefix(t, "[start="):
		e.Start = strings.TrimSuffix(strings.TrimPrefix(t, "[start="), "]")
	case strings.HasPrefix(t, "[stop="):
		e.Stop = strings.TrimSuffix(strings.TrimPrefix(t, "[stop="), "]")
	default:
		e.Extra = append(e.Extra, t)
		p.issues.Warnf(p.pos, "unknown conntrack flag %q kept", t)
	}
}

func (p *entryParser) keyValue(k, v string) {
	e := p.e
	var err error
	switch k {
	case "src":
		p.tuples++
		if p.tuples > 2 {
			p.issues.Warnf(p.pos, "more than two address tuples; %s=%s kept in Extra", k, v)
			e.Extra = append(e.Extra, k+"="+v)
			break
		}
		p.tuple().Src, err = netip.ParseAddr(v)
	case "dst":
		p.tuple().Dst, err = netip.ParseAddr(v)
	case "sport":
		p.tuple().SPort, err = strconv.Atoi(v)
	case "dport":
		p.tuple().DPort, err = strconv.Atoi(v)
	case "type":
		p.tuple().Type, err = strconv.Atoi(v)
	case "code":
		p.tuple().Code, err = strconv.Atoi(v)
	case "id":
		// ICMP id follows code= inside a tuple; -o id prints the
		// entry id at the end.
		if p.lastKey == "code" {
			p.tuple().ID, err = strconv.Atoi(v)
		} else {
			var n uint64
			n, err = strconv.ParseUint(v, 10, 32)
			e.ID = uint32(n)
		}
	case "srckey":
		p.tuple().SrcKey = v
	case "dstkey":
		p.tuple().DstKey = v
	case "packets":
		p.tuple().Packets, err = strconv.ParseUint(v, 10, 64)
		p.tuple().HasCounters = true
	case "bytes":
		p.tuple().Bytes, err = strconv.ParseUint(v, 10, 64)
	case "zone-orig", "zone-reply":
		var n int
		n, err = strconv.Atoi(v)
		p.tuple().Zone = &n
	default:
		err = p.entryValue(k, v)
	}
	if err != nil {
		e.Extra = append(e.Extra, k+"="+v)
		p.issues.Warnf(p.pos, "conntrack %s=%q: bad value kept in Extra", k, v)
	}
	p.lastKey = k
}

// entryValue stores the per-connection (not per-direction) keys.
func (p *entryParser) entryValue(k, v string) error {
	e := p.e
	var err error
	switch k {
	case "mark":
		var n uint64
		n, err = strconv.ParseUint(v, 0, 32)
		e.Mark, e.HasMark = uint32(n), err == nil
	case "secmark":
		e.Secmark = v
	case "secctx":
		e.Secctx = v
	case "zone":
		e.Zone, err = strconv.Atoi(v)
	case "use":
		e.Use, err = strconv.Atoi(v)
	case "helper":
		e.Helper = v
	case "labels":
		e.Labels = strings.Split(v, ",")
	case "delta-time":
		var n int
		n, err = strconv.Atoi(v)
		e.DeltaTime = &n
	default:
		e.Extra = append(e.Extra, k+"="+v)
		p.issues.Warnf(p.pos, "unknown conntrack key %q kept", k)
	}
	return err
}

// sniff: a conntrack entry starts with a protocol name and number and has
// src=/dst= pairs.
func sniff(head []byte) bool {
	for _, line := range strings.Split(string(head), "\n") {
		t := strings.TrimSpace(line)
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		if loc := summaryRE.FindStringIndex(t); loc != nil && loc[0] == 0 {
			continue
		}
		var e Entry
		tok := strings.Fields(t)
		_, ok := e.parseHead(tok)
		return ok && strings.Contains(t, " src=") && strings.Contains(t, " dst=")
	}
	return false
}
