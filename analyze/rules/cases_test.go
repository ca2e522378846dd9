package rules

import (
	"errors"
	"net"
	"net/netip"
	"slices"
	"strings"
	"testing"

	"netxray/analyze/model"
	"netxray/analyze/trace"
	"netxray/collect"
	"netxray/parse/iproute"
	"netxray/parse/iptables"
	"netxray/parse/ovs"
)

// TestQuietOnHealthy runs every rule alone on the healthy lab: none raises
// a warning or an error.
func TestQuietOnHealthy(t *testing.T) {
	m := labModel(t, "healthy")
	for _, r := range All() {
		quiet(t, m, r)
	}
}

// healthyWith builds the healthy lab, lets edit change it, and links the
// result again.
func healthyWith(t *testing.T, edit func(m *model.Model)) *model.Model {
	t.Helper()
	m := labModel(t, "healthy")
	edit(m)
	return model.Assemble(m.Nodes...)
}

// replaceIn edits the flows of br whose raw text contains match.
func replaceIn(match, old, new string) func(string) string {
	return func(raw string) string {
		if strings.Contains(raw, match) {
			return strings.ReplaceAll(raw, old, new)
		}
		return raw
	}
}

func drop(match string) func(string) string {
	return func(raw string) string {
		if strings.Contains(raw, match) {
			return ""
		}
		return raw
	}
}

func namespace(t *testing.T, n *model.Node, prefix string) *model.Namespace {
	t.Helper()
	for _, ns := range n.Namespaces {
		if strings.HasPrefix(ns.Name, prefix) {
			return ns
		}
	}
	t.Fatalf("%s has no namespace %s*", n.Name, prefix)
	return nil
}

func iface(t *testing.T, ns *model.Namespace, prefix string) *model.Interface {
	t.Helper()
	for _, ifc := range ns.Interfaces {
		if strings.HasPrefix(ifc.Name, prefix) {
			return ifc
		}
	}
	t.Fatalf("%s has no device %s*", ns.Name, prefix)
	return nil
}

func TestOVSStructureRules(t *testing.T) {
	const vm = "tap44ccd1d5-94" // vm on cmp1, net-a (VLAN 1)
	t.Run("vif-untagged", func(t *testing.T) {
		m := healthyWith(t, func(m *model.Model) { port(t, node(t, m, "cmp1"), vm).HasTag = false })
		fires(t, m, VIFUntagged, "cmp1", "has no VLAN tag")
	})
	t.Run("interface-error", func(t *testing.T) {
		m := healthyWith(t, func(m *model.Model) {
			p := port(t, node(t, m, "cmp1"), vm)
			p.OFPort, p.Error = -1, "could not open network device "+vm+" (No such device)"
		})
		fires(t, m, InterfaceError, "cmp1", "(No such device)")
	})
	t.Run("patch-peer-broken", func(t *testing.T) {
		m := healthyWith(t, func(m *model.Model) { port(t, node(t, m, "cmp1"), "patch-tun").Options["peer"] = "nonexistent-peer" })
		fires(t, m, PatchPeerBroken, "cmp1", "patch port patch-tun on br-int has no peer")
		fires(t, m, PatchPeerBroken, "cmp1", "patch port patch-int on br-tun peers with patch-tun on br-int, which peers with \"nonexistent-peer\"")
	})
	t.Run("local-vlan-conflict", func(t *testing.T) {
		m := healthyWith(t, func(m *model.Model) {
			editFlows(t, node(t, m, "cmp1"), "br-tun", replaceIn("tun_id=0x5c4 ", "set_field:4098->vlan_vid", "set_field:4097->vlan_vid"))
		})
		fires(t, m, LocalVLANConflict, "cmp1", "local VLAN 1 stands for vxlan 1246 (0x4de) but also for vxlan 1476 (0x5c4) (ingress)")
	})
	t.Run("stale-cookie-flows", func(t *testing.T) {
		m := healthyWith(t, func(m *model.Model) {
			addFlows(t, node(t, m, "cmp1"), "br-int", " cookie=0x1234, duration=9.1s, table=23, n_packets=0, n_bytes=0, priority=0 actions=drop")
		})
		fires(t, m, StaleCookieFlows, "cmp1", "1 flow of br-int exist under several cookies")
	})
}

func TestPhysicalPatchDrop(t *testing.T) {
	quiet(t, labModel(t, "healthy"), PhysicalPatchDrop)
	m := healthyWith(t, func(m *model.Model) {
		editFlows(t, node(t, m, "cmp2"), "br-int", drop(`priority=2,in_port="int-br-ex" actions=drop`))
	})
	f := fires(t, m, PhysicalPatchDrop, "cmp2", `br-int table 0 has no drop for frames from int-br-ex (patch to phy-br-ex)`)
	if f.Severity != Warning {
		t.Errorf("one physical bridge: severity %s, want warning", f.Severity)
	}
	// A second physical bridge, patched without its drop either: a loop.
	m = healthyWith(t, func(m *model.Model) {
		n := node(t, m, "cmp2")
		editFlows(t, n, "br-int", drop(`priority=2,in_port="int-br-ex" actions=drop`))
		bi := n.Bridge("br-int")
		bi.Ports = append(slices.Clone(bi.Ports), &model.Port{Name: "int-br-phy2", Bridge: "br-int", Type: "patch", OFPort: 90, Options: map[string]string{"peer": "phy-br-phy2"}})
		n.Bridges = append(slices.Clone(n.Bridges), &model.Bridge{Name: "br-phy2", Ports: []*model.Port{{Name: "phy-br-phy2", Bridge: "br-phy2", Type: "patch", Options: map[string]string{"peer": "int-br-phy2"}}}})
	})
	f = fires(t, m, PhysicalPatchDrop, "cmp2", "with 2 physical bridges it can loop between them")
	if f.Severity != Error {
		t.Errorf("two physical bridges: severity %s, want error", f.Severity)
	}
}

