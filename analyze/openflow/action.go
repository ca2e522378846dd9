package openflow

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"netxray/parse/ovs"
)

type actKind uint8

const (
	aUnsupported actKind = iota
	aOutput
	aOutputReg
	aNormal
	aInPort
	aLocal
	aAll
	aFlood
	aController
	aDrop
	aResubmit
	aGotoTable
	aWriteMetadata
	aSetVLANVID
	aSetVLANPCP
	aStripVLAN
	aPushVLAN
	aSetField // also load: and the mod_* actions that OVS turns into set_field
	aModNw    // mod_nw_src/dst/tos/ecn/ttl, mod_tp_src/dst: checked like OVS's SET_IPV4_* / SET_L4_*
	aMove
	aDecTTL
	aSetTunnel
	aNoop // note, set_queue, pop_queue, meter, sample, fin_timeout
	aCT
	aCTClear
	aLearn
	aConjunction
	aGroup
	aClone
	aExit
	aWriteActions
	aClearActions
	aPush
	aPop
)

// action is a compiled OpenFlow action.
type action struct {
	kind actKind
	// id names the action in trace lines: its index in the switch's
	// registry, or -1-i for the i-th action of a flow learned during the
	// trace.
	id   int32
	raw  string
	name string
	// learnedRaw: raw is rendered on demand (actions of learned flows).
	learnedRaw bool

	port   uint16
	table  int
	withCT bool
	maxLen int

	field    *Field
	ofs, n   uint
	val, msk u128
	src      *Field
	srcOfs   uint

	ttlIDs []int
	sub    []action
	ct     *ctSpec
	learn  *learnSpec
	conj   conjClause
	group  uint32
	err    error
}

type ctSpec struct {
	commit   bool
	zoneImm  uint16
	zoneSrc  *Field
	zoneOfs  uint
	zoneBits uint
	table    int // -1: no recirculation
	exec     []action
	nat      *natSpec
}

type natSpec struct {
	src, dst bool
	v6       bool
	addrMin  u128
	hasAddr  bool
	portMin  uint16
	hasPort  bool
	raw      string
}

// text is the action as the dump printed it.
func (a *action) text() string {
	if !a.learnedRaw {
		return a.raw
	}
	if a.kind == aOutput {
		return "output:" + strconv.Itoa(int(a.port))
	}
	return fmt.Sprintf("load:%s->%s[%d..%d]", fmtHex(a.val.shr(a.ofs)), a.field.Name, a.ofs, a.ofs+a.n-1)
}

// compileActions compiles a dump's action list. Errors are kept per action
// (the action runs as "unsupported") and returned for Problems.
func compileActions(list []ovs.Action, cb *cbridge) ([]action, []error) {
	var out []action
	var errs []error
	for _, a := range list {
		act := compileAction(a.Name, a.Arg, a.Raw, cb)
		if act.err != nil {
			errs = append(errs, fmt.Errorf("action %s: %w", a.Raw, act.err))
		}
		out = append(out, act)
	}
	return out, errs
}

// actionsFromText splits and compiles a nested action list (clone, exec,
// write_actions, learned flows).
func actionsFromText(s string, cb *cbridge) ([]action, []error) {
	var list []ovs.Action
	for _, part := range splitTop(s) {
		if part == "" {
			continue
		}
		list = append(list, splitAction(part))
	}
	return compileActions(list, cb)
}

// splitAction splits "name:arg" or "name(arg)" the way the dump parser does.
func splitAction(s string) ovs.Action {
	s = strings.TrimSpace(s)
	i := strings.IndexAny(s, ":(")
	if i < 0 {
		return ovs.Action{Name: strings.ToLower(s), Raw: s}
	}
	name := strings.ToLower(s[:i])
	arg := s[i+1:]
	if s[i] == '(' && strings.HasSuffix(arg, ")") {
		arg = arg[:len(arg)-1]
	}
	return ovs.Action{Name: name, Arg: arg, Raw: s}
}

