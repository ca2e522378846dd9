package ovn

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The domain reference's sample (neutron-domain.md §6.9), one switch and
// one router trimmed.
const nbSample = `switch 6a1c9f0e-2b3d-4e5f-8a9b-0c1d2e3f4a5b (neutron-0c8d2a6e-91b4-4d1f-8f0e-3a2b1c0d9e8f) (aka private)
    port 5e1f2a3b-c4d5-4e6f-8a7b-9c0d1e2f3a4b
        addresses: ["fa:16:3e:5e:1f:2a 192.168.10.5"]
    port 1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d
        type: router
        router-port: lrp-1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d
    port provnet-4c5d6e7f-8a9b-4c0d-9e1f-2a3b4c5d6e7f
        type: localnet
        tag: 101
        addresses: ["unknown"]
router 3e4f5a6b-7c8d-4e9f-8a0b-1c2d3e4f5a6b (neutron-7c2d9e10-5b6a-4f1e-9a3c-2b8d7e6f5a41) (aka router1)
    port lrp-4d5e6f70-8192-4a3b-8c4d-5e6f7a8b9c0d
        mac: "fa:16:3e:4d:5e:6f"
        networks: ["203.0.113.10/24"]
        gateway chassis: [2f1e0d9c-8b7a-4c6d-9e5f-4a3b2c1d0e9f 9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d]
    nat 7d8e9f0a-1b2c-4d3e-8f4a-5b6c7d8e9f0a
        external ip: "203.0.113.50"
        logical ip: "192.168.10.5"
        type: "dnat_and_snat"
    nat 8e9f0a1b-2c3d-4e4f-9a5b-6c7d8e9f0a1b
        external ip: "203.0.113.10"
        logical ip: "192.168.10.0/24"
        type: "snat"
`

func TestParseNBShowSample(t *testing.T) {
	got, err := ParseNBShow(strings.NewReader(nbSample), "t")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(nbSample, "\n")
	want := &NBShow{
		Switches: []Switch{{Pos: pos(1), Raw: lines[0], UUID: "6a1c9f0e-2b3d-4e5f-8a9b-0c1d2e3f4a5b",
			Name: "neutron-0c8d2a6e-91b4-4d1f-8f0e-3a2b1c0d9e8f", Alias: "private",
			Ports: []SwitchPort{
				{Pos: pos(2), Raw: lines[1], Name: "5e1f2a3b-c4d5-4e6f-8a7b-9c0d1e2f3a4b",
					Addresses: []Address{{Raw: "fa:16:3e:5e:1f:2a 192.168.10.5", MAC: "fa:16:3e:5e:1f:2a", IPs: ips("192.168.10.5")}}},
				{Pos: pos(4), Raw: lines[3], Name: "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d", Type: "router",
					RouterPort: "lrp-1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"},
				{Pos: pos(7), Raw: lines[6], Name: "provnet-4c5d6e7f-8a9b-4c0d-9e1f-2a3b4c5d6e7f", Type: "localnet",
					Tag: 101, HasTag: true, Addresses: []Address{{Raw: "unknown", Keyword: "unknown"}}},
			}}},
		Routers: []Router{{Pos: pos(11), Raw: lines[10], UUID: "3e4f5a6b-7c8d-4e9f-8a0b-1c2d3e4f5a6b",
			Name: "neutron-7c2d9e10-5b6a-4f1e-9a3c-2b8d7e6f5a41", Alias: "router1",
			Ports: []RouterPort{{Pos: pos(12), Raw: lines[11], Name: "lrp-4d5e6f70-8192-4a3b-8c4d-5e6f7a8b9c0d",
				MAC: "fa:16:3e:4d:5e:6f", Networks: []netip.Prefix{pfx("203.0.113.10/24")},
				GatewayChassis: []string{"2f1e0d9c-8b7a-4c6d-9e5f-4a3b2c1d0e9f", "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"}}},
			NATs: []NAT{
				{Pos: pos(16), Raw: lines[15], UUID: "7d8e9f0a-1b2c-4d3e-8f4a-5b6c7d8e9f0a", ExternalIP: ip("203.0.113.50"),
					LogicalIP: pfx("192.168.10.5/32"), Type: "dnat_and_snat"},
				{Pos: pos(20), Raw: lines[19], UUID: "8e9f0a1b-2c3d-4e4f-9a5b-6c7d8e9f0a1b", ExternalIP: ip("203.0.113.10"),
					LogicalIP: pfx("192.168.10.0/24"), Type: "snat"},
			}}},
	}
	if diff := cmp.Diff(want, got, cmpOpts...); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if got.Records() != 8 {
		t.Errorf("Records = %d, want 8", got.Records())
	}
	if id := got.Switches[0].NeutronID(); id != "0c8d2a6e-91b4-4d1f-8f0e-3a2b1c0d9e8f" {
		t.Errorf("switch NeutronID = %q", id)
	}
	if id := got.Routers[0].NeutronID(); id != "7c2d9e10-5b6a-4f1e-9a3c-2b8d7e6f5a41" {
		t.Errorf("router NeutronID = %q", id)
	}
	if id := (&Switch{Name: "ls0"}).NeutronID(); id != "" {
		t.Errorf("NeutronID of a non-Neutron switch = %q", id)
	}
}

