package iproute

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"netxray/parse"
)

func TestParseRoute(t *testing.T) {
	tests := []tableCase[Route]{
		{
			name: "dvr qrouter table all, old double spaces",
			input: `default via 169.254.106.115 dev rfp-7c2d9e10-5 table 16 
169.254.106.114/31 dev rfp-7c2d9e10-5  proto kernel  scope link  src 169.254.106.114 
local 203.0.113.50 dev rfp-7c2d9e10-5 table local proto kernel scope host src 203.0.113.50
default via fe80::a4b3:77ff:fe10:2211 dev rfp-7c2d9e10-5 metric 1024 pref medium
`,
			want: []Route{
				{Pos: pos(1), End: 1, Type: "unicast", Dst: "default", Prefix: pfx("0.0.0.0/0"), Default: true, Gateway: ip("169.254.106.115"), Dev: "rfp-7c2d9e10-5", Table: "16"},
				{Pos: pos(2), End: 2, Type: "unicast", Dst: "169.254.106.114/31", Prefix: pfx("169.254.106.114/31"), Dev: "rfp-7c2d9e10-5", Proto: "kernel", Scope: "link", Src: ip("169.254.106.114")},
				{Pos: pos(3), End: 3, Type: "local", Dst: "203.0.113.50", Prefix: pfx("203.0.113.50/32"), Dev: "rfp-7c2d9e10-5", Table: "local", Proto: "kernel", Scope: "host", Src: ip("203.0.113.50")},
				{Pos: pos(4), End: 4, Type: "unicast", Dst: "default", Prefix: pfx("::/0"), Default: true, Gateway: ip("fe80::a4b3:77ff:fe10:2211"), Dev: "rfp-7c2d9e10-5", Metric: 1024, Pref: "medium"},
			},
		},
		{
			name: "unreachable with error, cache and expires, unspec table",
			input: `unreachable ::/96 dev lo  metric 1024  error -101
2001:708:40:2001:a822:baff:fec4:2428 via fe80::a96:d7ff:fe38:d757 dev enp0s25  metric 0
    cache  mtu 1492 hoplimit 255
2001:44b8:1110:f800::/64 dev enp0s25  proto kernel  metric 256  expires 6403sec mtu 1492
unreachable default dev lo  table unspec  proto kernel  metric 4294967295  error -101
`,
			want: []Route{
				{Pos: pos(1), End: 1, Type: "unreachable", Dst: "::/96", Prefix: pfx("::/96"), Dev: "lo", Metric: 1024, Error: "-101"},
				{Pos: pos(2), End: 3, Type: "unicast", Dst: "2001:708:40:2001:a822:baff:fec4:2428", Prefix: pfx("2001:708:40:2001:a822:baff:fec4:2428/128"),
					Gateway: ip("fe80::a96:d7ff:fe38:d757"), Dev: "enp0s25", CacheLine: true, Metrics: Params{{"mtu", "1492"}, {"hoplimit", "255"}}, MTU: 1492},
				{Pos: pos(4), End: 4, Type: "unicast", Dst: "2001:44b8:1110:f800::/64", Prefix: pfx("2001:44b8:1110:f800::/64"), Dev: "enp0s25",
					Proto: "kernel", Metric: 256, Expires: "6403sec", Metrics: Params{{"mtu", "1492"}}, MTU: 1492},
				{Pos: pos(5), End: 5, Type: "unreachable", Dst: "default", Default: true, Dev: "lo", Table: "unspec", Proto: "kernel", Metric: 4294967295, Error: "-101"},
			},
		},
		{
			name: "multipath, onlink, locked mtu, via inet6, -d unicast",
			input: "unicast 198.51.101.0/24 proto boot scope global \n" +
				"\tnexthop via 192.168.10.253 dev qr-1a2b3c4d-5e weight 1 \n" +
				"\tnexthop via 169.254.106.115 dev rfp-7c2d9e10-5 weight 2 onlink\n" +
				"10.95.0.0/16 via 192.168.10.9 dev qr-1a2b3c4d-5e onlink mtu lock 1400 advmss 1360 \n" +
				"10.94.0.0/16 via inet6 fe80::1 dev qr-1a2b3c4d-5e \n",
			want: []Route{
				{Pos: pos(1), End: 3, Type: "unicast", Dst: "198.51.101.0/24", Prefix: pfx("198.51.101.0/24"), Proto: "boot", Scope: "global",
					Nexthops: []Nexthop{
						{Gateway: ip("192.168.10.253"), Dev: "qr-1a2b3c4d-5e", Weight: 1},
						{Gateway: ip("169.254.106.115"), Dev: "rfp-7c2d9e10-5", Weight: 2, Flags: []string{"onlink"}},
					}},
				{Pos: pos(4), End: 4, Type: "unicast", Dst: "10.95.0.0/16", Prefix: pfx("10.95.0.0/16"), Gateway: ip("192.168.10.9"), Dev: "qr-1a2b3c4d-5e",
					Flags: []string{"onlink"}, Metrics: Params{{"mtu", "lock 1400"}, {"advmss", "1360"}}, MTU: 1400},
				{Pos: pos(5), End: 5, Type: "unicast", Dst: "10.94.0.0/16", Prefix: pfx("10.94.0.0/16"), Gateway: ip("fe80::1"), ViaFamily: "inet6", Dev: "qr-1a2b3c4d-5e"},
			},
		},
		{
			name:  "ip -o route: nexthops after markers",
			input: "2001:db8:98::/48 metric 1024 pref medium\\\tnexthop via 2001:db8:10::fd dev qr-1 weight 1 \\\tnexthop via 2001:db8:10::fc dev qr-1 weight 1 \n",
			want: []Route{{Pos: pos(1), End: 1, Type: "unicast", Dst: "2001:db8:98::/48", Prefix: pfx("2001:db8:98::/48"), Metric: 1024, Pref: "medium",
				Nexthops: []Nexthop{{Gateway: ip("2001:db8:10::fd"), Dev: "qr-1", Weight: 1}, {Gateway: ip("2001:db8:10::fc"), Dev: "qr-1", Weight: 1}}}},
		},
		{
			name: "ip route get, failures and unknown words",
			input: `169.254.0.55 via 169.254.106.114 dev fpr-e4d4897e-7  src 169.254.106.115 
    cache 
local 192.168.10.1 dev lo table local src 192.168.10.1 uid 0 
    cache <local> 
RTNETLINK answers: Network is unreachable
10.1.0.0/16 dev eth0 sparkle 3 realm 7
    wobble
not a route
    cache
`,
			want: []Route{
				{Pos: pos(1), End: 2, Type: "unicast", Dst: "169.254.0.55", Prefix: pfx("169.254.0.55/32"), Gateway: ip("169.254.106.114"), Dev: "fpr-e4d4897e-7", Src: ip("169.254.106.115"), CacheLine: true},
				{Pos: pos(3), End: 4, Type: "local", Dst: "192.168.10.1", Prefix: pfx("192.168.10.1/32"), Dev: "lo", Table: "local", Src: ip("192.168.10.1"),
					Other: Params{{"uid", "0"}}, CacheLine: true, Cache: []string{"local"}},
				{Pos: pos(6), End: 7, Type: "unicast", Dst: "10.1.0.0/16", Prefix: pfx("10.1.0.0/16"), Dev: "eth0",
					Other: Params{{"realm", "7"}}, Extra: Params{{"sparkle", "3"}, {"wobble", ""}}},
			},
			wantIssues: []string{
				"5: info: command failed: RTNETLINK answers",
				"6: warning: unknown route keyword(s) kept in Extra: sparkle",
				"7: warning: unrecognised continuation line kept in Extra: wobble",
				"8: error: not a route (no destination): not a route",
				"9: error: continuation line without its route: cache",
			},
		},
	}
	runTable(t, tests, ParseRoute, func(x *Routes) []Route { return x.Routes }, cmpopts.IgnoreFields(Route{}, "Raw"))
}