func TestTunnelRules(t *testing.T) {
	t.Run("tunnel-options-mismatch name", func(t *testing.T) {
		m := healthyWith(t, func(m *model.Model) { port(t, node(t, m, "cmp1"), "vxlan-c0a8fd0b").Name = "vxlan-c0a8fd99" })
		fires(t, m, TunnelOptionsMismatch, "cmp1", "its name encodes 192.168.253.153")
	})
	t.Run("tunnel-options-mismatch type", func(t *testing.T) {
		m := healthyWith(t, func(m *model.Model) { port(t, node(t, m, "cmp2"), "vxlan-c0a8fd0c").Type = "geneve" })
		f := fires(t, m, TunnelOptionsMismatch, "cmp1", "cmp2's tunnel vxlan-c0a8fd0c back is geneve")
		if f.Severity != Error {
			t.Errorf("type mismatch severity %s", f.Severity)
		}
	})
	t.Run("vxlan-port-mismatch", func(t *testing.T) {
		m := healthyWith(t, func(m *model.Model) {
			for _, p := range node(t, m, "cmp2").Tunnels() {
				p.Options["dst_port"] = "8472"
			}
		})
		fires(t, m, VXLANPortMismatch, "cmp2", "UDP port 8472 while cmp1, net1 use 4789")
	})
	t.Run("local-ip-mismatch config", func(t *testing.T) {
		m := healthyWith(t, func(m *model.Model) { node(t, m, "cmp1").Agent.LocalIP.Value = "192.168.253.99" })
		fires(t, m, LocalIPMismatch, "cmp1", "the agent's local_ip is 192.168.253.99 but the tunnel ports use 192.168.253.12")
	})
	t.Run("local-ip-mismatch no interface", func(t *testing.T) {
		m := healthyWith(t, func(m *model.Model) {
			n := node(t, m, "cmp1")
			n.Agent.LocalIP.Value = "192.168.253.99"
			for _, p := range n.Tunnels() {
				p.Options["local_ip"] = "192.168.253.99"
			}
		})
		fires(t, m, LocalIPMismatch, "cmp1", "local_ip 192.168.253.99 is configured on no interface")
	})
	t.Run("tunnel-remote-unknown outside the set", func(t *testing.T) {
		m := healthyWith(t, func(m *model.Model) {
			port(t, node(t, m, "cmp1"), "vxlan-c0a8fd0b").Options["remote_ip"] = "192.168.253.77"
		})
		res := check(m, TunnelRemoteUnknown)
		if len(res.Findings) != 1 || res.Findings[0].Severity != Info || !strings.Contains(res.Findings[0].Message, "192.168.253.77") {
			t.Errorf("want one info finding, got %+v", res.Findings)
		}
	})
}

