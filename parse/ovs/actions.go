package ovs

import (
	"errors"
	"strconv"
	"strings"

	"netxray/parse"
)

// Action syntax as OVS prints it (lib/ofp-actions.c format_*): a bare word
// ("strip_vlan", "NORMAL"), "name:arg" ("output:2", "load:0x1->NXM_NX_REG5[]")
// or "name(args)" ("resubmit(,60)", "ct(commit,zone=NXM_NX_REG6[0..15])").

// actionForm is how an action was written.
type actionForm uint8

const (
	formBare  actionForm = iota
	formColon            // name:arg or name=arg
	formParen            // name(arg)[tail]
)

// splitAction splits one printed action into name, argument and, for the
// parenthesised form, the text after the closing parenthesis.
func splitAction(raw string) (a Action, form actionForm, tail string) {
	it := ofActionItem(raw, 0)
	it.start, it.end = 0, len(raw)
	if it.nameEnd > len(raw) || it.nameEnd < 0 {
		it.nameEnd = len(raw)
	}
	return it.action(raw)
}

// lowerName lower-cases an action keyword without allocating for the
// spellings that occur in dumps.
func lowerName(s string) string {
	upper := false
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			upper = true
			break
		}
	}
	if !upper {
		return s
	}
	switch s {
	case "NORMAL":
		return "normal"
	case "IN_PORT":
		return "in_port"
	case "LOCAL":
		return "local"
	case "FLOOD":
		return "flood"
	case "ALL":
		return "all"
	case "CONTROLLER":
		return "controller"
	case "TABLE":
		return "table"
	}
	return strings.ToLower(s)
}

// actionParser parses action lists and reports problems at one position.
type actionParser struct {
	pos    parse.Pos
	issues *parse.Issues
	memo   *actionMemo // nil: no memo
}

// actionMemo remembers action lists that parsed without any issue, by
// their text. A dump repeats the same lists over and over (resubmit(,60),
// ct(table=72,zone=NXM_NX_REG6[0..15]), br-tun's learn()), and what list
// makes of a text depends on the text alone, so a repeat is copied instead
// of split and checked again. The copies' strings are those of the first
// flow with that text: equal, and cut from the same input. It is a
// direct-mapped table, so lists seen once only cost a hash.
//
// Lists seen for the first time are made of actions seen before (a port's
// load:0x5->NXM_NX_REG5[] or output:5 in each of its flows), so single
// actions that checked clean are remembered too.
type actionMemo struct {
	slots []memoSlot
	items []actionSlot
}

type memoSlot struct {
	text string
	acts []Action
}

type actionSlot struct {
	text string
	act  Action
}

// newActionMemo returns a memo sized for about n action lists.
func newActionMemo(n int) *actionMemo {
	size := 16
	for size < n && size < 1024 {
		size *= 2
	}
	return &actionMemo{slots: make([]memoSlot, size), items: make([]actionSlot, 4*size)}
}

// maxNesting bounds nested action lists (clone, write_actions, ct exec)
// that are checked recursively; OVS itself limits nesting far lower.
const maxNesting = 16

// list parses the text after "actions=" into actions cut from the arena.
func (ap *actionParser) list(a *ofArena, s string) []Action {
	start := len(a.actions)
	var slot *memoSlot
	if m := ap.memo; m != nil {
		slot = &m.slots[memoHash(s)&uint64(len(m.slots)-1)]
		if slot.text == s {
			arenaAppend(&a.actions, &start, slot.acts)
			return arenaCut(a.actions, start)
		}
	}
	issues := len(*ap.issues)
	ap.walk(s, 0, a, &start)
	acts := arenaCut(a.actions, start)
	if slot != nil && len(*ap.issues) == issues {
		slot.text, slot.acts = s, acts
	}
	return acts
}

// actionItem is one action located in a list by ofActionItem: its bounds,
// where its name ends (at ':', '=' or '('; end for a bare word) and, for
// "name(args)", where the closing parenthesis is.
type actionItem struct {
	start, end, nameEnd, close int
	state                      itemState
}

