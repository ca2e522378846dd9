package ovs

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestParsePortStats(t *testing.T) {
	input := `OFPST_PORT reply (OF1.4) (xid=0x2): 3 ports
  port  ens2f0: rx pkts=779660469, bytes=204019064706, drop=13, errs=0, frame=0, over=0, crc=0
           tx pkts=393012755, bytes=72170611443, drop=0, errs=0, coll=0
           duration=12.5s
           rx rfc2819 1_to_64_packets=5, broadcast_packets=2,
           CUSTOM Statistics
                      ovs_tx_failure_drops=0, ovs_tx_mtu_exceeded_drops=3,
  port LOCAL: rx pkts=0, bytes=0, drop=?, errs=?, frame=?, over=?, crc=?
           tx pkts=0, bytes=0, drop=?, errs=?, coll=?, bogus=1
  port  "phy-br-ex": rx pkts=x, bytes=1, drop=0, errs=0, frame=0, over=0, crc=0
           nonsense
`
	got, err := ParsePortStats(strings.NewReader(input), "f")
	if err != nil {
		t.Fatal(err)
	}
	none := Counters{-1, -1, -1, -1, -1, -1, -1, -1}
	want := &PortStatsDump{Version: "OF1.4", NPorts: 3, Ports: []PortStats{
		{Pos: stPos(2), Port: "ens2f0", Duration: 12.5,
			RX:    Counters{779660469, 204019064706, 13, 0, 0, 0, 0, -1},
			TX:    Counters{393012755, 72170611443, 0, 0, -1, -1, -1, 0},
			Extra: []Counter{{"rx_1_to_64_packets", 5}, {"rx_broadcast_packets", 2}, {"custom_ovs_tx_failure_drops", 0}, {"custom_ovs_tx_mtu_exceeded_drops", 3}}},
		{Pos: stPos(8), Port: "LOCAL", OFPort: LocalPort, Duration: -1,
			RX: Counters{0, 0, -1, -1, -1, -1, -1, -1}, TX: Counters{0, 0, -1, -1, -1, -1, -1, -1}},
		{Pos: stPos(10), Port: "phy-br-ex", Duration: -1, RX: Counters{-1, 1, 0, 0, 0, 0, 0, -1}, TX: none},
	}}
	opts := cmp.Options{cmpopts.IgnoreFields(PortStats{}, "Raw"), cmpopts.IgnoreFields(PortStatsDump{}, "Issues"), cmpopts.IgnoreUnexported(PortStatsDump{}), cmpopts.EquateEmpty()}
	if diff := cmp.Diff(want, got, opts); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	ofCheckIssues(t, got.Issues, []string{"9:warning:tx counter \"bogus=1\" unknown", "10:warning:rx counter pkts=\"x\" is not a number", "11:error:not an ovs-ofctl dump-ports line"})
	stCheckCoverage(t, input, got.Issues, got.understood)
	if got.Port("LOCAL") == nil || got.Port("nope") != nil {
		t.Error("Port lookup")
	}
	short, _ := ParsePortStats(strings.NewReader("OFPST_PORT reply (xid=0x2): 2 ports\n  port  1: rx pkts=0, bytes=0, drop=0, errs=0, frame=0, over=0, crc=0\n"), "f")
	ofCheckIssues(t, short.Issues, []string{"0:warning:banner announces 2 ports, 1 parsed"})
}
