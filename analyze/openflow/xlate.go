package openflow

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// Translation limits, as in ofproto-dpif-xlate.c.
const (
	maxDepth     = 64
	maxResubmits = maxDepth * maxDepth
)

// TraceOptions tune a trace.
type TraceOptions struct {
	// CTNext is the conntrack state each ct(table=...) recirculation
	// resumes with, in order (ofproto/trace --ct-next); when exhausted,
	// "trk|new" as OVS defaults.
	CTNext []uint32
	// NoLearn keeps learn() from installing its flow for the rest of the
	// trace. The real ofproto/trace never installs (it suppresses side
	// effects); the default here installs, so a packet that comes back
	// sees what it taught the switch.
	NoLearn bool
	// NoFDB ignores the bridges' MAC tables, so NORMAL floods like a switch
	// that has learned nothing (what a freshly loaded real switch does).
	NoFDB bool
	// Node names the node in the result.
	Node string
}

// ParseCTNext parses ofproto/trace's --ct-next argument: states separated by
// spaces or ';', each flags joined by '|' or ',' ("trk,est" or "trk|new").
func ParseCTNext(s string) ([]uint32, error) {
	var out []uint32
	for _, st := range strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == ';' }) {
		var v uint32
		for _, name := range strings.FieldsFunc(st, func(r rune) bool { return r == '|' || r == ',' || r == '+' }) {
			bit, ok := ctStateBit(name)
			if !ok {
				return nil, fmt.Errorf("unknown ct_state flag %q in --ct-next", name)
			}
			v |= bit
		}
		out = append(out, v)
	}
	return out, nil
}

var errTooDeep = errors.New("over max translation depth 64")
var errTooMany = errors.New("over 4096 resubmit actions")

type lineKind uint8

const (
	lStep lineKind = iota
	lMiss
	lAction
	lEvent
	lWarn
	lError
	lBridge
	lRecirc
	lThaw // "Resuming from table <table>"
	lLearned
	lFork // ct() recirculates, resuming at <table>
	lDrop // an empty action list
)

// tline is one line of the trace text, kept cheap while tracing (eight
// bytes, no pointers) and formatted only by WriteText. ref is, by kind:
// the index in Result.Steps (lStep, lMiss), the action id (lAction, see
// action.id; lDrop has none), the index in Result.texts or, negative, in
// fixedTexts (lEvent, lWarn, lError), in resultMore.learnLog (lLearned), or
// in Switch.cbs (lBridge, lRecirc); lThaw and lFork use table.
type tline struct {
	kind  lineKind
	table uint8
	depth uint16
	ref   int32
}

type frozen struct {
	cb    *cbridge
	pkt   Packet
	table int
	zone  uint16
	nat   *natSpec
}

// tracer is the state of one trace. Tracers are pooled: the lists grow
// once and are copied, at their exact size, into the Result at the end.
type tracer struct {
	opts      TraceOptions
	res       *Result
	steps     []Step
	outs      []Output
	passes    []passInfo
	dIdx      []uint8
	dVal      []uint64
	lastPkt   Packet // the last stored packet and its reference, to
	lastRef   pktRef // store a flood's identical copies once
	initial   Packet
	texts     []string
	extraActs []*action
	learnLog  []*rule
	lastTable int
	depth     int
	resubmits int
	indent    int
	err       error
	exit      bool
	ctNext    []uint32
	recircs   []frozen
	learned   map[*cbridge][]*rule
	lines     []tline
	pass      int
	actionSet []action
	stack     []u128
	// conntracked: a ct() with a table ran earlier in this pipeline (so
	// ct_clear has something to clear).
	conntracked bool
}

// Trace runs microflow through bridge of sw, like `ovs-appctl ofproto/trace
// BRIDGE MICROFLOW`.
func Trace(sw *Switch, bridge, microflow string, opts TraceOptions) (*Result, error) {
	cb := sw.bridge(bridge)
	if cb == nil {
		return nil, fmt.Errorf("no bridge %q on node %s", bridge, sw.Node)
	}
	var pkt Packet
	if err := parseMicroflow(microflow, cb, &pkt); err != nil {
		return nil, err
	}
	return TracePacket(sw, bridge, &pkt, opts)
}

