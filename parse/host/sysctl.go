package host

import (
	"io"
	"strings"

	"netxray/parse"
)

// Sysctl is the output of `sysctl -a` (sos: sos_commands/kernel/sysctl_-a,
// and per namespace ip_netns_exec_<ns>_sysctl_-a).
type Sysctl struct {
	Entries []SysctlEntry
	Issues  parse.Issues
	index   map[string]int
}

// SysctlEntry is one "key = value" line. Keys are as printed: dotted, with
// a dot inside a device name shown as '/' (net.ipv4.conf.eth0/100.forwarding).
type SysctlEntry struct {
	Pos   parse.Pos
	Raw   string
	Key   string
	Value string // may hold spaces and tabs ("4096\t131072\t6291456"), or be empty
}

// Records implements parse.Result.
func (s *Sysctl) Records() int { return len(s.Entries) }

// Problems implements parse.Result.
func (s *Sysctl) Problems() parse.Issues { return s.Issues }

// Get returns the entry of key; the last one when the output repeats it.
func (s *Sysctl) Get(key string) (SysctlEntry, bool) {
	if s.index == nil {
		s.index = make(map[string]int, len(s.Entries))
		for i, e := range s.Entries {
			s.index[e.Key] = i
		}
	}
	i, ok := s.index[key]
	if !ok {
		return SysctlEntry{}, false
	}
	return s.Entries[i], true
}

// Values returns every key's value.
func (s *Sysctl) Values() map[string]string {
	out := make(map[string]string, len(s.Entries))
	for _, e := range s.Entries {
		out[e.Key] = e.Value
	}
	return out
}

// sysctlKey reports whether s is a sysctl key: dotted /proc/sys path
// components, the first a lower-case word (device names further on may hold
// '-', '/', '@', ':' and more, never spaces or '='). Not a regexp: a node's
// namespaces print thousands of keys.
func sysctlKey(s string) bool {
	dot := strings.IndexByte(s, '.')
	if dot <= 0 || dot == len(s)-1 {
		return false
	}
	for i := 0; i < dot; i++ {
		if c := s[i]; !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return !strings.ContainsAny(s[dot:], " \t\n\f\r=")
}

// ParseSysctl parses `sysctl -a`:
//
//	net.ipv4.conf.all.forwarding = 1
//	net.ipv4.conf.fg-4c2a6c2d-ef.proxy_arp = 1
//	net.ipv4.tcp_rmem = 4096	131072	6291456
//	sysctl: permission denied on key 'net.ipv6.conf.all.stable_secret'
//
// The complaints sysctl prints for keys it cannot read (permission denied,
// reading key) are kept as info: the key is then absent, not zero.
func ParseSysctl(r io.Reader, file string) (s *Sysctl, err error) {
	defer parse.Recover(file, &err)
	s = &Sysctl{}
	sc := parse.NewScanner(r, file, &s.Issues)
	for sc.Scan() {
		l := sc.Line()
		t := strings.TrimSpace(l.Text)
		if t == "" || parse.SkipBanner(l, &s.Issues) {
			continue
		}
		if strings.HasPrefix(t, "sysctl: ") {
			s.Issues.Addf(l.Pos, parse.SevInfo, "key not read: %s", t)
			continue
		}
		key, val, ok := strings.Cut(t, " = ")
		if !ok && strings.HasSuffix(t, " =") {
			key, ok = strings.TrimSuffix(t, " ="), true
		}
		if !ok || !sysctlKey(key) {
			if !parse.SkipFailure(l, &s.Issues, failures) {
				s.Issues.Errorf(l.Pos, "not a sysctl line: %q", t)
			}
			continue
		}
		s.Entries = append(s.Entries, SysctlEntry{Pos: l.Pos, Raw: l.Text, Key: key, Value: val})
	}
	return s, sc.Err()
}

func sniffSysctl(head []byte) bool {
	key, _, ok := strings.Cut(parse.FirstData(head), " = ")
	return ok && sysctlKey(key)
}
