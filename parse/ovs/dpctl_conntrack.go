package ovs

import (
	"io"
	"regexp"
	"strconv"
	"strings"

	"netxray/parse"
)

// CTDump is the output of `ovs-appctl dpctl/dump-conntrack [-m] [-s]
// [DP] [zone=N]` (also `ovs-dpctl dump-conntrack`).
type CTDump struct {
	Entries []CTEntry
	Issues  parse.Issues
	// understood counts the input lines taken as data, for tests.
	understood int
}

// CTEntry is one connection tracking entry.
type CTEntry struct {
	Pos parse.Pos
	Raw string
	// Proto is the protocol as printed: "tcp", "udp", "icmp", "icmpv6",
	// "sctp", or a number.
	Proto string
	Orig  CTTuple
	Reply CTTuple
	// Zone and Mark are 0 when not printed (OVS omits zeros).
	Zone int
	Mark uint32
	// Labels is the hex text of labels= ("" when zero).
	Labels string
	// ID, Status (flag words joined by '|') come with -m; Timeout with -s.
	ID      string
	Status  string
	Timeout int
	// State is the TCP/SCTP state: protoinfo state= or, with -m,
	// state_orig=.
	State     string
	ProtoInfo []KeyVal
	Helper    string
	// Start and Stop are the -s timestamps as printed.
	Start, Stop string
	Parent      *CTTuple
	// Extra keeps key=value items this parser does not know.
	Extra []KeyVal
}

// KeyVal is one key=value item as printed (conntrack items, tunnel
// options, datapath counters).
type KeyVal struct {
	Key, Value string
}

// CTTuple is one direction of a connection.
type CTTuple struct {
	Src, Dst     string
	SPort, DPort int
	// ICMP identifier, type and code (for icmp and icmpv6).
	ICMPID, ICMPType, ICMPCode int
	// Packets and Bytes come with -s; -1 when not printed.
	Packets, Bytes int64
	Extra          []KeyVal
}

// Records returns the number of entries.
func (d *CTDump) Records() int { return len(d.Entries) }

// Problems returns the issues found while parsing.
func (d *CTDump) Problems() parse.Issues { return d.Issues }

var ctHeadRE = regexp.MustCompile(`^[a-z0-9]+,orig=\(`)

// ParseCTDump parses `ovs-appctl dpctl/dump-conntrack [-m] [-s]`, one
// entry per line:
//
//	tcp,orig=(src=192.168.10.5,dst=192.168.20.7,sport=43822,dport=22),reply=(src=192.168.20.7,dst=192.168.10.5,sport=22,dport=43822),zone=1,protoinfo=(state=ESTABLISHED)
//	icmp,orig=(src=10.251.2.140,dst=10.251.0.99,id=1374,type=8,code=0),reply=(src=10.251.0.99,dst=10.251.2.140,id=1374,type=0,code=0),zone=4201
//	udp,orig=(...),reply=(...),id=0,zone=5,status=CONFIRMED|SEEN_REPLY,mark=42
func ParseCTDump(r io.Reader, file string) (dump *CTDump, err error) {
	defer parse.Recover(file, &err)
	dump = &CTDump{}
	sc := parse.NewScanner(r, file, &dump.Issues)
	for sc.Scan() {
		l := sc.Line()
		t := strings.TrimSpace(l.Text)
		if t == "" || skipBanner(l, &dump.Issues) {
			continue
		}
		if !ctHeadRE.MatchString(t) {
			if !skipFailure(l, &dump.Issues) {
				dump.Issues.Errorf(l.Pos, "not a conntrack entry: %q", l.Text)
			}
			continue
		}
		dump.Entries = append(dump.Entries, parseCTEntry(l, t, &dump.Issues))
		dump.understood++
	}
	return dump, sc.Err()
}

func parseCTEntry(l parse.Line, t string, issues *parse.Issues) CTEntry {
	items := splitOutside(t, ',')
	e := CTEntry{Pos: l.Pos, Raw: l.Text, Proto: items[0]}
	for _, it := range items[1:] {
		k, v, _ := strings.Cut(it, "=")
		group, isGroup := strings.CutPrefix(v, "(")
		group, closed := strings.CutSuffix(group, ")")
		isGroup = isGroup && closed
		var err error
		switch {
		case k == "orig" && isGroup:
			e.Orig = parseCTTuple(l.Pos, group, issues)
		case k == "reply" && isGroup:
			e.Reply = parseCTTuple(l.Pos, group, issues)
		case k == "parent" && isGroup:
			p := parseCTTuple(l.Pos, group, issues)
			e.Parent = &p
		case k == "protoinfo" && isGroup:
			e.ProtoInfo = counterparts(group)
			for _, c := range e.ProtoInfo {
				if c.Key == "state" || c.Key == "state_orig" {
					e.State = c.Value
				}
			}
		case k == "zone":
			e.Zone, err = strconv.Atoi(v)
		case k == "mark":
			var m uint64
			m, err = strconv.ParseUint(v, 0, 32)
			e.Mark = uint32(m)
		case k == "labels":
			e.Labels = v
		case k == "id":
			e.ID = v
		case k == "status":
			e.Status = v
		case k == "timeout":
			e.Timeout, err = strconv.Atoi(v)
		case k == "helper":
			e.Helper = v
		case k == "start":
			e.Start = v
		case k == "stop":
			e.Stop = v
		default:
			e.Extra = append(e.Extra, KeyVal{k, v})
			issues.Warnf(l.Pos, "conntrack item %q kept as extra", it)
		}
		if err != nil {
			issues.Warnf(l.Pos, "conntrack %s=%q is not a number", k, v)
		}
	}
	return e
}

func counterparts(s string) []KeyVal {
	var out []KeyVal
	for _, it := range splitOutside(s, ',') {
		if it == "" {
			continue
		}
		k, v, _ := strings.Cut(it, "=")
		out = append(out, KeyVal{k, v})
	}
	return out
}

func parseCTTuple(pos parse.Pos, s string, issues *parse.Issues) CTTuple {
	t := CTTuple{Packets: -1, Bytes: -1}
	for _, c := range counterparts(s) {
		var dst *int
		switch c.Key {
		case "src":
			t.Src = c.Value
			continue
		case "dst":
			t.Dst = c.Value
			continue
		case "packets", "bytes":
			n, err := strconv.ParseInt(c.Value, 10, 64)
			if err != nil {
				issues.Warnf(pos, "conntrack tuple %s=%q is not a number", c.Key, c.Value)
			} else if c.Key == "packets" {
				t.Packets = n
			} else {
				t.Bytes = n
			}
			continue
		case "sport":
			dst = &t.SPort
		case "dport":
			dst = &t.DPort
		case "id":
			dst = &t.ICMPID
		case "type":
			dst = &t.ICMPType
		case "code":
			dst = &t.ICMPCode
		default:
			t.Extra = append(t.Extra, c)
			issues.Warnf(pos, "conntrack tuple item %s=%s kept as extra", c.Key, c.Value)
			continue
		}
		n, err := strconv.Atoi(c.Value)
		if err != nil {
			issues.Warnf(pos, "conntrack tuple %s=%q is not a number", c.Key, c.Value)
		}
		*dst = n
	}
	return t
}

func sniffCTDump(head []byte) bool {
	return ctHeadRE.MatchString(parse.FirstData(head))
}
