package iproute

import (
	"bytes"
	"io"
	"regexp"
	"strings"

	"netxray/parse"
)

// Formats lists the iproute2 formats for the parse/formats registry.
var Formats = []parse.Format{
	{
		Kind:  KindAddr,
		Doc:   "ip [-d] [-s] [-o] [-j] addr|link [show]",
		Parse: func(r io.Reader, file string) (parse.Result, error) { return result(ParseAddr(r, file)) },
		Sniff: sniffAddr,
	},
	{
		Kind:  KindLink,
		Doc:   "ip [-s [-s]] [-d] [-o] [-j] link [show] (by file name; same parser as ip-addr)",
		Parse: func(r io.Reader, file string) (parse.Result, error) { return result(ParseAddr(r, file)) },
	},
	{
		Kind:  KindRoute,
		Doc:   "ip [-4|-6] [-d] [-j] route [show|list] [table N|all], ip route get",
		Parse: func(r io.Reader, file string) (parse.Result, error) { return result(ParseRoute(r, file)) },
		Sniff: sniffRoute,
	},
	{
		Kind:  KindRule,
		Doc:   "ip [-4|-6] [-j] rule [list|show]",
		Parse: func(r io.Reader, file string) (parse.Result, error) { return result(ParseRule(r, file)) },
		Sniff: sniffRule,
	},
	{
		Kind:  KindNeigh,
		Doc:   "ip [-4|-6] [-s [-s]] [-j] neigh [show] [nud all]",
		Parse: func(r io.Reader, file string) (parse.Result, error) { return result(ParseNeigh(r, file)) },
		Sniff: sniffNeigh,
	},
	{
		Kind:  KindNetns,
		Doc:   "ip [-j] netns [list]",
		Parse: func(r io.Reader, file string) (parse.Result, error) { return result(ParseNetns(r, file)) },
		Sniff: sniffNetns,
	},
}

// result keeps a typed nil pointer out of the parse.Result interface.
func result[T parse.Result](x T, err error) (parse.Result, error) {
	if err != nil {
		return nil, err
	}
	return x, nil
}

// headLines returns the first lines of head that are neither blank nor a
// banner; a last line cut by the 4 KiB limit is dropped unless it is the
// only one.
func headLines(head []byte, n int) []string {
	lines := strings.Split(string(head), "\n")
	if len(lines) > 1 && !bytes.HasSuffix(head, []byte("\n")) {
		lines = lines[:len(lines)-1]
	}
	var out []string
	for _, l := range lines {
		t := strings.TrimSpace(strings.TrimSuffix(l, "\r"))
		if t == "" || strings.HasPrefix(t, "#") || strings.HasPrefix(t, "$ ") || promptRE.MatchString(t) {
			continue
		}
		out = append(out, strings.TrimRight(l, "\r"))
		if len(out) == n {
			break
		}
	}
	return out
}

// firstObject returns the start of the first JSON object of an ip -j
// output, up to its first nested value, for key checks.
func firstObject(head []byte) (string, bool) {
	if !sniffJSON(head) {
		return "", false
	}
	i := bytes.IndexByte(head, '{')
	if i < 0 {
		return "", false
	}
	obj := head[i+1:]
	if j := bytes.IndexAny(obj, "{}"); j >= 0 {
		obj = obj[:j]
	}
	return string(obj), true
}

func hasKey(obj, key string) bool { return strings.Contains(obj, `"`+key+`":`) }

var addrHeadRE = regexp.MustCompile(`^\d+: \S+:( <|$)|^\d+: \S+\s+(inet6?|link/\S+) `)

func sniffAddr(head []byte) bool {
	if obj, ok := firstObject(head); ok {
		return hasKey(obj, "ifindex") || hasKey(obj, "ifname")
	}
	l := headLines(head, 1)
	return len(l) == 1 && addrHeadRE.MatchString(l[0])
}

var ruleHeadRE = regexp.MustCompile(`^\d+:\s+(not\s+)?(from|to|iif|oif|fwmark|lookup)\s`)

func sniffRule(head []byte) bool {
	if obj, ok := firstObject(head); ok {
		return hasKey(obj, "priority")
	}
	l := headLines(head, 1)
	return len(l) == 1 && ruleHeadRE.MatchString(l[0])
}

var neighHeadRE = regexp.MustCompile(`^[0-9A-Fa-f.:]+ (dev \S+ )?(lladdr \S+ )?.*\b(PERMANENT|NOARP|REACHABLE|STALE|DELAY|PROBE|FAILED|INCOMPLETE|NONE)\s*$`)

func sniffNeigh(head []byte) bool {
	if obj, ok := firstObject(head); ok {
		return hasKey(obj, "dst") && (hasKey(obj, "lladdr") || hasKey(obj, "state"))
	}
	l := headLines(head, 1)
	if len(l) != 1 || !neighHeadRE.MatchString(l[0]) {
		return false
	}
	_, ok := parseAddr(fields(l[0])[0])
	return ok
}

func sniffRoute(head []byte) bool {
	if obj, ok := firstObject(head); ok {
		return hasKey(obj, "dst") && !hasKey(obj, "lladdr") && !hasKey(obj, "state") && !hasKey(obj, "priority")
	}
	l := headLines(head, 1)
	if len(l) != 1 || sniffNeigh(head) || l[0][0] == ' ' || l[0][0] == '\t' {
		return false
	}
	f := fields(l[0])
	i := 0
	if routeTypes[f[0]] && len(f) > 1 {
		i = 1
	}
	if f[i] != "default" {
		if _, ok := parsePrefix(f[i]); !ok {
			return false
		}
	}
	if i == 1 {
		return true
	}
	for _, w := range f[i+1:] {
		if w == "dev" || w == "via" || w == "proto" || w == "table" || w == "nexthop" {
			return true
		}
	}
	return len(f) == i+1 // "198.51.101.0/24" before its nexthop lines
}

var netnsLineRE = regexp.MustCompile(`^[A-Za-z0-9_.-]+( \(id: \d+\))?$`)

// neutronNetns are namespace name prefixes Neutron and OVN create.
var neutronNetns = []string{"qrouter-", "qdhcp-", "snat-", "fip-", "ovnmeta-", "qlbaas-"}

// sniffNetns accepts only lists that show an id or a Neutron namespace
// name: a bare list of words could be anything.
func sniffNetns(head []byte) bool {
	if obj, ok := firstObject(head); ok {
		return strings.HasPrefix(strings.TrimSpace(obj), `"name":`)
	}
	lines := headLines(head, 20)
	if len(lines) == 0 {
		return false
	}
	telling := false
	for _, l := range lines {
		if !netnsLineRE.MatchString(strings.TrimSpace(l)) {
			return false
		}
		telling = telling || strings.Contains(l, "(id: ")
		for _, p := range neutronNetns {
			telling = telling || strings.HasPrefix(l, p)
		}
	}
	return telling
}