// TracePacket traces an already built packet. A bridge without flow dump
// gives a *DataMissingError.
func TracePacket(sw *Switch, bridge string, pkt *Packet, opts TraceOptions) (*Result, error) {
	cb := sw.bridge(bridge)
	if cb == nil {
		return nil, fmt.Errorf("no bridge %q on node %s", bridge, sw.Node)
	}
	if cb.b.FlowsMissing != "" {
		return nil, &DataMissingError{Node: sw.Node, Bridge: bridge, Why: cb.b.FlowsMissing}
	}
	node := opts.Node
	if node == "" {
		node = sw.Node
	}
	t := tracerPool.Get().(*tracer)
	defer t.release()
	t.opts, t.ctNext = opts, opts.CTNext
	t.res = &Result{Node: node, Bridge: bridge, sw: sw}
	t.initial = *pkt
	t.res.initial = t.storeWords(pkt, &Packet{})
	t.lastRef = pktRef{off: -1}
	p := *pkt
	t.runPass(cb, &p, 0, false)
	for i := 0; i < len(t.recircs); i++ {
		fr := t.recircs[i]
		t.pass++
		state := uint32(ctTrk | ctNew)
		dflt := true
		if len(t.ctNext) > 0 {
			state, t.ctNext, dflt = t.ctNext[0], t.ctNext[1:], false
		}
		fr.pkt.setCTState(state)
		fr.pkt.w[wCTZone] = fr.pkt.w[wCTZone]&^0xffff | uint64(fr.zone)
		fr.pkt.w[wRecirc] = fr.pkt.w[wRecirc]&^0xffffffff | uint64(i+1)
		if fr.nat != nil && fr.nat.hasAddr {
			applyNAT(&fr.pkt, fr.nat)
		}
		t.lines = append(t.lines, tline{kind: lRecirc, ref: fr.cb.idx})
		t.passes = append(t.passes, passInfo{line: len(t.lines) - 1, pkt: t.store(&fr.pkt), id: i + 1, state: state, dflt: dflt})
		t.runPass(fr.cb, &fr.pkt, fr.table, true)
		if len(t.recircs) > 64 {
			t.event(lError, "too many recirculations, trace stopped")
			t.res.Uncertain = true
			break
		}
	}
	t.finish()
	return t.res, nil
}

var tracerPool = sync.Pool{New: func() any { return new(tracer) }}

// release empties t and returns it to the pool.
//
// The lists keep their stale elements: they only point into the switch
// and the last result, and sync.Pool drops idle tracers at the next
// collections, so clearing them would cost write barriers for nothing.
func (t *tracer) release() {
	*t = tracer{steps: t.steps[:0], outs: t.outs[:0], dIdx: t.dIdx[:0], dVal: t.dVal[:0], passes: t.passes[:0], lines: t.lines[:0],
		recircs: t.recircs[:0], actionSet: t.actionSet[:0], stack: t.stack[:0],
		texts: t.texts[:0], extraActs: t.extraActs[:0], learnLog: t.learnLog[:0]}
	tracerPool.Put(t)
}

func applyNAT(p *Packet, n *natSpec) {
	for _, side := range [2]struct {
		on            bool
		v6, v4, tport string
	}{{n.src, "ipv6_src", "nw_src", "tp_src"}, {n.dst, "ipv6_dst", "nw_dst", "tp_dst"}} {
		if !side.on {
			continue
		}
		if n.v6 {
			fields[side.v6].set(p, n.addrMin)
		} else if p.ethType() == ethIP {
			fields[side.v4].set(p, n.addrMin)
		}
		if n.hasPort {
			fields[side.tport].set(p, u128{0, uint64(n.portMin)})
		}
	}
}

// runPass translates one datapath pass: the initial packet, or a thawed
// recirculation resuming at table.
func (t *tracer) runPass(cb *cbridge, p *Packet, table int, thaw bool) {
	t.depth, t.resubmits, t.err, t.exit = 0, 0, nil, false
	t.actionSet = t.actionSet[:0]
	// ct_clear only acts on a tracked packet: one thawed from ct(), or a
	// microflow that says ct_state=+trk.
	t.conntracked = thaw || p.ctState()&ctTrk != 0
	t.lastTable = -1
	start := len(t.outs)
	t.lines = append(t.lines, tline{kind: lBridge, ref: cb.idx})
	if thaw {
		t.lines = append(t.lines, tline{kind: lThaw, depth: uint16(t.indent), table: uint8(table)})
	}
	t.tableAction(cb, p, p.inPort(), table, true, false)
	if t.err == nil && !t.exit {
		t.runActionSet(cb, p)
	}
	if t.err != nil {
		// OVS drops the whole datapath action list of a failed translation.
		t.outs = t.outs[:start]
		t.res.Verdict = VerdictLoop
		t.res.Reason = t.err.Error()
	}
	t.res.final = t.store(p)
}

// store keeps a copy of p as the words that differ from the initial packet.
func (t *tracer) store(p *Packet) pktRef {
	if t.lastRef.off >= 0 && *p == t.lastPkt {
		return t.lastRef
	}
	ref := t.storeWords(p, &t.initial)
	t.lastPkt, t.lastRef = *p, ref
	return ref
}

