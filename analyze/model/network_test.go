package model

import (
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"netxray/parse/ovs"
)

// TestLabNetworks checks the local VLAN ↔ segment mappings and DVR MACs of
// the healthy lab (two VXLAN networks and the flat external one on every
// node, one distributed router).
func TestLabNetworks(t *testing.T) {
	m := labModel(t, "healthy")
	want := map[string][]string{
		"cmp1": {"1 vxlan 1246 (0x4de)", "2 vxlan 1476 (0x5c4)", "3 flat on external"},
		"cmp2": {"1 vxlan 1246 (0x4de)", "2 vxlan 1476 (0x5c4)", "3 flat on external"},
		"net1": {"1 vxlan 1246 (0x4de)", "2 vxlan 1476 (0x5c4)", "3 flat on external"},
	}
	own := map[string]bool{}
	for _, n := range m.Nodes {
		var got []string
		for _, ln := range m.Networks.Of(n) {
			got = append(got, itoa(ln.VLAN)+" "+ln.Segment.String())
			for _, mp := range ln.Mappings {
				if !mp.Segment.Agrees(ln.Segment) {
					t.Errorf("%s VLAN %d: %s mapping says %s, segment is %s", n.Name, ln.VLAN, mp.Source, mp.Segment, ln.Segment)
				}
			}
		}
		if d := cmp.Diff(want[n.Name], got); d != "" {
			t.Errorf("%s networks (-want +got):\n%s", n.Name, d)
		}
		d := m.Routers.DVR(n)
		mac := d.OwnMAC()
		if mac == "" || own[mac] {
			t.Errorf("%s: DVR MAC %q missing or shared", n.Name, mac)
		}
		own[mac] = true
		if len(d.Tunnel) != 2 || len(d.FromTunnel) != 2 {
			t.Errorf("%s knows %d/%d peer DVR MACs in br-tun/br-int, want 2/2", n.Name, len(d.Tunnel), len(d.FromTunnel))
		}
	}
	rs := m.Routers.All()
	if len(rs) != 1 || len(rs[0].QRouters) != 3 || len(rs[0].SNATs) != 1 || !rs[0].Distributed || rs[0].HA {
		t.Fatalf("routers %+v, want one distributed router with 3 qrouters and 1 snat", rs)
	}
	seg := Segment{Type: "vxlan", ID: 1246}
	if got := len(m.Networks.On(seg)); got != 3 {
		t.Errorf("%s on %d nodes, want 3", seg, got)
	}
	if a := m.Networks.Attachments("FA:16:3E:09:41:B5"); len(a) != 1 || a[0].Node.Name != "cmp2" || a[0].Segment != seg {
		t.Errorf("attachments of vm4's MAC: %+v", a)
	}
}

func TestFlowDecoding(t *testing.T) {
	for _, tc := range []struct {
		flow              string
		vlan, set         int
		tun, setTun       uint64
		hasVLAN, hasSet   bool
		hasTun, hasSetTun bool
	}{
		{flow: " table=4, priority=1,tun_id=0x4de actions=push_vlan:0x8100,set_field:4097->vlan_vid,goto_table:9", set: 1, hasSet: true, tun: 0x4de, hasTun: true},
		{flow: " table=4, priority=1,tun_id=0x3e9 actions=mod_vlan_vid:7,resubmit(,10)", set: 7, hasSet: true, tun: 0x3e9, hasTun: true},
		{flow: " table=22, priority=1,dl_vlan=2 actions=strip_vlan,load:0x5c4->NXM_NX_TUN_ID[],output:2,output:3", vlan: 2, hasVLAN: true, setTun: 0x5c4, hasSetTun: true},
		{flow: " table=20, priority=1,vlan_tci=0x0001/0x0fff,dl_dst=fa:16:3e:09:41:b5 actions=load:0->NXM_OF_VLAN_TCI[],load:0x4de->NXM_NX_TUN_ID[],output:3", vlan: 1, hasVLAN: true, setTun: 0x4de, hasSetTun: true},
		{flow: " table=22, priority=1,dl_vlan=5 actions=strip_vlan,set_tunnel:0x64,output:4", vlan: 5, hasVLAN: true, setTun: 0x64, hasSetTun: true},
		{flow: " table=0, priority=3,in_port=1,vlan_tci=0x0000/0x1fff actions=push_vlan:0x8100,set_field:4099->vlan_vid,goto_table:59", set: 3, hasSet: true},
		{flow: " table=0, priority=3,in_port=1,dl_vlan=101 actions=mod_vlan_vid:4,resubmit(,60)", vlan: 101, hasVLAN: true, set: 4, hasSet: true},
		{flow: " table=60, priority=3,vlan_vid=4098/0x1fff actions=NORMAL", vlan: 2, hasVLAN: true},
	} {
		d := parseFlows(t, tc.flow)
		f := &d.Flows[0]
		vlan, okV := MatchedVLAN(f)
		set, okS := SetVLAN(f)
		tun, okT := MatchedTunID(f)
		setTun, okST := SetTunID(f)
		if vlan != tc.vlan || okV != tc.hasVLAN || set != tc.set || okS != tc.hasSet || tun != tc.tun || okT != tc.hasTun || setTun != tc.setTun || okST != tc.hasSetTun {
			t.Errorf("%s: vlan %d/%v set %d/%v tun %#x/%v settun %#x/%v", tc.flow, vlan, okV, set, okS, tun, okT, setTun, okST)
		}
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

func parseFlows(t *testing.T, text string) *ovs.FlowDump {
	t.Helper()
	d, err := ovs.ParseFlows(strings.NewReader(text+"\n"), "flows")
	if err != nil || len(d.Flows) != 1 {
		t.Fatalf("parsing %q: %v", text, err)
	}
	return d
}
