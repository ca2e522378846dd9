package host

import (
	"regexp"
	"strings"
	"testing"
)

func TestParseSysctl(t *testing.T) {
	in := `net.bridge.bridge-nf-call-iptables = 1
net.ipv4.conf.all.forwarding = 1
net.ipv4.conf.fg-4c2a6c2d-ef.proxy_arp = 1
net.ipv4.conf.eth0/100.rp_filter = 2
net.ipv4.tcp_rmem = 4096	131072	6291456
kernel.domainname = (none)
fs.binfmt_misc.status =
sysctl: permission denied on key 'net.ipv6.conf.all.stable_secret'
this is not sysctl
net.ipv4.conf.all.forwarding = 0
`
	s, err := ParseSysctl(strings.NewReader(in), "f")
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Entries) != 8 {
		t.Fatalf("%d entries: %+v", len(s.Entries), s.Entries)
	}
	for key, want := range map[string]string{
		"net.bridge.bridge-nf-call-iptables":     "1",
		"net.ipv4.conf.fg-4c2a6c2d-ef.proxy_arp": "1",
		"net.ipv4.conf.eth0/100.rp_filter":       "2",
		"net.ipv4.tcp_rmem":                      "4096\t131072\t6291456",
		"kernel.domainname":                      "(none)",
		"fs.binfmt_misc.status":                  "",
		"net.ipv4.conf.all.forwarding":           "0", // the last one wins
	} {
		if e, ok := s.Get(key); !ok || e.Value != want {
			t.Errorf("%s = %q, %v; want %q", key, e.Value, ok, want)
		}
	}
	if e, _ := s.Get("net.ipv4.conf.all.forwarding"); e.Pos.Line != 10 || e.Raw != "net.ipv4.conf.all.forwarding = 0" {
		t.Errorf("position %v raw %q", e.Pos, e.Raw)
	}
	if _, ok := s.Get("net.ipv6.conf.all.stable_secret"); ok {
		t.Error("an unreadable key must be absent")
	}
	want := []string{"f:8: info: key not read", "f:9: error: not a sysctl line"}
	if len(s.Issues) != len(want) {
		t.Fatalf("issues %v", s.Issues)
	}
	for i, is := range s.Issues {
		if !strings.HasPrefix(is.String(), want[i]) {
			t.Errorf("issue %d = %s, want %s...", i, is, want[i])
		}
	}
	if !sniffSysctl([]byte(in)) || sniffSysctl([]byte("Linux a 1 #1 x86_64\n")) {
		t.Error("sniff")
	}
}

// sysctlKey is the regexp below, written as a loop for speed.
func TestSysctlKey(t *testing.T) {
	re := regexp.MustCompile(`^[a-z0-9_-]+(\.[^\s=]+)+$`)
	for _, s := range []string{"", ".", "a", "a.", "a.b", "a..", "a..b", "A.b", "a-b_1.c", "net.ipv4.conf.eth0/100.forwarding",
		"a.b c", "a.b=c", "a.b\tc", "a.b\x01", "a.é", "é.a", "a.b.", " a.b", "a .b", "dev.cdrom.info"} {
		if got, want := sysctlKey(s), re.MatchString(s); got != want {
			t.Errorf("sysctlKey(%q) = %v, the regexp says %v", s, got, want)
		}
	}
}