// storeWords stores the words of p that differ from base.
func (t *tracer) storeWords(p, base *Packet) pktRef {
	ref := pktRef{off: int32(len(t.dIdx))}
	for i := range p.w {
		if v := p.w[i]; v != base.w[i] {
			t.dIdx = append(t.dIdx, uint8(i))
			t.dVal = append(t.dVal, v)
		}
	}
	ref.n = int32(len(t.dIdx)) - ref.off
	return ref
}

func (t *tracer) event(kind lineKind, text string) {
	t.lines = append(t.lines, tline{kind: kind, depth: uint16(t.indent), ref: int32(len(t.texts))})
	t.texts = append(t.texts, text)
}

// fixedEvent adds an event line whose text is one of fixedTexts: most
// events are, and they cost the result nothing to keep.
func (t *tracer) fixedEvent(kind lineKind, id int32) {
	t.lines = append(t.lines, tline{kind: kind, depth: uint16(t.indent), ref: -1 - id})
}

// The fixed event texts, by id.
const (
	evFlooding int32 = iota
	evSkipInPort
	evUntracked
	evLearnedPort
	evActionSet
)

var fixedTexts = [...]string{
	evFlooding:    "no learned MAC for destination, flooding",
	evSkipInPort:  "skipping output to input port",
	evUntracked:   "Sets the packet to an untracked state, and clears all the conntrack fields.",
	evLearnedPort: "forwarding to learned port",
	evActionSet:   "executing action set",
}

func (t *tracer) uncertain(text string) {
	t.res.Uncertain = true
	t.res.Notes = append(t.res.Notes, text)
	t.event(lWarn, text)
}

// tableAction looks up table (with in_port temporarily set for resubmit's
// port argument) and runs the matched flow's actions.
func (t *tracer) tableAction(cb *cbridge, p *Packet, inPort uint16, tableID int, honorMiss, withCT bool) {
	if t.depth >= maxDepth {
		t.err = errTooDeep
		t.event(lError, errTooDeep.Error())
		return
	}
	if t.resubmits >= maxResubmits {
		t.err = errTooMany
		t.event(lError, errTooMany.Error())
		return
	}
	if withCT {
		if p.w[wCTZone]>>16&0xff == 0 || !p.isIPAny() {
			t.event(lError, "resubmit(ct) with non-tracked or non-IP packet!")
			return
		}
		swapCTTuple(p)
	}
	savedIn := p.inPort()
	p.setInPort(inPort)
	var savedTP uint64
	frag := p.isIPAny() && p.nwFrag()&1 != 0
	if frag {
		// OVS's "normal" fragment handling: later lookups see no ports.
		savedTP = p.w[wL4] >> 32
		p.w[wL4] &= 0xffffffff
	}
	r := t.lookup(cb, p, tableID)
	var unknown []*rule
	if tableID >= 0 && tableID <= 255 && len(cb.tables[tableID].unknown) > 0 {
		pri := noPri
		if r != nil {
			pri = r.priority
		}
		unknown = cb.tables[tableID].mightBeat(p, pri)
	}
	if frag {
		p.w[wL4] |= savedTP << 32
	}
	p.setInPort(savedIn)
	if withCT {
		swapCTTuple(p)
	}
	old := t.lastTable
	t.lastTable = tableID
	first := old < 0
	if r == nil {
		t.lines = append(t.lines, tline{kind: lMiss, depth: uint16(t.indent), table: uint8(tableID), ref: int32(len(t.steps))})
		t.steps = append(t.steps, Step{Bridge: cb.b.Name, Table: tableID, Miss: true, pass: uint16(t.pass)})
		t.unknownMatches(unknown)
		t.lastTable = old
		return
	}
	t.recordStep(cb, r, tableID)
	t.unknownMatches(unknown)
	deepens := 0
	if tableID <= old {
		deepens = 1
	}
	if !first {
		t.resubmits++
	}
	t.depth += deepens
	t.indent++
	t.doActions(cb, p, r.actions)
	t.indent--
	t.depth -= deepens
	t.lastTable = old
}

// unknownMatches says, at the step, which flows the lookup could not rule
// out because their match uses what the simulator does not evaluate.
func (t *tracer) unknownMatches(rs []*rule) {
	for _, r := range rs {
		t.indent++
		t.uncertain(fmt.Sprintf("flow at %s (priority %d) might match instead: %v, trace result uncertain", r.flow.Pos, r.priority, r.matchErr))
		t.indent--
	}
}

