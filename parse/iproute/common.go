package iproute

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"net/netip"
	"regexp"
	"strconv"
	"strings"

	"netxray/parse"
)

// Param is one attribute kept in printed order: a keyword and its value
// ("" for a flag word such as "nolearning").
type Param struct {
	Key   string
	Value string
}

// Params is an ordered attribute list.
type Params []Param

// Get returns the value of the first attribute named key.
func (p Params) Get(key string) (string, bool) {
	for _, kv := range p {
		if kv.Key == key {
			return kv.Value, true
		}
	}
	return "", false
}

// Has reports whether an attribute named key is present.
func (p Params) Has(key string) bool {
	_, ok := p.Get(key)
	return ok
}

// toolFailures are phrases ip (and the shell or collector around it) prints
// instead of output when the command could not run.
var toolFailures = []string{
	"Cannot open network namespace",
	"Operation not permitted",
	"Permission denied",
	"No such file or directory",
	"command not found",
	"could not connect",
	"is not a bridge or a socket",
	"version negotiation failed",
	"does not exist",
	"Dump was interrupted",
	"Dump terminated",
	"executable file not found",
	"timed out",
}

// toolPrefixRE matches the starts of iproute2 error messages.
var toolPrefixRE = regexp.MustCompile(`^(RTNETLINK answers|Error:|Cannot |Device "|Object "|Command "|Option "|ip: |bash: |sh: |sudo: |setting the network namespace|Failed to |Warning: |WARNING: |Not a route|BUG: )`)

// promptRE matches a pasted shell prompt: "[root@node ~]# ip a",
// "root@node:~# ip a".
var promptRE = regexp.MustCompile(`^(\[[^\]]*\]|[\w.-]+@[\w.-]+:\S*)\s?[#$]( |$)`)

// skipBanner reports (SevInfo) and consumes a collector banner or a pasted
// shell prompt line: "# ip addr", "$ ip route", "[root@node ~]# ip a".
func skipBanner(l parse.Line, issues *parse.Issues) bool {
	t := strings.TrimSpace(l.Text)
	if strings.HasPrefix(t, "#") || strings.HasPrefix(t, "$ ") || strings.ContainsAny(t, "#$") && promptRE.MatchString(t) {
		issues.Addf(l.Pos, parse.SevInfo, "collector banner skipped: %s", t)
		return true
	}
	return false
}

// skipFailure reports (SevInfo "command failed") and consumes error text
// the tool printed into the file instead of output. Parsers call it only
// for lines their grammar did not accept, so data is never taken for an
// error; indented lines are never errors either (ip prints its messages at
// column 0, while data such as an interface alias is indented).
func skipFailure(l parse.Line, issues *parse.Issues) bool {
	if l.Text == "" || l.Text[0] == ' ' || l.Text[0] == '\t' {
		return false
	}
	t := strings.TrimSpace(l.Text)
	failed := toolPrefixRE.MatchString(t)
	for _, f := range toolFailures {
		if failed {
			break
		}
		failed = strings.Contains(t, f)
	}
	if failed {
		issues.Addf(l.Pos, parse.SevInfo, "command failed: %s", t)
	}
	return failed
}

// blank reports a line with nothing but spaces.
func blank(l parse.Line) bool { return strings.TrimSpace(l.Text) == "" }

// input is an opened command output: JSON (ip -j) read whole, or text
// scanned line by line.
type input struct {
	json bool
	data []byte
	sc   *parse.Scanner
}

// sniffJSON looks at the start of a file, past blank lines and banners, and
// reports whether it is JSON.
func sniffJSON(head []byte) bool {
	for len(head) > 0 {
		head = bytes.TrimLeft(head, " \t\r\n")
		if len(head) == 0 {
			return false
		}
		if head[0] == '[' {
			return true
		}
		if head[0] != '#' && head[0] != '$' {
			return false
		}
		i := bytes.IndexByte(head, '\n')
		if i < 0 {
			return false
		}
		head = head[i+1:]
	}
	return false
}

