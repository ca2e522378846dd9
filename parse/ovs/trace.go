package ovs

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"netxray/parse"
)

// Trace is the output of `ovs-appctl ofproto/trace [--names] [--ct-next
// FLAGS] BRIDGE FLOW` in the format of OVS 2.8 and later
// (ofproto/ofproto-dpif-trace.c). One trace has one section per
// translation: the first, then one per recirculation (conntrack, groups),
// each with its flow, the rules it hit, the final flow, the megaflow and the
// datapath actions. Several traces pasted into one file simply give more
// sections (Recirc == "" marks each new trace).
type Trace struct {
	Sections []TraceSection
	Issues   parse.Issues
}

// Records returns the number of table steps in all sections.
func (t *Trace) Records() int {
	n := 0
	for _, s := range t.Sections {
		n += len(s.Steps)
	}
	return n
}

// Problems returns the issues found while parsing.
func (t *Trace) Problems() parse.Issues { return t.Issues }

// TraceSection is one translation of the packet.
type TraceSection struct {
	// Pos and Raw are those of the section's "Flow:" line.
	Pos parse.Pos
	Raw string
	// Recirc is the recirculation id of a resumed section ("0x53"), ""
	// for the first translation of a trace. RecircNote is the rest of the
	// header ("resume conntrack with default ct_state=trk|new (use
	// --ct-next to customize)") and CTState the conntrack state the trace
	// assumed ("trk|new"), "" when none was printed.
	Recirc     string
	RecircNote string
	CTState    string
	// RecircPos is the position of the "recirc(...)" header line.
	RecircPos parse.Pos
	// NAT holds the "Replacing src/dst IP/ports to simulate NAT:" block of
	// the header, when present.
	NAT []TraceLine
	// Flow is the flow the translation starts from, as printed.
	Flow      string
	FlowMatch []Match
	// Steps are the table lookups in printed order.
	Steps []TraceStep
	// Other holds tree lines that belong to no table step ("thaw",
	// "Resuming from table 31", errors before the first lookup).
	Other []TraceLine
	// FinalFlow is the flow after translation, or "unchanged";
	// FinalFlowMatch is nil when unchanged.
	FinalFlow      string
	FinalFlowMatch []Match
	Megaflow       string
	MegaflowMatch  []Match
	// DatapathActions is the datapath action list as printed ("drop",
	// "ct(zone=1),recirc(0x1)", "push_vlan(vid=100,pcp=0),2,3").
	DatapathActions string
	// Positions of the "Final flow:", "Megaflow:" and "Datapath actions:"
	// lines, for citing them.
	FinalPos, MegaflowPos, DatapathPos parse.Pos
	// Notes are lines printed after the datapath actions: translation
	// failures, slow-path reasons, the recirculation limit.
	Notes []TraceLine
}

// DatapathActionList splits DatapathActions at top-level commas.
func (s *TraceSection) DatapathActionList() []string { return SplitArgs(s.DatapathActions) }

// StepKind tells what a table step found.
type StepKind string

// Step kinds, from the texts OVS prints for the lookup result.
const (
	StepRule StepKind = "rule" // a flow matched
	// The miss kinds are also given to steps printed as an internal miss
	// rule ("81. reg0=0x2, priority 0"), as OVS prints misses in bridges
	// entered through a patch port; Match and Priority keep what was
	// printed.
	StepNoMatch  StepKind = "no-match"  // "No match." (table miss drops)
	StepPacketIn StepKind = "packet-in" // "No match, and a "packet-in" is called for."
	StepFragDrop StepKind = "frag-drop" // IP fragments dropped by frag handling mode
)