func swapCTTuple(p *Packet) {
	// nw_proto <-> ct_nw_proto, addresses, ports.
	proto := p.w[wL4] & 0xff
	ctProto := p.w[wCTZone] >> 16 & 0xff
	p.w[wL4] = p.w[wL4]&^0xff | ctProto
	p.w[wCTZone] = p.w[wCTZone]&^(0xff<<16) | proto<<16
	if p.ethType() == ethIP {
		p.w[wNw], p.w[wCTNw] = p.w[wCTNw], p.w[wNw]
	} else {
		for i := 0; i < 4; i++ {
			p.w[wIPv6Src+i], p.w[wCTIPv6Src+i] = p.w[wCTIPv6Src+i], p.w[wIPv6Src+i]
		}
	}
	tp := p.w[wL4] >> 32
	ct := p.w[wCTZone] >> 24 & 0xffffffff
	p.w[wL4] = p.w[wL4]&0xffffffff | ct<<32
	p.w[wCTZone] = p.w[wCTZone]&^(0xffffffff<<24) | tp<<24
}

func (t *tracer) lookup(cb *cbridge, p *Packet, tableID int) *rule {
	if tableID < 0 || tableID > 255 {
		return nil
	}
	r := cb.tables[tableID].lookup(p)
	for _, l := range t.learned[cb] {
		if l.table == tableID && l.match.matches(p) && (r == nil || l.priority >= r.priority) {
			r = l
		}
	}
	return r
}

func (t *tracer) recordStep(cb *cbridge, r *rule, tableID int) {
	t.lines = append(t.lines, tline{kind: lStep, depth: uint16(t.indent), table: uint8(tableID), ref: int32(len(t.steps))})
	st := Step{Bridge: cb.b.Name, Table: tableID, Priority: r.priority, rule: r, pass: uint16(t.pass)}
	if r.flow != nil {
		st.Pos = r.flow.Pos
		if r.flow.Stats.HasCounts {
			st.Packets, st.HasCounters = r.flow.Stats.NPackets, true
		}
	}
	t.steps = append(t.steps, st)
	if r.matchErr != nil {
		t.uncertain(fmt.Sprintf("flow at %s has a match the simulator cannot evaluate (%v), trace result uncertain", r.flow.Pos, r.matchErr))
	}
}

func (t *tracer) doActions(cb *cbridge, p *Packet, acts []action) {
	if len(acts) == 0 {
		t.lines = append(t.lines, tline{kind: lDrop, depth: uint16(t.indent)})
		return
	}
	for i := range acts {
		if t.err != nil || t.exit {
			return
		}
		a := &acts[i]
		t.lines = append(t.lines, tline{kind: lAction, depth: uint16(t.indent), ref: a.id})
		if stop := t.doAction(cb, p, a); stop {
			return
		}
	}
}

