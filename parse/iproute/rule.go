package iproute

import (
	"io"
	"net/netip"
	"strconv"
	"strings"

	"netxray/parse"
)

// KindRule is the kind of `ip rule` outputs, text or JSON.
const KindRule parse.Kind = "ip-rule"

// Rules is the output of one `ip rule` command.
type Rules struct {
	JSON   bool
	Rules  []Rule
	Issues parse.Issues
}

// Records counts rules.
func (x *Rules) Records() int { return len(x.Rules) }

// Problems returns the issues found.
func (x *Rules) Problems() parse.Issues { return x.Issues }

// Rule is one policy-routing rule.
type Rule struct {
	Pos parse.Pos
	Raw string

	// Priority is unsigned 32-bit: DVR uses priorities such as 3232238081.
	Priority uint32
	Not      bool
	// From and To are the selectors, host bits kept ("from
	// 192.168.10.1/24" is a DVR SNAT-redirect rule, not a network);
	// invalid for "from all" and when "to" is not printed.
	From netip.Prefix
	To   netip.Prefix
	// FromAll is set for "from all".
	FromAll     bool
	IIF         string
	IIFDetached bool // "[detached]": the device does not exist
	OIF         string
	OIFDetached bool
	// FwMark and FwMask: HasFwMark tells an unset mark; FwMask is
	// 0xffffffff when no mask was printed.
	FwMark    uint32
	FwMask    uint32
	HasFwMark bool
	Tos       string
	// Table is what "lookup" names (a name or a number, see TableID); ""
	// when the rule has another action.
	Table string
	// L3MDev is "lookup [l3mdev-table]" (VRF).
	L3MDev bool
	// Action is "" for a table lookup, otherwise the action word:
	// blackhole, unreachable, prohibit, goto, nop, nat/masquerade.
	Action string
	// Goto is the target priority of a goto rule (HasGoto false for "goto
	// none").
	Goto    uint32
	HasGoto bool
	// SuppressPrefixLen is "suppress_prefixlength N", -1 when not printed.
	SuppressPrefixLen int
	// UIDRange is "uidrange 1000-2000" as printed.
	UIDRange string
	Proto    string
	// Other keeps known attributes without a typed field (ipproto, sport,
	// dport, tun_id, realms, suppress_ifgroup, map-to, dscp, flowlabel,
	// unresolved).
	Other Params
	Extra Params
}

// ruleActions are the action words printed after the selectors.
var ruleActions = words("blackhole unreachable prohibit nop masquerade throw nat unicast")

// ruleOther are keywords with one value kept in Rule.Other.
var ruleOther = words("ipproto sport dport tun_id realms suppress_ifgroup map-to dscp flowlabel")

func isRuleKey(s string) bool {
	switch s {
	case "not", "from", "to", "tos", "fwmark", "iif", "oif", "lookup", "table", "goto", "uidrange",
		"suppress_prefixlength", "proto", "[detached]", "[unresolved]", "l3mdev":
		return true
	}
	return ruleActions[s] || ruleOther[s]
}

// ParseRule parses the output of `ip [-4|-6] rule [list|show]`, text or
// JSON. Samples (tab after the colon; old versions add a trailing space):
//
//	0:	from all lookup local
//	57481:	from 192.168.10.5 lookup 16
//	3232238081:	from 192.168.10.1/24 lookup 3232238081
//	2852022899:	from all iif fpr-7c2d9e10-5 lookup 2852022899
func ParseRule(r io.Reader, file string) (x *Rules, err error) {
	defer parse.Recover(file, &err)
	x = &Rules{}
	err = readFile(r, file, &x.Issues, &x.JSON, grammar{
		what: `a rule (no "PRIORITY:")`,
		json: func(d *jdoc) { parseRuleJSON(d, x) },
		line: oneLine(&x.Rules, &x.Issues, parseRuleLine),
		end:  func() int { return len(x.Rules) },
	})
	if err != nil {
		return nil, err
	}
	return x, nil
}

// parseRuleLine parses "PRIO:\tselectors action".
func parseRuleLine(l parse.Line, issues *parse.Issues) (Rule, bool) {
	f := fields(l.Text)
	prio, ok := uint32(0), false
	if len(f) > 0 && strings.HasSuffix(f[0], ":") {
		prio, ok = atou32(strings.TrimSuffix(f[0], ":"))
	}
	if !ok {
		return Rule{}, false
	}
	rl := Rule{Pos: l.Pos, Raw: l.Text, Priority: prio, FwMask: 0xffffffff, SuppressPrefixLen: -1}
	var unknown unknownWords
	for i := 1; i < len(f); {
		t := f[i]
		val := ""
		if i+1 < len(f) {
			val = f[i+1]
		}
		n := 2 // words consumed
		switch t {
		case "not":
			rl.Not, n = true, 1
		case "from", "to":
			if !rl.selector(t, val) {
				unknown.add(t + " " + val)
			}
		case "iif":
			rl.IIF = val
		case "oif":
			rl.OIF = val
		case "[detached]":
			if rl.OIF != "" {
				rl.OIFDetached = true
			} else {
				rl.IIFDetached = true
			}
			n = 1
		case "fwmark":
			rl.HasFwMark = true
			mark, mask, hasMask := strings.Cut(val, "/")
			rl.FwMark, _ = atou32(mark)
			if hasMask {
				rl.FwMask, _ = atou32(mask)
			}
		case "tos":
			rl.Tos = val
		case "lookup", "table":
			if val == "[l3mdev-table]" {
				rl.L3MDev = true
			} else {
				rl.Table = val
			}
		case "goto":
			rl.Action = "goto"
			rl.Goto, rl.HasGoto = atou32(val)
		case "suppress_prefixlength":
			rl.SuppressPrefixLen, _ = atoi(val)
		case "uidrange":
			rl.UIDRange = val
		case "proto":
			rl.Proto = val
		case "[unresolved]":
			rl.Other = append(rl.Other, Param{Key: "unresolved"})
			n = 1
		default:
			switch {
			case ruleActions[t]:
				rl.Action, n = t, 1
			case ruleOther[t]:
				rl.Other = append(rl.Other, Param{Key: t, Value: val})
			default:
				var kv Param
				kv, n = takeUnknown(f, i, isRuleKey)
				n -= i
				rl.Extra = append(rl.Extra, kv)
				unknown.add(kv.Key)
			}
		}
		if n == 2 && i+1 >= len(f) {
			unknown.add(t + " (value missing)")
		}
		i += n
	}
	unknown.report(issues, l.Pos, "rule")
	return rl, true
}