func TestL2popRules(t *testing.T) {
	t.Run("l2pop-wrong-vni", func(t *testing.T) {
		m := healthyWith(t, func(m *model.Model) {
			editFlows(t, node(t, m, "cmp1"), "br-tun", replaceIn("table=22, ", "dl_vlan=1 actions=pop_vlan,set_field:0x4de", "dl_vlan=1 actions=pop_vlan,set_field:0x5c4"))
		})
		fires(t, m, L2popWrongVNI, "cmp1", "flood flow of local VLAN 1 sets tun_id 0x5c4")
	})
	t.Run("l2pop-unicast-stale", func(t *testing.T) {
		// vm4 (on cmp2) sent to net1's tunnel.
		m := healthyWith(t, func(m *model.Model) {
			editFlows(t, node(t, m, "cmp1"), "br-tun", replaceIn("priority=2,dl_vlan=1,dl_dst=fa:16:3e:09:41:b5", `output:"vxlan-c0a8fd0d"`, `output:"vxlan-c0a8fd0b"`))
		})
		f := fires(t, m, L2popUnicastStale, "cmp1", "into vxlan-c0a8fd0b to net1 (192.168.253.11), where that port is not")
		if f.Severity != Error {
			t.Errorf("l2pop entry severity %s", f.Severity)
		}
	})
	t.Run("l2pop-unicast-stale local", func(t *testing.T) {
		m := healthyWith(t, func(m *model.Model) {
			addFlows(t, node(t, m, "cmp1"), "br-tun", ` cookie=0x1, table=20, priority=2,dl_vlan=1,dl_dst=fa:16:3e:73:34:5c actions=pop_vlan,set_field:0x4de->tun_id,output:"vxlan-c0a8fd0d"`)
		})
		fires(t, m, L2popUnicastStale, "cmp1", "sends the local VM port tap44ccd1d5-94")
	})
	t.Run("l2pop-flood-missing no flow", func(t *testing.T) {
		m := healthyWith(t, func(m *model.Model) { editFlows(t, node(t, m, "net1"), "br-tun", drop("table=22, n_packets=")) })
		fires(t, m, L2popFloodMissing, "net1", "has no flood flow for local VLAN")
	})
	t.Run("arp-responder-entry wrong", func(t *testing.T) {
		m := healthyWith(t, func(m *model.Model) {
			editFlows(t, node(t, m, "cmp1"), "br-tun", replaceIn("arp_tpa=10.10.1.132 ", "fa:16:3e:09:41:b5", "fa:16:3e:00:00:01"))
		})
		f := fires(t, m, ARPResponderEntry, "cmp1", "answers ARP for 10.10.1.132 (local VLAN 1, vxlan 1246 (0x4de)) with fa:16:3e:00:00:01, but the port with that address has fa:16:3e:09:41:b5")
		if f.Severity != Error {
			t.Errorf("severity %s", f.Severity)
		}
	})
	t.Run("arp-responder-entry missing", func(t *testing.T) {
		m := healthyWith(t, func(m *model.Model) { editFlows(t, node(t, m, "cmp1"), "br-tun", drop("arp_tpa=10.10.1.132 ")) })
		fires(t, m, ARPResponderEntry, "cmp1", "no ARP responder entry for 10.10.1.132 of VM port qvo0778ad0d-cb")
	})
	t.Run("duplicate-mac", func(t *testing.T) {
		m := healthyWith(t, func(m *model.Model) { port(t, node(t, m, "cmp1"), "tap44ccd1d5-94").AttachedMAC = "fa:16:3e:09:41:b5" })
		fires(t, m, DuplicateMAC, "cmp1", "MAC fa:16:3e:09:41:b5 is plugged 2 times on vxlan 1246")
		fires(t, m, DuplicateMAC, "cmp2", "MAC fa:16:3e:09:41:b5 is plugged 2 times")
	})
}

// lbNode builds a Linux bridge agent node from `ip -d address` text and a
// `bridge fdb` text.
func lbNode(t *testing.T, name, addr, fdb string) *model.Node {
	t.Helper()
	ifs, err := iproute.ParseAddr(strings.NewReader(addr), name+"/ip_-d_address")
	if err != nil || len(ifs.Issues) > 0 {
		t.Fatalf("%v %v", err, ifs.Issues)
	}
	n := &model.Node{Name: name}
	for i := range ifs.Interfaces {
		n.Interfaces = append(n.Interfaces, &ifs.Interfaces[i])
	}
	if fdb != "" {
		f, err := bridgeFDB(fdb, name)
		if err != nil {
			t.Fatal(err)
		}
		n.Files = append(n.Files, &model.Parsed{Source: collect.SourceFile{Kind: collect.KindBridgeFDB, Path: "bridge_fdb"}, Result: f})
	}
	return n
}

const lbAddr = `2: eth1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc mq state UP group default qlen 1000
    link/ether 52:54:00:00:00:0%[1]s brd ff:ff:ff:ff:ff:ff promiscuity 0 minmtu 68 maxmtu 9000
    inet 10.0.0.%[1]s/24 brd 10.0.0.255 scope global eth1
       valid_lft forever preferred_lft forever
7: vxlan-100: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue master brq1234567890a state UNKNOWN group default qlen 1000
    link/ether 2a:7b:3c:4d:5e:0%[1]s brd ff:ff:ff:ff:ff:ff promiscuity 1 minmtu 68 maxmtu 65535
    vxlan id 100 local 10.0.0.%[1]s dev eth1 srcport 0 0 dstport 8472 ttl 32 ageing 300 udpcsum noudp6zerocsumtx noudp6zerocsumrx
`

func TestLBFDBMissing(t *testing.T) {
	addr := func(i string) string { return strings.ReplaceAll(lbAddr, "%[1]s", i) }
	good := lbNode(t, "lb1", addr("1"), "00:00:00:00:00:00 dev vxlan-100 dst 10.0.0.2 self permanent\n")
	peer := lbNode(t, "lb2", addr("2"), "00:00:00:00:00:00 dev vxlan-100 dst 10.0.0.1 self permanent\n")
	quiet(t, model.Assemble(good, peer), LBFDBMissing)
	bad := lbNode(t, "lb1", addr("1"), "00:00:00:00:00:00 dev vxlan-100 dst 10.0.0.9 self permanent\n")
	peer = lbNode(t, "lb2", addr("2"), "00:00:00:00:00:00 dev vxlan-100 dst 10.0.0.1 self permanent\n")
	fires(t, model.Assemble(bad, peer), LBFDBMissing, "lb1", "vxlan-100 has no flood entry to lb2 (10.0.0.2)")
	nofdb := lbNode(t, "lb1", addr("1"), "")
	res := check(model.Assemble(nofdb, peer), LBFDBMissing)
	if len(res.Skipped) == 0 || res.Skipped[0].Node != "lb1" {
		t.Errorf("node without bridge fdb not skipped: %+v", res)
	}
}

