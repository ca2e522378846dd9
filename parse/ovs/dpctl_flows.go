package ovs

import (
	"io"
	"strconv"
	"strings"

	"netxray/parse"
)

// DPFlowDump is the output of `ovs-appctl dpctl/dump-flows [-m] [DP]` or
// `ovs-dpctl dump-flows [-m]`: the datapath's cached megaflows.
type DPFlowDump struct {
	Flows  []DPFlow
	Issues parse.Issues
	// understood counts the input lines taken as data, for tests.
	understood int
}

// DPFlow is one datapath flow.
type DPFlow struct {
	Pos parse.Pos
	Raw string
	// Thread is the userspace datapath thread that dumped the flow
	// ("main thread", "pmd on cpu core: 1"), "" for the kernel datapath.
	Thread string
	// UFID is printed with -m ("ufid:" followed by a UUID).
	UFID string
	// Key holds the match items in order: "recirc_id(0)" is {recirc_id,
	// 0}, "eth(src=aa:..,dst=bb:..)" is {eth, src=aa:..,dst=bb:..}; masks
	// ("/0xff") stay in Arg.
	Key     []DPItem
	Packets uint64
	Bytes   uint64
	// Used is seconds since last use; -1 for "never".
	Used float64
	// TCPFlags is the flags: value ("S.", "P."), "" when none.
	TCPFlags string
	// Offloaded ("yes", "partial") and DP ("ovs", "tc", "dpdk") come with -m.
	Offloaded   string
	DP          string
	Actions     []DPItem
	DPExtraInfo string
	// Extra keeps stats items this parser does not know.
	Extra []DPItem
}

// DPItem is one key field or action: "name(arg)", a bare word (Arg ""),
// or, for actions, a bare port number, taken as {output, N}. Raw is the
// item as printed.
type DPItem struct {
	Name string
	Arg  string
	Raw  string
}

// KeyArg returns the argument of key field name ("" and false when the
// flow does not match on it).
func (f *DPFlow) KeyArg(name string) (string, bool) {
	for _, k := range f.Key {
		if k.Name == name {
			return k.Arg, true
		}
	}
	return "", false
}

// Records returns the number of flows.
func (d *DPFlowDump) Records() int { return len(d.Flows) }

// Problems returns the issues found while parsing.
func (d *DPFlowDump) Problems() parse.Issues { return d.Issues }

// ParseDPFlows parses datapath flow dumps, one flow per line:
//
//	flow-dump from the main thread:
//	recirc_id(0),in_port(2),eth(src=fa:16:3e:11:ba:24,dst=fa:16:3e:53:45:40),eth_type(0x0800),ipv4(frag=no), packets:3, bytes:294, used:0.512s, flags:S, actions:ct(zone=1),recirc(0x1)
//	ufid:60ab39c4-..., recirc_id(0),dp_hash(0/0),skb_priority(0/0),in_port(2),..., packets:0, bytes:0, used:never, dp:tc, actions:drop
func ParseDPFlows(r io.Reader, file string) (dump *DPFlowDump, err error) {
	defer parse.Recover(file, &err)
	dump = &DPFlowDump{}
	sc := parse.NewScanner(r, file, &dump.Issues)
	thread := ""
	for sc.Scan() {
		l := sc.Line()
		t := strings.TrimSpace(l.Text)
		if t == "" || skipBanner(l, &dump.Issues) {
			continue
		}
		if th, ok := strings.CutPrefix(t, "flow-dump from "); ok {
			thread = strings.TrimSuffix(th, ":")
			dump.understood++
			continue
		}
		f, ok := parseDPFlow(l, t, &dump.Issues)
		if !ok {
			if !skipFailure(l, &dump.Issues) {
				dump.Issues.Errorf(l.Pos, "not a datapath flow: %q", l.Text)
			}
			continue
		}
		f.Thread = thread
		dump.Flows = append(dump.Flows, f)
		dump.understood++
	}
	return dump, sc.Err()
}

func parseDPFlow(l parse.Line, t string, issues *parse.Issues) (DPFlow, bool) {
	f := DPFlow{Pos: l.Pos, Raw: l.Text, Used: -1}
	key, stats, ok := strings.Cut(t, ", packets:")
	if !ok {
		return f, false
	}
	if u, rest, ok := strings.Cut(key, ", "); ok && strings.HasPrefix(u, "ufid:") {
		f.UFID, key = strings.TrimPrefix(u, "ufid:"), rest
	}
	stats, actions, ok := strings.Cut(stats, ", actions:")
	if !ok {
		return f, false
	}
	for _, k := range splitOutside(key, ',') {
		f.Key = append(f.Key, dpItem(k, false))
	}
	f.stats(l.Pos, "packets:"+stats, issues)
	if a, extra, ok := strings.Cut(actions, ", dp-extra-info:"); ok {
		actions, f.DPExtraInfo = a, extra
	}
	for _, a := range splitOutside(actions, ',') {
		f.Actions = append(f.Actions, dpItem(a, true))
	}
	return f, true
}

func (f *DPFlow) stats(pos parse.Pos, s string, issues *parse.Issues) {
	for _, it := range strings.Split(s, ", ") {
		k, v, _ := strings.Cut(it, ":")
		var err error
		switch k {
		case "packets":
			f.Packets, err = strconv.ParseUint(v, 10, 64)
		case "bytes":
			f.Bytes, err = strconv.ParseUint(v, 10, 64)
		case "used":
			if v != "never" {
				f.Used, err = strconv.ParseFloat(strings.TrimSuffix(v, "s"), 64)
			}
		case "flags":
			f.TCPFlags = v
		case "offloaded":
			f.Offloaded = v
		case "dp":
			f.DP = v
		default:
			f.Extra = append(f.Extra, DPItem{Name: k, Arg: v, Raw: it})
			issues.Warnf(pos, "datapath flow stat %q kept as extra", it)
		}
		if err != nil {
			issues.Warnf(pos, "datapath flow %s:%q is not a number", k, v)
		}
	}
}

func dpItem(s string, action bool) DPItem {
	s = strings.TrimSpace(s)
	if name, arg, ok := nameArg(s); ok {
		return DPItem{Name: name, Arg: arg, Raw: s}
	}
	if action {
		if _, err := strconv.ParseUint(s, 10, 32); err == nil {
			return DPItem{Name: "output", Arg: s, Raw: s}
		}
	}
	return DPItem{Name: s, Raw: s}
}

func sniffDPFlows(head []byte) bool {
	t := parse.FirstData(head)
	return strings.HasPrefix(t, "flow-dump from ") ||
		strings.Contains(t, ", packets:") && strings.Contains(t, ", actions:")
}