// ofActionItem is ofItem for action lists: one pass finds the action's
// bounds, name and argument, so that splitting costs no second scan.
func ofActionItem(s string, i int) (it actionItem) {
	for i < len(s) && (ofClass[s[i]] == clComma || ofClass[s[i]] == clSpace) {
		i++
	}
	it.start, it.nameEnd, it.close = i, -1, -1
	depth := 0
	for ; i < len(s); i++ {
		c := s[i]
		cl := ofActionClass[c]
		if cl == clNone {
			continue
		}
		switch cl {
		case clEq, clColon:
			if it.nameEnd < 0 {
				it.nameEnd = i
			}
		case clComma, clSpace:
			if depth == 0 {
				it.end = i
				return it.finish()
			}
		case clOpen:
			if depth == 0 && it.nameEnd < 0 && c == '(' {
				it.nameEnd = i
			}
			depth++
		case clClose:
			if depth == 0 {
				it.state = itemStrayClose
				continue
			}
			depth--
			if depth == 0 && it.close < 0 && it.nameEnd >= 0 && s[it.nameEnd] == '(' {
				it.close = i
			}
		case clQuote:
			j := closingQuote(s, i)
			if j < 0 {
				it.end, it.state = len(s), itemOpenQuote
				return it.finish()
			}
			i = j
		}
	}
	it.end = i
	if depth > 0 {
		it.state = itemUnbalanced
	}
	return it.finish()
}

// ofActionClass is ofClass with ':', which ends an action's name, of its
// own class.
var ofActionClass = func() [256]uint8 {
	t := ofClass
	t[':'] = clColon
	return t
}()

func (it actionItem) finish() actionItem {
	if it.nameEnd < 0 {
		it.nameEnd = it.end
	}
	return it
}

// action builds the Action of an item of s.
func (it actionItem) action(s string) (a Action, form actionForm, tail string) {
	raw := s[it.start:it.end]
	a.Raw = raw
	k := it.nameEnd - it.start
	if k == len(raw) {
		if checkNumber(raw) {
			a.Name, a.Arg = "output", raw
			return a, formColon, ""
		}
		a.Name = lowerName(raw)
		return a, formBare, ""
	}
	a.Name = lowerName(raw[:k])
	if raw[k] != '(' {
		a.Arg = raw[k+1:]
		return a, formColon, ""
	}
	if it.close < 0 {
		a.Arg = raw[k+1:]
		return a, formParen, ""
	}
	end := it.close - it.start
	a.Arg = raw[k+1 : end]
	return a, formParen, raw[end+1:]
}

// checkList checks a nested action list (inside clone(), write_actions(),
// ct(exec())) without keeping it.
func (ap *actionParser) checkList(s string, depth int) {
	if depth > maxNesting {
		ap.issues.Warnf(ap.pos, "actions nested more than %d deep not checked", maxNesting)
		return
	}
	ap.walk(s, depth, nil, nil)
}

// walk splits and checks an action list; with an arena it also keeps the
// actions, from *start on.
func (ap *actionParser) walk(s string, depth int, a *ofArena, start *int) {
	for i := 0; ; {
		it := ofActionItem(s, i)
		if it.start == it.end {
			return
		}
		i = it.end
		var slot *actionSlot
		if m := ap.memo; m != nil && a != nil && it.state == itemOK {
			raw := s[it.start:it.end]
			slot = &m.items[memoHash(raw)&uint64(len(m.items)-1)]
			if slot.text == raw {
				arenaPush(&a.actions, start, slot.act)
				continue
			}
		}
		act, form, tail := it.action(s)
		issues := len(*ap.issues)
		if it.state != itemOK {
			ap.issues.Errorf(ap.pos, "%s in action %q", it.state, clip(act.Raw))
		} else {
			ap.check(act, form, tail, depth)
		}
		if slot != nil && len(*ap.issues) == issues {
			slot.text, slot.act = act.Raw, act
		}
		if a != nil {
			arenaPush(&a.actions, start, act)
		}
	}
}

