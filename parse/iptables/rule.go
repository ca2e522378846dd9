package iptables

import (
	"net/netip"
	"slices"
	"strings"

	"netxray/parse"
)

// Rule is one "-A CHAIN ..." line.
type Rule struct {
	Pos parse.Pos `json:"pos"`
	Raw string    `json:"raw"`

	Table string `json:"table"`
	Chain string `json:"chain"`
	// Num is the rule's 1-based place in its chain, as `iptables -L
	// --line-numbers` counts.
	Num int `json:"num"`
	// Counters are set when the output was made with -c ("[p:b] -A ...").
	Counters *Counters `json:"counters,omitempty"`

	// Criteria are the built-in options (-s -d -i -o -p -f, and any
	// single-dash option not understood), in order, names in short form.
	Criteria []Option `json:"criteria,omitempty"`
	// The built-in criteria, decoded; nil when absent.
	Src   *AddrMatch  `json:"src,omitempty"`
	Dst   *AddrMatch  `json:"dst,omitempty"`
	In    *IfaceMatch `json:"in,omitempty"`
	Out   *IfaceMatch `json:"out,omitempty"`
	Proto *ProtoMatch `json:"proto,omitempty"`
	// Fragment is set for -f (second and later fragments), Not for ! -f.
	Fragment *Flag `json:"fragment,omitempty"`

	// Matches are the match modules (-m NAME and their options) in order.
	Matches []*Match `json:"matches,omitempty"`
	// Target is what -j or -g names, nil for a rule without one (it only
	// counts packets).
	Target *Target `json:"target,omitempty"`
}

// Option is one option with its arguments. Known options are stored under
// their short or canonical name (--destination-port as --dport, --source
// as -s); Not is set by a "!" before the option (or, in old iptables
// output, between the option and its value).
type Option struct {
	Name string   `json:"name"`
	Not  bool     `json:"not,omitempty"`
	Args []string `json:"args,omitempty"`
}

// Arg returns the first argument, or "".
func (o Option) Arg() string {
	if len(o.Args) == 0 {
		return ""
	}
	return o.Args[0]
}

// Match is one match module with its options.
type Match struct {
	Module string `json:"module"`
	// Implicit is set when options came without "-m" (old output that
	// relies on "-p tcp" loading the tcp match).
	Implicit bool     `json:"implicit,omitempty"`
	Options  []Option `json:"options,omitempty"`
}

// Option returns the module's option called name.
func (m *Match) Option(name string) (Option, bool) {
	for _, o := range m.Options {
		if o.Name == name {
			return o, true
		}
	}
	return Option{}, false
}

// Target is the rule's -j (jump) or -g (goto) with the target's options.
type Target struct {
	Name string `json:"name"`
	// Goto is set for -g: the chain is entered without a return point.
	Goto    bool     `json:"goto,omitempty"`
	Options []Option `json:"options,omitempty"`
}

// Option returns the target's option called name.
func (t *Target) Option(name string) (Option, bool) {
	for _, o := range t.Options {
		if o.Name == name {
			return o, true
		}
	}
	return Option{}, false
}

// AddrMatch is -s or -d. Prefix is invalid when Text is not an address
// with a prefix length (a non-contiguous dotted mask, a host name).
type AddrMatch struct {
	Not    bool         `json:"not,omitempty"`
	Text   string       `json:"text"`
	Prefix netip.Prefix `json:"prefix"`
}

// Contains reports whether the criterion accepts addr.
func (a *AddrMatch) Contains(addr netip.Addr) bool {
	return a.Prefix.IsValid() && a.Prefix.Contains(addr) != a.Not
}

// IfaceMatch is -i, -o, --physdev-in or --physdev-out. A name ending in
// "+" matches every device it is a prefix of ("qr-+").
type IfaceMatch struct {
	Not  bool   `json:"not,omitempty"`
	Name string `json:"name"`
}

// Matches reports whether the criterion accepts device dev.
func (m *IfaceMatch) Matches(dev string) bool {
	var ok bool
	if p, wild := strings.CutSuffix(m.Name, "+"); wild {
		ok = strings.HasPrefix(dev, p)
	} else {
		ok = dev == m.Name
	}
	return ok != m.Not
}

