package ovs

import (
	"io"
	"regexp"
	"strconv"
	"strings"

	"netxray/parse"
)

// PortStatsDump is the output of `ovs-ofctl [-O OpenFlowNN] dump-ports
// BRIDGE [PORT]`.
type PortStatsDump struct {
	// Version is the OpenFlow version of the reply banner ("OF1.3"), ""
	// for OpenFlow 1.0.
	Version string
	// NPorts is the count the banner announces ("5 ports"), -1 if none.
	NPorts int
	Ports  []PortStats
	Issues parse.Issues
	// understood counts the input lines taken as data, for tests.
	understood int
}

// PortStats are the counters of one port. A counter the switch does not
// keep prints as "?" and is -1 here.
type PortStats struct {
	Pos parse.Pos
	// Raw is the port's first ("rx") line.
	Raw string
	// Port is the port as printed: a number, "LOCAL", or a name (with
	// --names, quotes removed).
	Port string
	// OFPort is the number (LOCAL is 65534), 0 when Port is a name.
	OFPort int
	RX     Counters
	TX     Counters
	// Duration is the OF1.3+ "duration=" in seconds; -1 when absent.
	Duration float64
	// Extra holds counters of the "rx rfc2819", "tx rfc2819" and "CUSTOM
	// Statistics" lines, prefixed "rx_", "tx_" and "custom_".
	Extra []Counter
}

// Counters are one direction's port counters. Frame, Over and CRC exist
// for rx only, Collisions for tx only (-1 in the other direction).
type Counters struct {
	Packets    int64
	Bytes      int64
	Dropped    int64
	Errors     int64
	Frame      int64
	Over       int64
	CRC        int64
	Collisions int64
}

// Counter is a named counter.
type Counter struct {
	Name  string
	Value int64
}

// Records returns the number of ports.
func (d *PortStatsDump) Records() int { return len(d.Ports) }

// Problems returns the issues found while parsing.
func (d *PortStatsDump) Problems() parse.Issues { return d.Issues }

// Port returns the stats of the port printed as name (number, LOCAL or
// name), or nil.
func (d *PortStatsDump) Port(name string) *PortStats {
	for i := range d.Ports {
		if d.Ports[i].Port == name {
			return &d.Ports[i]
		}
	}
	return nil
}

var portStatsRE = regexp.MustCompile(`^port\s+(.+?):\s+rx\s+(.*)$`)

// ParsePortStats parses `ovs-ofctl dump-ports BRIDGE`:
//
//	OFPST_PORT reply (xid=0x2): 3 ports
//	  port  ens2f0: rx pkts=779660469, bytes=204019064706, drop=13, errs=0, frame=0, over=0, crc=0
//	           tx pkts=393012755, bytes=72170611443, drop=0, errs=0, coll=0
//	  port LOCAL: rx pkts=0, bytes=0, drop=?, errs=?, frame=?, over=?, crc=?
//	           duration=40.435s
//
// OpenFlow 1.3 and later add the "duration=" line; OpenFlow 1.4 and later
// may add "rx rfc2819"/"tx rfc2819" and "CUSTOM Statistics" lines.
func ParsePortStats(r io.Reader, file string) (dump *PortStatsDump, err error) {
	defer parse.Recover(file, &err)
	dump = &PortStatsDump{NPorts: -1}
	sc := parse.NewScanner(r, file, &dump.Issues)
	var cur *PortStats
	custom := false
	for sc.Scan() {
		l := sc.Line()
		t := strings.TrimSpace(l.Text)
		if t == "" || skipBanner(l, &dump.Issues) {
			continue
		}
		if m := replyRE.FindStringSubmatch(t); m != nil {
			cur, custom = nil, false
			dump.reply(l, m)
			dump.understood++
			continue
		}
		if m := portStatsRE.FindStringSubmatch(t); m != nil {
			dump.Ports = append(dump.Ports, newPortStats(l, m, &dump.Issues))
			cur, custom = &dump.Ports[len(dump.Ports)-1], false
			dump.understood++
			continue
		}
		if cur != nil && cur.line(l, t, &custom, &dump.Issues) {
			dump.understood++
			continue
		}
		if !skipFailure(l, &dump.Issues) {
			dump.Issues.Errorf(l.Pos, "not an ovs-ofctl dump-ports line: %q", l.Text)
		}
	}
	if dump.NPorts >= 0 && dump.NPorts != len(dump.Ports) {
		dump.Issues.Warnf(parse.Pos{File: file}, "banner announces %d ports, %d parsed", dump.NPorts, len(dump.Ports))
	}
	return dump, sc.Err()
}