// Static errors for action checks: a valid action costs no allocation.
var (
	errNoArg       = errors.New("missing argument")
	errUnexpArg    = errors.New("takes no argument")
	errArrow       = errors.New(`expected "->"`)
	errSubfield    = errors.New("not a field or subfield like NXM_NX_REG0[0..15]")
	errUnknownFld  = errors.New("unknown field")
	errBitRange    = errors.New("bit range outside the field")
	errTable       = errors.New("not a table number or name")
	errResubmit    = errors.New("expected resubmit(port,table[,ct]) or resubmit:port")
	errConjunction = errors.New("expected conjunction(id,k/n) with 1 <= k <= n <= 64")
	errHexDots     = errors.New("not hex bytes separated by dots")
	errTail        = errors.New("unexpected text after ')'")
	errArgs        = errors.New("unknown argument")
	errVLAN        = errors.New("not a VLAN id (0-4095)")
	errPCP         = errors.New("not a VLAN priority (0-7)")
)

// check validates one action; unknown names are kept with a warning.
func (ap *actionParser) check(a Action, form actionForm, tail string, depth int) {
	err, known := checkAction(ap, a, form, tail, depth)
	switch {
	case !known:
		ap.issues.Warnf(ap.pos, "unknown action %q kept", clip(a.Raw))
	case err != nil:
		ap.issues.Warnf(ap.pos, "bad action %q: %v", clip(a.Raw), err)
	}
}

func checkAction(ap *actionParser, a Action, form actionForm, tail string, depth int) (err error, known bool) {
	if tail != "" && a.Name != "check_pkt_larger" {
		return errTail, true
	}
	arg := a.Arg
	switch a.Name {
	case "drop", "strip_vlan", "pop_vlan", "dec_mpls_ttl", "dec_nsh_ttl", "pop_queue", "exit",
		"ct_clear", "clear_actions", "debug_recirc", "debug_slow",
		"normal", "in_port", "local", "flood", "all", "table":
		if form != formBare {
			return errUnexpArg, true
		}
	case "controller":
		switch form {
		case formColon:
			return numErr(arg), true
		case formParen:
			return checkItems(arg, controllerKeys), true
		}
	case "output":
		if form == formParen {
			return checkItems(arg, outputTruncKeys), true
		}
		return checkPortOrSubfield(arg), true
	case "enqueue":
		sep := strings.LastIndexAny(arg, ":,")
		if sep < 0 {
			return errNoArg, true
		}
		if !checkPort(arg[:sep]) {
			return errPort, true
		}
		return numErr(arg[sep+1:]), true
	case "group", "meter", "set_queue", "push_vlan", "push_mpls", "pop_mpls",
		"set_tunnel", "set_tunnel64", "mod_nw_tos", "mod_nw_ecn", "mod_nw_ttl", "set_nw_ttl",
		"mod_tp_src", "mod_tp_dst", "set_mpls_label", "set_mpls_tc", "set_mpls_ttl":
		return numErr(arg), true
	case "set_vlan_vid", "mod_vlan_vid":
		if n, ok := parseOFUint(arg); !ok || n > 4095 {
			return errVLAN, true
		}
	case "set_vlan_pcp", "mod_vlan_pcp":
		if n, ok := parseOFUint(arg); !ok || n > 7 {
			return errPCP, true
		}
	case "write_metadata":
		return checkMasked(arg, checkNumber, errNumber), true
	case "mod_dl_src", "mod_dl_dst":
		if !checkMAC(arg) {
			return errMAC, true
		}
	case "mod_nw_src", "mod_nw_dst":
		if !checkIPv4(arg) {
			return errIPv4, true
		}
	case "load":
		_, _, err := parseLoad(arg)
		return err, true
	case "move":
		_, _, err := parseMove(arg)
		return err, true
	case "set_field":
		_, _, err := parseSetField(arg)
		return err, true
	case "push", "pop":
		_, err := ParseSubfield(arg)
		return err, true
	case "delete_field":
		if _, ok := LookupField(arg); !ok {
			return errUnknownFld, true
		}
	case "dec_ttl":
		if form == formParen {
			for _, id := range SplitArgs(arg) {
				if err := numErr(id); err != nil {
					return err, true
				}
			}
		}
	case "resubmit":
		_, err := parseJump(a.Name, arg, form)
		return err, true
	case "goto_table":
		_, err := parseJump(a.Name, arg, form)
		return err, true
	case "conjunction":
		_, _, _, err := parseConjunction(arg)
		return err, true
	case "note":
		if !checkHexDots(arg) {
			return errHexDots, true
		}
	case "fin_timeout":
		return checkItems(arg, finTimeoutKeys), true
	case "ct":
		return ap.checkCT(arg, depth), true
	case "nat":
		if form == formParen {
			return checkItems(arg, natKeys), true
		}
	case "clone", "write_actions":
		ap.checkList(arg, depth+1)
	case "learn":
		return checkLearn(arg), true
	case "check_pkt_larger":
		_, _, err := parseCheckPktLarger(arg, tail)
		return err, true
	case "sample":
		return checkItems(arg, sampleKeys), true
	case "bundle", "bundle_load", "multipath", "encap", "decap", "unroll_xlate":
		// Rare and structured; balanced parentheses are checked already.
	default:
		return nil, false
	}
	return nil, true
}