// ProtoMatch is -p: a name (tcp, udp, icmp, ipv6-icmp, all) or a number.
type ProtoMatch struct {
	Not  bool   `json:"not,omitempty"`
	Name string `json:"name"`
}

// Flag is an option without arguments that may be negated.
type Flag struct {
	Not bool `json:"not,omitempty"`
}

// family tells the address family from the rule's addresses, or "".
func (r *Rule) family() string {
	for _, a := range []*AddrMatch{r.Src, r.Dst} {
		if a != nil && a.Prefix.IsValid() {
			if a.Prefix.Addr().Is4() {
				return "ipv4"
			}
			return "ipv6"
		}
	}
	return ""
}

func sortRules(rs []*Rule) {
	slices.SortStableFunc(rs, func(a, b *Rule) int { return a.Pos.Line - b.Pos.Line })
}

// ruleParser walks the tokens of one rule.
type ruleParser struct {
	r      *Rule
	l      parse.Line
	issues *parse.Issues
	toks   []string
	i      int
	// cur is the match whose options follow, nil before the first -m.
	cur *Match
	// warnedModule avoids one warning per option of an unknown module.
	warnedModule map[*Match]bool
}

// parseRule reads "[p:b] -A CHAIN criteria... [-m mod opts...]... [-j TARGET opts...]".
func parseRule(l parse.Line, text, table string, issues *parse.Issues) (*Rule, bool) {
	toks, unterminated := tokenize(text)
	if unterminated {
		issues.Warnf(l.Pos, "unterminated quote; the rest of the line is taken as one argument")
	}
	r := &Rule{Pos: l.Pos, Raw: l.Text, Table: table}
	if len(toks) > 0 && strings.HasPrefix(toks[0], "[") {
		c, ok := parseCounters(toks[0])
		if !ok {
			issues.Errorf(l.Pos, "bad rule counters %q: %q", toks[0], text)
			return nil, false
		}
		r.Counters = &c
		toks = toks[1:]
	}
	if len(toks) < 2 || toks[0] != "-A" || toks[1] == "" {
		issues.Errorf(l.Pos, "not an iptables-save rule: %q", text)
		return nil, false
	}
	r.Chain = toks[1]
	p := &ruleParser{r: r, l: l, issues: issues, toks: toks, i: 2}
	p.run()
	return r, true
}

func (p *ruleParser) run() {
	not := false
	for p.i < len(p.toks) {
		tk := p.toks[p.i]
		p.i++
		if tk == "!" {
			if not {
				p.issues.Warnf(p.l.Pos, "double \"!\" ignored")
			}
			not = true
			continue
		}
		switch {
		case tk == "-m" || tk == "--match":
			p.match(not)
		case tk == "-j" || tk == "--jump" || tk == "-g" || tk == "--goto":
			p.target(tk, not)
		case strings.HasPrefix(tk, "--") && p.r.Target != nil && p.cur == nil:
			p.targetOption(tk, not)
		case strings.HasPrefix(tk, "--") && baseLong[tk] == "":
			p.matchOption(tk, not)
		case strings.HasPrefix(tk, "-") && len(tk) > 1 && !isNumber(tk):
			p.criterion(tk, not)
		default:
			p.stray(tk)
		}
		not = false
	}
	if not {
		p.issues.Warnf(p.l.Pos, "trailing \"!\" ignored")
	}
}

func (p *ruleParser) match(not bool) {
	if not {
		p.issues.Warnf(p.l.Pos, "\"!\" before -m ignored")
	}
	name, ok := p.next()
	if !ok {
		p.issues.Warnf(p.l.Pos, "-m without a module name")
		return
	}
	m := &Match{Module: name}
	p.r.Matches = append(p.r.Matches, m)
	p.cur = m
	if p.r.Target != nil {
		p.issues.Warnf(p.l.Pos, "match -m %s after the target", name)
	}
	if knownModules[name] == nil {
		p.issues.Warnf(p.l.Pos, "unknown match module %q; its options are kept", name)
		p.warnedModule = map[*Match]bool{m: true}
	}
}