// doAction runs one action; it returns true when the rest of the list must
// not run (dec_ttl exception, missing group).
func (t *tracer) doAction(cb *cbridge, p *Packet, a *action) bool {
	switch a.kind {
	case aUnsupported:
		msg := fmt.Sprintf("unsupported action %s, trace result uncertain", a.raw)
		if a.err != nil && !errors.Is(a.err, errUnknownAction) {
			msg = fmt.Sprintf("unsupported action %s (%v), trace result uncertain", a.raw, a.err)
		}
		t.uncertain(msg)
	case aOutput:
		t.output(cb, p, a.port, false)
	case aOutputReg:
		v := a.src.getBits(p, a.srcOfs, a.n)
		t.event(lEvent, fmt.Sprintf("output port is %d", v.lo))
		if v.lo > 0xffff {
			t.event(lWarn, "Nonexistent output port")
			break
		}
		t.output(cb, p, uint16(v.lo), false)
	case aInPort:
		t.output(cb, p, p.inPort(), true)
	case aLocal:
		t.output(cb, p, portLocal, false)
	case aAll, aFlood:
		for _, port := range cb.order {
			if port.no != p.inPort() {
				t.output(cb, p, port.no, a.kind == aAll)
			}
		}
	case aNormal:
		t.normal(cb, p)
	case aController:
		o := Output{Bridge: cb.b.Name, Port: "CONTROLLER", Kind: "controller", Pass: t.pass}
		if a.withCT {
			o.Port = "CONTROLLER(pause)"
			t.outs = append(t.outs, o)
			t.event(lEvent, "pipeline paused for the controller; the rest runs only when it resumes")
			t.exit = true
			return true
		}
		t.outs = append(t.outs, o)
	case aPush:
		t.stack = append(t.stack, a.field.getBits(p, a.ofs, a.n))
	case aPop:
		if len(t.stack) == 0 {
			t.event(lError, "stack underflow")
			break
		}
		v := t.stack[len(t.stack)-1]
		t.stack = t.stack[:len(t.stack)-1]
		a.field.setBits(p, a.ofs, a.n, v)
	case aDrop, aNoop, aConjunction:
		if a.kind == aConjunction {
			t.event(lError, "executing no-op conjunction action")
		}
	case aResubmit:
		in := a.port
		if in == portInPort {
			in = p.inPort()
		}
		tbl := a.table
		if tbl == 255 {
			tbl = t.lastTable
		}
		t.tableAction(cb, p, in, tbl, false, a.withCT)
	case aGotoTable:
		t.tableAction(cb, p, p.inPort(), a.table, true, false)
	case aWriteMetadata:
		f := fields["metadata"]
		f.setMasked(p, a.val, a.msk)
	case aSetVLANVID:
		tci := p.vlanTCI()
		if tci&vlanCFI != 0 || a.withCT {
			p.setVLANTCI(tci&^vlanVIDM | uint16(a.val.lo) | vlanCFI)
		}
	case aSetVLANPCP:
		tci := p.vlanTCI()
		if tci&vlanCFI != 0 || a.withCT {
			p.setVLANTCI(tci&^0xe000 | uint16(a.val.lo)<<13 | vlanCFI)
		}
	case aStripVLAN:
		p.setVLANTCI(0)
	case aPushVLAN:
		if p.vlanTCI()&vlanCFI != 0 {
			t.uncertain("push_vlan on an already tagged packet (QinQ) is not modelled, trace result uncertain")
		}
		p.setVLANTCI(vlanCFI)
	case aSetField:
		if !a.field.pre.ok(p) {
			t.event(lWarn, fmt.Sprintf("unmet prerequisites for %s, set_field ignored", a.field.Name))
			break
		}
		a.field.setMasked(p, a.val, a.msk)
	case aModNw:
		t.modNw(p, a)
	case aMove:
		if a.field.pre.ok(p) && a.src.pre.ok(p) {
			a.field.setBits(p, a.ofs, a.n, a.src.getBits(p, a.srcOfs, a.n))
		}
	case aDecTTL:
		if !p.isIPAny() {
			break
		}
		if ttl := p.nwTTL(); ttl > 1 {
			p.w[wL4] = p.w[wL4]&^(0xff<<16) | uint64(ttl-1)<<16
			break
		}
		for range a.ttlIDs {
			t.outs = append(t.outs, Output{Bridge: cb.b.Name, Port: "CONTROLLER", Kind: "controller", Pass: t.pass})
		}
		v := 4
		if p.ethType() == ethIPv6 {
			v = 6
		}
		t.event(lWarn, fmt.Sprintf("IPv%d decrement TTL exception", v))
		return true
	case aSetTunnel:
		p.w[wTunID] = a.val.lo
	case aCT:
		t.conntrack(cb, p, a.ct)
	case aCTClear:
		if t.conntracked {
			p.clearConntrack()
		}
	case aLearn:
		t.learn(cb, p, a.learn)
	case aGroup:
		g := cb.groups[a.group]
		if g == nil {
			t.event(lWarn, fmt.Sprintf("group %d does not exist", a.group))
			return true
		}
		t.group(cb, p, g)
	case aClone:
		saved := *p
		savedSet := append([]action(nil), t.actionSet...)
		t.indent++
		t.doActions(cb, p, a.sub)
		t.indent--
		*p = saved
		t.actionSet = savedSet
	case aExit:
		t.exit = true
	case aWriteActions:
		t.actionSet = mergeActionSet(t.actionSet, a.sub)
	case aClearActions:
		t.actionSet = t.actionSet[:0]
	}
	return false
}

func (t *tracer) modNw(p *Packet, a *action) {
	switch a.name {
	case "mod_dl_src", "mod_dl_dst":
		a.field.set(p, a.val)
	case "mod_nw_src", "mod_nw_dst":
		if p.ethType() == ethIP {
			a.field.set(p, a.val)
		}
	case "mod_tp_src", "mod_tp_dst":
		if p.isIPAny() && p.nwFrag()&2 == 0 {
			a.field.set(p, a.val)
		}
	default:
		if p.isIPAny() {
			a.field.set(p, a.val)
		}
	}
}

// mergeActionSet adds actions to the OpenFlow 1.1+ action set: at most one
// action of each kind survives, the newest.
func mergeActionSet(set, add []action) []action {
	for _, a := range add {
		replaced := false
		for i := range set {
			if set[i].kind == a.kind && (a.kind != aSetField || set[i].field == a.field) {
				set[i] = a
				replaced = true
			}
		}
		if !replaced {
			set = append(set, a)
		}
	}
	return set
}

