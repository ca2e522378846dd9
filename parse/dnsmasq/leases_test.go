package dnsmasq

import (
	"strings"
	"testing"
)

func TestParseLeases(t *testing.T) {
	tests := []tableCase[Lease]{
		{name: "neutron seed and renewed", input: "1795452340 fa:16:3e:fd:f0:40 10.10.1.23 host-10-10-1-23 *\n" +
			"0 FA:16:3E:98:B4:93 10.10.1.58 * 01:fa:16:3e:98:b4:93\n",
			want: []Lease{
				{Pos: pos(1), Raw: "1795452340 fa:16:3e:fd:f0:40 10.10.1.23 host-10-10-1-23 *", Expiry: 1795452340,
					MAC: "fa:16:3e:fd:f0:40", IP: ip("10.10.1.23"), Hostname: "host-10-10-1-23"},
				{Pos: pos(2), Raw: "0 FA:16:3E:98:B4:93 10.10.1.58 * 01:fa:16:3e:98:b4:93",
					MAC: "fa:16:3e:98:b4:93", IP: ip("10.10.1.58"), ClientID: "01:fa:16:3e:98:b4:93"},
			}},
		{name: "ipv6 section", input: "1795452340 fa:16:3e:fd:f0:40 10.10.1.23 * *\nduid 00:01:00:01:2c:1f\n" +
			"1795452340 1025 2001:db8::5 vm1 00:04:5e:2b\n1795452340 T7 [2001:db8::6] * *\n",
			want: []Lease{
				{Pos: pos(1), Raw: "1795452340 fa:16:3e:fd:f0:40 10.10.1.23 * *", Expiry: 1795452340,
					MAC: "fa:16:3e:fd:f0:40", IP: ip("10.10.1.23")},
				{Pos: pos(3), Raw: "1795452340 1025 2001:db8::5 vm1 00:04:5e:2b", Expiry: 1795452340,
					IAID: "1025", IP: ip("2001:db8::5"), Hostname: "vm1", ClientID: "00:04:5e:2b"},
				{Pos: pos(4), Raw: "1795452340 T7 [2001:db8::6] * *", Expiry: 1795452340, IAID: "T7", IP: ip("2001:db8::6")},
			}},
		{name: "infiniband and short and long lines", input: "5 20-00:11 10.0.0.1 * *\n5 aa:bb:cc:dd:ee:ff 10.0.0.2\n" +
			"5 aa:bb:cc:dd:ee:ff 10.0.0.3 h c x\n",
			want: []Lease{
				{Pos: pos(1), Raw: "5 20-00:11 10.0.0.1 * *", Expiry: 5, MAC: "20-00:11", IP: ip("10.0.0.1")},
				{Pos: pos(2), Raw: "5 aa:bb:cc:dd:ee:ff 10.0.0.2", Expiry: 5, MAC: "aa:bb:cc:dd:ee:ff", IP: ip("10.0.0.2")},
				{Pos: pos(3), Raw: "5 aa:bb:cc:dd:ee:ff 10.0.0.3 h c x", Expiry: 5, MAC: "aa:bb:cc:dd:ee:ff", IP: ip("10.0.0.3"),
					Hostname: "h", ClientID: "c", Extra: []string{"x"}},
			},
			wantIssues: []string{"2: warning: has 3 fields", "3: warning: extra lease fields"}},
		{name: "bad lines", input: "x y z\n5 aa:bb 10.0.0.1 * *\n5 m nope * *\n5 x\nduid\n5 zz 2001:db8::1 * *\n",
			want: []Lease{
				{Pos: pos(2), Raw: "5 aa:bb 10.0.0.1 * *", Expiry: 5, MAC: "aa:bb", IP: ip("10.0.0.1")},
				{Pos: pos(6), Raw: "5 zz 2001:db8::1 * *", Expiry: 5, IAID: "zz", IP: ip("2001:db8::1")},
			},
			wantIssues: []string{"1: error: expiry \"x\" is not a number", "2: warning: not a MAC address",
				"3: error: bad IP", "4: error: want expiry", "5: error: duid line", "6: warning: IAID \"zz\""}},
	}
	runTable(t, tests, ParseLeases, func(s *Leases) []Lease { return s.Leases })
}

func TestParseLeasesDUID(t *testing.T) {
	s, err := ParseLeases(strings.NewReader("duid 00:01\nduid 00:02\n"), "t")
	if err != nil {
		t.Fatal(err)
	}
	if len(s.DUIDs) != 2 || s.DUIDs[0].Value != "00:01" || s.DUIDs[1].Pos != pos(2) {
		t.Errorf("DUIDs = %+v", s.DUIDs)
	}
	matchIssues(t, s.Issues, []string{"2: warning: second server duid line (first at line 1)"})
}
