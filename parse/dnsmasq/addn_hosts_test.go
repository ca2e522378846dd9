package dnsmasq

import "testing"

func TestParseAddnHosts(t *testing.T) {
	tests := []tableCase[AddnHost]{
		{name: "neutron", input: "10.10.2.1\thost-10-10-2-1.openstacklocal host-10-10-2-1\n2001:db8::5\th6.openstacklocal h6\n",
			want: []AddnHost{
				{Pos: pos(1), Raw: "10.10.2.1\thost-10-10-2-1.openstacklocal host-10-10-2-1", IP: ip("10.10.2.1"),
					Names: []string{"host-10-10-2-1.openstacklocal", "host-10-10-2-1"}},
				{Pos: pos(2), Raw: "2001:db8::5\th6.openstacklocal h6", IP: ip("2001:db8::5"),
					Names: []string{"h6.openstacklocal", "h6"}},
			}},
		{name: "comments, spaces, CRLF", input: "# generated\r\n  10.0.0.1   a b # trailing\r\n\r\n",
			want:       []AddnHost{{Pos: pos(2), Raw: "  10.0.0.1   a b # trailing", IP: ip("10.0.0.1"), Names: []string{"a", "b"}}},
			wantIssues: []string{"1: info: comment skipped"}},
		{name: "bad", input: "host-1 10.0.0.1\n10.0.0.2\n",
			want:       []AddnHost{{Pos: pos(2), Raw: "10.0.0.2", IP: ip("10.0.0.2")}},
			wantIssues: []string{"1: error: bad IP", "2: warning: without a name"}},
	}
	runTable(t, tests, ParseAddnHosts, func(h *AddnHosts) []AddnHost { return h.Entries })
}