func numErr(s string) error {
	if !checkNumber(s) {
		return errNumber
	}
	return nil
}

// Argument keys of parenthesised actions; "=" marks keys taking a value.
var (
	controllerKeys  = []string{"reason=", "max_len=", "id=", "userdata=", "pause", "meter_id="}
	outputTruncKeys = []string{"port=", "max_len="}
	finTimeoutKeys  = []string{"idle_timeout=", "hard_timeout="}
	natKeys         = []string{"src", "dst", "src=", "dst=", "persistent", "hash", "random"}
	sampleKeys      = []string{"probability=", "collector_set_id=", "obs_domain_id=", "obs_point_id=",
		"sampling_port=", "ingress", "egress"}
	ctKeys    = []string{"commit", "force", "table=", "zone=", "nat", "exec", "alg="}
	learnKeys = []string{"table=", "idle_timeout=", "hard_timeout=", "fin_idle_timeout=", "fin_hard_timeout=",
		"priority=", "cookie=", "limit=", "result_dst=", "send_flow_rem", "delete_learned"}
)

// keyOf returns an argument's key with "=" appended when it has a value,
// and the value.
func keyOf(item string) (key, val string) {
	k := 0
	for k < len(item) && item[k] != '=' && item[k] != '(' && item[k] != ':' {
		k++
	}
	if k < len(item) && item[k] == '=' {
		return item[:k+1], item[k+1:]
	}
	return item[:k], item[k:]
}

func hasKey(keys []string, k string) bool {
	for _, x := range keys {
		if x == k {
			return true
		}
	}
	return false
}

// checkItems checks that every comma-separated argument has a known key.
func checkItems(s string, keys []string) error {
	for i := 0; ; {
		st, end, _, _ := ofItem(s, i, false)
		if st == end {
			return nil
		}
		i = end
		if k, _ := keyOf(s[st:end]); !hasKey(keys, k) {
			return errArgs
		}
	}
}

func (ap *actionParser) checkCT(s string, depth int) error {
	for i := 0; ; {
		st, end, _, _ := ofItem(s, i, false)
		if st == end {
			return nil
		}
		i = end
		item := s[st:end]
		k, v := keyOf(item)
		if !hasKey(ctKeys, k) {
			return errArgs
		}
		switch k {
		case "table=":
			if _, _, ok := parseTableRef(v); !ok {
				return errTable
			}
		case "zone=":
			if !checkNumber(v) {
				if _, err := ParseSubfield(v); err != nil {
					return err
				}
			}
		case "exec":
			if in, ok := parenArg(v); ok {
				ap.checkList(in, depth+1)
			}
		case "nat":
			if in, ok := parenArg(v); ok {
				if err := checkItems(in, natKeys); err != nil {
					return err
				}
			}
		}
	}
}

