package netstack

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestPairVeths(t *testing.T) {
	// Namespace name → `ip -d addr` text. "" is the root namespace.
	spaces := map[string]string{
		"": `
		11: qvo0778ad0d-cb@qvb0778ad0d-cb: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue master ovs-system state UP
		    link/ether fa:6f:4d:2e:bd:74 brd ff:ff:ff:ff:ff:ff promiscuity 1
		    veth
		12: qvb0778ad0d-cb@qvo0778ad0d-cb: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue master qbr0778ad0d-cb state UP
		    link/ether ca:07:21:ff:30:0e brd ff:ff:ff:ff:ff:ff promiscuity 1
		    veth
		13: tap0778ad0d-cb@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue master qbr0778ad0d-cb state UP
		    link/ether 2a:3b:11:d2:d9:58 brd ff:ff:ff:ff:ff:ff link-netnsid 1 promiscuity 1
		    veth
		14: eth0.100@eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP
		    link/ether 52:54:00:00:00:01 brd ff:ff:ff:ff:ff:ff promiscuity 0
		    vlan protocol 802.1Q id 100 <REORDER_HDR>
		20: dhcp-veth@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP
		    link/ether 52:54:00:00:00:20 brd ff:ff:ff:ff:ff:ff link-netnsid 3 promiscuity 0
		    veth
		`,
		"qrouter-a": `
		2: rfp-aaaaaaaa-a@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP
		    link/ether 62:bb:d7:6e:b9:ad brd ff:ff:ff:ff:ff:ff link-netns fip-1
		    veth
		`,
		"qrouter-b": `
		2: rfp-bbbbbbbb-b@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP
		    link/ether 62:bb:d7:6e:b9:ae brd ff:ff:ff:ff:ff:ff link-netnsid 0
		    veth
		`,
		"fip-1": `
		2: fpr-aaaaaaaa-a@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP
		    link/ether 22:26:21:ce:55:95 brd ff:ff:ff:ff:ff:ff link-netns qrouter-a
		    veth
		`,
		"fip-2": `
		2: fpr-bbbbbbbb-b@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP
		    link/ether 22:26:21:ce:55:96 brd ff:ff:ff:ff:ff:ff link-netnsid 1
		    veth
		`,
		"fip-3": `
		2: fpr-cccccccc-c@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP
		    link/ether 22:26:21:ce:55:97 brd ff:ff:ff:ff:ff:ff link-netnsid 1
		    veth
		`,
		"qdhcp-x": `
		2: ns-veth@if20: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP
		    link/ether 52:54:00:00:00:21 brd ff:ff:ff:ff:ff:ff link-netnsid 0
		    veth
		`,
	}
	var ends []End
	for _, name := range []string{"", "qrouter-a", "qrouter-b", "fip-1", "fip-2", "fip-3", "qdhcp-x"} {
		for _, ifc := range ifsText(t, spaces[name]) {
			ends = append(ends, End{Namespace: name, Interface: ifc})
		}
	}
	pairs, unpaired := PairVeths(ends, map[int]string{3: "qdhcp-x", 1: "vm-holder"})
	var got []string
	for _, p := range pairs {
		got = append(got, p.A.String()+" = "+p.B.String())
	}
	// qrouter-b's, fip-2's and fip-3's ids are relative to themselves:
	// fip-2 and fip-3 both fit qrouter-b by index, and naming settles it.
	want := []string{
		"root/qvo0778ad0d-cb = root/qvb0778ad0d-cb",
		"root/dhcp-veth = qdhcp-x/ns-veth",
		"qrouter-a/rfp-aaaaaaaa-a = fip-1/fpr-aaaaaaaa-a",
		"qrouter-b/rfp-bbbbbbbb-b = fip-2/fpr-bbbbbbbb-b",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("pairs (-want +got):\n%s", diff)
	}
	var lone []string
	for _, u := range unpaired {
		lone = append(lone, u.End.String()+": "+u.Reason)
	}
	wantLone := []string{
		"root/tap0778ad0d-cb: no interface points back at root/tap0778ad0d-cb (peer @if2 in netnsid 1)",
		"fip-3/fpr-cccccccc-c: peer of fip-3/fpr-cccccccc-c is ambiguous",
	}
	if diff := cmp.Diff(wantLone, lone); diff != "" {
		t.Errorf("unpaired (-want +got):\n%s", diff)
	}
}

func TestPairVethsAmbiguous(t *testing.T) {
	var ends []End
	for _, ns := range []string{"a", "b", "c"} {
		for _, ifc := range ifsText(t, `
		2: veth0@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP
		    link/ether 22:26:21:ce:55:95 brd ff:ff:ff:ff:ff:ff link-netnsid 0
		`) {
			ends = append(ends, End{Namespace: ns, Interface: ifc})
		}
	}
	pairs, unpaired := PairVeths(ends, nil)
	if len(pairs) != 0 || len(unpaired) != 3 || len(unpaired[0].Candidates) != 2 || !strings.Contains(unpaired[0].Reason, "ambiguous") {
		t.Errorf("pairs %v unpaired %+v", pairs, unpaired)
	}
}