func TestDVRRules(t *testing.T) {
	const router = "qrouter-907f4d76"
	t.Run("dvr-mac-duplicate", func(t *testing.T) {
		m := healthyWith(t, func(m *model.Model) {
			editFlows(t, node(t, m, "cmp2"), "br-tun", replaceIn("table=1,", "fa:16:3f:bb:b7:19", "fa:16:3f:91:2c:66"))
		})
		fires(t, m, DVRMACDuplicate, "cmp1", "DVR MAC fa:16:3f:91:2c:66 is also used by cmp2")
	})
	t.Run("dvr-mac-missing br-int", func(t *testing.T) {
		m := healthyWith(t, func(m *model.Model) {
			editFlows(t, node(t, m, "net1"), "br-int", drop(`in_port="patch-tun",dl_src=fa:16:3f:91:2c:66`))
		})
		fires(t, m, DVRMACMissing, "net1", "br-int table 0 (from patch-tun) has no entry for cmp1's DVR MAC fa:16:3f:91:2c:66")
	})
	t.Run("dvr-arp-entry quiet", func(t *testing.T) { quiet(t, labModel(t, "healthy"), DVRARPEntry) })
	t.Run("dvr-arp-entry missing", func(t *testing.T) {
		m := healthyWith(t, func(m *model.Model) {
			q := namespace(t, node(t, m, "cmp1"), router)
			q.Neighbors = slices.DeleteFunc(slices.Clone(q.Neighbors), func(nb iproute.Neighbor) bool {
				return nb.Dst.String() == "10.10.1.58" || nb.Dst.String() == "10.10.1.2"
			})
		})
		f := fires(t, m, DVRARPEntry, "cmp1", "qr-e7ff5f15-09 in qrouter-907f4d76-d5d4-4334-bd29-9eb24e0a20fc has no permanent ARP entry for 10.10.1.2 (DHCP port tap")
		if !strings.Contains(f.Message, "10.10.1.58 (") || f.Severity != Warning {
			t.Errorf("want both addresses, as a warning: %s %s", f.Severity, f.Message)
		}
	})
	t.Run("dvr-arp-entry missing for a local port", func(t *testing.T) {
		m := healthyWith(t, func(m *model.Model) {
			q := namespace(t, node(t, m, "cmp1"), router)
			q.Neighbors = slices.DeleteFunc(slices.Clone(q.Neighbors), func(nb iproute.Neighbor) bool { return nb.Dst.String() == "10.10.1.156" })
		})
		res := check(m, DVRARPEntry)
		if len(res.Findings) != 1 || res.Findings[0].Severity != Info || !strings.Contains(res.Findings[0].Message, "10.10.1.156 (VM port tap44ccd1d5-94") {
			t.Errorf("want one info finding for the local VM port: %+v", res.Findings)
		}
	})
	t.Run("dvr-arp-entry wrong MAC", func(t *testing.T) {
		m := healthyWith(t, func(m *model.Model) {
			q := namespace(t, node(t, m, "cmp2"), router)
			q.Neighbors = slices.Clone(q.Neighbors)
			for i := range q.Neighbors {
				if q.Neighbors[i].Dst.String() == "10.10.2.38" {
					q.Neighbors[i].LLAddr = "fa:16:3e:00:00:99"
				}
			}
		})
		f := fires(t, m, DVRARPEntry, "cmp2", "has a permanent ARP entry 10.10.2.38 lladdr fa:16:3e:00:00:99, but")
		if f.Severity != Error {
			t.Errorf("severity %s, want error", f.Severity)
		}
	})
	t.Run("dvr-port-flow-missing quiet", func(t *testing.T) { quiet(t, labModel(t, "healthy"), DVRPortFlowMissing) })
	t.Run("dvr-port-flow-missing", func(t *testing.T) {
		m := healthyWith(t, func(m *model.Model) {
			editFlows(t, node(t, m, "cmp1"), "br-int", drop("dl_dst=fa:16:3e:73:34:5c actions=set_field"))
			editFlows(t, node(t, m, "net1"), "br-int", drop("dl_dst=fa:16:3e:98:b4:93 actions=set_field"))
		})
		fires(t, m, DVRPortFlowMissing, "cmp1", "br-int table 1 has no DVR flow for VM port tap44ccd1d5-94 (fa:16:3e:73:34:5c) on cmp1 (local VLAN 1, subnet 10.10.1.0/24 of qrouter-907f4d76")
		fires(t, m, DVRPortFlowMissing, "net1", "no DVR flow for SNAT port sg-149268a5-60")
		// The simulator agrees: routed from vm on cmp2 (10.10.2.38), the
		// packet dies in cmp1's br-int table 1.
		res, err := trace.New(m).Run("10.10.2.38", "10.10.1.156", trace.Options{})
		if err != nil || res.Verdict != "dropped" || !strings.Contains(res.Reason, "table 1") {
			t.Errorf("trace: %v %+v", err, res)
		}
	})
	t.Run("dvr-port-flow-missing wrong source", func(t *testing.T) {
		m := healthyWith(t, func(m *model.Model) {
			editFlows(t, node(t, m, "cmp2"), "br-int", replaceIn("dl_dst=fa:16:3e:09:41:b5 actions=set_field", "fa:16:3e:f3:89:31", "fa:16:3e:f3:f0:0e"))
		})
		fires(t, m, DVRPortFlowMissing, "cmp2", "rewrites the source of routed traffic to VM port qvo0778ad0d-cb (fa:16:3e:09:41:b5) on cmp2 to fa:16:3e:f3:f0:0e, not to its gateway's MAC fa:16:3e:f3:89:31")
	})
	t.Run("namespace-empty quiet", func(t *testing.T) { quiet(t, labModel(t, "healthy"), NamespaceEmpty) })
	t.Run("namespace-empty", func(t *testing.T) {
		m := healthyWith(t, func(m *model.Model) {
			q := namespace(t, node(t, m, "cmp2"), router)
			q.Interfaces = slices.DeleteFunc(slices.Clone(q.Interfaces), func(ifc *model.Interface) bool { return ifc.Name != "lo" })
		})
		fires(t, m, NamespaceEmpty, "cmp2", "qrouter-907f4d76-d5d4-4334-bd29-9eb24e0a20fc has no device but lo: a leftover of a router")
	})
	t.Run("qrouter-missing", func(t *testing.T) {
		m := healthyWith(t, func(m *model.Model) {
			n := node(t, m, "cmp2")
			q := namespace(t, n, router)
			var keep []*model.Namespace
			for _, ns := range n.Namespaces {
				if ns != q {
					keep = append(keep, ns)
				}
			}
			n.Namespaces = keep
		})
		fires(t, m, QRouterMissing, "cmp2", "no qrouter-907f4d76-d5d4-4334-bd29-9eb24e0a20fc on this DVR node")
	})
	t.Run("qr-mismatch mac", func(t *testing.T) {
		m := healthyWith(t, func(m *model.Model) {
			ifc := iface(t, namespace(t, node(t, m, "cmp2"), router), "qr-2e3a3302-66")
			ifc.MAC = net.HardwareAddr{0xfa, 0x16, 0x3e, 0, 0, 1}
		})
		fires(t, m, QRMismatch, "cmp2", "qr-2e3a3302-66 in qrouter-907f4d76-d5d4-4334-bd29-9eb24e0a20fc has fa:16:3e:00:00:01 10.10.2.1/24, the other nodes fa:16:3e:f3:f0:0e")
	})
	t.Run("qr-mismatch missing", func(t *testing.T) {
		m := healthyWith(t, func(m *model.Model) {
			q := namespace(t, node(t, m, "cmp2"), router)
			q.Interfaces = q.Interfaces[:len(q.Interfaces)-1]
		})
		fires(t, m, QRMismatch, "cmp2", "has no qr-")
	})
	t.Run("snat-multiple and external-ip-duplicate", func(t *testing.T) {
		m := healthyWith(t, func(m *model.Model) {
			snat := namespace(t, node(t, m, "net1"), "snat-")
			cmp1 := node(t, m, "cmp1")
			cmp1.Namespaces = append(cmp1.Namespaces, snat)
		})
		fires(t, m, SNATMultiple, "cmp1", "holds its sg-/qg- addresses on cmp1, net1")
		fires(t, m, ExternalIPDuplicate, "net1", "is held 2 times: qg-")
	})
	t.Run("router-sysctl quiet", func(t *testing.T) { quiet(t, labModel(t, "healthy"), RouterSysctl) })
	t.Run("router-sysctl forwarding", func(t *testing.T) {
		// ip_forward=0 turns every device's forwarding off with it, as the
		// kernel does.
		m := healthyWith(t, func(m *model.Model) {
			setSysctl(t, namespace(t, node(t, m, "cmp1"), router), func(k string) bool {
				return k == "net.ipv4.ip_forward" || strings.HasSuffix(k, ".forwarding") && strings.HasPrefix(k, "net.ipv4.conf.")
			}, "0")
		})
		fires(t, m, RouterSysctl, "cmp1", "qrouter-907f4d76-d5d4-4334-bd29-9eb24e0a20fc has IPv4 forwarding off: it routes nothing")
		// The simulator agrees: vm1 (cmp1) cannot reach vm3 on the other
		// subnet, routed by cmp1's qrouter.
		res, err := trace.New(m).Run("10.10.1.23", "10.10.2.128", trace.Options{})
		if err != nil || res.Verdict == "delivered" || !strings.Contains(res.Reason, "forwarding") {
			t.Errorf("trace: %v %+v", err, res)
		}
	})
	t.Run("router-sysctl fg proxy_arp", func(t *testing.T) {
		m := healthyWith(t, func(m *model.Model) {
			setSysctl(t, namespace(t, node(t, m, "cmp1"), "fip-"), func(k string) bool {
				return strings.HasPrefix(k, "net.ipv4.conf.fg-") && strings.HasSuffix(k, ".proxy_arp")
			}, "0")
		})
		fires(t, m, RouterSysctl, "cmp1", "does not proxy ARP: the upstream router's ARP for this node's floating IPs goes unanswered")
		// The simulator agrees: the external host cannot reach vm1's
		// floating IP.
		res, err := trace.New(m).Run("172.24.4.1", "172.24.4.65", trace.Options{})
		if err != nil || res.Verdict != "arp-unresolved" {
			t.Errorf("trace: %v %+v", err, res)
		}
	})
	t.Run("fip-namespace-incomplete", func(t *testing.T) {
		m := healthyWith(t, func(m *model.Model) {
			fip := namespace(t, node(t, m, "cmp1"), "fip-")
			var keep []iproute.Rule
			for _, rl := range fip.Rules {
				if rl.IIF == "" {
					keep = append(keep, rl)
				}
			}
			fip.Rules = keep
		})
		fires(t, m, FIPNamespaceIncomplete, "cmp1", "has no 'iif fpr-907f4d76-d' rule")
	})
	t.Run("fip-namespace-incomplete fg", func(t *testing.T) {
		m := healthyWith(t, func(m *model.Model) {
			fip := namespace(t, node(t, m, "cmp1"), "fip-")
			var keep []*model.Interface
			for _, ifc := range fip.Interfaces {
				if !strings.HasPrefix(ifc.Name, "fg-") {
					keep = append(keep, ifc)
				}
			}
			fip.Interfaces = keep
		})
		fires(t, m, FIPNamespaceIncomplete, "cmp1", "has no fg- port")
	})
	t.Run("fip-rule-route stale rule", func(t *testing.T) {
		m := healthyWith(t, func(m *model.Model) {
			q := namespace(t, node(t, m, "cmp1"), router)
			rs, err := iproute.ParseRule(strings.NewReader("57000:\tfrom 10.10.1.99 lookup 16\n"), "rules")
			if err != nil {
				t.Fatal(err)
			}
			q.Rules = append(q.Rules, rs.Rules...)
		})
		fires(t, m, FIPRuleRoute, "cmp1", "rule 'from 10.10.1.99 lookup 16' matches no floating IP")
	})
	t.Run("snat-redirect rule missing", func(t *testing.T) {
		m := healthyWith(t, func(m *model.Model) {
			q := namespace(t, node(t, m, "cmp2"), router)
			var keep []iproute.Rule
			for _, rl := range q.Rules {
				if rl.Table != "168427777" {
					keep = append(keep, rl)
				}
			}
			q.Rules = keep
		})
		fires(t, m, SNATRedirect, "cmp2", "has no SNAT redirect rule for qr-e7ff5f15-09 (10.10.1.1/24)")
	})
	t.Run("snat-redirect wrong gateway", func(t *testing.T) {
		m := healthyWith(t, func(m *model.Model) {
			q := namespace(t, node(t, m, "cmp2"), router)
			for i := range q.Routes {
				if q.Routes[i].Table == "168427777" {
					q.Routes[i].Gateway = q.Routes[i].Gateway.Next()
				}
			}
		})
		fires(t, m, SNATRedirect, "cmp2", "sends 10.10.1.0/24 to 10.10.1.59, which is no sg- address")
	})
}