// parenArg returns what is inside "(...)".
func parenArg(v string) (string, bool) {
	if len(v) < 2 || v[0] != '(' || v[len(v)-1] != ')' {
		return "", false
	}
	return v[1 : len(v)-1], true
}

// checkLearn checks learn() arguments: known keywords, and flow specs that
// name fields ("NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[]", "tun_id=0x5",
// "load:...->...", "output:NXM_OF_IN_PORT[]").
func checkLearn(s string) error {
	for i := 0; ; {
		st, end, _, _ := ofItem(s, i, false)
		if st == end {
			return nil
		}
		i = end
		item := s[st:end]
		k, v := keyOf(item)
		if hasKey(learnKeys, k) {
			continue
		}
		switch {
		case strings.HasPrefix(item, "load:"):
			src, dst, ok := strings.Cut(item[len("load:"):], "->")
			if !ok {
				return errArrow
			}
			if !checkNumber(src) {
				if _, err := ParseSubfield(src); err != nil {
					return err
				}
			}
			if _, err := ParseSubfield(dst); err != nil {
				return err
			}
		case strings.HasPrefix(item, "output:"):
			if _, err := ParseSubfield(item[len("output:"):]); err != nil {
				return err
			}
		default:
			dst := strings.TrimSuffix(k, "=")
			if _, err := ParseSubfield(dst); err != nil {
				return err
			}
			if v == "" || checkNumber(v) {
				continue
			}
			if d, ok := LookupField(dst); ok && d.CheckValue(v) == nil {
				continue
			}
			if _, err := ParseSubfield(v); err != nil {
				return err
			}
		}
	}
}

func checkHexDots(s string) bool {
	if s == "" {
		return true
	}
	for i, part := range strings.Split(s, ".") {
		if len(part) != 2 || !isHex(part) {
			return i > 0 && part == "" // trailing dot
		}
	}
	return true
}

func checkPortOrSubfield(s string) error {
	if strings.HasSuffix(s, "]") {
		_, err := ParseSubfield(s)
		return err
	}
	if !checkPort(s) {
		return errPort
	}
	return nil
}

// Subfield is a field or a bit range of one, as in NXM_NX_REG6[0..15],
// NXM_OF_ETH_DST[] or reg0[3].
type Subfield struct {
	// Name is the field name as printed ("NXM_NX_REG6").
	Name string
	// Field is the field's definition, nil when the name is unknown.
	Field *FieldDef
	// Ofs is the first bit and Bits the width; "[]" and a bare name mean
	// the whole field.
	Ofs, Bits int
}

// ParseSubfield parses "NAME[]", "NAME[n]", "NAME[a..b]" or a bare field
// name. The error is non-nil for bad syntax, an unknown field name (Field
// is then nil but Name is set) or bits outside the field.
func ParseSubfield(s string) (Subfield, error) {
	name, rng, hasRange := strings.Cut(s, "[")
	sf := Subfield{Name: name}
	if name == "" {
		return sf, errSubfield
	}
	d, ok := LookupField(name)
	if !ok {
		return sf, errUnknownFld
	}
	sf.Field, sf.Bits = d, d.Bits
	if !hasRange {
		return sf, nil
	}
	rng, ok = strings.CutSuffix(rng, "]")
	if !ok {
		return sf, errSubfield
	}
	if rng == "" {
		return sf, nil
	}
	lo, hi, isRange := strings.Cut(rng, "..")
	a, ok1 := parseOFUint(lo)
	b, ok2 := a, true
	if isRange {
		b, ok2 = parseOFUint(hi)
	}
	if !ok1 || !ok2 || b < a {
		return sf, errSubfield
	}
	if b >= uint64(d.Bits) {
		return sf, errBitRange
	}
	sf.Ofs, sf.Bits = int(a), int(b-a+1)
	return sf, nil
}