func TestParseRouteJSON(t *testing.T) {
	in := `[{"type":"unicast","dst":"198.51.101.0/24","protocol":"boot","scope":"global","flags":[],"nexthops":[{"gateway":"192.168.10.253","dev":"qr-1","weight":1,"flags":[]},{"gateway":"169.254.106.115","dev":"rfp-1","weight":2,"flags":["onlink"]}]},
{"dst":"10.94.0.0/16","via":{"family":"inet6","host":"fe80::1"},"dev":"qr-1","flags":[]},
{"dst":"default","gateway":"192.168.10.3","dev":"qr-1","table":"3232238081","metric":100,"flags":[],"metrics":[{"mtu":1400,"advmss":1360}],"expires":30,"prefsrc":"192.168.10.1","uid":0,"cache":[]},
{"dst":"bogus","sparkle":1}]`
	got, err := ParseRoute(strings.NewReader(in), "t")
	if err != nil {
		t.Fatal(err)
	}
	want := []Route{
		{Pos: pos(1), End: 1, Type: "unicast", Dst: "198.51.101.0/24", Prefix: pfx("198.51.101.0/24"), Proto: "boot", Scope: "global",
			Nexthops: []Nexthop{{Gateway: ip("192.168.10.253"), Dev: "qr-1", Weight: 1}, {Gateway: ip("169.254.106.115"), Dev: "rfp-1", Weight: 2, Flags: []string{"onlink"}}}},
		{Pos: pos(2), End: 2, Type: "unicast", Dst: "10.94.0.0/16", Prefix: pfx("10.94.0.0/16"), Gateway: ip("fe80::1"), ViaFamily: "inet6", Dev: "qr-1"},
		{Pos: pos(3), End: 3, Type: "unicast", Dst: "default", Default: true, Prefix: pfx("0.0.0.0/0"), Gateway: ip("192.168.10.3"), Dev: "qr-1",
			Table: "3232238081", Metric: 100, Metrics: Params{{"mtu", "1400"}, {"advmss", "1360"}}, MTU: 1400, Expires: "30sec",
			Src: ip("192.168.10.1"), Other: Params{{"uid", "0"}}, CacheLine: true},
		{Pos: pos(4), End: 4, Type: "unicast", Dst: "bogus", Extra: Params{{"dst", "bogus"}, {"sparkle", "1"}}},
	}
	opts := append([]cmp.Option{cmpopts.IgnoreFields(Route{}, "Raw")}, cmpOpts...)
	if diff := cmp.Diff(want, got.Routes, opts...); diff != "" {
		t.Errorf("routes (-want +got):\n%s", diff)
	}
	matchIssues(t, got.Issues, []string{"4: warning: unknown route keyword(s) kept in Extra: dst bogus sparkle"})
}

func TestParseRouteErrFormat(t *testing.T) {
	_, err := ParseRoute(strings.NewReader("0:\tfrom all lookup local\n32766:\tfrom all lookup main\n"), "t")
	if !errors.Is(err, parse.ErrFormat) {
		t.Errorf("rule output read as routes: error = %v, want ErrFormat", err)
	}
}

func TestTableID(t *testing.T) {
	for name, want := range map[string]uint32{"main": 254, "local": 255, "default": 253, "unspec": 0, "16": 16, "3232238081": 3232238081} {
		if got, ok := TableID(name); !ok || got != want {
			t.Errorf("TableID(%q) = %d, %v; want %d", name, got, ok, want)
		}
	}
	if _, ok := TableID("mytable"); ok {
		t.Error("TableID(mytable) resolved a site-specific name")
	}
}
