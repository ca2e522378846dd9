package openflow

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"

	"netxray/parse"
	"netxray/parse/ovs"
)

// Switch is one node's Open vSwitch: its bridges with ports, flows, groups
// and MAC table. It is the neutral input of the simulator; the model fills it
// from a bundle, tests fill it by hand.
type Switch struct {
	Node    string
	Bridges []*Bridge

	once     sync.Once
	compiled map[string]*cbridge
	// cbs are the compiled bridges by index, acts every compiled action
	// by id: trace lines refer to them by number, so they hold no
	// pointers.
	cbs  []*cbridge
	acts []*action
}

// Bridge is one OVS bridge.
type Bridge struct {
	Name   string
	Ports  []Port
	Flows  []ovs.Flow
	Groups []Group
	// FDB is the NORMAL action's learned MAC table (`ovs-appctl fdb/show`);
	// empty means NORMAL floods every unicast, as a switch that has
	// learned nothing.
	FDB []FDBEntry
	// FlowsMissing, when set, says why the bundle has no flow dump of the
	// bridge: a trace cannot start there, and one that enters it through
	// a patch port stops with an uncertain result.
	FlowsMissing string
}

// Port is one OpenFlow port of a bridge.
type Port struct {
	OFPort int
	Name   string
	// Type is the Interface type: "" or "system", "internal", "patch",
	// "vxlan", "gre", "geneve", "stt", "erspan", "dummy", ...
	Type string
	// Peer is the peer port name of a patch port.
	Peer string
	// Options are the Interface options (remote_ip, local_ip, key,
	// dst_port, in_key, out_key, ...).
	Options map[string]string
	// Tag is the access VLAN (0: none), Trunks the allowed VLANs of a
	// trunk (empty: all), VLANMode the Port vlan_mode ("" = default).
	Tag      int
	Trunks   []int
	VLANMode string
}

// Group is one OpenFlow group (`ovs-ofctl dump-groups`).
type Group struct {
	Pos     parse.Pos
	Raw     string
	ID      uint32
	Type    string // all, select, indirect, fast_failover
	Buckets []Bucket
}

// Bucket is one group bucket.
type Bucket struct {
	ID        uint32
	Weight    int
	WatchPort int // -1: none
	Actions   []ovs.Action
}

// FDBEntry is one MAC learning entry.
type FDBEntry struct {
	Pos    parse.Pos
	OFPort int
	VLAN   int
	MAC    string
}

// Tunnel types OVS implements as tunnel vports.
var tunnelTypes = map[string]bool{"vxlan": true, "gre": true, "geneve": true, "stt": true, "erspan": true, "ip6erspan": true, "ip6gre": true, "gtpu": true, "bareudp": true, "lisp": true}

// IsTunnel reports whether the port is a tunnel vport.
func (p *Port) IsTunnel() bool { return tunnelTypes[p.Type] }

// cbridge is a bridge compiled for lookups.
type cbridge struct {
	idx     int32 // in Switch.cbs
	b       *Bridge
	sw      *Switch
	tables  [256]*table
	rules   []*rule // by index of b.Flows
	ports   map[uint16]*cport
	portVec []*cport // ports by number below 1024, for lookups without hashing
	byName  map[string]*cport
	order   []*cport // ports by ofport, for flooding
	groups  map[uint32]*cgroup
	fdb     map[fdbKey]uint16
	problem []string
}

type cport struct {
	Port
	no       uint16
	peer     *cport
	peerBr   *cbridge
	access   bool
	trunks   map[int]bool
	nativeUn bool // native-untagged
	nativeT  bool // native-tagged
	tunnel   *Tunnel
	keyFlow  bool
	isTunnel bool
	isPatch  bool
}

// port returns the port numbered no, or nil.
func (c *cbridge) port(no uint16) *cport {
	if int(no) < len(c.portVec) {
		return c.portVec[no]
	}
	return c.ports[no]
}

type fdbKey struct {
	vlan int
	mac  uint64
}

type cgroup struct {
	g       *Group
	buckets [][]action
	errs    []error
}

func (c *cbridge) portNumber(name string) (uint16, bool) {
	if p, ok := c.byName[name]; ok {
		return p.no, true
	}
	return 0, false
}

func (c *cbridge) portName(no uint16) string {
	if p, ok := c.ports[no]; ok {
		return p.Name
	}
	if no == portLocal {
		return c.b.Name
	}
	return strconv.Itoa(int(no))
}