func compileAction(name, arg, raw string, cb *cbridge) (a action) {
	a.raw, a.name = raw, strings.ToLower(name)
	if a.raw == "" {
		a.raw = name
		if arg != "" {
			a.raw += ":" + arg
		}
	}
	fail := func(format string, args ...any) action {
		a.kind = aUnsupported
		a.err = fmt.Errorf(format, args...)
		return a
	}
	switch a.name {
	case "output", "enqueue":
		port := arg
		if a.name == "enqueue" {
			port, _, _ = strings.Cut(strings.ReplaceAll(arg, ":", ","), ",")
		}
		if strings.HasPrefix(port, "port=") || strings.Contains(port, "max_len") {
			for _, kv := range splitTop(port) {
				k, v, _ := strings.Cut(kv, "=")
				if k == "port" {
					port = v
				}
			}
		}
		if strings.Contains(port, "[") {
			f, ofs, n, err := parseSubfield(port)
			if err != nil {
				return fail("%v", err)
			}
			a.kind, a.src, a.srcOfs, a.n = aOutputReg, f, ofs, n
			return a
		}
		return compilePortAction(a, port, cb)
	case "normal", "in_port", "local", "all", "flood", "drop":
		return compilePortAction(a, a.name, cb)
	case "controller":
		a.kind = aController
		// controller(...,pause) freezes the pipeline for the controller
		// to resume: nothing after it runs in this translation.
		a.withCT = strings.Contains(","+arg+",", ",pause,")
		return a
	case "push", "pop":
		f, ofs, n, err := parseSubfield(arg)
		if err != nil {
			return fail("%v", err)
		}
		a.kind, a.field, a.ofs, a.n = aPush, f, ofs, n
		if a.name == "pop" {
			a.kind = aPop
		}
		return a
	case "resubmit":
		a.kind = aResubmit
		a.port, a.table = portInPort, 255
		parts := strings.Split(arg, ",")
		if len(parts) == 1 && !strings.Contains(raw, "(") {
			// resubmit:PORT
			p, err := portArg(parts[0], cb)
			if err != nil {
				return fail("%v", err)
			}
			a.port = p
			return a
		}
		if len(parts) > 3 {
			return fail("bad resubmit %q", arg)
		}
		if s := strings.TrimSpace(parts[0]); s != "" {
			p, err := portArg(s, cb)
			if err != nil {
				return fail("%v", err)
			}
			a.port = p
		}
		if len(parts) > 1 && strings.TrimSpace(parts[1]) != "" {
			t, err := strconv.Atoi(strings.TrimSpace(parts[1]))
			if err != nil || t < 0 || t > 255 {
				return fail("bad resubmit table %q", parts[1])
			}
			a.table = t
		}
		if len(parts) == 3 {
			if strings.TrimSpace(parts[2]) != "ct" {
				return fail("bad resubmit %q", arg)
			}
			a.withCT = true
		}
		return a
	case "goto_table":
		t, err := strconv.Atoi(arg)
		if err != nil || t < 0 || t > 254 {
			return fail("bad goto_table %q", arg)
		}
		a.kind, a.table = aGotoTable, t
		return a
	case "write_metadata":
		v, m, err := fields["metadata"].parseValue(arg, nil)
		if err != nil {
			return fail("%v", err)
		}
		a.kind, a.val, a.msk = aWriteMetadata, v, m
		return a
	case "mod_vlan_vid", "set_vlan_vid":
		v, err := strconv.ParseUint(arg, 0, 16)
		if err != nil || v > vlanVIDM {
			return fail("bad VLAN id %q", arg)
		}
		a.kind, a.val = aSetVLANVID, u128{0, v}
		a.withCT = a.name == "mod_vlan_vid" // push if needed
		return a
	case "mod_vlan_pcp", "set_vlan_pcp":
		v, err := strconv.ParseUint(arg, 0, 8)
		if err != nil || v > 7 {
			return fail("bad VLAN PCP %q", arg)
		}
		a.kind, a.val = aSetVLANPCP, u128{0, v}
		a.withCT = a.name == "mod_vlan_pcp"
		return a
	case "strip_vlan", "pop_vlan":
		a.kind = aStripVLAN
		return a
	case "push_vlan":
		v, err := strconv.ParseUint(arg, 0, 16)
		if err != nil {
			return fail("bad push_vlan %q", arg)
		}
		a.kind, a.val = aPushVLAN, u128{0, v}
		return a
	case "set_field":
		val, dst, ok := strings.Cut(arg, "->")
		if !ok {
			return fail("bad set_field %q", arg)
		}
		f := fields[strings.TrimSpace(dst)]
		if f == nil {
			return fail("unsupported field %s", dst)
		}
		if f.Name == "dl_vlan" || f.Name == "dl_vlan_pcp" {
			return fail("unsupported set_field to %s", f.Name)
		}
		v, m, err := f.parseValue(val, cb)
		if err != nil {
			return fail("%v", err)
		}
		a.kind, a.field, a.val, a.msk, a.n = aSetField, f, v, m, f.Bits
		return a
	case "load":
		val, dst, ok := strings.Cut(arg, "->")
		if !ok {
			return fail("bad load %q", arg)
		}
		f, ofs, n, err := parseSubfield(dst)
		if err != nil {
			return fail("%v", err)
		}
		if strings.Contains(val, "[") {
			// load:SRC[]->DST[] only exists inside learn; outside it is a move.
			return fail("load from a field outside learn")
		}
		v, err := parseNumber(val, n)
		if err != nil {
			return fail("%v", err)
		}
		a.kind, a.field = aSetField, f
		a.val, a.msk = v.shl(ofs), ones(n).shl(ofs)
		return a
	case "move":
		src, dst, ok := strings.Cut(arg, "->")
		if !ok {
			return fail("bad move %q", arg)
		}
		sf, sofs, sn, err := parseSubfield(src)
		if err != nil {
			return fail("%v", err)
		}
		df, dofs, dn, err := parseSubfield(dst)
		if err != nil {
			return fail("%v", err)
		}
		if sn != dn {
			return fail("move widths differ (%d vs %d)", sn, dn)
		}
		a.kind, a.src, a.srcOfs, a.field, a.ofs, a.n = aMove, sf, sofs, df, dofs, dn
		return a
	case "mod_dl_src", "mod_dl_dst", "mod_nw_src", "mod_nw_dst":
		f := fields[modAddrField[a.name]]
		v, err := f.parseOne(arg, nil)
		if err != nil {
			return fail("%v", err)
		}
		a.kind, a.field, a.val, a.msk = aModNw, f, v, ones(f.Bits)
		return a
	case "mod_nw_tos", "mod_nw_ecn", "mod_nw_ttl", "set_nw_ttl", "mod_tp_src", "mod_tp_dst":
		v, err := strconv.ParseUint(arg, 0, 16)
		if err != nil {
			return fail("bad %s value %q", a.name, arg)
		}
		f := map[string]*Field{"mod_nw_tos": fields["nw_tos"], "mod_nw_ecn": fields["nw_ecn"], "mod_nw_ttl": fields["nw_ttl"],
			"set_nw_ttl": fields["nw_ttl"], "mod_tp_src": fields["tp_src"], "mod_tp_dst": fields["tp_dst"]}[a.name]
		if a.name == "mod_nw_tos" {
			v >>= 2
		}
		a.kind, a.field, a.val, a.msk = aModNw, f, u128{0, v}, ones(f.Bits)
		return a
	case "dec_ttl":
		a.kind = aDecTTL
		if arg != "" {
			for _, s := range strings.Split(arg, ",") {
				id, err := strconv.Atoi(strings.TrimSpace(s))
				if err != nil {
					return fail("bad dec_ttl id %q", s)
				}
				a.ttlIDs = append(a.ttlIDs, id)
			}
		} else {
			a.ttlIDs = []int{0}
		}
		return a
	case "set_tunnel", "set_tunnel64":
		v, err := strconv.ParseUint(arg, 0, 64)
		if err != nil {
			return fail("bad tunnel id %q", arg)
		}
		a.kind, a.val = aSetTunnel, u128{0, v}
		return a
	case "note", "set_queue", "pop_queue", "meter", "sample", "fin_timeout":
		a.kind = aNoop
		return a
	case "ct":
		spec, err := parseCT(arg, cb)
		if err != nil {
			return fail("%v", err)
		}
		a.kind, a.ct = aCT, spec
		return a
	case "ct_clear":
		a.kind = aCTClear
		return a
	case "learn":
		spec, err := parseLearn(arg, cb)
		if err != nil {
			return fail("%v", err)
		}
		a.kind, a.learn = aLearn, spec
		return a
	case "conjunction":
		var id uint32
		var k, n uint
		if _, err := fmt.Sscanf(strings.ReplaceAll(arg, " ", ""), "%d,%d/%d", &id, &k, &n); err != nil || k < 1 || k > n || n > 64 {
			return fail("bad conjunction %q", arg)
		}
		a.kind, a.conj = aConjunction, conjClause{id: id, k: k - 1, n: n}
		return a
	case "group":
		g, err := strconv.ParseUint(arg, 0, 32)
		if err != nil {
			return fail("bad group %q", arg)
		}
		a.kind, a.group = aGroup, uint32(g)
		return a
	case "clone", "write_actions":
		sub, errs := actionsFromText(arg, cb)
		if len(errs) > 0 {
			a.err = errs[0]
		}
		a.kind, a.sub = aClone, sub
		if a.name == "write_actions" {
			a.kind = aWriteActions
		}
		return a
	case "exit":
		a.kind = aExit
		return a
	case "clear_actions":
		a.kind = aClearActions
		return a
	}
	if cb != nil {
		if _, ok := cb.portNumber(name); ok {
			return compilePortAction(a, name, cb)
		}
	}
	if _, err := strconv.ParseUint(name, 10, 16); err == nil {
		return compilePortAction(a, name, cb)
	}
	if u := strings.ToUpper(name); reservedPorts[u] != 0 && arg == "" {
		return compilePortAction(a, u, cb)
	}
	return fail("%w %s", errUnknownAction, a.name)
}

