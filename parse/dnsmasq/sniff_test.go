package dnsmasq

import (
	"testing"

	"netxray/parse"
)

// Each Sniff accepts its own format and none of the others' (nor the
// look-alike outputs of other tools).
func TestSniff(t *testing.T) {
	samples := map[string]parse.Kind{
		"fa:16:3e:98:b4:93,host-10-10-1-58.openstacklocal,10.10.1.58\n": KindHosts,
		"# banner\nfa:16:3e:98:b4:93,tag:dhcpv6,set:port-x\n":           KindHosts,
		"1795452340 fa:16:3e:fd:f0:40 10.10.1.23 host-10-10-1-23 *\n":   KindLeases,
		"duid 00:01:00:01\n1795452340 1025 2001:db8::5 * *\n":           KindLeases,
		"1795452340 1025 2001:db8::5 * 00:01\n":                         KindLeases,
		"10.10.2.1\thost-10-10-2-1.openstacklocal host-10-10-2-1\n":     KindAddnHosts,
		"10.0.0.1 dev eth0 lladdr fa:16:3e:00:00:01 REACHABLE\n":        "",
		"fa:16:3e:00:00:01 dev vxlan-1 dst 10.0.0.1 self permanent\n":   "",
		"default via 10.0.0.1 dev eth0\n":                               "",
		"1 fa:16:3e:00:00:01 tap1\n":                                    "",
		"10.0.0.1 host\n":                                               "",
		"":                                                              "",
	}
	for in, want := range samples {
		for _, f := range Formats {
			if got := f.Sniff([]byte(in)); got != (f.Kind == want) {
				t.Errorf("%s.Sniff(%q) = %v", f.Kind, in, got)
			}
		}
	}
}

func TestIsMAC(t *testing.T) {
	for s, want := range map[string]bool{
		"fa:16:3e:98:b4:93": true, "FA:16:3E:98:B4:93": true, "1:2:3:4:5:6": true, "11:22:33:*:*:*": true,
		"": false, "fa:16:3e:98:b4": false, "fa:16:3e:98:b4:93:00": false, "fa:16:3e:98:b4:": false,
		"fa:16:3e:98:b4:933": false, "fa::3e:98:b4:93": false, "**:16:3e:98:b4:93": false, "g0:16:3e:98:b4:93": false,
		"*1:16:3e:98:b4:93": false,
	} {
		if got := isMAC(s); got != want {
			t.Errorf("isMAC(%q) = %v", s, got)
		}
	}
}
