package openflow

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"netxray/analyze/model"
	"netxray/collect"
	"netxray/parse"
	"netxray/parse/ovs"
)

// fromNodeFixture is a node of the model built by hand: br-int with a VM
// port, a port OVS failed to add and a patch to br-tun; br-tun with a
// tunnel and no flow dump; a fast-failover group watching a port by name;
// the MAC table of br-int.
func fromNodeFixture(t *testing.T) *model.Node {
	t.Helper()
	flows := flowsFromText(t, "dump-flows_br-int", "table=0,priority=10,in_port=tap1 actions=output:patch-tun\ntable=0,priority=5 actions=NORMAL")
	groups := &ovs.GroupDump{Groups: []ovs.Group{{Pos: parse.Pos{File: "dump-groups_br-int", Line: 1}, ID: 7, Type: "ff", Buckets: []ovs.Bucket{
		{WatchPort: "tap1", Actions: []ovs.Action{{Name: "output", Arg: "1", Raw: "output:1"}}},
		{ID: 9, HasID: true, Actions: []ovs.Action{{Name: "output", Arg: "2", Raw: "output:2"}}},
	}}}}
	fdb := &ovs.FDBShow{Entries: []ovs.FDBEntry{{Pos: parse.Pos{File: "fdb.show_br-int", Line: 2}, OFPort: 1, VLAN: 3, MAC: "fa:16:3e:00:00:01"}}}
	return &model.Node{
		Name: "cmp9",
		Bridges: []*model.Bridge{
			{Name: "br-int", Flows: &ovs.FlowDump{Flows: flows}, Groups: groups, Ports: []*model.Port{
				{Name: "br-int", Type: "internal", OFPort: 65534},
				{Name: "patch-tun", Type: "patch", OFPort: 2, Options: map[string]string{"peer": "patch-int"}},
				{Name: "tap1", OFPort: 1, Tag: 3, HasTag: true},
				{Name: "tapbad", OFPort: -1, Error: "could not open network device tapbad"},
			}},
			{Name: "br-tun", Ports: []*model.Port{
				{Name: "patch-int", Type: "patch", OFPort: 1, Options: map[string]string{"peer": "patch-tun"}},
				{Name: "vxlan-0a000002", Type: "vxlan", OFPort: 2, Options: map[string]string{"remote_ip": "10.0.0.2", "local_ip": "10.0.0.1", "out_key": "flow"}},
			}},
		},
		Files: []*model.Parsed{{Source: collect.SourceFile{Kind: collect.KindAppCtlFDBShow, Key: "br-int", Path: "fdb.show_br-int"}, Result: fdb}},
		Gaps:  []model.Gap{{What: "flows of br-tun", Why: "failed: command failed with return code 1"}},
	}
}

func TestFromNode(t *testing.T) {
	sw := FromNode(fromNodeFixture(t))
	if got, want := sw.BridgeNames(), []string{"br-int", "br-tun"}; !cmp.Equal(got, want) {
		t.Fatalf("bridges %v, want %v", got, want)
	}
	bi := sw.Bridge("br-int")
	var ports []string
	for _, p := range bi.Ports {
		ports = append(ports, p.Name)
	}
	// Sorted by OpenFlow number; the port OVS could not add is left out.
	if want := []string{"tap1", "patch-tun", "br-int"}; !cmp.Equal(ports, want) {
		t.Errorf("br-int ports %v, want %v", ports, want)
	}
	if p := bi.Ports[1]; p.Peer != "patch-int" || p.Type != "patch" {
		t.Errorf("patch port %+v", p)
	}
	wantGroups := []Group{{Pos: parse.Pos{File: "dump-groups_br-int", Line: 1}, ID: 7, Type: "fast_failover", Buckets: []Bucket{
		{ID: 0, WatchPort: 1, Actions: []ovs.Action{{Name: "output", Arg: "1", Raw: "output:1"}}},
		{ID: 9, WatchPort: -1, Actions: []ovs.Action{{Name: "output", Arg: "2", Raw: "output:2"}}},
	}}}
	if d := cmp.Diff(wantGroups, bi.Groups); d != "" {
		t.Errorf("groups (-want +got):\n%s", d)
	}
	if want := []FDBEntry{{Pos: parse.Pos{File: "fdb.show_br-int", Line: 2}, OFPort: 1, VLAN: 3, MAC: "fa:16:3e:00:00:01"}}; !cmp.Equal(bi.FDB, want) {
		t.Errorf("fdb %+v", bi.FDB)
	}
	if bt := sw.Bridge("br-tun"); bt.FlowsMissing != "failed: command failed with return code 1" {
		t.Errorf("br-tun FlowsMissing %q", bt.FlowsMissing)
	}

	// Tracing a bridge without flows is refused as data missing...
	_, err := Trace(sw, "br-tun", "in_port=1", TraceOptions{})
	var dm *DataMissingError
	if !errors.As(err, &dm) || dm.Bridge != "br-tun" || dm.Node != "cmp9" {
		t.Fatalf("err = %v, want a DataMissingError for br-tun", err)
	}
	// ...and a trace that enters it through a patch port says so there.
	r := mustTrace(t, sw, "br-int", "in_port=tap1", TraceOptions{})
	var b strings.Builder
	if err := r.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	want := "bridge(\"br-tun\")\n----------------\n     >> the bundle has no flow dump of br-tun (failed: command failed with return code 1): what it does with the packet is unknown, trace result uncertain\n"
	if !r.Uncertain || !strings.Contains(b.String(), want) {
		t.Errorf("trace does not say br-tun's flows are missing:\n%s", b.String())
	}
}
