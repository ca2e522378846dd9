package ovs

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestParseDatum(t *testing.T) {
	s := func(ty AtomType, text string) Atom { return Atom{Type: ty, Text: text} }
	tests := []struct {
		in      string
		want    Datum
		wantErr string
	}{
		{`[]`, Datum{Kind: KindSet}, ""},
		{`{}`, Datum{Kind: KindMap}, ""},
		{`-1`, Datum{Kind: KindAtom, Set: []Atom{s(AtomInteger, "-1")}}, ""},
		{`1.5`, Datum{Kind: KindAtom, Set: []Atom{s(AtomReal, "1.5")}}, ""},
		{`true`, Datum{Kind: KindAtom, Set: []Atom{s(AtomBoolean, "true")}}, ""},
		{`"true"`, Datum{Kind: KindAtom, Set: []Atom{s(AtomString, "true")}}, ""},
		{`3F1C0A4E-2b7d-4c55-9f10-6a1e2d3c4b5a`, Datum{Kind: KindAtom, Set: []Atom{s(AtomUUID, "3f1c0a4e-2b7d-4c55-9f10-6a1e2d3c4b5a")}}, ""},
		{`br-int`, Datum{Kind: KindAtom, Set: []Atom{s(AtomString, "br-int")}}, ""},
		{`"a \"q\"\\\u00e9\n"`, Datum{Kind: KindAtom, Set: []Atom{s(AtomString, "a \"q\"\\é\n")}}, ""},
		{`[10, 20,30]`, Datum{Kind: KindSet, Set: []Atom{s(AtomInteger, "10"), s(AtomInteger, "20"), s(AtomInteger, "30")}}, ""},
		{`{attached-mac="fa:16:3e:5e:1f:2a", "k 2"=v, n=1}`, Datum{Kind: KindMap, Map: []Pair{
			{s(AtomString, "attached-mac"), s(AtomString, "fa:16:3e:5e:1f:2a")},
			{s(AtomString, "k 2"), s(AtomString, "v")},
			{s(AtomString, "n"), s(AtomInteger, "1")}}}, ""},
		{`{a=}`, Datum{}, "expected a value"},
		{`{a}`, Datum{}, "expected '='"},
		{`[a b]`, Datum{}, "expected ',' or ']'"},
		{`"open`, Datum{}, "unterminated string"},
		{`x y`, Datum{}, "unexpected"},
		{``, Datum{}, "empty value"},
	}
	for _, tt := range tests {
		got, err := ParseDatum(tt.in)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("ParseDatum(%q) error %v, want %q", tt.in, err, tt.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseDatum(%q): %v", tt.in, err)
			continue
		}
		if diff := cmp.Diff(tt.want, got, cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("ParseDatum(%q) (-want +got):\n%s", tt.in, diff)
		}
		// Text re-quotes the way OVS >= 2.13 does; parsing it again must
		// give the same datum.
		again, err := ParseDatum(got.Text())
		if err != nil || !cmp.Equal(got, again, cmpopts.EquateEmpty()) {
			t.Errorf("round trip of %q via %q: %v %+v", tt.in, got.Text(), err, again)
		}
	}
}