// selector sets From or To from "all", "10.0.0.0/8" or "10.0.0.5".
func (rl *Rule) selector(which, v string) bool {
	if v == "all" {
		if which == "from" {
			rl.FromAll = true
		}
		return true
	}
	p, ok := parsePrefix(v)
	if !ok {
		rl.Extra = append(rl.Extra, Param{Key: which, Value: v})
		return false
	}
	if which == "from" {
		rl.From = p
	} else {
		rl.To = p
	}
	return true
}

// parseRuleJSON reads ip -j rule.
func parseRuleJSON(d *jdoc, x *Rules) {
	jrecords(d, &x.Issues, func(r jrec) {
		fs, pos, raw := r.fields, r.pos, r.raw
		rl := Rule{Pos: pos, Raw: raw, FwMask: 0xffffffff, SuppressPrefixLen: -1}
		var src, dst string
		srclen, dstlen := -1, -1
		var unknown unknownWords
		for _, f := range fs {
			s, _ := jstr(f.Val)
			n, _ := jint(f.Val)
			switch f.Key {
			case "priority":
				rl.Priority = uint32(n)
			case "not":
				rl.Not = true
			case "src":
				src = s
			case "srclen":
				srclen = int(n)
			case "dst":
				dst = s
			case "dstlen":
				dstlen = int(n)
			case "iif":
				rl.IIF = s
			case "iif_detached":
				rl.IIFDetached = true
			case "oif":
				rl.OIF = s
			case "oif_detached":
				rl.OIFDetached = true
			case "fwmark":
				rl.HasFwMark = true
				rl.FwMark = uint32(n)
			case "fwmask":
				rl.FwMask = uint32(n)
			case "tos":
				rl.Tos = s
			case "table":
				rl.Table = s
			case "l3mdev":
				rl.L3MDev = true
			case "goto":
				rl.Action = "goto"
				if g, ok := juint(f.Val); ok {
					rl.Goto, rl.HasGoto = uint32(g), true
				}
			case "nop", "masquerade":
				rl.Action = f.Key
			case "action":
				rl.Action = s
			case "suppress_prefixlen":
				rl.SuppressPrefixLen = int(n)
			case "uid_start", "uid_end":
				rl.UIDRange = uidRange(rl.UIDRange, f.Key, n)
			case "protocol":
				rl.Proto = s
			case "nat_gateway":
				rl.Action = "nat"
				rl.Other = append(rl.Other, Param{Key: "map-to", Value: s})
			case "ipproto", "sport", "dport", "sport_start", "sport_end", "dport_start", "dport_end", "sport_mask",
				"dport_mask", "tun_id", "flow_from", "flow_to", "suppress_ifgroup", "dscp", "dscp_mask",
				"flowlabel", "flowlabel_mask", "unresolved", "deleted":
				rl.Other = append(rl.Other, Param{Key: f.Key, Value: jtext(f.Val)})
			default:
				rl.Extra = append(rl.Extra, Param{Key: f.Key, Value: jtext(f.Val)})
				unknown.add(f.Key)
			}
		}
		rl.FromAll = src == "all"
		if !rl.FromAll && src != "" {
			rl.selector("from", jsonPrefix(src, srclen))
		}
		if dst != "" && dst != "all" {
			rl.selector("to", jsonPrefix(dst, dstlen))
		}
		unknown.report(&x.Issues, pos, "rule JSON")
		x.Rules = append(x.Rules, rl)
	})
}

// jsonPrefix joins an address and a length printed apart ("srclen" is
// absent for a host prefix).
func jsonPrefix(a string, n int) string {
	if n < 0 {
		return a
	}
	return a + "/" + strconv.Itoa(n)
}

// uidRange builds "start-end" from uid_start and uid_end.
func uidRange(cur, key string, n int64) string {
	start, end, _ := strings.Cut(cur, "-")
	if key == "uid_start" {
		start = strconv.FormatInt(n, 10)
	} else {
		end = strconv.FormatInt(n, 10)
	}
	return start + "-" + end
}
