package ovn

import (
	"strings"
	"testing"

	"netxray/parse/ovs"
)

func datum(t *testing.T, s string) ovs.Datum {
	t.Helper()
	d, err := ovs.ParseDatum(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestParseSBShow(t *testing.T) {
	csum := datum(t, `{csum="true"}`)
	tests := []tableCase[Chassis]{
		{name: "domain reference sample",
			input: `Chassis "2f1e0d9c-8b7a-4c6d-9e5f-4a3b2c1d0e9f"
    hostname: net1
    Encap geneve
        ip: "10.0.0.10"
        options: {csum="true"}
    Port_Binding cr-lrp-4d5e6f70-8192-4a3b-8c4d-5e6f7a8b9c0d
Chassis "b7c6d5e4-f3a2-4b1c-8d0e-9f8a7b6c5d4e"
    hostname: cmp1
    Encap geneve
        ip: "10.0.0.11"
        options: {csum="true"}
    Port_Binding "5e1f2a3b-c4d5-4e6f-8a7b-9c0d1e2f3a4b"
`,
			want: []Chassis{
				{Pos: pos(1), Raw: `Chassis "2f1e0d9c-8b7a-4c6d-9e5f-4a3b2c1d0e9f"`, Name: "2f1e0d9c-8b7a-4c6d-9e5f-4a3b2c1d0e9f",
					Hostname: "net1",
					Encaps:   []Encap{{Pos: pos(3), Raw: "    Encap geneve", Type: "geneve", IP: ip("10.0.0.10"), Options: csum}},
					Ports: []PortBinding{{Pos: pos(6), Raw: "    Port_Binding cr-lrp-4d5e6f70-8192-4a3b-8c4d-5e6f7a8b9c0d",
						LogicalPort: "cr-lrp-4d5e6f70-8192-4a3b-8c4d-5e6f7a8b9c0d"}}},
				{Pos: pos(7), Raw: `Chassis "b7c6d5e4-f3a2-4b1c-8d0e-9f8a7b6c5d4e"`, Name: "b7c6d5e4-f3a2-4b1c-8d0e-9f8a7b6c5d4e",
					Hostname: "cmp1",
					Encaps:   []Encap{{Pos: pos(9), Raw: "    Encap geneve", Type: "geneve", IP: ip("10.0.0.11"), Options: csum}},
					Ports: []PortBinding{{Pos: pos(12), Raw: `    Port_Binding "5e1f2a3b-c4d5-4e6f-8a7b-9c0d1e2f3a4b"`,
						LogicalPort: "5e1f2a3b-c4d5-4e6f-8a7b-9c0d1e2f3a4b"}}},
			}},
		{name: "two encaps, old quoting, no hostname, CRLF",
			input: "Chassis node1\r\n    Encap vxlan\r\n        ip: \"192.168.253.11\"\r\n        options: {csum=\"false\"}\r\n" +
				"    Encap geneve\r\n        ip: \"192.168.253.11\"\r\n        options: {csum=\"true\"}\r\n    Port_Binding \"lrp1\"\r\n",
			want: []Chassis{{Pos: pos(1), Raw: "Chassis node1", Name: "node1", Encaps: []Encap{
				{Pos: pos(2), Raw: "    Encap vxlan", Type: "vxlan", IP: ip("192.168.253.11"), Options: datum(t, `{csum="false"}`)},
				{Pos: pos(5), Raw: "    Encap geneve", Type: "geneve", IP: ip("192.168.253.11"), Options: csum},
			}, Ports: []PortBinding{{Pos: pos(8), Raw: `    Port_Binding "lrp1"`, LogicalPort: "lrp1"}}}}},
		{name: "unknown, bad and misplaced columns",
			input: "Chassis ch\n    color: blue\n    Encap geneve\n        ip: \"not-an-ip\"\n        options: {csum=\n" +
				"        hostname: h\n        mtu: 1500\n    Port_Binding p\n    ip: \"10.0.0.1\"\n",
			want: []Chassis{{Pos: pos(1), Raw: "Chassis ch", Name: "ch", Hostname: "h",
				Extra: []Column{
					{Pos: pos(2), Raw: "    color: blue", Key: "color", Value: "blue"},
					{Pos: pos(9), Raw: `    ip: "10.0.0.1"`, Key: "ip", Value: `"10.0.0.1"`},
				},
				Encaps: []Encap{{Pos: pos(3), Raw: "    Encap geneve", Type: "geneve", Extra: []Column{
					{Pos: pos(4), Raw: `        ip: "not-an-ip"`, Key: "ip", Value: `"not-an-ip"`},
					{Pos: pos(5), Raw: "        options: {csum=", Key: "options", Value: "{csum="},
					{Pos: pos(7), Raw: "        mtu: 1500", Key: "mtu", Value: "1500"},
				}}},
				Ports: []PortBinding{{Pos: pos(8), Raw: "    Port_Binding p", LogicalPort: "p"}}}},
			wantIssues: []string{"2: warning: unexpected column color", "4: warning: bad value ip", "5: warning: bad value options",
				"7: warning: unexpected column mtu", "9: warning: unexpected column ip"}},
		{name: "noise and orphans",
			input: "$ ovn-sbctl show\nEncap geneve\nhostname: x\nPort_Binding p\nChassis \"unterminated\n" +
				"ovn-sbctl: unix:/var/run/ovn/ovnsb_db.sock: database connection failed (No such file or directory)\n" +
				"Error: no container with name or ID \"ovn_controller\" found: no such container\nBridge br-int\n",
			wantIssues: []string{"1: info: collector banner", "2: error: Encap geneve outside a Chassis",
				"3: error: hostname: outside a Chassis", "4: error: Port_Binding p outside a Chassis",
				"5: error: bad Chassis name", "6: info: command failed", "7: info: command failed",
				"8: error: not an ovn-sbctl show line"}},
	}
	runTable(t, tests, ParseSBShow, func(s *SBShow) []Chassis { return s.Chassis })
}

func TestSBShowHelpers(t *testing.T) {
	s, err := ParseSBShow(strings.NewReader("Chassis a\n Encap geneve\n  ip: \"10.0.0.1\"\n  options: {csum=\"true\"}\n Port_Binding p\n"), "t")
	if err != nil {
		t.Fatal(err)
	}
	if s.Records() != 3 {
		t.Errorf("Records = %d, want 3", s.Records())
	}
	if v, ok := s.Chassis[0].Encaps[0].Option("csum"); !ok || v != "true" {
		t.Errorf("Option(csum) = %q, %v", v, ok)
	}
}

// Each Sniff accepts its own format and none of the others'.
func TestSniff(t *testing.T) {
	samples := map[string]string{
		nbSample: string(KindNBShow),
		"# ovn-nbctl show\nrouter 3e4f5a6b-7c8d-4e9f-8a0b-1c2d3e4f5a6b (lr0)\n":  string(KindNBShow),
		"    lswitch 3e4f5a6b-7c8d-4e9f-8a0b-1c2d3e4f5a6b (sw0)\n":               string(KindNBShow),
		"Chassis \"2f1e0d9c-8b7a-4c6d-9e5f-4a3b2c1d0e9f\"\n    hostname: net1\n": string(KindSBShow),
		"698493db-95ef-4c31-b419-56b3d4096f2b\n    Bridge br-int\n":              "",
		"switch is down\n": "",
		"":                 "",
	}
	for in, want := range samples {
		for _, f := range Formats {
			if got := f.Sniff([]byte(in)); got != (string(f.Kind) == want) {
				t.Errorf("%s.Sniff(%q) = %v", f.Kind, in, got)
			}
		}
	}
}