func (sw *Switch) compile() {
	sw.once.Do(func() {
		sw.compiled = map[string]*cbridge{}
		for _, b := range sw.Bridges {
			sw.compiled[b.Name] = compileBridge(sw, b)
		}
		// Resolve patch peers across bridges.
		byName := map[string]*cport{}
		owner := map[*cport]*cbridge{}
		for _, cb := range sw.compiled {
			for _, p := range cb.order {
				byName[p.Name] = p
				owner[p] = cb
			}
		}
		for _, cb := range sw.compiled {
			for _, p := range cb.order {
				if p.Type == "patch" && p.Peer != "" {
					if q := byName[p.Peer]; q != nil && q.Type == "patch" {
						p.peer, p.peerBr = q, owner[q]
					}
				}
			}
		}
		for _, cb := range sw.compiled {
			cb.compileRules()
		}
		for _, b := range sw.Bridges {
			cb := sw.compiled[b.Name]
			if cb.idx >= 0 {
				continue // a duplicate bridge name
			}
			cb.idx = int32(len(sw.cbs))
			sw.cbs = append(sw.cbs, cb)
			for _, r := range cb.rules {
				sw.register(r.actions)
			}
			for _, g := range cb.groups {
				for _, bk := range g.buckets {
					sw.register(bk)
				}
			}
		}
	})
}

// register numbers acts and the actions nested in them.
func (sw *Switch) register(acts []action) {
	for i := range acts {
		a := &acts[i]
		a.id = int32(len(sw.acts))
		sw.acts = append(sw.acts, a)
		sw.register(a.sub)
		if a.ct != nil {
			sw.register(a.ct.exec)
		}
	}
}

func compileBridge(sw *Switch, b *Bridge) *cbridge {
	cb := &cbridge{idx: -1, b: b, sw: sw, ports: map[uint16]*cport{}, byName: map[string]*cport{}, groups: map[uint32]*cgroup{}, fdb: map[fdbKey]uint16{}}
	hasLocal := false
	for _, p := range b.Ports {
		if p.OFPort < 0 || p.OFPort > 0xffff {
			continue
		}
		cp := &cport{Port: p, no: uint16(p.OFPort)}
		if p.Name == b.Name || p.OFPort == portLocal {
			cp.no = portLocal
			hasLocal = true
		}
		mode := p.VLANMode
		if mode == "" {
			if p.Tag != 0 {
				mode = "access"
			} else {
				mode = "trunk"
			}
		}
		cp.access = mode == "access"
		cp.nativeUn = mode == "native-untagged"
		cp.nativeT = mode == "native-tagged"
		if len(p.Trunks) > 0 {
			cp.trunks = map[int]bool{}
			for _, t := range p.Trunks {
				cp.trunks[t] = true
			}
		}
		if cp.IsTunnel() {
			tunnelTemplate(cp)
		}
		cb.ports[cp.no] = cp
		cb.byName[p.Name] = cp
		cb.order = append(cb.order, cp)
	}
	if !hasLocal {
		cp := &cport{Port: Port{OFPort: portLocal, Name: b.Name, Type: "internal"}, no: portLocal}
		cb.ports[portLocal] = cp
		cb.byName[b.Name] = cp
		cb.order = append(cb.order, cp)
	}
	sort.Slice(cb.order, func(i, j int) bool { return cb.order[i].no < cb.order[j].no })
	for _, cp := range cb.order {
		cp.isTunnel, cp.isPatch = cp.IsTunnel(), cp.Type == "patch"
		if cp.no < 1024 {
			if int(cp.no) >= len(cb.portVec) {
				cb.portVec = append(cb.portVec, make([]*cport, int(cp.no)+1-len(cb.portVec))...)
			}
			cb.portVec[cp.no] = cp
		}
	}
	for _, e := range b.FDB {
		mac, err := parseMAC(e.MAC)
		if err != nil {
			cb.problem = append(cb.problem, fmt.Sprintf("%s: fdb entry: %v", e.Pos, err))
			continue
		}
		cb.fdb[fdbKey{e.VLAN, mac.lo}] = uint16(e.OFPort)
	}
	return cb
}

