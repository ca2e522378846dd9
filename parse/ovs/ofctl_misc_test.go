package ovs

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestParseTunnels(t *testing.T) {
	input := `port 7: vxlan-ac10000b (vxlan: 172.16.0.31->172.16.0.11, key=flow, legacy_l2, dp port=7, ttl=64)
port 4: gre-1 (gre: flow->10.0.0.2, key=0x5, legacy_l3, dp port=4, ttl=inherit, csum=true)
tunnels: none
`
	got, err := ParseTunnels(strings.NewReader(input), "f")
	if err != nil {
		t.Fatal(err)
	}
	want := []Tunnel{
		{Pos: stPos(1), Port: 7, Name: "vxlan-ac10000b", Type: "vxlan", Local: "172.16.0.31", Remote: "172.16.0.11",
			Options: []KeyVal{{"key", "flow"}, {"dp port", "7"}, {"ttl", "64"}}, Flags: []string{"legacy_l2"}},
		{Pos: stPos(2), Port: 4, Name: "gre-1", Type: "gre", Local: "flow", Remote: "10.0.0.2",
			Options: []KeyVal{{"key", "0x5"}, {"dp port", "4"}, {"ttl", "inherit"}, {"csum", "true"}}, Flags: []string{"legacy_l3"}},
	}
	if diff := cmp.Diff(want, got.Tunnels, cmpopts.IgnoreFields(Tunnel{}, "Raw")); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	ofCheckIssues(t, got.Issues, []string{"3:error:not a list-tunnels line"})
	stCheckCoverage(t, input, got.Issues, got.understood)
	if v, ok := got.Tunnels[0].Option("dp port"); !ok || v != "7" {
		t.Errorf("Option = %q", v)
	}
}

func TestParseDPShow(t *testing.T) {
	input := `system@ovs-system:
  lookups: hit:765 missed:147 lost:0
  flows: 0
  masks: hit:1870 total:0 hit/pkt:2.05
  caches:
    masks-cache: size:256
  port 0: ovs-system (internal)
  port 7: vxlan_sys_4789 (vxlan: packet_type=ptap)
    RX packets:0 errors:? dropped:? overruns:? frame:?
    RX bytes:0  TX bytes:0
  port 8: tap1
, could not retrieve stats (No such device)  port 9: tap2
    RX bytes:2442766 (2.3 MiB)  TX bytes:1006
    RX bytes:? TX bytes:3658 (3.6 KiB)
  port 10: qr-1 (tap, could not retrieve configuration (No such device))
, open failed (No such device)  port 11: p1 (tap: open failed (No such device))
  what is this
`
	got, err := ParseDPShow(strings.NewReader(input), "f")
	if err != nil {
		t.Fatal(err)
	}
	want := []Datapath{{Pos: stPos(1), Name: "system@ovs-system",
		Stats: []KeyVal{{"lookups.hit", "765"}, {"lookups.missed", "147"}, {"lookups.lost", "0"}, {"flows", "0"},
			{"masks.hit", "1870"}, {"masks.total", "0"}, {"masks.hit/pkt", "2.05"}, {"caches.masks-cache.size", "256"}},
		Ports: []DPPort{
			{Pos: stPos(7), Number: 0, Name: "ovs-system", Type: "internal"},
			{Pos: stPos(8), Number: 7, Name: "vxlan_sys_4789", Type: "vxlan", Config: "packet_type=ptap",
				Stats: []KeyVal{{"RX packets", "0"}, {"RX errors", "?"}, {"RX dropped", "?"}, {"RX overruns", "?"}, {"RX frame", "?"}, {"RX bytes", "0"}, {"TX bytes", "0"}}},
			{Pos: stPos(11), Number: 8, Name: "tap1", StatsError: "No such device"},
			{Pos: stPos(12), Number: 9, Name: "tap2",
				Stats: []KeyVal{{"RX bytes", "2442766"}, {"TX bytes", "1006"}, {"RX bytes", "?"}, {"TX bytes", "3658"}}},
			{Pos: stPos(15), Number: 10, Name: "qr-1", Type: "tap", StatsError: "No such device"},
			{Pos: stPos(16), Number: 11, Name: "p1", Type: "tap", Config: "open failed (No such device)"},
		}}}
	if diff := cmp.Diff(want, got.Datapaths, cmpopts.IgnoreFields(Datapath{}, "Raw"), cmpopts.IgnoreFields(DPPort{}, "Raw"), cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	ofCheckIssues(t, got.Issues, []string{"12:info:port tap1: could not retrieve stats (No such device)",
		"15:info:port qr-1: could not retrieve configuration (No such device)",
		"16:info:port qr-1: open failed (No such device)", "17:error:not a dpctl show line"})
	stCheckCoverage(t, input, got.Issues, got.understood)
	if v, _ := got.Datapaths[0].Stat("lookups.missed"); v != "147" {
		t.Errorf("Stat = %q", v)
	}
	if v, _ := got.Datapaths[0].Ports[1].Stat("RX packets"); v != "0" {
		t.Errorf("port Stat = %q", v)
	}
}
