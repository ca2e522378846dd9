package ovs

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestParseOFShow(t *testing.T) {
	tests := []struct {
		name       string
		input      string
		want       *OFShow
		wantIssues []string
	}{
		{"OpenFlow 1.0",
			`OFPT_FEATURES_REPLY (xid=0x2): dpid:0000e2ba656ebe59
n_tables:254, n_buffers:0
capabilities: FLOW_STATS TABLE_STATS PORT_STATS QUEUE_STATS ARP_MATCH_IP
actions: output enqueue set_vlan_vid
 3(qvo5e1f2a3b-c4): addr:16:B2:09:3f:77:e1
     config:     0
     state:      0
     current:    10GB-FD COPPER
     advertised: 1GB-FD
     supported:  1GB-FD 10GB-FD
     peer:       10GB-FD
     speed: 10000 Mbps now, 0 Mbps max
 LOCAL(br-int): addr:e2:ba:65:6e:be:59
     config:     PORT_DOWN
     state:      LINK_DOWN
     weird:      thing
OFPT_GET_CONFIG_REPLY (xid=0x4): frags=normal miss_send_len=0
`,
			&OFShow{DatapathID: "0000e2ba656ebe59", NTables: 254, Config: "frags=normal miss_send_len=0",
				Capabilities: []string{"FLOW_STATS", "TABLE_STATS", "PORT_STATS", "QUEUE_STATS", "ARP_MATCH_IP"},
				Actions:      []string{"output", "enqueue", "set_vlan_vid"},
				Ports: []PortDesc{
					{Pos: stPos(5), OFPort: 3, Number: "3", Name: "qvo5e1f2a3b-c4", MAC: "16:b2:09:3f:77:e1",
						Current: []string{"10GB-FD", "COPPER"}, Advertised: []string{"1GB-FD"}, Supported: []string{"1GB-FD", "10GB-FD"},
						Peer: []string{"10GB-FD"}, SpeedMbps: 10000},
					{Pos: stPos(13), OFPort: LocalPort, Number: "LOCAL", Name: "br-int", MAC: "e2:ba:65:6e:be:59",
						Config: []string{"PORT_DOWN"}, State: []string{"LINK_DOWN"}, Extra: []string{"weird:      thing"}},
				}},
			[]string{"16:warning:unknown line kept as extra"}},
		{"OpenFlow 1.3 and a failure",
			`OFPT_FEATURES_REPLY (OF1.3) (xid=0x2): dpid:00004e8f16a5ea43
n_tables:254, n_buffers:0
capabilities: FLOW_STATS TABLE_STATS PORT_STATS GROUP_STATS QUEUE_STATS
OFPST_PORT_DESC reply (OF1.3) (xid=0x3):
 1(patch-tun): addr:2e:77:c0:1d:5a:90
     config:     0
     state:      LIVE
     speed: 0 Mbps now, 0 Mbps max
OFPT_ECHO_REPLY (xid=0x9):
ovs-ofctl: br-int: version negotiation failed (we support version 0x01, peer supports version 0x04)
what
`,
			&OFShow{Version: "OF1.3", DatapathID: "00004e8f16a5ea43", NTables: 254,
				Capabilities: []string{"FLOW_STATS", "TABLE_STATS", "PORT_STATS", "GROUP_STATS", "QUEUE_STATS"},
				Ports:        []PortDesc{{Pos: stPos(5), OFPort: 1, Number: "1", Name: "patch-tun", MAC: "2e:77:c0:1d:5a:90", State: []string{"LIVE"}}}},
			[]string{"9:info:reply OFPT_ECHO_REPLY not used", "10:info:command failed", "11:error:not an ovs-ofctl show line"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseOFShow(strings.NewReader(tt.input), "f")
			if err != nil {
				t.Fatal(err)
			}
			opts := cmp.Options{cmpopts.IgnoreFields(PortDesc{}, "Raw"), cmpopts.IgnoreFields(OFShow{}, "Issues"), cmpopts.IgnoreUnexported(OFShow{}), cmpopts.EquateEmpty()}
			if diff := cmp.Diff(tt.want, got, opts); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			ofCheckIssues(t, got.Issues, tt.wantIssues)
			stCheckCoverage(t, tt.input, got.Issues, got.understood)
		})
	}
}

func TestOFShowLookups(t *testing.T) {
	s, _ := ParsePortsDesc(strings.NewReader("OFPST_PORT_DESC reply (OF1.4) (xid=0x2):\n 7(qvo5e1f2a3b-c4a): addr:16:b2:09:3f:77:e1\n     config:     PORT_DOWN\n     state:      0\n"), "f")
	if p := s.Port(7); p == nil || !p.IsDown() {
		t.Errorf("Port(7) = %+v", p)
	}
	if s.PortByName("qvo5e1f2a3b-c4a0f") == nil || s.PortByMAC("16:B2:09:3F:77:E1") == nil || s.Port(8) != nil {
		t.Errorf("lookups failed")
	}
	if s.Version != "OF1.4" || s.Records() != 1 || len(s.Issues) != 0 {
		t.Errorf("%+v", s)
	}
}