func (p *ruleParser) target(flag string, not bool) {
	if not {
		p.issues.Warnf(p.l.Pos, "\"!\" before %s ignored", flag)
	}
	name, ok := p.next()
	if !ok {
		p.issues.Warnf(p.l.Pos, "%s without a target", flag)
		p.r.Criteria = append(p.r.Criteria, Option{Name: flag})
		return
	}
	if p.r.Target != nil {
		p.issues.Warnf(p.l.Pos, "second target %s %s kept as a criterion", flag, name)
		p.r.Criteria = append(p.r.Criteria, Option{Name: flag, Args: []string{name}})
		return
	}
	p.r.Target = &Target{Name: name, Goto: flag == "-g" || flag == "--goto"}
	// Options after the target are the target's, until another -m.
	p.cur = nil
}

// targetOption reads an option of the target.
func (p *ruleParser) targetOption(name string, not bool) {
	t := p.r.Target
	opts := knownTargets[t.Name]
	spec, known := opts[canonical(name)]
	switch {
	case known:
	case opts == nil:
		p.issues.Warnf(p.l.Pos, "option %s of target %s (a chain or an unknown target) kept", name, t.Name)
	case len(opts) == 0:
		p.issues.Warnf(p.l.Pos, "option %s of target %s, which takes none, kept", name, t.Name)
	default:
		p.issues.Warnf(p.l.Pos, "unknown option %s of target %s kept", name, t.Name)
	}
	t.Options = append(t.Options, p.option(name, not, spec, known))
}

// matchOption reads a "--name" option of the current match, or of the
// protocol's implicit match when no -m came yet.
func (p *ruleParser) matchOption(name string, not bool) {
	m := p.cur
	if m == nil {
		m = p.implicit(name)
	}
	if m == nil {
		p.issues.Warnf(p.l.Pos, "option %s outside any match kept as a criterion", name)
		p.r.Criteria = append(p.r.Criteria, p.option(name, not, 0, false))
		return
	}
	spec, known := knownModules[m.Module][canonical(name)]
	if !known && !p.warnedModule[m] {
		p.issues.Warnf(p.l.Pos, "unknown option %s of match %s kept", name, m.Module)
	}
	m.Options = append(m.Options, p.option(name, not, spec, known))
}

// implicit returns the protocol's match that old iptables-save output
// uses without "-m" ("-p tcp --dport 22"), creating it.
func (p *ruleParser) implicit(name string) *Match {
	if p.r.Proto == nil {
		return nil
	}
	proto := p.r.Proto.Name
	if proto == "ipv6-icmp" || proto == "icmpv6" {
		proto = "icmp6"
	}
	if _, ok := knownModules[proto][canonical(name)]; !ok {
		return nil
	}
	for _, m := range p.r.Matches {
		if m.Module == proto {
			return m
		}
	}
	m := &Match{Module: proto, Implicit: true}
	p.r.Matches = append(p.r.Matches, m)
	return m
}

// criterion reads a built-in option (-s, -d, -i, -o, -p, -f).
func (p *ruleParser) criterion(name string, not bool) {
	short := name
	if s := baseLong[name]; s != "" {
		short = s
	}
	argc, known := baseArgs[short]
	if !known {
		p.issues.Warnf(p.l.Pos, "unknown option %s kept", name)
	}
	o := p.option(short, not, argc, known)
	p.r.Criteria = append(p.r.Criteria, o)
	switch short {
	case "-s", "-d":
		a := &AddrMatch{Not: o.Not, Text: o.Arg()}
		a.Prefix = parsePrefix(a.Text)
		if !a.Prefix.IsValid() && a.Text != "" {
			p.issues.Warnf(p.l.Pos, "address %q of %s is not an address/length; kept as text", a.Text, short)
		}
		if short == "-s" {
			p.r.Src = a
		} else {
			p.r.Dst = a
		}
	case "-i":
		p.r.In = &IfaceMatch{Not: o.Not, Name: o.Arg()}
	case "-o":
		p.r.Out = &IfaceMatch{Not: o.Not, Name: o.Arg()}
	case "-p":
		p.r.Proto = &ProtoMatch{Not: o.Not, Name: o.Arg()}
	case "-f":
		p.r.Fragment = &Flag{Not: o.Not}
	}
}

