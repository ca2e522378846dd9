package openflow

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"

	"netxray/parse"
)

// Verdicts of a trace.
const (
	VerdictOutput     = "output"
	VerdictDrop       = "drop"
	VerdictController = "controller"
	VerdictLoop       = "loop"
)

// Result is one trace: the flows hit in order, the outputs, the verdict.
// Its JSON form is the `netxray ofproto-trace --json` contract.
type Result struct {
	Node      string   `json:"node"`
	Bridge    string   `json:"bridge"`
	Flow      string   `json:"flow"`
	Steps     []Step   `json:"steps"`
	FinalFlow string   `json:"final_flow"`
	Outputs   []Output `json:"outputs"`
	Verdict   string   `json:"verdict"`
	Reason    string   `json:"reason"`
	// Uncertain is set when the trace met something the simulator does
	// not model (Notes say what); the path may differ from the real one.
	Uncertain bool     `json:"uncertain,omitempty"`
	Notes     []string `json:"notes,omitempty"`

	// initial is the traced packet as the words that are not zero, final
	// the words of the last pass's packet that differ from it.
	initial pktRef
	final   pktRef
	// The packets the trace keeps (outputs, recirculations, the final
	// one) are stored as the words that differ from initial.
	dIdx  []uint8
	dVal  []uint64
	lines []tline
	// What the lines refer to by number (see tline).
	sw    *Switch
	texts []string
	// more holds what only some traces have.
	more *resultMore
}

// resultMore is the part of a result only recirculations and learn
// actions need.
type resultMore struct {
	passes    []passInfo
	extraActs []*action
	learnLog  []*rule
}

// lineText is the text of an event line.
func (r *Result) lineText(l tline) string {
	if l.ref < 0 {
		return fixedTexts[-1-l.ref]
	}
	return r.texts[l.ref]
}

// lineAction is the action of an action line.
func (r *Result) lineAction(l tline) *action {
	if l.ref < 0 {
		return r.more.extraActs[-1-l.ref]
	}
	return r.sw.acts[l.ref]
}

// passInfo is a conntrack recirculation: where its header line is, the
// packet it resumes with, its id and ct_state (dflt: the default one).
type passInfo struct {
	line  int
	pkt   pktRef
	id    int
	state uint32
	dflt  bool
}

// pktRef is a packet of the store: n words from off in dIdx/dVal.
type pktRef struct{ off, n int32 }

// packet rebuilds a stored packet.
func (r *Result) packet(ref pktRef) Packet {
	var p Packet
	for _, rf := range [2]pktRef{r.initial, ref} {
		for i := rf.off; i < rf.off+rf.n; i++ {
			p.w[r.dIdx[i]] = r.dVal[i]
		}
	}
	return p
}

// Step is one table lookup: the flow it hit (or a miss). Fields that
// derive from the flow are methods (Cookie, Bytes, Learned, Pass), which
// keeps a step small; its JSON form has them all.
type Step struct {
	Bridge   string    `json:"bridge"`
	Table    int       `json:"table"`
	Priority int       `json:"priority"`
	Pos      parse.Pos `json:"pos"`
	// Packets is the flow's n_packets in the dump; HasCounters tells
	// whether the dump printed counters.
	Packets     uint64 `json:"n_packets,omitempty"`
	Miss        bool   `json:"miss,omitempty"`
	HasCounters bool   `json:"-"`

	pass uint16
	rule *rule
}

// Cookie is the matched flow's cookie.
func (s *Step) Cookie() uint64 {
	if s.rule == nil || s.rule.flow == nil {
		return 0
	}
	return s.rule.flow.Cookie
}

// Bytes is the matched flow's n_bytes in the dump.
func (s *Step) Bytes() uint64 {
	if s.rule == nil || s.rule.flow == nil {
		return 0
	}
	return s.rule.flow.Stats.NBytes
}

// Learned reports whether the flow was learned earlier in this trace.
func (s *Step) Learned() bool { return s.rule != nil && s.rule.learned }

// Pass is 0 for the first datapath pass, N for the N-th conntrack
// recirculation.
func (s *Step) Pass() int { return int(s.pass) }

// Match is the flow's match as the dump printed it.
func (s *Step) Match() string {
	if s.rule == nil {
		return ""
	}
	if s.rule.flow == nil {
		return s.rule.match.String()
	}
	return matchText(s.rule)
}

