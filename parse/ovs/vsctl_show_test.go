package ovs

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"netxray/parse"
)

func stAtom(s string) Datum { return Datum{Kind: KindAtom, Set: []Atom{{Type: AtomString, Text: s}}} }

func stMap(kv ...string) Datum {
	d := Datum{Kind: KindMap}
	for i := 0; i+1 < len(kv); i += 2 {
		d.Map = append(d.Map, Pair{Atom{Text: kv[i]}, Atom{Text: kv[i+1]}})
	}
	return d
}

func stPos(line int) parse.Pos { return parse.Pos{File: "f", Line: line} }

func TestParseShow(t *testing.T) {
	tests := []struct {
		name       string
		input      string
		want       *Show
		wantIssues []string
	}{
		{"modern with bond, error, trunks",
			`6f0d6c1e-8f5a-4f2b-9f43-2a7e1c3d9b10
    Manager "ptcp:6640:127.0.0.1"
        is_connected: true
    Bridge br-int
        Controller "tcp:127.0.0.1:6633"
            is_connected: true
        fail_mode: secure
        datapath_type: netdev
        Port bond0
            Interface eth1
            Interface eth2
                type: system
        Port tapd4e5f6a7-b8
            tag: 4095
            trunks: [4095, 10]
            Interface tapd4e5f6a7-b8
                error: "could not open network device tapd4e5f6a7-b8 (No such device)"
        Port vxlan-0a00000a
            Interface vxlan-0a00000a
                type: vxlan
                options: {df_default="true", in_key=flow, remote_ip="10.0.0.10"}
    ovs_version: "3.3.1"
`,
			&Show{UUID: "6f0d6c1e-8f5a-4f2b-9f43-2a7e1c3d9b10", OVSVersion: "3.3.1",
				Managers: []ShowTarget{{Pos: stPos(2), Target: "ptcp:6640:127.0.0.1", IsConnected: true}},
				Bridges: []ShowBridge{{Pos: stPos(4), Name: "br-int", FailMode: "secure", DatapathType: "netdev",
					Controllers: []ShowTarget{{Pos: stPos(5), Target: "tcp:127.0.0.1:6633", IsConnected: true}},
					Ports: []ShowPort{
						{Pos: stPos(9), Name: "bond0", Interfaces: []ShowInterface{{Pos: stPos(10), Name: "eth1"}, {Pos: stPos(11), Name: "eth2", Type: "system"}}},
						{Pos: stPos(13), Name: "tapd4e5f6a7-b8", Tag: 4095, HasTag: true, Trunks: []int{4095, 10},
							Interfaces: []ShowInterface{{Pos: stPos(16), Name: "tapd4e5f6a7-b8", Error: "could not open network device tapd4e5f6a7-b8 (No such device)"}}},
						{Pos: stPos(18), Name: "vxlan-0a00000a", Interfaces: []ShowInterface{{Pos: stPos(19), Name: "vxlan-0a00000a", Type: "vxlan",
							Options: stMap("df_default", "true", "in_key", "flow", "remote_ip", "10.0.0.10")}}},
					}}},
			}, nil},
		{"old quoting, CRLF, banner, unknown column, tool error",
			"# ovs-vsctl show\r\nb9b27fc3-5057-47e7-ba64-0b6afe70a398\r\n    Bridge \"br-eth1\"\r\n        Port \"phy-br-eth1\"\r\n            lacp: active\r\n            Interface \"phy-br-eth1\"\r\n                bfd_status: {state=up}\r\n    ovs_version: \"1.4.0+build0\"\r\novs-vsctl: unix:/var/run/openvswitch/db.sock: database connection failed (No such file or directory)\r\n",
			&Show{UUID: "b9b27fc3-5057-47e7-ba64-0b6afe70a398", OVSVersion: "1.4.0+build0",
				Bridges: []ShowBridge{{Pos: stPos(3), Name: "br-eth1", Ports: []ShowPort{{Pos: stPos(4), Name: "phy-br-eth1",
					Extra:      []ShowColumn{{Pos: stPos(5), Name: "lacp", Value: stAtom("active")}},
					Interfaces: []ShowInterface{{Pos: stPos(6), Name: "phy-br-eth1", BFDStatus: stMap("state", "up")}}}}}},
			}, []string{"1:info:collector banner", "5:warning:unexpected column lacp", "9:info:command failed"}},
		{"escaped name and orphans",
			`    Port lost
    Bridge "a \"b\""
        Interface x
        garbage here
`,
			&Show{Bridges: []ShowBridge{{Pos: stPos(2), Name: `a "b"`}}},
			[]string{"1:error:Port lost outside a Bridge", "3:error:Interface x outside a Port", "4:error:not an ovs-vsctl show line"}},
		{"empty", "", &Show{}, nil},
	}
	opts := cmp.Options{cmpopts.IgnoreFields(ShowBridge{}, "Raw"), cmpopts.IgnoreFields(ShowPort{}, "Raw"),
		cmpopts.IgnoreFields(ShowInterface{}, "Raw"), cmpopts.IgnoreFields(ShowTarget{}, "Raw"),
		cmpopts.IgnoreFields(ShowColumn{}, "Raw"), cmpopts.IgnoreFields(Show{}, "Issues"),
		cmpopts.IgnoreUnexported(Show{}), cmpopts.EquateEmpty()}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseShow(strings.NewReader(tt.input), "f")
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got, opts); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			ofCheckIssues(t, got.Issues, tt.wantIssues)
			stCheckCoverage(t, tt.input, got.Issues, got.understood)
		})
	}
}

func TestShowHelpers(t *testing.T) {
	s, _ := ParseShow(strings.NewReader("x\n    Bridge b\n        Port p\n            Interface p\n                options: {peer=q}\n"), "f")
	if v, ok := s.Bridges[0].Ports[0].Interfaces[0].Option("peer"); !ok || v != "q" {
		t.Errorf("Option = %q %v", v, ok)
	}
	if s.Records() != 3 {
		t.Errorf("Records = %d", s.Records())
	}
}