// open decides between JSON and text from the first 4 KiB.
func open(r io.Reader, file string, issues *parse.Issues) (*input, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	head, err := br.Peek(4096)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		return nil, fmt.Errorf("reading %s: %w", file, err)
	}
	if sniffJSON(head) {
		data, err := io.ReadAll(br)
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", file, err)
		}
		return &input{json: true, data: data}, nil
	}
	return &input{sc: parse.NewScanner(br, file, issues)}, nil
}

// onelineSepRE matches the record-continuation marker `ip -o` prints where a
// line break would be.
var onelineSepRE = regexp.MustCompile(`\\[ \t]+`)

// splitOneline cuts an `ip -o` line at its `\` markers into the lines the
// normal form would have printed. A line without marker is returned whole.
func splitOneline(t string) []string {
	if !strings.Contains(t, `\`) {
		return []string{t}
	}
	idx := onelineSepRE.FindAllStringIndex(t, -1)
	if idx == nil {
		return []string{strings.TrimSuffix(t, `\`)}
	}
	var out []string
	start := 0
	for _, m := range idx {
		out = append(out, t[start:m[0]])
		// Keep the indentation after the marker: it tells a continuation.
		start = m[0] + 1
	}
	out = append(out, t[start:])
	return out
}

// fields splits a line into tokens; several spaces or tabs count as one.
func fields(t string) []string { return strings.Fields(t) }

// looksLikeValue reports whether a token reads as a value rather than a
// keyword, for pairing keywords iproute2 printed that we do not know.
func looksLikeValue(t string) bool {
	if t == "" {
		return false
	}
	c := t[0]
	if c >= '0' && c <= '9' || c == '-' || c == '<' || c == '{' || c == '(' || c == '[' {
		return true
	}
	if strings.ContainsAny(t, ".:/,") {
		return true
	}
	switch t {
	case "on", "off", "yes", "no", "auto", "any", "none", "inherit", "true", "false", "unknown", "enabled", "disabled":
		return true
	}
	return false
}

// parseAddr parses an IP address, dropping an IPv6 zone ("%eth0").
func parseAddr(s string) (netip.Addr, bool) {
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Addr{}, false
	}
	return a, true
}

// parsePrefix parses "a.b.c.d/n" or a bare address (a host prefix). The
// address bits beyond the length are kept: "192.168.10.1/24" is an
// interface address, not a network.
func parsePrefix(s string) (netip.Prefix, bool) {
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return netip.Prefix{}, false
		}
		return p, true
	}
	a, ok := parseAddr(s)
	if !ok {
		return netip.Prefix{}, false
	}
	return netip.PrefixFrom(a, a.BitLen()), true
}

// parseMAC parses a link-layer address when it is a MAC (6, 8 or 20
// bytes); other link types print IPv4 addresses or nothing.
func parseMAC(s string) net.HardwareAddr {
	if strings.Count(s, ":") < 5 {
		return nil
	}
	hw, err := net.ParseMAC(s)
	if err != nil {
		return nil
	}
	return hw
}

// atoi parses a decimal int, reporting failure.
func atoi(s string) (int, bool) {
	n, err := strconv.Atoi(s)
	return n, err == nil
}

// atou64 parses an unsigned decimal number.
func atou64(s string) (uint64, bool) {
	n, err := strconv.ParseUint(s, 10, 64)
	return n, err == nil
}

// atou32 parses an unsigned 32-bit number in decimal or 0x hex.
func atou32(s string) (uint32, bool) {
	n, err := strconv.ParseUint(s, 0, 32)
	return uint32(n), err == nil
}

// tableNames are the route table names every iproute2 knows without
// /etc/iproute2/rt_tables.
var tableNames = map[string]uint32{"unspec": 0, "default": 253, "main": 254, "local": 255}

// TableID returns the number of a route table as printed by `ip route` or
// `ip rule` ("main", "local", "16", "3232238081"). Names from a site's own
// rt_tables cannot be resolved and return false.
func TableID(name string) (uint32, bool) {
	if id, ok := tableNames[name]; ok {
		return id, true
	}
	n, err := strconv.ParseUint(name, 10, 32)
	return uint32(n), err == nil
}

// unknownWords collects the unknown keywords of one line so that a line
// costs at most one warning.
type unknownWords []string

func (u *unknownWords) add(w string) { *u = append(*u, w) }

// report adds one warning naming every unknown keyword of the line.
func (u unknownWords) report(issues *parse.Issues, pos parse.Pos, what string) {
	if len(u) == 0 {
		return
	}
	issues.Warnf(pos, "unknown %s keyword(s) kept in Extra: %s", what, strings.Join(u, " "))
}

// takeUnknown consumes the unknown keyword f[i] and, when the next token
// reads as a value and is not a keyword of the grammar, that value too.
// It returns the kept attribute and the index of the next token.
func takeUnknown(f []string, i int, known func(string) bool) (Param, int) {
	p := Param{Key: f[i]}
	if i+1 < len(f) && !known(f[i+1]) && looksLikeValue(f[i+1]) {
		p.Value = f[i+1]
		return p, i + 2
	}
	return p, i + 1
}

// lineResult is what a text grammar made of one line.
type lineResult int

const (
	lineParsed   lineResult = iota // part of a record, or reported by the grammar
	lineRejected                   // not understood: a failure message or an error
	lineFailure                    // a failure message the grammar already reported
)

// grammar is one parser as readFile drives it.
type grammar struct {
	what string                      // what a rejected line is not, for the error: "a rule"
	json func(*jdoc)                 // reads an ip -j file
	line func(parse.Line) lineResult // reads each text line that is not blank or a banner
	end  func() (records int)        // called after the last text line
}

// readFile is the frame every parser shares: open r, read it as JSON or as
// text, report rejected lines (a "command failed" notice or an error),
// decide whether the text was this format at all, sort the issues.
func readFile(r io.Reader, file string, issues *parse.Issues, isJSON *bool, g grammar) error {
	in, err := open(r, file, issues)
	if err != nil {
		return err
	}
	if in.json {
		*isJSON = true
		g.json(newJdoc(file, in.data))
		issues.Sort()
		return nil
	}
	data := 0
	for in.sc.Scan() {
		l := in.sc.Line()
		if blank(l) || skipBanner(l, issues) {
			continue
		}
		switch g.line(l) {
		case lineParsed:
			data++
		case lineRejected:
			if !skipFailure(l, issues) {
				data++
				issues.Errorf(l.Pos, "not %s: %s", g.what, strings.TrimSpace(l.Text))
			}
		}
	}
	if err := in.sc.Err(); err != nil {
		return err
	}
	if err := textResult(file, g.end(), data, *issues); err != nil {
		return err
	}
	issues.Sort()
	return nil
}

// oneLine adapts a grammar of one record a line.
func oneLine[T any](recs *[]T, issues *parse.Issues, parseLine func(parse.Line, *parse.Issues) (T, bool)) func(parse.Line) lineResult {
	return func(l parse.Line) lineResult {
		rec, ok := parseLine(l, issues)
		if !ok {
			return lineRejected
		}
		*recs = append(*recs, rec)
		return lineParsed
	}
}

// textResult decides what a text parse returns: when nothing was recognised
// and every data line (a line given to the grammar that was not a failure
// message) was an error, the input is not this format at all.
func textResult(file string, records, dataLines int, issues parse.Issues) error {
	if records > 0 || dataLines == 0 {
		return nil
	}
	if issues.Count(parse.SevError) >= dataLines {
		return fmt.Errorf("%s: %w", file, parse.ErrFormat)
	}
	return nil
}