// runActionSet executes the action set at the end of the pipeline, in the
// order OpenFlow 1.1 prescribes (output, or group, last).
func (t *tracer) runActionSet(cb *cbridge, p *Packet) {
	if len(t.actionSet) == 0 {
		return
	}
	set := t.actionSet
	t.actionSet = nil
	var last []action
	var first []action
	for _, a := range set {
		switch a.kind {
		case aOutput, aGroup, aNormal, aInPort, aLocal, aAll, aFlood, aController, aOutputReg:
			last = append(last, a)
		default:
			first = append(first, a)
		}
	}
	t.fixedEvent(lEvent, evActionSet)
	t.doActions(cb, p, append(first, last...))
}

func (t *tracer) group(cb *cbridge, p *Packet, g *cgroup) {
	if len(g.buckets) == 0 {
		return
	}
	switch g.g.Type {
	case "all", "indirect", "":
		for i, b := range g.buckets {
			saved := *p
			t.event(lEvent, fmt.Sprintf("bucket %d", g.g.Buckets[i].ID))
			t.indent++
			t.doActions(cb, p, b)
			t.indent--
			*p = saved
		}
	case "fast_failover", "ff":
		for i, b := range g.buckets {
			w := g.g.Buckets[i].WatchPort
			if w >= 0 && cb.port(uint16(w)) == nil {
				continue
			}
			saved := *p
			t.indent++
			t.doActions(cb, p, b)
			t.indent--
			*p = saved
			return
		}
	default:
		t.uncertain(fmt.Sprintf("group %d of type %s: the bucket OVS picks depends on a hash; taking bucket %d, trace result uncertain", g.g.ID, g.g.Type, g.g.Buckets[0].ID))
		saved := *p
		t.indent++
		t.doActions(cb, p, g.buckets[0])
		t.indent--
		*p = saved
	}
}

func (t *tracer) conntrack(cb *cbridge, p *Packet, spec *ctSpec) {
	zone := spec.zoneImm
	if spec.zoneSrc != nil {
		zone = uint16(spec.zoneSrc.getBits(p, spec.zoneOfs, spec.zoneBits).lo)
	}
	// Nested exec actions (set ct_mark/ct_label) change the packet the
	// recirculation resumes with.
	if len(spec.exec) > 0 {
		t.indent++
		t.doActions(cb, p, spec.exec)
		t.indent--
	}
	if spec.table >= 0 {
		t.conntracked = true
		t.recircs = append(t.recircs, frozen{cb: cb, pkt: *p, table: spec.table, zone: zone, nat: spec.nat})
		t.lines = append(t.lines, tline{kind: lFork, depth: uint16(t.indent), table: uint8(spec.table)})
	}
	p.clearConntrack()
	t.fixedEvent(lEvent, evUntracked)
	t.conntracked = false
}

func (t *tracer) learn(cb *cbridge, p *Packet, spec *learnSpec) {
	r := &rule{table: spec.table, priority: spec.priority, learned: true}
	for _, it := range spec.matchSpecs {
		v := it.imm
		if it.src != nil {
			v = it.src.getBits(p, it.srcOfs, it.n)
		}
		r.match.add(it.dst, v.shl(it.dstOfs), ones(it.n).shl(it.dstOfs))
	}
	for _, it := range spec.actSpecs {
		v := it.imm
		if it.src != nil {
			v = it.src.getBits(p, it.srcOfs, it.n)
		}
		if it.output {
			r.actions = append(r.actions, action{kind: aOutput, port: uint16(v.lo), learnedRaw: true})
			continue
		}
		r.actions = append(r.actions, action{kind: aSetField, field: it.dst, val: v.shl(it.dstOfs), msk: ones(it.n).shl(it.dstOfs), ofs: it.dstOfs, n: it.n, learnedRaw: true})
	}
	for i := range r.actions {
		r.actions[i].id = int32(-1 - len(t.extraActs))
		t.extraActs = append(t.extraActs, &r.actions[i])
	}
	r.learn = spec
	t.lines = append(t.lines, tline{kind: lLearned, depth: uint16(t.indent), ref: int32(len(t.learnLog))})
	t.learnLog = append(t.learnLog, r)
	if t.opts.NoLearn {
		return
	}
	if t.learned == nil {
		t.learned = map[*cbridge][]*rule{}
	}
	// A learned flow replaces one with the same match and priority.
	list := t.learned[cb]
	for i, l := range list {
		if l.table == r.table && l.priority == r.priority && slices.Equal(l.match.conds, r.match.conds) {
			list[i] = r
			return
		}
	}
	t.learned[cb] = append(list, r)
}