// modAddrField is the field each address-setting action writes.
var modAddrField = map[string]string{"mod_dl_src": "eth_src", "mod_dl_dst": "eth_dst", "mod_nw_src": "nw_src", "mod_nw_dst": "nw_dst"}

// errUnknownAction marks an action the simulator does not implement at
// all (as opposed to one whose arguments it could not read).
var errUnknownAction = errors.New("unsupported action")

func compilePortAction(a action, port string, cb *cbridge) action {
	switch strings.ToUpper(port) {
	case "NORMAL":
		a.kind = aNormal
		return a
	case "IN_PORT":
		a.kind = aInPort
		return a
	case "LOCAL":
		a.kind, a.port = aLocal, portLocal
		return a
	case "ALL":
		a.kind = aAll
		return a
	case "FLOOD":
		a.kind = aFlood
		return a
	case "DROP":
		a.kind = aDrop
		return a
	case "CONTROLLER":
		a.kind = aController
		return a
	}
	p, err := portArg(port, cb)
	if err != nil {
		a.kind, a.err = aUnsupported, err
		return a
	}
	a.kind, a.port = aOutput, p
	switch p {
	case portNormal:
		a.kind = aNormal
	case portInPort:
		a.kind = aInPort
	case portFlood:
		a.kind = aFlood
	case portAll:
		a.kind = aAll
	case portController:
		a.kind = aController
	}
	return a
}