// Actions is the flow's action list as the dump printed it.
func (s *Step) Actions() string {
	if s.rule == nil {
		return ""
	}
	var parts []string
	for i := range s.rule.actions {
		parts = append(parts, s.rule.actions[i].text())
	}
	if len(parts) == 0 {
		return "drop"
	}
	return strings.Join(parts, ",")
}

// FlowIndex is the index of the matched flow in its Bridge.Flows, or -1 for
// a miss or a learned flow.
func (s *Step) FlowIndex() int {
	if s.rule == nil || s.rule.learned {
		return -1
	}
	return s.rule.index
}

// MarshalJSON adds the derived fields of the contract.
func (s Step) MarshalJSON() ([]byte, error) {
	type plain Step
	return marshal(struct {
		plain
		Bytes   uint64 `json:"n_bytes,omitempty"`
		Learned bool   `json:"learned,omitempty"`
		Pass    int    `json:"pass,omitempty"`
		Cookie  string `json:"cookie"`
		Match   string `json:"match"`
		Actions string `json:"actions"`
	}{plain(s), s.Bytes(), s.Learned(), s.Pass(), fmt.Sprintf("%#x", s.Cookie()), s.Match(), s.Actions()})
}

// Output is where the packet leaves the switch (or goes to a controller).
type Output struct {
	Bridge string `json:"bridge"`
	Port   string `json:"port"`
	OFPort int    `json:"ofport"`
	// Kind is "port", "tunnel" or "controller".
	Kind string `json:"kind"`
	// VLAN is the 802.1Q VID on the wire, -1 untagged.
	VLAN   int     `json:"vlan"`
	Tunnel *Tunnel `json:"tunnel,omitempty"`
	// Pass is the datapath pass (0, or the recirculation) that output it.
	Pass int `json:"pass,omitempty"`

	// pkt is the headers as the packet left, in Result's packet store.
	pkt pktRef
	res *Result
}

// Tunnel is the encapsulation of a tunnel output, enough to continue the
// trace on the node that owns RemoteIP.
type Tunnel struct {
	Type     string `json:"type"`
	TunID    uint64 `json:"tun_id"`
	RemoteIP string `json:"remote_ip"`
	LocalIP  string `json:"local_ip"`
	DstPort  int    `json:"dst_port"`
}

// Packet returns the packet as it left through o (headers after all
// modifications).
func (o *Output) Packet() *Packet {
	if o.res == nil {
		return nil
	}
	p := o.res.packet(o.pkt)
	return &p
}

// marshal is json.Marshal without HTML escaping: actions print "->", which
// must stay readable in the output of an outer encoder that does not
// escape either.
func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(b.Bytes(), "\n"), nil
}

func matchText(r *rule) string {
	var parts []string
	for _, m := range r.flow.Match {
		if m.Value == "" {
			parts = append(parts, m.Key)
		} else {
			parts = append(parts, m.Key+"="+quoteName(m.Key, m.Value))
		}
	}
	return strings.Join(parts, ",")
}

func quoteName(key, v string) string {
	if key != "in_port" {
		return v
	}
	for _, c := range v {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return `"` + v + `"`
		}
	}
	return v
}