// output sends the packet to port: into the peer bridge for a patch port,
// to the tunnel for a tunnel port, else out of the switch.
func (t *tracer) output(cb *cbridge, p *Packet, port uint16, allowInPort bool) {
	if port == p.inPort() && !allowInPort {
		t.fixedEvent(lEvent, evSkipInPort)
		return
	}
	switch port {
	case portInPort:
		port = p.inPort()
	case portNormal:
		t.normal(cb, p)
		return
	case portController:
		t.outs = append(t.outs, Output{Bridge: cb.b.Name, Port: "CONTROLLER", Kind: "controller", Pass: t.pass})
		return
	}
	cp := cb.port(port)
	if cp == nil {
		t.event(lWarn, "Nonexistent output port")
		return
	}
	if cp.isPatch {
		if cp.peer == nil {
			t.event(lWarn, fmt.Sprintf("patch port %s has no peer, packet dropped", cp.Name))
			return
		}
		t.patch(cb, p, cp)
		return
	}
	o := Output{Bridge: cb.b.Name, Port: cp.Name, OFPort: int(cp.no), Kind: "port", Pass: t.pass}
	if tci := p.vlanTCI(); tci&vlanCFI != 0 {
		o.VLAN = int(tci & vlanVIDM)
	} else {
		o.VLAN = -1
	}
	if cp.isTunnel {
		o.Kind = "tunnel"
		o.Tunnel = tunnelOf(cp, p)
	}
	o.pkt = t.store(p)
	t.outs = append(t.outs, o)
}

func tunnelOf(cp *cport, p *Packet) *Tunnel {
	tn := *cp.tunnel
	if cp.keyFlow {
		tn.TunID = p.tunID()
	}
	if tn.RemoteIP == "flow" {
		tn.RemoteIP = fmtIPv4(uint32(p.w[wTunIPv4]))
	}
	return &tn
}

// tunnelTemplate precomputes a tunnel port's static encapsulation.
func tunnelTemplate(cp *cport) {
	{
		tn := &Tunnel{Type: cp.Type, RemoteIP: cp.Options["remote_ip"], LocalIP: cp.Options["local_ip"]}
		key := cp.Options["out_key"]
		if key == "" {
			key = cp.Options["key"]
		}
		cp.keyFlow = key == "flow"
		if key != "" && key != "flow" {
			fmt.Sscan(key, &tn.TunID)
		}
		tn.DstPort = defaultDstPort[cp.Type]
		if d := cp.Options["dst_port"]; d != "" {
			fmt.Sscan(d, &tn.DstPort)
		}
		cp.tunnel = tn
	}
}

var defaultDstPort = map[string]int{"vxlan": 4789, "geneve": 6081, "stt": 7471}

func (t *tracer) patch(cb *cbridge, p *Packet, cp *cport) {
	peer, pb := cp.peer, cp.peerBr
	saved := *p
	savedSet := t.actionSet
	savedCT := t.conntracked
	savedTable := t.lastTable
	savedStack := t.stack
	t.stack = nil
	t.actionSet = nil
	p.setInPort(peer.no)
	p.w[wMetadata] = 0
	for i := wTunID; i <= wTunMisc; i++ {
		p.w[i] = 0
	}
	p.w[wTunMeta] = 0
	for i := 0; i < 8; i++ {
		p.w[wReg0+i] = 0
	}
	p.w[wInPort] = p.w[wInPort]&^(0xffff<<16) | uint64(portNone)<<16 // actset_output unset
	p.clearConntrack()
	t.conntracked = false
	t.lines = append(t.lines, tline{kind: lBridge, depth: uint16(t.indent), ref: pb.idx})
	if pb.b.FlowsMissing != "" {
		t.uncertain(fmt.Sprintf("the bundle has no flow dump of %s (%s): what it does with the packet is unknown, trace result uncertain", pb.b.Name, pb.b.FlowsMissing))
	} else {
		t.tableAction(pb, p, peer.no, 0, true, false)
	}
	if t.err == nil && !t.exit {
		t.runActionSet(pb, p)
	}
	// Errors and exit in the peer bridge do not propagate back.
	if t.err != nil {
		t.res.Notes = append(t.res.Notes, fmt.Sprintf("bridge %s: %v", pb.b.Name, t.err))
	}
	t.err, t.exit = nil, false
	*p = saved
	t.actionSet = savedSet
	t.conntracked = savedCT
	t.lastTable = savedTable
	t.stack = savedStack
}

