package trace

import (
	"slices"
	"strings"
	"testing"

	"netxray/analyze/model"
	"netxray/parse/ovs"
)

// dropFlows removes the flows of a bridge whose text contains sub.
func dropFlows(t *testing.T, n *model.Node, bridge, sub string) {
	t.Helper()
	d := n.Bridge(bridge).Flows
	before := len(d.Flows)
	d.Flows = slices.DeleteFunc(slices.Clone(d.Flows), func(f ovs.Flow) bool { return strings.Contains(f.Raw, sub) })
	if len(d.Flows) == before {
		t.Fatalf("no %s flow of %s contains %q", bridge, n.Name, sub)
	}
}

// A guest whose ARP requests its own port's flows drop never learns a MAC:
// the trace ends arp-unresolved at the flow that drops the request, for
// both firewall drivers; the IP packet itself would have passed.
func TestGuestARP(t *testing.T) {
	for _, tc := range []struct {
		name, node, flow, from, to, want string
	}{
		// vm on cmp2 (hybrid): the anti-spoofing table 24 lacks its IP.
		{"hybrid table 24", "cmp2", "arp_spa=10.10.1.132 ", "10.10.1.132", "10.10.1.156", "br-int table 24 on cmp2"},
		// vm1 on cmp1 (OVS firewall): table 71 lacks its ARP entry, so the
		// request falls to table 93's drop; routed traffic needs the
		// gateway's MAC first.
		{"ovs firewall table 71", "cmp1", "arp_spa=10.10.1.23 ", "10.10.1.23", "10.10.2.128", "br-int table 93 on cmp1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := labModel(t, "healthy")
			if res, err := New(m).Run(tc.from, tc.to, Options{}); err != nil || res.Verdict != Delivered {
				t.Fatalf("healthy: %v %+v", err, res)
			}
			dropFlows(t, m.Node(tc.node), "br-int", tc.flow)
			res, err := New(m).Run(tc.from, tc.to, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if res.Verdict != ARPUnresolved || !strings.Contains(res.Reason, "ARP request for") || !strings.Contains(res.Reason, tc.want) {
				t.Errorf("verdict %s (%s), want arp-unresolved at %s", res.Verdict, res.Reason, tc.want)
			}
			if last := res.Hops[len(res.Hops)-1]; last.Kind != "arp" || last.Where != "br-int" {
				t.Errorf("last hop %+v, want the ARP request's pass through br-int", last)
			}
		})
	}
}