func portArg(s string, cb *cbridge) (uint16, error) {
	s = strings.Trim(strings.TrimSpace(s), `"`)
	if n, ok := reservedPorts[strings.ToUpper(s)]; ok {
		return n, nil
	}
	if n, err := strconv.ParseUint(s, 0, 32); err == nil {
		if n > 0xffff {
			// OpenFlow 1.1+ reserved numbers print as 0xfffffff8.. in some
			// dumps; map them to the 16-bit space.
			if n >= 0xffffff00 {
				return uint16(n - 0xffffff00 + 0xff00), nil
			}
			return 0, fmt.Errorf("port %s out of range", s)
		}
		return uint16(n), nil
	}
	if cb != nil {
		if n, ok := cb.portNumber(s); ok {
			return n, nil
		}
	}
	return 0, fmt.Errorf("unknown port %q", s)
}

// parseSubfield parses "NXM_NX_REG6[0..15]", "reg6[]", "reg6[3]".
func parseSubfield(s string) (f *Field, ofs, n uint, err error) {
	s = strings.TrimSpace(s)
	name, rng, ok := strings.Cut(s, "[")
	f = fields[name]
	if f == nil {
		return nil, 0, 0, fmt.Errorf("unsupported field %s", name)
	}
	if !ok {
		return f, 0, f.Bits, nil
	}
	rng = strings.TrimSuffix(rng, "]")
	if rng == "" {
		return f, 0, f.Bits, nil
	}
	lo, hi, isRange := strings.Cut(rng, "..")
	a, err1 := strconv.Atoi(lo)
	b := a
	var err2 error
	if isRange {
		b, err2 = strconv.Atoi(hi)
	}
	if err1 != nil || err2 != nil || a < 0 || b < a || uint(b) >= f.Bits {
		return nil, 0, 0, fmt.Errorf("bad bit range %q", s)
	}
	return f, uint(a), uint(b - a + 1), nil
}