// normal is the NORMAL action: an L2 learning switch over the bridge's
// ports with their VLAN configuration, using the MAC table when given.
func (t *tracer) normal(cb *cbridge, p *Packet) {
	in := cb.port(p.inPort())
	if in == nil && p.inPort() != portNone {
		t.event(lWarn, "no input bundle, dropping")
		return
	}
	tci := p.vlanTCI()
	vid := 0
	if tci&vlanCFI != 0 {
		vid = int(tci & vlanVIDM)
	}
	vlan := vid
	if in != nil {
		switch {
		case in.access:
			if vid != 0 {
				t.event(lWarn, fmt.Sprintf("dropping VLAN %d tagged packet received on port %s configured as VLAN %d access port", vid, in.Name, in.Tag))
				return
			}
			vlan = in.Tag
		case (in.nativeUn || in.nativeT) && vid == 0:
			vlan = in.Tag
		default:
			if in.trunks != nil && !in.trunks[vid] {
				t.event(lWarn, fmt.Sprintf("dropping VLAN %d packet received on port %s not configured for trunking VLAN %d", vid, in.Name, vid))
				return
			}
		}
	}
	dst := p.ethDst()
	if isReservedMAC(dst) {
		t.event(lEvent, "packet has reserved destination MAC, dropping")
		return
	}
	if !t.opts.NoFDB && dst&(1<<40) == 0 {
		if no, ok := cb.fdb[fdbKey{vlan, dst}]; ok {
			out := cb.port(no)
			switch {
			case out == nil:
				t.event(lWarn, "learned port is unknown, dropping")
			case out == in:
				t.event(lEvent, "learned port is input port, dropping")
			default:
				t.fixedEvent(lEvent, evLearnedPort)
				t.outputNormal(cb, p, out, vlan)
			}
			return
		}
	}
	t.fixedEvent(lEvent, evFlooding)
	for _, out := range cb.order {
		if out == in || !out.includesVLAN(vlan) {
			continue
		}
		t.outputNormal(cb, p, out, vlan)
	}
}

func (cp *cport) includesVLAN(vlan int) bool {
	if cp.access {
		return vlan == cp.Tag
	}
	return cp.trunks == nil || cp.trunks[vlan]
}

func (t *tracer) outputNormal(cb *cbridge, p *Packet, out *cport, vlan int) {
	saved := p.vlanTCI()
	tag := vlan
	if out.access || (out.nativeUn && vlan == out.Tag) {
		tag = 0
	}
	if tag == 0 {
		p.setVLANTCI(0)
	} else {
		p.setVLANTCI(saved&0xe000 | vlanCFI | uint16(tag))
	}
	t.output(cb, p, out.no, false)
	p.setVLANTCI(saved)
}

func isReservedMAC(m uint64) bool {
	if m>>4 == 0x0180c200000 {
		return true
	}
	switch m {
	case 0x00e02b000000, 0x00e02b000004, 0x00e02b000006, 0x01000c000000, 0x01000ccccccc, 0x01000ccccccd, 0x01000ccdcdcd,
		0x01000cccccc0, 0x01000cccccc1, 0x01000cccccc2, 0x01000cccccc3, 0x01000cccccc4, 0x01000cccccc5, 0x01000cccccc6, 0x01000cccccc7:
		return true
	}
	return false
}

// finish sets the verdict from the outputs.
func (t *tracer) finish() {
	res := t.res
	res.Steps = slices.Clone(t.steps)
	res.Outputs = slices.Clone(t.outs)
	for i := range res.Outputs {
		res.Outputs[i].res = res
	}
	res.dIdx = slices.Clone(t.dIdx)
	res.dVal = slices.Clone(t.dVal)

	res.lines = slices.Clone(t.lines)
	if len(t.texts) > 0 {
		res.texts = slices.Clone(t.texts)
	}
	if len(t.passes)+len(t.extraActs)+len(t.learnLog) > 0 {
		res.more = &resultMore{passes: slices.Clone(t.passes), extraActs: slices.Clone(t.extraActs), learnLog: slices.Clone(t.learnLog)}
	}
	if res.Steps == nil {
		res.Steps = []Step{}
	}
	if res.Outputs == nil {
		res.Outputs = []Output{}
	}
	if res.Verdict == VerdictLoop {
		return
	}
	switch {
	case len(res.Outputs) == 0:
		res.Verdict = VerdictDrop
		if res.Reason == "" {
			res.Reason = dropReason(res)
		}
	default:
		res.Verdict = VerdictOutput
		all := true
		for _, o := range res.Outputs {
			if o.Kind != "controller" {
				all = false
			}
		}
		if all {
			res.Verdict = VerdictController
		}
	}
}

func dropReason(res *Result) string {
	if len(res.Steps) == 0 {
		return "no flow matched"
	}
	last := res.Steps[len(res.Steps)-1]
	if last.Miss {
		return "no flow matched in table " + strconv.Itoa(last.Table) + " of " + last.Bridge
	}
	return "no output: last flow " + last.Bridge + " table " + strconv.Itoa(last.Table) + " priority " + strconv.Itoa(last.Priority) + " at " + last.Pos.String()
}