func TestParseNBShowPorts(t *testing.T) {
	const u1, u2 = "11111111-2222-3333-4444-555555555555", "66666666-7777-8888-9999-000000000000"
	tests := []tableCase[SwitchPort]{
		{name: "alias, parent and tag, several addresses",
			input: "switch " + u1 + " (ls0)\n    port p1 (aka vm port 1)\n        parent: vm1\n        tag: 42\n" +
				`        addresses: ["fa:16:3e:00:00:01 10.0.0.5 fd00::5", "fa:16:3e:00:00:02 dynamic", "router"]` + "\n",
			want: []SwitchPort{{Pos: pos(2), Raw: "    port p1 (aka vm port 1)", Name: "p1", Alias: "vm port 1",
				Parent: "vm1", Tag: 42, HasTag: true, Addresses: []Address{
					{Raw: "fa:16:3e:00:00:01 10.0.0.5 fd00::5", MAC: "fa:16:3e:00:00:01", IPs: ips("10.0.0.5", "fd00::5")},
					{Raw: "fa:16:3e:00:00:02 dynamic", MAC: "fa:16:3e:00:00:02", Keyword: "dynamic"},
					{Raw: "router", Keyword: "router"},
				}}}},
		{name: "address with prefix, unknown token",
			input: "switch " + u1 + " (ls-int)\nport c6c32709\naddresses: [\"52:54:00:c4:a1:03 172.16.0.201/24 weird\"]\n",
			want: []SwitchPort{{Pos: pos(2), Raw: "port c6c32709", Name: "c6c32709", Addresses: []Address{
				{Raw: "52:54:00:c4:a1:03 172.16.0.201/24 weird", MAC: "52:54:00:c4:a1:03", IPs: ips("172.16.0.201"), Extra: []string{"weird"}}}}},
			wantIssues: []string{`3: warning: unknown address token "weird"`}},
		{name: "spine-leaf switch port with peer; bad and unknown columns",
			input: "switch " + u1 + " (ls)\n    port sp\n        type: switch\n        peer: sp2\n        tag: x\n" +
				"        addresses: [\"unterminated]\n        up: true\n",
			want: []SwitchPort{{Pos: pos(2), Raw: "    port sp", Name: "sp", Type: "switch", Peer: "sp2", Extra: []Column{
				{Pos: pos(5), Raw: "        tag: x", Key: "tag", Value: "x"},
				{Pos: pos(6), Raw: `        addresses: ["unterminated]`, Key: "addresses", Value: `["unterminated]`},
				{Pos: pos(7), Raw: "        up: true", Key: "up", Value: "true"},
			}}},
			wantIssues: []string{"5: warning: bad value tag: x", "6: warning: bad value addresses", "7: warning: unexpected column up: true"}},
		{name: "2016 lswitch/lport spelling with deeper indentation",
			input: "    lswitch " + u2 + " (sw0)\n        lport sw0-port1\n            addresses: [\"00:00:00:00:00:01\"]\n",
			want: []SwitchPort{{Pos: pos(2), Raw: "        lport sw0-port1", Name: "sw0-port1",
				Addresses: []Address{{Raw: "00:00:00:00:00:01", MAC: "00:00:00:00:00:01"}}}}},
	}
	// Each input has one switch; its ports are compared.
	runTable(t, tests, ParseNBShow, func(s *NBShow) []SwitchPort {
		if len(s.Switches) == 0 {
			return nil
		}
		return s.Switches[0].Ports
	})
}