// TraceStep is one table lookup ("60. in_port=4, priority 100, cookie
// 0x9b32c8053d494869") with the lines printed under it.
type TraceStep struct {
	Pos parse.Pos
	Raw string
	// Bridge is the bridge the lookup happened in (trace crosses patch
	// ports: bridge("br-tun") starts a nested bridge).
	Bridge string
	Table  int
	Kind   StepKind
	// Match is the matched flow's match as printed ("" for a catch-all
	// flow and for misses); Matches is it parsed.
	Match    string
	Matches  []Match
	Priority int
	// Cookie is 0 when the trace printed none (OVS omits a zero cookie).
	Cookie uint64
	// Depth is the printed indentation level: 0 for lookups reached as the
	// last action of the previous one (resubmit/goto as a tail call), one
	// more for each enclosing lookup still to be continued, and more
	// inside patch-port bridges that are not the last action.
	Depth int
	// Parent is the index in Steps of the step whose action led here, -1
	// for the first lookup of the section.
	Parent int
	// Lines are the actions and messages printed under the step, in
	// order; lines of nested steps belong to those.
	Lines []TraceLine
}

// TraceLineKind classifies trace lines.
type TraceLineKind string

// Line kinds; the first six are the node types of OVS's trace tree.
const (
	LineAction TraceLineKind = "action" // an OpenFlow action being executed
	LineDetail TraceLineKind = "detail" // " -> text"
	LineWarn   TraceLineKind = "warn"   // " >> text"
	LineError  TraceLineKind = "error"  // " >>>> text <<<<"
	LineBucket TraceLineKind = "bucket" // "bucket N" of a group
	LineThaw   TraceLineKind = "thaw"   // "thaw", "Resuming from table N", restored actions
	LineBridge TraceLineKind = "bridge" // bridge("name") entered through a patch port
	LineNote   TraceLineKind = "note"   // text outside the tree
)

// TraceLine is one printed line; Text has the indentation and the " -> ",
// " >> " or " >>>> ... <<<<" markers removed.
type TraceLine struct {
	Pos   parse.Pos
	Raw   string
	Kind  TraceLineKind
	Text  string
	Depth int
}