func TestMTUAndFirewallRules(t *testing.T) {
	t.Run("mtu-mismatch", func(t *testing.T) {
		m := healthyWith(t, func(m *model.Model) { node(t, m, "cmp2").HostInterface("qvb0778ad0d-cb").MTU = 1500 })
		fires(t, m, MTUMismatch, "cmp2", "veth pair qvb0778ad0d-cb (MTU 1500) and qvo0778ad0d-cb (MTU 1450) differ")
	})
	t.Run("ovsfw-zone-mismatch", func(t *testing.T) {
		m := healthyWith(t, func(m *model.Model) {
			editFlows(t, node(t, m, "cmp1"), "br-int", replaceIn(`priority=100,in_port="tap44ccd1d5-94"`, "set_field:0x1->reg6", "set_field:0x5->reg6"))
		})
		fires(t, m, OVSFWZoneMismatch, "cmp1", "in conntrack zone 5 (reg6) but the port is on local VLAN 1")
	})
	t.Run("spoofing-flows quiet", func(t *testing.T) { quiet(t, labModel(t, "healthy"), SpoofingFlows) })
	t.Run("spoofing-flows ARP", func(t *testing.T) {
		m := healthyWith(t, func(m *model.Model) {
			editFlows(t, node(t, m, "cmp2"), "br-int", drop("arp_spa=10.10.1.132 "))
		})
		fires(t, m, SpoofingFlows, "cmp2", "br-int table 24 does not allow ARP from VM port qvo0778ad0d-cb (fa:16:3e:09:41:b5) on cmp2 with its address 10.10.1.132")
		// The simulator agrees: the VM's ARP request dies in table 24.
		res, err := trace.New(m).Run("10.10.1.132", "10.10.1.156", trace.Options{})
		if err != nil || res.Verdict != "arp-unresolved" || !strings.Contains(res.Reason, "table 24") {
			t.Errorf("trace: %v %+v", err, res)
		}
	})
	t.Run("spoofing-flows MAC", func(t *testing.T) {
		m := healthyWith(t, func(m *model.Model) {
			editFlows(t, node(t, m, "cmp2"), "br-int", replaceIn("table=25,", "dl_src=fa:16:3e:43:7c:b3", "dl_src=fa:16:3e:43:7c:b4"))
		})
		fires(t, m, SpoofingFlows, "cmp2", "br-int table 25 does not allow VM port qvoa9685f22-90 (fa:16:3e:43:7c:b3) on cmp2's own MAC fa:16:3e:43:7c:b3")
		// The simulator agrees: the VM's frames die in table 25, its ARP
		// request first.
		res, err := trace.New(m).Run("10.10.2.38", "10.10.2.128", trace.Options{})
		if err != nil || res.Verdict != "arp-unresolved" || !strings.Contains(res.Reason, "table 25") {
			t.Errorf("trace: %v %+v", err, res)
		}
	})
	t.Run("spoofing-flows port security off", func(t *testing.T) {
		m := healthyWith(t, func(m *model.Model) {
			editFlows(t, node(t, m, "cmp2"), "br-int", drop(`in_port="qvof732fa7e-34"`))
		})
		quiet(t, m, SpoofingFlows)
	})
	t.Run("ovsfw-port-unfiltered", func(t *testing.T) {
		m := healthyWith(t, func(m *model.Model) {
			editFlows(t, node(t, m, "cmp1"), "br-int", func(raw string) string {
				if strings.Contains(raw, "table=60,") && strings.Contains(raw, `priority=100,in_port="tap44ccd1d5-94"`) {
					return ""
				}
				return raw
			})
		})
		fires(t, m, OVSFWPortUnfiltered, "cmp1", "VM port tap44ccd1d5-94 (fa:16:3e:73:34:5c) on cmp1 has no OVS firewall classification flow")
	})
	t.Run("hybrid-plumbing", func(t *testing.T) {
		m := healthyWith(t, func(m *model.Model) { node(t, m, "cmp2").HostInterface("qvb0778ad0d-cb").Master = "" })
		fires(t, m, HybridPlumbing, "cmp2", "qvb0778ad0d-cb is not a member of qbr0778ad0d-cb")
	})
	t.Run("hybrid-plumbing tap on br-int", func(t *testing.T) {
		m := healthyWith(t, func(m *model.Model) {
			n := node(t, m, "cmp1")
			n.Agent.FirewallDriver.Value = "iptables_hybrid"
		})
		fires(t, m, HybridPlumbing, "cmp1", "plugged directly into br-int on a node whose firewall driver is iptables_hybrid")
	})
	t.Run("ct-zone-collision", func(t *testing.T) {
		m := healthyWith(t, func(m *model.Model) {
			s, err := iptables.ParseSave(strings.NewReader(`*raw
:PREROUTING ACCEPT [0:0]
-A PREROUTING -m physdev --physdev-in qvb0778ad0d-cb -j CT --zone 4097
-A PREROUTING -m physdev --physdev-in qvba9685f22-90 -j CT --zone 4097
-A PREROUTING -m physdev --physdev-in qvbf732fa7e-34 -j CT --zone 12
COMMIT
`), "iptables-save")
			if err != nil {
				t.Fatal(err)
			}
			node(t, m, "cmp2").IPTables = s
		})
		fires(t, m, CTZoneCollision, "cmp2", "conntrack zone 4097 is shared by 2 ports (0778ad0d-cb, a9685f22-90)")
		fires(t, m, CTZoneCollision, "cmp2", "in conntrack zone 12, inside the range of OVS-firewall zones")
	})
	t.Run("ct-mark-invalid", func(t *testing.T) {
		m := healthyWith(t, func(m *model.Model) {
			d, err := ovs.ParseCTDump(strings.NewReader("tcp,orig=(src=10.10.1.23,dst=10.10.1.132,sport=40000,dport=22),reply=(src=10.10.1.132,dst=10.10.1.23,sport=22,dport=40000),zone=1,mark=1,protoinfo=(state=ESTABLISHED)\n"), "ct")
			if err != nil || len(d.Entries) != 1 {
				t.Fatalf("%v %+v", err, d)
			}
			n := node(t, m, "cmp1")
			n.Files = append(n.Files, &model.Parsed{Source: collect.SourceFile{Kind: collect.KindDPCtlDumpConntrack, Path: "ct"}, Result: d})
		})
		fires(t, m, CTMarkInvalid, "cmp1", "1 conntrack entry is marked invalid")
	})
}