func parseNumber(s string, width uint) (u128, error) {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "0x") && len(s) > 18 {
		hex := s[2:]
		hi, err := strconv.ParseUint(hex[:len(hex)-16], 16, 64)
		if err != nil {
			return u128{}, fmt.Errorf("bad value %q", s)
		}
		lo, err := strconv.ParseUint(hex[len(hex)-16:], 16, 64)
		if err != nil {
			return u128{}, fmt.Errorf("bad value %q", s)
		}
		return u128{hi, lo}, nil
	}
	if v, err := strconv.ParseUint(s, 0, 64); err == nil {
		return u128{0, v}, nil
	}
	// Values written as addresses (load:10.0.0.1->..., MACs).
	if v, err := parseMAC(s); err == nil {
		return v, nil
	}
	if v, err := parseIPv4(s); err == nil {
		return v, nil
	}
	if v, err := parseIPv6(s); err == nil {
		return v, nil
	}
	return u128{}, fmt.Errorf("bad value %q", s)
}

func parseCT(arg string, cb *cbridge) (*ctSpec, error) {
	spec := &ctSpec{table: -1}
	for _, part := range splitTop(arg) {
		k, v, _ := strings.Cut(part, "=")
		switch {
		case part == "":
		case k == "commit" || k == "force":
			spec.commit = true
		case k == "zone":
			if strings.Contains(v, "[") {
				f, ofs, n, err := parseSubfield(v)
				if err != nil {
					return nil, err
				}
				spec.zoneSrc, spec.zoneOfs, spec.zoneBits = f, ofs, n
			} else {
				z, err := strconv.ParseUint(v, 0, 16)
				if err != nil {
					return nil, fmt.Errorf("bad ct zone %q", v)
				}
				spec.zoneImm = uint16(z)
			}
		case k == "table":
			t, err := strconv.Atoi(v)
			if err != nil || t < 0 || t > 254 {
				return nil, fmt.Errorf("bad ct table %q", v)
			}
			spec.table = t
		case strings.HasPrefix(part, "exec(") && strings.HasSuffix(part, ")"):
			sub, errs := actionsFromText(part[5:len(part)-1], cb)
			if len(errs) > 0 {
				return nil, errs[0]
			}
			spec.exec = sub
		case part == "nat" || strings.HasPrefix(part, "nat(") && strings.HasSuffix(part, ")"):
			n, err := parseNAT(part)
			if err != nil {
				return nil, err
			}
			spec.nat = n
		case k == "alg" || k == "timeout":
			// Helpers and timeout policies change nothing a trace sees.
		default:
			return nil, fmt.Errorf("unsupported ct argument %q", part)
		}
	}
	return spec, nil
}

func parseNAT(s string) (*natSpec, error) {
	n := &natSpec{raw: s}
	if s == "nat" {
		return n, nil
	}
	for _, part := range splitTop(s[4 : len(s)-1]) {
		k, v, _ := strings.Cut(part, "=")
		switch k {
		case "src", "dst":
			n.src, n.dst = k == "src", k == "dst"
			if v == "" {
				continue
			}
			addr, ports := v, ""
			if strings.HasPrefix(v, "[") {
				end := strings.Index(v, "]")
				if end < 0 {
					return nil, fmt.Errorf("bad nat %q", s)
				}
				addr, ports = v[1:end], strings.TrimPrefix(v[end+1:], ":")
				n.v6 = true
			} else if i := strings.LastIndex(v, ":"); i >= 0 && strings.Count(v, ":") == 1 {
				addr, ports = v[:i], v[i+1:]
			}
			lo, _, _ := strings.Cut(addr, "-")
			var val u128
			var err error
			if strings.Contains(lo, ":") {
				n.v6 = true
				val, err = parseIPv6(lo)
			} else {
				val, err = parseIPv4(lo)
			}
			if err != nil {
				return nil, err
			}
			n.addrMin, n.hasAddr = val, true
			if ports != "" {
				plo, _, _ := strings.Cut(ports, "-")
				p, err := strconv.ParseUint(plo, 10, 16)
				if err != nil {
					return nil, fmt.Errorf("bad nat port %q", ports)
				}
				n.portMin, n.hasPort = uint16(p), true
			}
		case "persistent", "random", "hash":
		default:
			return nil, fmt.Errorf("unsupported nat argument %q", part)
		}
	}
	return n, nil
}