// String prints the subfield as OVS does.
func (sf Subfield) String() string {
	if sf.Field != nil && sf.Ofs == 0 && sf.Bits == sf.Field.Bits {
		return sf.Name + "[]"
	}
	if sf.Bits == 1 {
		return sf.Name + "[" + strconv.Itoa(sf.Ofs) + "]"
	}
	return sf.Name + "[" + strconv.Itoa(sf.Ofs) + ".." + strconv.Itoa(sf.Ofs+sf.Bits-1) + "]"
}

func parseLoad(arg string) (value string, dst Subfield, err error) {
	value, d, ok := strings.Cut(arg, "->")
	if !ok {
		return value, dst, errArrow
	}
	if !checkNumber(value) {
		return value, dst, errNumber
	}
	dst, err = ParseSubfield(d)
	return value, dst, err
}

func parseMove(arg string) (src, dst Subfield, err error) {
	s, d, ok := strings.Cut(arg, "->")
	if !ok {
		return src, dst, errArrow
	}
	if src, err = ParseSubfield(s); err != nil {
		return src, dst, err
	}
	dst, err = ParseSubfield(d)
	return src, dst, err
}

func parseSetField(arg string) (value string, field *FieldDef, err error) {
	i := strings.LastIndex(arg, "->")
	if i < 0 {
		return arg, nil, errArrow
	}
	value, name := arg[:i], arg[i+2:]
	sf, err := ParseSubfield(name)
	if err != nil {
		return value, sf.Field, err
	}
	if v, ok := unquoteName(value); ok && sf.Field.Format == FormatPort {
		value = v
	}
	return value, sf.Field, sf.Field.CheckValue(value)
}

func parseCheckPktLarger(arg, tail string) (n uint64, dst Subfield, err error) {
	n, ok := parseOFUint(arg)
	if !ok {
		return n, dst, errNumber
	}
	d, ok := strings.CutPrefix(tail, "->")
	if !ok {
		return n, dst, errArrow
	}
	dst, err = ParseSubfield(d)
	return n, dst, err
}

func parseConjunction(arg string) (id uint32, clause, n int, err error) {
	a, kn, ok := strings.Cut(arg, ",")
	k, nn, ok2 := strings.Cut(kn, "/")
	i, ok3 := parseOFUint(a)
	kk, ok4 := parseOFUint(k)
	nc, ok5 := parseOFUint(nn)
	if !ok || !ok2 || !ok3 || !ok4 || !ok5 || i > 1<<32-1 || kk < 1 || kk > nc || nc > 64 {
		return 0, 0, 0, errConjunction
	}
	return uint32(i), int(kk), int(nc), nil
}

// Jump is where a resubmit or goto_table action continues the lookup.
type Jump struct {
	// Port is the in_port to look up with (unquoted name, number or
	// reserved name); "" keeps the packet's in_port.
	Port string
	// Table is the table to look up in; -1 means the current table
	// (resubmit:port) or a named table (TableName).
	Table     int
	TableName string
	// CT swaps in the conntrack original-direction tuple (resubmit(,N,ct)).
	CT bool
	// Goto is set for goto_table, an OpenFlow 1.1+ instruction that ends
	// the current action list instead of returning to it.
	Goto bool
}