func TestDataRules(t *testing.T) {
	t.Run("source-missing", func(t *testing.T) {
		m := healthyWith(t, func(m *model.Model) {
			n := node(t, m, "cmp1")
			n.Gaps = append(n.Gaps, model.Gap{What: "flows of br-int", Why: "failed (ovs-ofctl: br-int is not a bridge or a socket)"})
		})
		fires(t, m, SourceMissing, "cmp1", "no flows of br-int: failed")
	})
	t.Run("source-truncated", func(t *testing.T) {
		m := healthyWith(t, func(m *model.Model) {
			n := node(t, m, "cmp1")
			cn := *n.Bundle // the bundle is shared between tests: change a copy
			cn.Inventory = append([]collect.SourceFile(nil), cn.Inventory...)
			for i := range cn.Inventory {
				if cn.Inventory[i].Kind == collect.KindOFCtlDumpFlows && cn.Inventory[i].Key == "br-tun" {
					cn.Inventory[i].Status, cn.Inventory[i].Why = collect.StatusTruncated, "cut at 25 MiB by sos"
				}
			}
			n.Bundle = &cn
		})
		fires(t, m, SourceTruncated, "cmp1", "ovs-ofctl-dump-flows br-tun is truncated")
		res := check(m, TunFlowMissing)
		if len(res.Skipped) == 0 || !strings.Contains(res.Skipped[0].Why, "truncated") {
			t.Errorf("truncated br-tun flows do not skip tun-flow-missing: %+v", res.Skipped)
		}
	})
	t.Run("namespace-capped", func(t *testing.T) {
		m := healthyWith(t, func(m *model.Model) { namespace(t, node(t, m, "net1"), "qdhcp-").Capped = true })
		fires(t, m, NamespaceCapped, "net1", "1 namespace of 5 listed by ip netns have no collected files")
		res := check(m, NSDeviceOrphan)
		if len(res.Skipped) == 0 {
			t.Error("a capped namespace is not listed as skipped")
		}
	})
	t.Run("parse-errors", func(t *testing.T) {
		m := healthyWith(t, func(m *model.Model) {
			n := node(t, m, "cmp1")
			n.Files = append(n.Files, &model.Parsed{Source: collect.SourceFile{Kind: collect.KindIPRoute, Path: "x/ip_route"}, Err: errors.New("unreadable")})
		})
		fires(t, m, ParseErrors, "cmp1", "1 line of x/ip_route (ip-route) not understood")
	})
	t.Run("obfuscation-mixed", func(t *testing.T) {
		m := healthyWith(t, func(m *model.Model) {
			for _, b := range node(t, m, "cmp1").Bridges {
				for _, p := range b.Ports {
					if p.AttachedMAC != "" {
						p.AttachedMAC = "53:4f:53:" + p.AttachedMAC[9:]
					}
				}
			}
		})
		fires(t, m, ObfuscationMixed, "cmp1", "cmp1 is obfuscated by sos clean (53:4f:53 MACs) but cmp2, net1 are not")
	})
}