// learnSpec is a compiled learn() action.
type learnSpec struct {
	table, priority      int
	idle, hard           int
	cookie               uint64
	matchSpecs, actSpecs []learnItem
	raw                  string
}

type learnItem struct {
	dst       *Field
	dstOfs, n uint
	src       *Field // nil: immediate
	srcOfs    uint
	imm       u128
	output    bool
	load      bool
}

func parseLearn(arg string, cb *cbridge) (*learnSpec, error) {
	spec := &learnSpec{table: 1, priority: 32768, raw: arg}
	for _, part := range splitTop(arg) {
		k, v, hasEq := strings.Cut(part, "=")
		switch k {
		case "table":
			t, err := strconv.Atoi(v)
			if err != nil {
				return nil, fmt.Errorf("bad learn table %q", v)
			}
			spec.table = t
			continue
		case "priority":
			p, err := strconv.Atoi(v)
			if err != nil {
				return nil, fmt.Errorf("bad learn priority %q", v)
			}
			spec.priority = p
			continue
		case "idle_timeout", "hard_timeout":
			t, _ := strconv.Atoi(v)
			if k == "idle_timeout" {
				spec.idle = t
			} else {
				spec.hard = t
			}
			continue
		case "cookie":
			c, err := strconv.ParseUint(v, 0, 64)
			if err != nil {
				return nil, fmt.Errorf("bad learn cookie %q", v)
			}
			spec.cookie = c
			continue
		case "fin_idle_timeout", "fin_hard_timeout", "send_flow_rem", "delete_learned", "limit":
			continue
		case "result_dst":
			return nil, fmt.Errorf("unsupported learn argument result_dst")
		}
		switch {
		case strings.HasPrefix(part, "load:"):
			src, dst, ok := strings.Cut(part[5:], "->")
			if !ok {
				return nil, fmt.Errorf("bad learn load %q", part)
			}
			it, err := learnItemFrom(dst, src)
			if err != nil {
				return nil, err
			}
			it.load = true
			spec.actSpecs = append(spec.actSpecs, it)
		case strings.HasPrefix(part, "output:"):
			f, ofs, n, err := parseSubfield(part[7:])
			if err != nil {
				return nil, err
			}
			spec.actSpecs = append(spec.actSpecs, learnItem{output: true, src: f, srcOfs: ofs, n: n})
		case hasEq:
			it, err := learnItemFrom(k, v)
			if err != nil {
				return nil, err
			}
			spec.matchSpecs = append(spec.matchSpecs, it)
		default:
			f, ofs, n, err := parseSubfield(part)
			if err != nil {
				return nil, err
			}
			spec.matchSpecs = append(spec.matchSpecs, learnItem{dst: f, dstOfs: ofs, n: n, src: f, srcOfs: ofs})
		}
	}
	return spec, nil
}

func learnItemFrom(dst, src string) (learnItem, error) {
	f, ofs, n, err := parseSubfield(dst)
	if err != nil {
		return learnItem{}, err
	}
	it := learnItem{dst: f, dstOfs: ofs, n: n}
	if strings.Contains(src, "[") || fields[src] != nil {
		sf, sofs, sn, err := parseSubfield(src)
		if err != nil {
			return it, err
		}
		if sn != n {
			return it, fmt.Errorf("learn widths differ in %s=%s", dst, src)
		}
		it.src, it.srcOfs = sf, sofs
		return it, nil
	}
	var v u128
	if !strings.Contains(dst, "[") {
		var m u128
		v, m, err = f.parseValue(src, nil)
		_ = m
	} else {
		v, err = parseNumber(src, n)
	}
	if err != nil {
		return it, err
	}
	it.imm = v
	return it, nil
}