// WriteText writes the trace in ofproto/trace's layout.
func (r *Result) WriteText(w io.Writer) error {
	r.fill()
	var b strings.Builder
	fmt.Fprintf(&b, "Flow: %s\n", r.Flow)
	passIdx := 0
	var passes []passInfo
	if r.more != nil {
		passes = r.more.passes
	}
	for i, l := range r.lines {
		ind := strings.Repeat("    ", int(l.depth))
		switch l.kind {
		case lBridge:
			name := r.sw.cbs[l.ref].b.Name
			fmt.Fprintf(&b, "\nbridge(\"%s\")\n%s\n", name, strings.Repeat("-", len(name)+10))
		case lRecirc:
			if passIdx < len(passes) && passes[passIdx].line == i {
				ps := &passes[passIdx]
				head := fmt.Sprintf("recirc(%#x) - resume conntrack with ct_state=%s", ps.id, fmtCTState(ps.state, 0xffffffff))
				if ps.dflt {
					head = fmt.Sprintf("recirc(%#x) - resume conntrack with default ct_state=trk|new (use --ct-next to customize)", ps.id)
				}
				b.WriteString("\n" + strings.Repeat("=", 79) + "\n" + head + "\n" + strings.Repeat("=", 79) + "\n\n")
				pkt := r.packet(ps.pkt)
				fmt.Fprintf(&b, "Flow: %s\n", FormatPacket(&pkt))
				passIdx++
			}
		case lThaw:
			fmt.Fprintf(&b, "    thaw\n        Resuming from table %d\n", l.table)
		case lFork:
			fmt.Fprintf(&b, "%s -> A clone of the packet is forked to recirculate. The forked pipeline will be resumed at table %d.\n", ind, l.table)
		case lStep:
			b.WriteString(ind + stepLine(&r.Steps[l.ref]))
			b.WriteByte('\n')
		case lMiss:
			fmt.Fprintf(&b, "%s%2d. No match.\n%s    drop\n", ind, l.table, ind)
		case lAction:
			fmt.Fprintf(&b, "%s%s\n", ind, r.lineAction(l).text())
		case lDrop:
			fmt.Fprintf(&b, "%sdrop\n", ind)
		case lLearned:
			fmt.Fprintf(&b, "%s -> %s\n", ind, r.more.learnLog[l.ref].learnedText())
		case lEvent:
			fmt.Fprintf(&b, "%s -> %s\n", ind, r.lineText(l))
		case lWarn:
			fmt.Fprintf(&b, "%s >> %s\n", ind, r.lineText(l))
		case lError:
			fmt.Fprintf(&b, "%s >>>> %s <<<<\n", ind, r.lineText(l))
		}
	}
	fmt.Fprintf(&b, "\nFinal flow: %s\n", finalText(r))
	fmt.Fprintf(&b, "Datapath actions: %s\n", r.outputsText())
	if r.Verdict == VerdictLoop {
		fmt.Fprintf(&b, "\nTranslation failed (%s), packet is dropped.\n", r.Reason)
	}
	if r.Uncertain {
		b.WriteString("\nTrace result uncertain:\n")
		for _, n := range r.Notes {
			fmt.Fprintf(&b, "  %s\n", n)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// fill computes the printable flows, which tracing leaves out for speed.
func (r *Result) fill() {
	if r.Flow == "" {
		initial := r.packet(pktRef{})
		r.Flow = FormatPacket(&initial)
	}
	if r.FinalFlow == "" {
		final := r.packet(r.final)
		r.FinalFlow = FormatPacket(&final)
	}
}

// MarshalJSON writes the ofproto-trace --json contract.
func (r *Result) MarshalJSON() ([]byte, error) {
	r.fill()
	type plain Result
	return marshal((*plain)(r))
}

func finalText(r *Result) string {
	if r.final.n == 0 {
		return "unchanged"
	}
	return r.FinalFlow
}

func stepLine(st *Step) string {
	r := st.rule
	var b strings.Builder
	fmt.Fprintf(&b, "%2d. ", st.Table)
	if r.learned {
		fmt.Fprintf(&b, "%s, priority %d (learned in this trace)", r.match.String(), r.priority)
		return b.String()
	}
	if m := matchText(r); m != "" {
		b.WriteString(m + ", ")
	}
	fmt.Fprintf(&b, "priority %d", r.priority)
	if r.flow.Cookie != 0 {
		fmt.Fprintf(&b, ", cookie %#x", r.flow.Cookie)
	}
	b.WriteString(" [" + r.flow.Pos.String())
	if r.flow.Stats.HasCounts {
		fmt.Fprintf(&b, " n_packets=%d n_bytes=%d", r.flow.Stats.NPackets, r.flow.Stats.NBytes)
	}
	b.WriteString("]")
	return b.String()
}

func (r *Result) outputsText() string {
	if len(r.Outputs) == 0 {
		return "drop"
	}
	var parts []string
	for _, o := range r.Outputs {
		switch o.Kind {
		case "controller":
			parts = append(parts, "controller")
		case "tunnel":
			parts = append(parts, fmt.Sprintf("%s(%s remote_ip=%s local_ip=%s tun_id=%#x dst_port=%d)", o.Port, o.Tunnel.Type, o.Tunnel.RemoteIP, o.Tunnel.LocalIP, o.Tunnel.TunID, o.Tunnel.DstPort))
		default:
			v := "untagged"
			if o.VLAN >= 0 {
				v = fmt.Sprintf("vlan %d", o.VLAN)
			}
			parts = append(parts, fmt.Sprintf("%s(ofport %d, %s)", o.Port, o.OFPort, v))
		}
	}
	return strings.Join(parts, ",")
}

// OutputPorts returns the sorted "bridge/port" names of the outputs, for
// comparisons that ignore flood order.
func (r *Result) OutputPorts() []string {
	var out []string
	for _, o := range r.Outputs {
		if o.Kind == "controller" {
			out = append(out, "CONTROLLER")
			continue
		}
		out = append(out, o.Port)
	}
	sort.Strings(out)
	return out
}