func (cb *cbridge) compileRules() {
	for i := range cb.tables {
		cb.tables[i] = newTable(i)
	}
	cb.rules = make([]*rule, len(cb.b.Flows))
	for i := range cb.b.Flows {
		f := &cb.b.Flows[i]
		r := cb.compileRule(f, i)
		cb.rules[i] = r
		if r.table < 0 || r.table > 255 {
			continue
		}
		cb.tables[r.table].insert(r)
		if r.matchErr != nil {
			cb.tables[r.table].unknown = append(cb.tables[r.table].unknown, r)
		}
	}
	for _, t := range cb.tables {
		t.finish()
	}
	for i := range cb.b.Groups {
		g := &cb.b.Groups[i]
		cg := &cgroup{g: g}
		for _, bk := range g.Buckets {
			acts, errs := compileActions(bk.Actions, cb)
			cg.buckets = append(cg.buckets, acts)
			cg.errs = append(cg.errs, errs...)
		}
		cb.groups[g.ID] = cg
	}
}

// rule is a compiled flow.
type rule struct {
	flow     *ovs.Flow
	index    int
	table    int
	priority int
	match    matcher
	actions  []action
	conj     []conjClause
	// problems found compiling this flow: an unknown field makes the flow
	// never match (reported when the trace reaches its table), an
	// unsupported action is reported when executed.
	matchErr error
	partial  matcher // the evaluable part of a match with matchErr
	actErrs  []error
	learned  bool
	learn    *learnSpec // for learned flows: what learned them
}

// learnedText prints a learned flow as the real trace's learn action does.
func (r *rule) learnedText() string {
	var b strings.Builder
	fmt.Fprintf(&b, "table=%d %s priority=%d", r.table, r.match.String(), r.priority)
	if r.learn.cookie != 0 {
		fmt.Fprintf(&b, " cookie=%#x", r.learn.cookie)
	}
	if r.learn.hard != 0 {
		fmt.Fprintf(&b, " hard=%d", r.learn.hard)
	}
	b.WriteString(" actions=")
	for i := range r.actions {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(r.actions[i].text())
	}
	return b.String()
}

type conjClause struct {
	id   uint32
	k, n uint
}

func (r *rule) soft() bool { return len(r.conj) > 0 }

func (cb *cbridge) compileRule(f *ovs.Flow, i int) *rule {
	r := &rule{flow: f, index: i, table: f.Table, priority: f.Priority}
	if f.Table < 0 && f.TableName != "" {
		r.matchErr = fmt.Errorf("table named %q: the name-to-number map is unknown", f.TableName)
	}
	m, err := compileMatch(f.Match, cb)
	if err != nil {
		r.matchErr = err
		// A match we cannot evaluate must never hide other flows; what
		// can be evaluated tells whether it might have matched, which
		// the trace then says at the lookup.
		r.partial = partialMatch(f.Match, cb)
		m = matcher{conds: []cond{{word: wPacketType, mask: ^uint64(0), val: 0xdead}}}
	}
	r.match = m
	r.actions, r.actErrs = compileActions(f.Actions, cb)
	for _, a := range r.actions {
		if a.kind == aConjunction {
			r.conj = append(r.conj, a.conj)
		}
	}
	if len(r.conj) > 0 && len(r.conj) != len(r.actions) {
		r.actErrs = append(r.actErrs, fmt.Errorf("conjunction mixed with other actions"))
		r.conj = nil
	}
	return r
}

// Problems lists what the simulator could not compile: unknown fields,
// unsupported actions, bad values, with the dump position. The trace also
// reports each one at the step where it matters.
func (sw *Switch) Problems() []string {
	sw.compile()
	var out []string
	names := make([]string, 0, len(sw.compiled))
	for n := range sw.compiled {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		cb := sw.compiled[n]
		out = append(out, cb.problem...)
		for _, r := range cb.rules {
			if r.matchErr != nil {
				out = append(out, fmt.Sprintf("%s: %s: %v", r.flow.Pos, n, r.matchErr))
			}
			for _, e := range r.actErrs {
				out = append(out, fmt.Sprintf("%s: %s: %v", r.flow.Pos, n, e))
			}
		}
		for _, g := range cb.groups {
			for _, e := range g.errs {
				out = append(out, fmt.Sprintf("%s: %s: group %d: %v", g.g.Pos, n, g.g.ID, e))
			}
		}
	}
	return out
}

func (sw *Switch) bridge(name string) *cbridge {
	sw.compile()
	return sw.compiled[name]
}

// splitTop splits s at commas outside parentheses and brackets, trimming
// spaces; a trailing comma gives a last empty item.
func splitTop(s string) []string {
	var out []string
	s = strings.TrimSpace(s)
	for s != "" {
		item, rest := nextItem(s, true)
		out = append(out, strings.TrimSpace(item))
		if len(rest) == 0 && len(item) < len(s) {
			out = append(out, "")
		}
		s = rest
	}
	return out
}
