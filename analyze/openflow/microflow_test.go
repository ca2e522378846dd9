package openflow

import (
	"strings"
	"testing"
)

func TestParseMicroflow(t *testing.T) {
	sw := sw1(t, basicPorts, "table=0 actions=drop")
	for _, tc := range []struct {
		name, in string
		want     string // FormatPacket of the result
		wantErr  string
	}{
		{"shorthand and ports", "tcp,in_port=tap3,nw_src=10.0.0.1,nw_dst=10.0.0.2,tp_src=1000,tp_dst=22",
			"tcp,in_port=3,vlan_tci=0x0,dl_src=00:00:00:00:00:00,dl_dst=00:00:00:00:00:00,nw_src=10.0.0.1,nw_dst=10.0.0.2,nw_tos=0,nw_ecn=0,nw_ttl=0,tp_src=1000,tp_dst=22", ""},
		{"repeated item", "ip,ip,in_port=1,in_port=1", "ip,in_port=1,vlan_tci=0x0,dl_src=00:00:00:00:00:00,dl_dst=00:00:00:00:00:00,nw_src=0.0.0.0,nw_dst=0.0.0.0,nw_proto=0,nw_tos=0,nw_ecn=0,nw_ttl=0", ""},
		{"spaces and quotes", ` arp , in_port="p2" , arp_spa=10.0.0.1 , dl_src=FA:16:3E:0:0:1 `,
			"arp,in_port=2,vlan_tci=0x0,dl_src=fa:16:3e:00:00:01,dl_dst=00:00:00:00:00:00,arp_spa=10.0.0.1,arp_tpa=0.0.0.0,arp_op=0,arp_sha=00:00:00:00:00:00,arp_tha=00:00:00:00:00:00", ""},
		{"vlan", "in_port=LOCAL,dl_vlan=5,dl_vlan_pcp=3", "in_port=LOCAL,vlan_tci=0x7005,dl_src=00:00:00:00:00:00,dl_dst=00:00:00:00:00:00,dl_type=0x0", ""},
		{"registers and conntrack", "ip,in_port=1,reg5=0x3,ct_state=trk|est,ct_zone=2", "ct_state=est|trk,ct_zone=2,ip,reg5=0x3,in_port=1,vlan_tci=0x0,dl_src=00:00:00:00:00:00,dl_dst=00:00:00:00:00:00,nw_src=0.0.0.0,nw_dst=0.0.0.0,nw_proto=0,nw_tos=0,nw_ecn=0,nw_ttl=0", ""},
		{"unknown field", "in_port=1,frob=1", "", "unknown field frob"},
		{"no value", "in_port=1,reg0", "", `microflow item "reg0": expected field=value`},
		{"masked", "in_port=1,reg0=1/1", "", "field reg0 cannot be masked"},
		{"prerequisite", "in_port=1,tp_dst=22", "", "prerequisites not met for setting tcp_dst"},
		{"icmp_type is ICMPv4 in a microflow", "icmp6,in_port=1,icmp_type=135", "", "prerequisites not met for setting icmp_type"},
		{"bad MAC", "in_port=1,dl_src=fa:16:3e:00:00", "", `bad MAC "fa:16:3e:00:00"`},
		{"bad MAC digit", "in_port=1,dl_src=fa:16:3e:00:00:0g", "", `bad MAC`},
		{"MAC byte too long", "in_port=1,dl_src=fa:16:3e:00:00:001", "", `bad MAC`},
		{"bad IPv4", "ip,in_port=1,nw_src=10.0.0.256", "", `bad IPv4 address "10.0.0.256"`},
		{"short IPv4", "ip,in_port=1,nw_src=10.0.0", "", `bad IPv4 address`},
		{"unknown port", "in_port=nosuch", "", `bad value "nosuch" for in_port`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := ParseMicroflow(tc.in, sw, "br0")
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := FormatPacket(p); got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}