func TestParseNBShowRouters(t *testing.T) {
	const u1, u2 = "11111111-2222-3333-4444-555555555555", "66666666-7777-8888-9999-000000000000"
	tests := []tableCase[Router]{
		{name: "OVN 24.09+ router port: ipv6-lla, peer, route table, port range",
			input: "router " + u1 + " (lr0)\n    port lrp0\n        mac: \"00:00:00:01:02:03\"\n        ipv6-lla: \"fe80::200:ff:fe01:203\"\n" +
				"        networks: [\"192.168.1.1/24\", \"fd00::1/64\"]\n        route-table: rtb-1\n        peer: lrp1-peer\n" +
				"    nat " + u2 + "\n        external ip: \"172.16.1.1\"\n        external port(s): \"21-65535\"\n" +
				"        logical ip: \"10.0.0.0/24\"\n        type: \"snat\"\n",
			want: []Router{{Pos: pos(1), Raw: "router " + u1 + " (lr0)", UUID: u1, Name: "lr0",
				Ports: []RouterPort{{Pos: pos(2), Raw: "    port lrp0", Name: "lrp0", MAC: "00:00:00:01:02:03",
					IPv6LLA: ip("fe80::200:ff:fe01:203"), Networks: []netip.Prefix{pfx("192.168.1.1/24"), pfx("fd00::1/64")},
					RouteTable: "rtb-1", Peer: "lrp1-peer"}},
				NATs: []NAT{{Pos: pos(8), Raw: "    nat " + u2, UUID: u2, ExternalIP: ip("172.16.1.1"), ExternalPorts: "21-65535",
					LogicalIP: pfx("10.0.0.0/24"), Type: "snat"}}}}},
		{name: "empty name, upper-case UUID, unknown and bad columns",
			input: "router " + strings.ToUpper(u1) + " ()\n    foo: bar\n    port p\n        mac: \"zz\"\n        networks: [\"x\"]\n" +
				"        gateway chassis: gw1\n    nat " + u2 + "\n        external ip: \"nope\"\n        logical ip: \"bad\"\n        extra: 1\n",
			want: []Router{{Pos: pos(1), Raw: "router " + strings.ToUpper(u1) + " ()", UUID: u1,
				Extra: []Column{{Pos: pos(2), Raw: "    foo: bar", Key: "foo", Value: "bar"}},
				Ports: []RouterPort{{Pos: pos(3), Raw: "    port p", Name: "p", Extra: []Column{
					{Pos: pos(4), Raw: `        mac: "zz"`, Key: "mac", Value: `"zz"`},
					{Pos: pos(5), Raw: `        networks: ["x"]`, Key: "networks", Value: `["x"]`},
					{Pos: pos(6), Raw: "        gateway chassis: gw1", Key: "gateway chassis", Value: "gw1"},
				}}},
				NATs: []NAT{{Pos: pos(7), Raw: "    nat " + u2, UUID: u2, Extra: []Column{
					{Pos: pos(8), Raw: `        external ip: "nope"`, Key: "external ip", Value: `"nope"`},
					{Pos: pos(9), Raw: `        logical ip: "bad"`, Key: "logical ip", Value: `"bad"`},
					{Pos: pos(10), Raw: "        extra: 1", Key: "extra", Value: "1"},
				}}}}},
			wantIssues: []string{"2: warning: unexpected column foo", "4: warning: bad value mac", "5: warning: bad value networks",
				"6: warning: bad value gateway chassis", "8: warning: bad value external ip", "9: warning: bad value logical ip",
				"10: warning: unexpected column extra"}},
		{name: "router name without parentheses, port alias",
			input: "router " + u1 + " lr0\n    port lrp0 (aka x)\n",
			want: []Router{{Pos: pos(1), Raw: "router " + u1 + " lr0", UUID: u1, Name: "lr0",
				Ports: []RouterPort{{Pos: pos(2), Raw: "    port lrp0 (aka x)", Name: "lrp0"}}}},
			wantIssues: []string{"1: warning: name not in parentheses", "2: warning: has an alias"}},
	}
	runTable(t, tests, ParseNBShow, func(s *NBShow) []Router { return s.Routers })
}

func TestParseNBShowNoise(t *testing.T) {
	const u = "11111111-2222-3333-4444-555555555555"
	input := "# ovn-nbctl show\r\n" +
		"ovn-nbctl: unix:/var/run/ovn/ovnnb_db.sock: database connection failed (No such file or directory)\r\n" +
		"2026-11-22T15:26:38Z|00001|reconnect|WARN|unix:/run/ovn/ovnnb_db.sock: connection attempt failed\r\n" +
		"port orphan\r\n" +
		"type: router\r\n" +
		"nat " + u + "\r\n" +
		"switch not-a-uuid (x)\r\n" +
		"\x1b[1mswitch " + u + " (ls0)\x1b[0m   \r\n" +
		"    something odd\r\n" +
		"\r\n"
	got, err := ParseNBShow(strings.NewReader(input), "t")
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Switches) != 1 || got.Switches[0].Name != "ls0" {
		t.Errorf("switches = %+v", got.Switches)
	}
	matchIssues(t, got.Issues, []string{
		"1: info: collector banner skipped",
		"2: info: command failed",
		"3: info: tool log message skipped",
		"4: error: port orphan outside a switch or router",
		"5: error: type: outside a switch or router",
		"6: error: nat " + u + " outside a router",
		"7: error: not an ovn-nbctl show line",
		"9: error: not an ovn-nbctl show line",
	})
	if miss := uncovered(input, got); len(miss) > 0 {
		t.Errorf("lines neither parsed nor reported: %v", miss)
	}
}

func TestIsNBKeyAndMAC(t *testing.T) {
	for s, want := range map[string]bool{
		"type": true, "router-port": true, "gateway chassis": true, "external port(s)": true, "ipv6-lla": true,
		"": false, "(s)": false, "Type": false, "a  b": false, "a ": false, "ovn-nbctl: x": false, "1st": false,
	} {
		if got := isNBKey(s); got != want {
			t.Errorf("isNBKey(%q) = %v", s, got)
		}
	}
	for s, want := range map[string]bool{
		"fa:16:3e:5e:1f:2a": true, "FA:16:3E:5E:1F:2A": true,
		"fa:16:3e:5e:1f": false, "fa-16-3e-5e-1f-2a": false, "fa:16:3e:5e:1f:2g": false, "fa:16:3e:5e:1f:2a:": false,
	} {
		if got := isMAC(s); got != want {
			t.Errorf("isMAC(%q) = %v", s, got)
		}
	}
}