func TestMoreRules(t *testing.T) {
	t.Run("provider-vlan-missing", func(t *testing.T) {
		m := healthyWith(t, func(m *model.Model) {
			editFlows(t, node(t, m, "cmp1"), "br-int", drop(`in_port="int-br-ex",vlan_tci=0x0000/0x1fff`))
		})
		fires(t, m, ProviderVLANMissing, "cmp1", "flat on external on local VLAN 3 (1 port here): br-int table 0 does not map the provider segment")
	})
	t.Run("ovs-port-orphan", func(t *testing.T) {
		m := healthyWith(t, func(m *model.Model) {
			q := namespace(t, node(t, m, "cmp1"), "qrouter-")
			var keep []*model.Interface
			for _, ifc := range q.Interfaces {
				if ifc.Name != "qr-2e3a3302-66" {
					keep = append(keep, ifc)
				}
			}
			q.Interfaces = keep
		})
		fires(t, m, OVSPortOrphan, "cmp1", "OVS internal port qr-2e3a3302-66 on br-int has no device")
	})
	t.Run("duplicate-ip", func(t *testing.T) {
		m := healthyWith(t, func(m *model.Model) {
			tap := iface(t, namespace(t, node(t, m, "net1"), "qdhcp-8a6e3785"), "tap")
			for i := range tap.Addrs {
				if tap.Addrs[i].Prefix.Addr().Is4() {
					tap.Addrs[i].Prefix = netip.MustParsePrefix("10.10.1.23/24")
				}
			}
		})
		fires(t, m, DuplicateIP, "cmp1", "fixed IP 10.10.1.23 on vxlan 1246 (0x4de) is given to 2 ports")
	})
	t.Run("tunnel key", func(t *testing.T) {
		m := healthyWith(t, func(m *model.Model) {
			o := port(t, node(t, m, "cmp1"), "vxlan-c0a8fd0b").Options
			o["in_key"], o["out_key"] = "5", "5"
		})
		fires(t, m, TunnelOptionsMismatch, "cmp1", "does not take its key from the flows")
	})
	t.Run("l2pop entry to a non-tunnel port", func(t *testing.T) {
		m := healthyWith(t, func(m *model.Model) {
			editFlows(t, node(t, m, "cmp1"), "br-tun", replaceIn("priority=2,dl_vlan=1,dl_dst=fa:16:3e:09:41:b5", `output:"vxlan-c0a8fd0d"`, `output:"patch-int"`))
		})
		fires(t, m, L2popUnicastStale, "cmp1", "outputs to patch-int, which is no tunnel port")
	})
}

// setSysctl sets the sysctl values of ns whose key match picks.
func setSysctl(t *testing.T, ns *model.Namespace, match func(string) bool, value string) {
	t.Helper()
	if ns.Sysctl == nil {
		t.Fatalf("%s has no sysctl -a", ns.Name)
	}
	set := 0
	for i := range ns.Sysctl.Entries {
		if e := &ns.Sysctl.Entries[i]; match(e.Key) {
			e.Value, e.Raw = value, e.Key+" = "+value
			set++
		}
	}
	if set == 0 {
		t.Fatalf("no sysctl of %s matched", ns.Name)
	}
}