// option reads the arguments of an option whose name was just consumed.
// argc is the number of arguments of a known option; for an unknown one
// every following token up to the next option is taken.
func (p *ruleParser) option(name string, not bool, argc int, known bool) Option {
	o := Option{Name: name, Not: not}
	if known {
		o.Name = canonical(name)
	}
	// Old iptables (before 1.4.3) printed the "!" after the option name.
	if p.i < len(p.toks) && p.toks[p.i] == "!" && (argc > 0 || !known) && p.i+1 < len(p.toks) && !isOptionTok(p.toks[p.i+1]) {
		o.Not = !o.Not
		p.i++
	}
	if known {
		for k := range argc {
			// Like getopt, the first argument is taken whatever it looks
			// like; the second of a two-argument option (--match-set NAME
			// FLAGS) never starts with "-".
			if k > 0 && p.i < len(p.toks) && isOptionTok(p.toks[p.i]) {
				p.issues.Warnf(p.l.Pos, "option %s needs %d argument(s)", name, argc)
				break
			}
			a, ok := p.next()
			if !ok {
				p.issues.Warnf(p.l.Pos, "option %s needs %d argument(s)", name, argc)
				break
			}
			o.Args = append(o.Args, a)
		}
		return o
	}
	for p.i < len(p.toks) && !isOptionTok(p.toks[p.i]) && p.toks[p.i] != "!" {
		o.Args = append(o.Args, p.toks[p.i])
		p.i++
	}
	return o
}

// stray keeps a word that follows no option needing it.
func (p *ruleParser) stray(tk string) {
	p.issues.Warnf(p.l.Pos, "stray argument %q kept with the option before it", tk)
	var opts *[]Option
	switch {
	case p.r.Target != nil && p.cur == nil:
		opts = &p.r.Target.Options
	case p.cur != nil:
		opts = &p.cur.Options
	default:
		opts = &p.r.Criteria
	}
	if n := len(*opts); n > 0 {
		(*opts)[n-1].Args = append((*opts)[n-1].Args, tk)
		return
	}
	*opts = append(*opts, Option{Args: []string{tk}})
}

// next returns the next token as an argument.
func (p *ruleParser) next() (string, bool) {
	if p.i >= len(p.toks) {
		return "", false
	}
	p.i++
	return p.toks[p.i-1], true
}

// isOptionTok reports whether a token starts an option ("-s", "--dport"),
// as opposed to a value; "-1" is a value.
func isOptionTok(t string) bool {
	return len(t) > 1 && t[0] == '-' && !isNumber(t)
}

func isNumber(t string) bool {
	t = strings.TrimPrefix(t, "-")
	if t == "" {
		return false
	}
	for _, c := range t {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// parsePrefix reads "10.0.0.1/32", "fe80::/64" or a bare address.
func parsePrefix(s string) netip.Prefix {
	if pf, err := netip.ParsePrefix(s); err == nil {
		return pf
	}
	if a, err := netip.ParseAddr(s); err == nil {
		return netip.PrefixFrom(a, a.BitLen())
	}
	return netip.Prefix{}
}

// tokenize splits a rule as iptables-restore does: on blanks, with
// double-quoted strings (iptables-save quotes any value with characters
// other than letters, digits, "-" and "_", escaping `"`, `\` and `'` with a
// backslash). unterminated reports a quote left open. Unquoted tokens are
// substrings of s, so most rules cost one slice.
func tokenize(s string) (toks []string, unterminated bool) {
	toks = make([]string, 0, 24)
	for i := 0; i < len(s); {
		if s[i] == ' ' || s[i] == '\t' {
			i++
			continue
		}
		j := i
		for j < len(s) && s[j] != ' ' && s[j] != '\t' && s[j] != '"' {
			j++
		}
		if j == len(s) || s[j] != '"' {
			toks = append(toks, s[i:j])
			i = j
			continue
		}
		var tok string
		tok, i, unterminated = quotedToken(s, i)
		toks = append(toks, tok)
	}
	return toks, unterminated
}

// quotedToken reads the token at s[i:] that holds a double quote, up to
// the first blank outside quotes.
func quotedToken(s string, i int) (tok string, next int, unterminated bool) {
	var b strings.Builder
	in := false
	for ; i < len(s); i++ {
		c := s[i]
		switch {
		case in && c == '\\' && i+1 < len(s):
			i++
			b.WriteByte(s[i])
		case c == '"':
			in = !in
		case !in && (c == ' ' || c == '\t'):
			return b.String(), i, false
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), i, in
}