func parseJump(name, arg string, form actionForm) (j Jump, err error) {
	j.Table = -1
	if name == "goto_table" {
		j.Goto = true
		var ok bool
		if j.Table, j.TableName, ok = parseTableRef(arg); !ok {
			return j, errTable
		}
		return j, nil
	}
	if form == formColon {
		if !checkPort(arg) {
			return j, errResubmit
		}
		j.Port, _ = unquoteName(arg)
		return j, nil
	}
	// resubmit([port],[table][,ct]), split by hand: this is the most
	// common action of every dump and must not allocate.
	port, rest, ok := cutTopComma(arg)
	if !ok {
		return j, errResubmit
	}
	table, ct, hasCT := cutTopComma(rest)
	if hasCT && ct != "ct" {
		return j, errResubmit
	}
	if port != "" {
		if !checkPort(port) {
			return j, errResubmit
		}
		j.Port, _ = unquoteName(port)
	}
	if table != "" {
		if j.Table, j.TableName, ok = parseTableRef(table); !ok {
			return j, errTable
		}
	}
	j.CT = hasCT
	return j, nil
}

// cutTopComma splits s at its first comma outside quotes.
func cutTopComma(s string) (before, after string, found bool) {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ',':
			return s[:i], s[i+1:], true
		case '"':
			if j := closingQuote(s, i); j > 0 {
				i = j
			}
		}
	}
	return s, "", false
}

// Typed views of common actions, for the simulator. Each returns ok=false
// when the action is not of that kind or does not parse.

// Jump returns the target of resubmit and goto_table actions.
func (a Action) Jump() (Jump, bool) {
	if a.Name != "resubmit" && a.Name != "goto_table" {
		return Jump{}, false
	}
	_, form, _ := splitAction(a.Raw)
	j, err := parseJump(a.Name, a.Arg, form)
	return j, err == nil
}

// OutputPort returns the port an output action sends to: a number, an
// unquoted port name, a reserved port in upper case ("NORMAL", "IN_PORT",
// "LOCAL", "FLOOD", "ALL", "CONTROLLER", "TABLE") or a subfield
// ("NXM_NX_REG1[0..15]") for output:<field>.
func (a Action) OutputPort() (string, bool) {
	switch a.Name {
	case "output":
		if strings.HasPrefix(a.Raw, "output(") {
			for _, it := range SplitArgs(a.Arg) {
				if p, ok := strings.CutPrefix(it, "port="); ok {
					u, _ := unquoteName(p)
					return u, true
				}
			}
			return "", false
		}
		u, _ := unquoteName(a.Arg)
		return u, a.Arg != ""
	case "normal", "in_port", "local", "flood", "all", "table":
		return strings.ToUpper(a.Name), true
	case "controller":
		return "CONTROLLER", true
	}
	return "", false
}

// Load returns the immediate value and destination of load:V->DST.
func (a Action) Load() (value string, dst Subfield, ok bool) {
	if a.Name != "load" {
		return "", Subfield{}, false
	}
	v, d, err := parseLoad(a.Arg)
	return v, d, err == nil
}

// Move returns source and destination of move:SRC->DST.
func (a Action) Move() (src, dst Subfield, ok bool) {
	if a.Name != "move" {
		return Subfield{}, Subfield{}, false
	}
	s, d, err := parseMove(a.Arg)
	return s, d, err == nil
}

// SetField returns the value (with its /mask, unquoted for ports) and the
// field of set_field:V->FIELD.
func (a Action) SetField() (value string, field *FieldDef, ok bool) {
	if a.Name != "set_field" {
		return "", nil, false
	}
	v, f, err := parseSetField(a.Arg)
	return v, f, err == nil
}

// CheckPktLarger returns the length and destination bit of
// check_pkt_larger(N)->DST.
func (a Action) CheckPktLarger() (pktLen uint64, dst Subfield, ok bool) {
	if a.Name != "check_pkt_larger" {
		return 0, Subfield{}, false
	}
	_, _, tail := splitAction(a.Raw)
	n, d, err := parseCheckPktLarger(a.Arg, tail)
	return n, d, err == nil
}

// Conjunction returns id, clause k (1-based) and clause count n of
// conjunction(id,k/n).
func (a Action) Conjunction() (id uint32, clause, n int, ok bool) {
	if a.Name != "conjunction" {
		return 0, 0, 0, false
	}
	id, clause, n, err := parseConjunction(a.Arg)
	return id, clause, n, err == nil
}