// ParseTrace parses `ovs-appctl ofproto/trace` output, for example:
//
//	bridge("br-int")
//	 0. in_port=32768, priority 200, cookie 0x5e000000000000
//	    resubmit(,30)
//	Datapath actions: ct(zone=65520),recirc(0x53)
//
// with "Flow:", "Final flow:" and "Megaflow:" lines around each tree, and
// "recirc(0x53) - resume conntrack ..." sections between lines of '='.
// Nesting is recovered from the indentation exactly as OVS prints its trace
// tree (four spaces per level; a last child is not indented).
func ParseTrace(r io.Reader, file string) (t *Trace, err error) {
	defer parse.Recover(file, &err)
	t = &Trace{}
	p := traceParser{trace: t}
	sc := parse.NewScanner(r, file, &t.Issues)
	for sc.Scan() {
		p.line(sc.Line())
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	p.abandonHeader()
	if len(t.Sections) == 0 && t.Issues.Count(parse.SevError) > 0 {
		return nil, fmt.Errorf("%s: no trace found: %w", file, parse.ErrFormat)
	}
	return t, nil
}

type traceMode uint8

const (
	modeIdle   traceMode = iota // before a "Flow:" line
	modeHeader                  // inside a ===== recirculation header
	modeTree                    // between "Flow:" and "Final flow:"
	modeTail                    // after "Final flow:"
)

// traceNode is an open (non-terminal) node of the trace tree.
type traceNode struct {
	childLevel int    // printed level of this node's children list
	step       int    // step owning lines printed under this node, -1 none
	table      bool   // the node is a table step
	bridge     string // bridge in effect below this node
}

type traceParser struct {
	trace *Trace
	mode  traceMode
	sec   *TraceSection
	stack []traceNode
	// Header of the next section, read between the '=' lines.
	next TraceSection
}

var traceRule = strings.Repeat("=", 79)

// traceFailures are ofproto/trace's own error messages (the line after them,
// "ovs-appctl: ovs-vswitchd: server returned an error", is a tool failure).
var traceFailures = []string{"Bad openflow flow syntax", "unknown bridge", "Cannot find the datapath",
	"Trailing garbage in packet data", "too many arguments", "Syntax error", "unknown option"}

func (p *traceParser) line(l parse.Line) {
	text := strings.TrimRight(l.Text, " \t")
	t := strings.TrimSpace(text)
	if t == "" {
		return
	}
	issues := &p.trace.Issues
	if t == traceRule {
		if p.mode == modeHeader {
			p.mode = modeIdle
		} else {
			p.mode = modeHeader
			p.abandonHeader()
		}
		return
	}
	if rest, ok := strings.CutPrefix(text, "Flow: "); ok {
		p.startSection(l, rest)
		return
	}
	switch p.mode {
	case modeHeader:
		p.header(l, t)
		return
	case modeTree:
		if rest, ok := strings.CutPrefix(text, "Final flow: "); ok {
			p.mode = modeTail
			p.sec.FinalFlow, p.sec.FinalPos = rest, l.Pos
			if rest != "unchanged" {
				p.sec.FinalFlowMatch = parseMatchList(rest, l.Pos, issues)
			}
			return
		}
		p.treeLine(l, text)
		return
	case modeTail:
		if rest, ok := strings.CutPrefix(text, "Megaflow: "); ok {
			p.sec.Megaflow, p.sec.MegaflowPos = rest, l.Pos
			p.sec.MegaflowMatch = parseMatchList(rest, l.Pos, issues)
			return
		}
		if rest, ok := strings.CutPrefix(text, "Datapath actions: "); ok {
			p.sec.DatapathActions, p.sec.DatapathPos = rest, l.Pos
			return
		}
		p.sec.Notes = append(p.sec.Notes, TraceLine{Pos: l.Pos, Raw: l.Text, Kind: LineNote, Text: t})
		return
	}
	if skipBanner(l, issues) || skipFailure(l, issues) {
		return
	}
	for _, f := range traceFailures {
		if strings.Contains(t, f) {
			issues.Addf(l.Pos, parse.SevInfo, "command failed: %s", t)
			return
		}
	}
	issues.Errorf(l.Pos, "not ofproto/trace output: %q", clip(t))
}

// header reads the lines between the '=' rules of a recirculation.
func (p *traceParser) header(l parse.Line, t string) {
	n := &p.next
	if rest, ok := strings.CutPrefix(t, "recirc("); ok {
		id, note, ok := strings.Cut(rest, ")")
		if !ok {
			p.trace.Issues.Errorf(l.Pos, "bad recirculation header: %q", clip(t))
			return
		}
		n.Recirc, n.RecircPos = id, l.Pos
		n.RecircNote = strings.TrimPrefix(note, " - ")
		if _, st, ok := strings.Cut(note, "ct_state="); ok {
			n.CTState, _, _ = strings.Cut(st, " ")
		}
		return
	}
	line := TraceLine{Pos: l.Pos, Raw: l.Text, Kind: LineNote, Text: t}
	switch {
	case strings.HasPrefix(t, "Replacing src/dst IP/ports to simulate NAT"),
		strings.HasPrefix(t, "Initial flow: "), strings.HasPrefix(t, "Modified flow: "):
		n.NAT = append(n.NAT, line)
	case strings.HasPrefix(t, "Trace reached the recirculation limit"),
		strings.HasPrefix(t, "Queued but not processed"):
		if p.sec != nil {
			p.sec.Notes = append(p.sec.Notes, line)
		} else {
			p.trace.Issues.Errorf(l.Pos, "recirculation note before any trace: %q", clip(t))
		}
	default:
		p.trace.Issues.Errorf(l.Pos, "unexpected line in recirculation header: %q", clip(t))
	}
}

// abandonHeader reports a recirculation header that no "Flow:" line
// followed, and forgets it.
func (p *traceParser) abandonHeader() {
	if n := p.next; n.RecircPos.Line > 0 || len(n.NAT) > 0 {
		pos := n.RecircPos
		if pos.Line == 0 {
			pos = n.NAT[0].Pos
		}
		p.trace.Issues.Errorf(pos, "recirculation header not followed by a trace (truncated output?)")
	}
	p.next = TraceSection{}
}

func (p *traceParser) startSection(l parse.Line, flow string) {
	s := p.next
	p.next = TraceSection{}
	s.Pos, s.Raw, s.Flow = l.Pos, l.Text, flow
	s.FlowMatch = parseMatchList(flow, l.Pos, &p.trace.Issues)
	p.trace.Sections = append(p.trace.Sections, s)
	p.sec = &p.trace.Sections[len(p.trace.Sections)-1]
	p.mode = modeTree
	p.stack = append(p.stack[:0], traceNode{step: -1})
}

// treeLine places one line of the trace tree. OVS prints a node at
// (level+more)*4 spaces, where more is 0 only for a non-terminal node
// that is its list's last entry, and prints a node's children at level
// level+2*more; terminal nodes (actions, details, warnings, errors, group
// buckets) always have more=1. So a terminal line at printed level p
// belongs to the list at level p-1, and a non-terminal one at level p is
// the last child of a list at level p or a non-last child of one at p-1.
func (p *traceParser) treeLine(l parse.Line, text string) {
	n := 0
	for n < len(text) && text[n] == ' ' {
		n++
	}
	rest := text[n:]
	level := n / 4
	if strings.Trim(rest, "-") == "" {
		return // the underline of bridge("...")
	}
	kind, body := classifyTraceLine(rest)
	line := TraceLine{Pos: l.Pos, Raw: l.Text, Kind: kind, Text: body, Depth: level}
	switch kind {
	case LineAction, LineDetail, LineWarn, LineError:
		top := p.parentOf(level-1, l.Pos)
		p.addLine(top, line)
	case LineBucket:
		top := p.parentOf(level-1, l.Pos)
		p.addLine(top, line)
		p.stack = append(p.stack, traceNode{childLevel: level + 1, step: top.step, bridge: top.bridge})
	default: // bridge, table, thaw: non-terminal
		for len(p.stack) > 1 && p.stack[len(p.stack)-1].childLevel > level {
			p.stack = p.stack[:len(p.stack)-1]
		}
		top := p.stack[len(p.stack)-1]
		childLevel := level
		switch top.childLevel {
		case level:
		case level - 1:
			childLevel = level + 1
		default:
			p.trace.Issues.Warnf(l.Pos, "unexpected indentation in trace tree")
		}
		node := traceNode{childLevel: childLevel, step: top.step, bridge: top.bridge}
		switch kind {
		case LineBridge:
			node.bridge = body
			p.addLine(top, line)
		case LineThaw:
			p.addLine(top, line)
		default:
			node.table = true
			node.step = p.addStep(l, body, level, top)
		}
		p.stack = append(p.stack, node)
	}
}

// parentOf pops the stack down to the node whose children list is at
// level and returns it.
func (p *traceParser) parentOf(level int, pos parse.Pos) traceNode {
	for len(p.stack) > 1 && p.stack[len(p.stack)-1].childLevel > level {
		p.stack = p.stack[:len(p.stack)-1]
	}
	top := p.stack[len(p.stack)-1]
	if top.childLevel != level {
		p.trace.Issues.Warnf(pos, "unexpected indentation in trace tree")
	}
	return top
}

func (p *traceParser) addLine(owner traceNode, line TraceLine) {
	if owner.step >= 0 {
		st := &p.sec.Steps[owner.step]
		st.Lines = append(st.Lines, line)
		return
	}
	p.sec.Other = append(p.sec.Other, line)
}

// addStep parses "N. <match>, priority P, cookie 0xC" (or a miss text) and
// appends the step; it returns its index.
func (p *traceParser) addStep(l parse.Line, body string, level int, parent traceNode) int {
	num, text, _ := strings.Cut(body, ". ")
	table, _ := strconv.Atoi(num)
	st := TraceStep{Pos: l.Pos, Raw: l.Text, Bridge: parent.bridge, Table: table, Kind: StepRule,
		Depth: level, Parent: -1}
	for i := len(p.stack) - 1; i >= 0; i-- {
		if p.stack[i].table {
			st.Parent = p.stack[i].step
			break
		}
	}
	switch {
	case strings.HasPrefix(text, "No match, and a \"packet-in\" is called for"):
		st.Kind = StepPacketIn
	case strings.HasPrefix(text, "No match"):
		st.Kind = StepNoMatch
	case strings.HasPrefix(text, "Packets are IP fragments"):
		st.Kind = StepFragDrop
	default:
		if !parseStepRule(&st, text) {
			p.trace.Issues.Errorf(l.Pos, "bad table step: %q", clip(body))
		} else if st.Match != "" {
			st.Matches = parseMatchList(st.Match, l.Pos, &p.trace.Issues)
		}
		// A miss in a bridge entered through a patch port is printed as
		// the bridge's internal miss rule (ofproto-dpif add_internal_flows)
		// rather than as "No match.", because the trace compares the rule
		// with the first bridge's internal rules.
		if st.Cookie == 0 && st.Priority == 0 {
			switch st.Match {
			case "reg0=0x1":
				st.Kind = StepPacketIn
			case "reg0=0x2":
				st.Kind = StepNoMatch
			case "reg0=0x3":
				st.Kind = StepFragDrop
			}
		}
	}
	p.sec.Steps = append(p.sec.Steps, st)
	return len(p.sec.Steps) - 1
}

// parseStepRule reads "<match>, priority P[, cookie 0xC]"; the match is
// empty for a catch-all flow ("priority 0, cookie 0x1").
func parseStepRule(st *TraceStep, text string) bool {
	if i := strings.LastIndex(text, ", cookie "); i >= 0 {
		c, ok := parseOFUint(text[i+len(", cookie "):])
		if !ok {
			return false
		}
		st.Cookie, text = c, text[:i]
	}
	prio := ""
	if rest, ok := strings.CutPrefix(text, "priority "); ok {
		prio = rest
	} else if i := strings.LastIndex(text, ", priority "); i >= 0 {
		st.Match, prio = text[:i], text[i+len(", priority "):]
	} else {
		return false
	}
	n, ok := parseOFUint(prio)
	st.Priority = int(n)
	return ok && n <= 1<<16
}

// classifyTraceLine tells a tree line's kind from its text (indentation
// removed) and returns the text without markers.
func classifyTraceLine(s string) (TraceLineKind, string) {
	switch {
	case strings.HasPrefix(s, "-> "):
		return LineDetail, s[3:]
	case strings.HasPrefix(s, ">>>> "):
		return LineError, strings.TrimSuffix(s[5:], " <<<<")
	case strings.HasPrefix(s, ">> "):
		return LineWarn, s[3:]
	case len(s) >= len(`bridge("")`) && strings.HasPrefix(s, `bridge("`) && strings.HasSuffix(s, `")`):
		return LineBridge, s[len(`bridge("`) : len(s)-2]
	case s == "thaw", strings.HasPrefix(s, "Resuming from table "),
		strings.HasPrefix(s, "Restoring action set: "), strings.HasPrefix(s, "Restoring actions: "),
		strings.HasPrefix(s, "restored state: "):
		return LineThaw, s
	case isBucketLine(s):
		return LineBucket, s
	case isTableLine(s):
		return "", s // a table step
	}
	return LineAction, s
}

func isBucketLine(s string) bool {
	n, ok := strings.CutPrefix(s, "bucket ")
	return ok && checkNumber(n) && !strings.HasPrefix(n, "0x")
}

// isTableLine recognises "N. " at the start of a step (the number is
// right-aligned in two columns, so one-digit tables carry a leading space
// that is part of the indentation).
func isTableLine(s string) bool {
	i := 0
	for i < len(s) && i < 3 && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return i > 0 && strings.HasPrefix(s[i:], ". ")
}

func sniffTrace(head []byte) bool {
	s := string(head)
	return strings.HasPrefix(strings.TrimSpace(s), "Flow: ") && strings.Contains(s, "bridge(\"") ||
		strings.Contains(s, "\nFlow: ") && strings.Contains(s, "\nbridge(\"")
}
