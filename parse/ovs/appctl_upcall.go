package ovs

import (
	"io"
	"regexp"
	"strconv"
	"strings"

	"netxray/parse"
)

// UpcallShow is the output of `ovs-appctl upcall/show`: per datapath, how
// many flows ovs-vswitchd keeps in it against its flow limit, and how long
// the revalidators take to dump them.
type UpcallShow struct {
	Datapaths []UpcallDatapath
	Issues    parse.Issues
	// understood counts the input lines taken as data, for tests.
	understood int
}

// UpcallDatapath is one datapath block of upcall/show.
type UpcallDatapath struct {
	Pos parse.Pos
	Raw string
	// Name is "system@ovs-system" or "netdev@ovs-netdev".
	Name string
	// Flows is the "flows : (current N) (avg N) (max N) (limit N)" line:
	// datapath flows now, on average, at most, and the limit above which
	// ovs-vswitchd evicts flows (a datapath at its limit drops to slow
	// path upcalls).
	Flows UpcallFlows
	// DumpMillis is the last revalidator dump duration, in milliseconds.
	DumpMillis int
	// UFID reports "ufid enabled : true".
	UFID bool
	// Revalidators are the "ID: (keys N)" lines, one per revalidator
	// thread.
	Revalidators []Revalidator
	// Extra keeps "key : value" lines this parser does not know (newer
	// OVS versions), and known ones whose value did not parse.
	Extra []KeyVal
}

// UpcallFlows are the flow counters of one datapath.
type UpcallFlows struct {
	Current, Avg, Max, Limit int
}

// Revalidator is one "ID: (keys N)" line.
type Revalidator struct {
	Pos  parse.Pos
	Raw  string
	ID   int
	Keys int
}

// Records returns the number of datapaths.
func (u *UpcallShow) Records() int { return len(u.Datapaths) }

// Problems returns the issues found while parsing.
func (u *UpcallShow) Problems() parse.Issues { return u.Issues }

var (
	upcallKVRE     = regexp.MustCompile(`^([a-z][a-z ]*[a-z])\s*:\s*(.*)$`)
	upcallRevalRE  = regexp.MustCompile(`^(\d+): \(keys (\d+)\)$`)
	upcallFlowsRE  = regexp.MustCompile(`^\(current (\d+)\) \(avg (\d+)\) \(max (\d+)\) \(limit (\d+)\)$`)
	upcallMillisRE = regexp.MustCompile(`^(\d+)ms$`)
)

// ParseUpcallShow parses `ovs-appctl upcall/show`
// (ofproto/ofproto-dpif-upcall.c upcall_unixctl_show):
//
//	system@ovs-system:
//	  flows         : (current 59) (avg 66) (max 154) (limit 125000)
//	  dump duration : 1ms
//	  ufid enabled : true
func ParseUpcallShow(r io.Reader, file string) (show *UpcallShow, err error) {
	defer parse.Recover(file, &err)
	show = &UpcallShow{}
	sc := parse.NewScanner(r, file, &show.Issues)
	var dp *UpcallDatapath
	for sc.Scan() {
		l := sc.Line()
		t := strings.TrimSpace(l.Text)
		if t == "" || skipBanner(l, &show.Issues) {
			continue
		}
		if m := dpHeadRE.FindStringSubmatch(t); m != nil {
			show.Datapaths = append(show.Datapaths, UpcallDatapath{Pos: l.Pos, Raw: l.Text, Name: m[1]})
			dp = &show.Datapaths[len(show.Datapaths)-1]
			show.understood++
			continue
		}
		rm, kv := upcallRevalRE.FindStringSubmatch(t), upcallKVRE.FindStringSubmatch(t)
		switch {
		case dp != nil && rm != nil:
			rv := Revalidator{Pos: l.Pos, Raw: l.Text}
			rv.ID, _ = strconv.Atoi(rm[1])
			rv.Keys, _ = strconv.Atoi(rm[2])
			dp.Revalidators = append(dp.Revalidators, rv)
			show.understood++
		case dp != nil && kv != nil:
			show.understood++
			if !dp.set(kv[1], kv[2]) {
				dp.Extra = append(dp.Extra, KeyVal{kv[1], kv[2]})
				show.Issues.Warnf(l.Pos, "upcall/show %q: %q kept as text", kv[1], kv[2])
			}
		case !skipFailure(l, &show.Issues):
			show.Issues.Errorf(l.Pos, "not an upcall/show line: %q", l.Text)
		}
	}
	return show, sc.Err()
}

// set stores a known "key : value" line; false for an unknown key or a
// value that does not parse.
func (dp *UpcallDatapath) set(key, value string) bool {
	switch key {
	case "flows":
		m := upcallFlowsRE.FindStringSubmatch(value)
		if m == nil {
			return false
		}
		for i, p := range []*int{&dp.Flows.Current, &dp.Flows.Avg, &dp.Flows.Max, &dp.Flows.Limit} {
			*p, _ = strconv.Atoi(m[i+1])
		}
	case "dump duration":
		m := upcallMillisRE.FindStringSubmatch(value)
		if m == nil {
			return false
		}
		dp.DumpMillis, _ = strconv.Atoi(m[1])
	case "ufid enabled":
		if value != "true" && value != "false" {
			return false
		}
		dp.UFID = value == "true"
	default:
		return false
	}
	return true
}

// sniffUpcallShow: a datapath name line followed by the "flows :" line
// (dpctl/show starts the same way but goes on with "lookups:").
func sniffUpcallShow(head []byte) bool {
	first := parse.FirstData(head)
	if !dpHeadRE.MatchString(first) {
		return false
	}
	_, rest, _ := strings.Cut(string(head), first)
	m := upcallKVRE.FindStringSubmatch(parse.FirstData([]byte(rest)))
	return m != nil && m[1] == "flows" && upcallFlowsRE.MatchString(m[2])
}
