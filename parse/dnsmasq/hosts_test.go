package dnsmasq

import (
	"net/netip"
	"testing"
)

func TestParseHosts(t *testing.T) {
	const port = "6e0f2f3a-2b8c-4c55-9f0e-5d4c3b2a1908"
	tests := []tableCase[Host]{
		{name: "neutron plain", input: "fa:16:3e:98:b4:93,host-10-10-1-58.openstacklocal,10.10.1.58\n",
			want: []Host{{Pos: pos(1), Raw: "fa:16:3e:98:b4:93,host-10-10-1-58.openstacklocal,10.10.1.58",
				MAC: "fa:16:3e:98:b4:93", Hostname: "host-10-10-1-58.openstacklocal", IPs: []netip.Addr{ip("10.10.1.58")}}}},
		{name: "extra dhcp opts tag", input: "FA:16:3E:7D:01:AA,host-10-0-0-7.openstacklocal,10.0.0.7,set:port-" + port + "\n",
			want: []Host{{Pos: pos(1), Raw: "FA:16:3E:7D:01:AA,host-10-0-0-7.openstacklocal,10.0.0.7,set:port-" + port,
				MAC: "fa:16:3e:7d:01:aa", Hostname: "host-10-0-0-7.openstacklocal", IPs: []netip.Addr{ip("10.0.0.7")},
				Set: []string{"port-" + port}}}},
		{name: "ipv6 with dhcpv6 tag", input: "fa:16:3e:7d:01:ab,tag:dhcpv6,host-2001-db8--5.openstacklocal,[2001:db8::5]\n",
			want: []Host{{Pos: pos(1), Raw: "fa:16:3e:7d:01:ab,tag:dhcpv6,host-2001-db8--5.openstacklocal,[2001:db8::5]",
				MAC: "fa:16:3e:7d:01:ab", Tags: []string{"dhcpv6"}, Hostname: "host-2001-db8--5.openstacklocal",
				IPs: []netip.Addr{ip("2001:db8::5")}}}},
		{name: "addr6 list", input: "fa:16:3e:00:00:01,tag:dhcpv6,h.example,[2001:db8::5],[2001:db8::6]\n",
			want: []Host{{Pos: pos(1), Raw: "fa:16:3e:00:00:01,tag:dhcpv6,h.example,[2001:db8::5],[2001:db8::6]",
				MAC: "fa:16:3e:00:00:01", Tags: []string{"dhcpv6"}, Hostname: "h.example",
				IPs: []netip.Addr{ip("2001:db8::5"), ip("2001:db8::6")}}}},
		{name: "client id and port tag", input: "fa:16:3e:7d:01:ac,id:ff:00:00:00:01,host-10-0-0-9.openstacklocal,10.0.0.9,set:port-" + port + "\n",
			want: []Host{{Pos: pos(1), Raw: "fa:16:3e:7d:01:ac,id:ff:00:00:00:01,host-10-0-0-9.openstacklocal,10.0.0.9,set:port-" + port,
				MAC: "fa:16:3e:7d:01:ac", ClientID: "ff:00:00:00:01", Hostname: "host-10-0-0-9.openstacklocal",
				IPs: []netip.Addr{ip("10.0.0.9")}, Set: []string{"port-" + port}}}},
		{name: "slaac port with options only", input: "fa:16:3e:7d:01:ad,tag:dhcpv6,set:port-" + port + "\n",
			want: []Host{{Pos: pos(1), Raw: "fa:16:3e:7d:01:ad,tag:dhcpv6,set:port-" + port,
				MAC: "fa:16:3e:7d:01:ad", Tags: []string{"dhcpv6"}, Set: []string{"port-" + port}}}},
		{name: "lease time and ignore, CRLF, banner", input: "# cat host\r\n\r\n11:22:33:*:*:*,10.0.0.3,12h\r\naa:bb:cc:dd:ee:ff,ignore\r\n",
			want: []Host{
				{Pos: pos(3), Raw: "11:22:33:*:*:*,10.0.0.3,12h", MAC: "11:22:33:*:*:*", IPs: []netip.Addr{ip("10.0.0.3")}, LeaseTime: "12h"},
				{Pos: pos(4), Raw: "aa:bb:cc:dd:ee:ff,ignore", MAC: "aa:bb:cc:dd:ee:ff", Ignore: true},
			},
			wantIssues: []string{"1: info: comment skipped"}},
		{name: "unknown and bad fields kept", input: "fa:16:3e:00:00:02,name,10.0.0.2,other,[zz::1],\n",
			want: []Host{{Pos: pos(1), Raw: "fa:16:3e:00:00:02,name,10.0.0.2,other,[zz::1],", MAC: "fa:16:3e:00:00:02",
				Hostname: "name", IPs: []netip.Addr{ip("10.0.0.2")}, Extra: []string{"other", "[zz::1]"}}},
			wantIssues: []string{"1: warning: unknown dhcp-host field \"other\"", "1: warning: bad address \"[zz::1]\"", "1: warning: empty field"}},
		{name: "two MACs", input: "fa:16:3e:00:00:03,fa:16:3e:00:00:04,h,10.0.0.4\n",
			want: []Host{{Pos: pos(1), Raw: "fa:16:3e:00:00:03,fa:16:3e:00:00:04,h,10.0.0.4", MAC: "fa:16:3e:00:00:03",
				Hostname: "h", IPs: []netip.Addr{ip("10.0.0.4")}, Extra: []string{"fa:16:3e:00:00:04"}}},
			wantIssues: []string{`1: warning: second MAC address "fa:16:3e:00:00:04"`}},
		{name: "not an entry", input: "hello world\ncat: /var/lib/neutron/dhcp/x/host: No such file or directory\n",
			wantIssues: []string{"1: error: not a dhcp-host entry", "2: info: command failed"}},
	}
	runTable(t, tests, ParseHosts, func(h *Hosts) []Host { return h.Entries })
}

func TestHostPortID(t *testing.T) {
	h := Host{Set: []string{"other", "port-abc"}}
	if got := h.PortID(); got != "abc" {
		t.Errorf("PortID = %q", got)
	}
	if got := (&Host{}).PortID(); got != "" {
		t.Errorf("PortID of untagged = %q", got)
	}
}