func (d *PortStatsDump) reply(l parse.Line, m []string) {
	if m[1] != "OFPST_PORT reply" && m[1] != "OFPMP_PORT_STATS reply" {
		d.Issues.Addf(l.Pos, parse.SevInfo, "reply %s not used", m[1])
		return
	}
	if d.Version == "" {
		d.Version = m[2]
	}
	if n, ok := strings.CutSuffix(m[3], " ports"); ok {
		if v, err := strconv.Atoi(n); err == nil {
			// A multi-part reply prints one banner per part.
			d.NPorts = max(d.NPorts, 0) + v
		}
	}
}

func newPortStats(l parse.Line, m []string, issues *parse.Issues) PortStats {
	p := PortStats{Pos: l.Pos, Raw: l.Text, Port: m[1], Duration: -1}
	if d, err := ParseDatum(m[1]); err == nil && d.Kind == KindAtom {
		p.Port = d.String()
	}
	if n, err := strconv.Atoi(p.Port); err == nil {
		p.OFPort = n
	} else if p.Port == "LOCAL" {
		p.OFPort = LocalPort
	}
	p.RX = parseCounters(l.Pos, m[2], "rx", issues)
	p.TX = parseCounters(l.Pos, "", "tx", nil)
	return p
}

// line reads a continuation line of a port; custom tells that a "CUSTOM
// Statistics" header was seen, whose counters follow on their own lines.
func (p *PortStats) line(l parse.Line, t string, custom *bool, issues *parse.Issues) bool {
	switch {
	case strings.HasPrefix(t, "tx "):
		p.TX = parseCounters(l.Pos, strings.TrimPrefix(t, "tx "), "tx", issues)
	case strings.HasPrefix(t, "duration="):
		v := strings.TrimSuffix(strings.TrimPrefix(t, "duration="), "s")
		d, err := strconv.ParseFloat(v, 64)
		if err != nil {
			issues.Warnf(l.Pos, "port %s: bad duration %q", p.Port, t)
			return true
		}
		p.Duration = d
	case strings.HasPrefix(t, "rx rfc2819 "), strings.HasPrefix(t, "tx rfc2819 "):
		p.extra(l.Pos, t[:2]+"_", t[len("rx rfc2819 "):], issues)
	case t == "CUSTOM Statistics":
		*custom = true
	case *custom && strings.Contains(t, "="):
		p.extra(l.Pos, "custom_", t, issues)
	default:
		return false
	}
	return true
}

func (p *PortStats) extra(pos parse.Pos, prefix, list string, issues *parse.Issues) {
	for _, kv := range strings.Split(list, ",") {
		kv = strings.TrimSpace(kv)
		if kv == "" {
			continue
		}
		k, v, _ := strings.Cut(kv, "=")
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			issues.Warnf(pos, "port %s: bad counter %q", p.Port, kv)
			continue
		}
		p.Extra = append(p.Extra, Counter{prefix + k, n})
	}
}

// parseCounters reads "pkts=1, bytes=2, drop=?, errs=0, frame=0, over=0,
// crc=0" (rx) or "... coll=0" (tx). With nil issues it returns all
// counters unknown.
func parseCounters(pos parse.Pos, list, dir string, issues *parse.Issues) Counters {
	c := Counters{-1, -1, -1, -1, -1, -1, -1, -1}
	fields := map[string]*int64{
		"pkts": &c.Packets, "bytes": &c.Bytes, "drop": &c.Dropped, "errs": &c.Errors,
		"frame": &c.Frame, "over": &c.Over, "crc": &c.CRC, "coll": &c.Collisions,
	}
	for _, kv := range strings.Split(list, ",") {
		if issues == nil {
			break // no counters printed: all unknown
		}
		k, v, ok := strings.Cut(strings.TrimSpace(kv), "=")
		dst := fields[k]
		if !ok || dst == nil {
			issues.Warnf(pos, "%s counter %q unknown, ignored", dir, strings.TrimSpace(kv))
			continue
		}
		if v == "?" {
			continue
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			issues.Warnf(pos, "%s counter %s=%q is not a number", dir, k, v)
			continue
		}
		*dst = n
	}
	return c
}

func sniffPortStats(head []byte) bool {
	t := parse.FirstData(head)
	return strings.HasPrefix(t, "OFPST_PORT reply") || strings.HasPrefix(t, "OFPMP_PORT_STATS reply")
}