func TestParseList(t *testing.T) {
	input := `# ovs-vsctl list interface
_uuid               : 3f1c0a4e-2b7d-4c55-9f10-6a1e2d3c4b5a
error               : []
external_ids        : {attached-mac="fa:16:3e:5e:1f:2a", iface-id="5e1f2a3b-c4d5-4e6f-8a7b-9c0d1e2f3a4b", iface-status=active, vm-uuid="b3c4d5e6-f7a8-4b9c-8d0e-1f2a3b4c5d6e"}
ingress_policing_burst: 0
mac_in_use          : "16:b2:09:3f:77:e1"
name                : "qvo5e1f2a3b-c4"
ofport              : 3
type                : ""

_uuid               : 7a2b0000-0000-0000-0000-000000000001
error               : "could not open network device tapd4e5f6a7-b8 (No such device)"
name                : tapd4e5f6a7-b8
ofport              : -1
options             : {broken

_uuid               : 7a2b0000-0000-0000-0000-000000000002
name                : tapx
ofport              : []
this line is not a column
`
	l, err := ParseList(strings.NewReader(input), "f")
	if err != nil {
		t.Fatal(err)
	}
	ofCheckIssues(t, l.Issues, []string{"1:info:collector banner", "15:warning:value kept as text", "20:error:not a list record line"})
	stCheckCoverage(t, input, l.Issues, l.understood)
	if l.Table != "Interface" || len(l.Rows) != 3 || l.Rows[1].Pos.Line != 11 || l.Rows[0].UUID != "3f1c0a4e-2b7d-4c55-9f10-6a1e2d3c4b5a" {
		t.Fatalf("list %s %d rows %+v", l.Table, len(l.Rows), l.Rows[0])
	}
	var got []InterfaceRow
	for _, r := range l.TableRows("Interface") {
		got = append(got, InterfaceOf(r))
	}
	want := []InterfaceRow{
		{UUID: "3f1c0a4e-2b7d-4c55-9f10-6a1e2d3c4b5a", Name: "qvo5e1f2a3b-c4", OFPort: 3, HasOFPort: true, MACInUse: "16:b2:09:3f:77:e1",
			IfaceID: "5e1f2a3b-c4d5-4e6f-8a7b-9c0d1e2f3a4b", AttachedMAC: "fa:16:3e:5e:1f:2a", VMUUID: "b3c4d5e6-f7a8-4b9c-8d0e-1f2a3b4c5d6e", IfaceStatus: "active",
			ExternalIDs: map[string]string{"attached-mac": "fa:16:3e:5e:1f:2a", "iface-id": "5e1f2a3b-c4d5-4e6f-8a7b-9c0d1e2f3a4b", "iface-status": "active", "vm-uuid": "b3c4d5e6-f7a8-4b9c-8d0e-1f2a3b4c5d6e"}},
		{UUID: "7a2b0000-0000-0000-0000-000000000001", Name: "tapd4e5f6a7-b8", OFPort: -1, HasOFPort: true, Error: "could not open network device tapd4e5f6a7-b8 (No such device)"},
		{UUID: "7a2b0000-0000-0000-0000-000000000002", Name: "tapx"},
	}
	if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestParseListPortAndDump(t *testing.T) {
	input := `Bridge table
_uuid               : 0215e66a-1ced-4105-8651-eb2eae66c6cb
name                : br-int
ports               : [3f241805-581b-46cd-b6cc-0cf50c0e9b51]

Port table
_uuid               : 91c00000-0000-0000-0000-000000000000
name                : qvo5e1f2a3b-c4
other_config        : {net_uuid="0c8d2a6e-0000-0000-0000-000000000000", network_type=vxlan, physical_network=None, segmentation_id="1001", tag="1"}
tag                 : 1
trunks              : []
`
	l, err := ParseList(strings.NewReader(input), "f")
	if err != nil || len(l.Issues) != 0 || l.Table != "" {
		t.Fatalf("%v %v table %q", err, l.Issues, l.Table)
	}
	p := PortOf(l.TableRows("Port")[0])
	want := PortRow{UUID: "91c00000-0000-0000-0000-000000000000", Name: "qvo5e1f2a3b-c4", Tag: 1, HasTag: true,
		NetUUID: "0c8d2a6e-0000-0000-0000-000000000000", NetworkType: "vxlan", PhysicalNetwork: "None", SegmentationID: "1001",
		OtherConfig: map[string]string{"net_uuid": "0c8d2a6e-0000-0000-0000-000000000000", "network_type": "vxlan", "physical_network": "None", "segmentation_id": "1001", "tag": "1"}}
	if diff := cmp.Diff(want, p, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if b := BridgeOf(l.TableRows("Bridge")[0]); b.Name != "br-int" || len(b.Ports) != 1 {
		t.Errorf("bridge %+v", b)
	}
	// A table given by the caller wins over recognition.
	l, _ = ParseListTable(strings.NewReader("_uuid : 0215e66a-1ced-4105-8651-eb2eae66c6cb\nname : x\n"), "f", "Mirror")
	if l.Table != "Mirror" {
		t.Errorf("table %q", l.Table)
	}
}
