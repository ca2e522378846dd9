package rules

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"testing/fstest"

	"netxray/analyze/model"
	"netxray/collect"
	"netxray/internal/testenv"
)

// Sos paths the corpus files are placed at; NS is a namespace name.
const (
	pShow    = "sos_commands/openvswitch/ovs-vsctl_-t_5_show"
	pFlows   = "sos_commands/openvswitch/ovs-ofctl_dump-flows_"
	pFDB     = "sos_commands/openvswitch/ovs-appctl_fdb.show_"
	pCT      = "sos_commands/netxray/ovs-appctl_dpctl.dump-conntrack_-m"
	pDPShow  = "sos_commands/openvswitch/ovs-appctl_dpctl.show_-s_system@ovs-system"
	pAddr    = "sos_commands/networking/ip_-d_address"
	pLink    = "sos_commands/networking/ip_-s_-d_link"
	pRoute   = "sos_commands/networking/ip_route_show_table_all"
	pNeigh   = "sos_commands/networking/ip_-s_-s_neigh_show"
	pNetns   = "sos_commands/networking/ip_netns"
	pBrctl   = "sos_commands/networking/brctl_show"
	pVirsh   = "sos_commands/virsh/virsh_-r_list_--all"
	pIfList  = "sos_commands/netxray/virsh_-r_domiflist_"
	pXML     = "sos_commands/virsh/virsh_-r_dumpxml_"
	pListOVS = "sos_commands/netxray/ovs-vsctl_-t_5_list_Open_vSwitch"
	pNB      = "sos_commands/ovn_central/ovn-nbctl_show"
	pSB      = "sos_commands/ovn_central/ovn-sbctl_show"
	nsDir    = "sos_commands/networking/namespaces/NS/ip_netns_exec_NS_"
	pNSAddr  = nsDir + "ip_-d_address_show"
	pNSRoute = nsDir + "ip_route_show_table_all"
	pNSRule  = nsDir + "ip_-4_rule_list"
	pNSNeigh = nsDir + "ip_-s_-s_neigh_show"
)

// piece is one corpus text placed in a synthetic node: a whole file of
// ../shared/real, or lines first..last of a write-up in ../shared/seeds.
type piece struct {
	node, src   string
	first, last int
	path, ns    string
}

// corpusPieces group the shared corpus into the nodes it was taken from,
// as far as the sources tell (files of one host together).
var corpusPieces = []piece{
	{node: "yeasy-vxlan-compute", src: "real/yeasy-understand-neutron/ovs-ofctl_dump-flows_br-tun_vxlan_compute.txt", path: pFlows + "br-tun"},
	{node: "yeasy-vxlan-network", src: "real/yeasy-understand-neutron/ovs-ofctl_dump-flows_br-tun_vxlan_network.txt", path: pFlows + "br-tun"},
	{node: "yeasy-vxlan-network", src: "real/yeasy-understand-neutron/ovs-ofctl_dump-flows_br-int_network.txt", path: pFlows + "br-int"},
	{node: "yeasy-vxlan-network", src: "real/yeasy-understand-neutron/ovs-ofctl_dump-flows_br-ex.txt", path: pFlows + "br-ex"},
	{node: "yeasy-vxlan-network", src: "real/yeasy-understand-neutron/ip_addr_qrouter_vxlan.txt", path: pNSAddr, ns: "qrouter-2d214fde-293c-4d64-8062-797f80ae2d8f"},
	{node: "yeasy-vxlan-network", src: "real/yeasy-understand-neutron/ip_route_qrouter_vxlan.txt", path: pNSRoute, ns: "qrouter-2d214fde-293c-4d64-8062-797f80ae2d8f"},
	{node: "yeasy-gre-compute", src: "real/yeasy-understand-neutron/ovs-ofctl_dump-flows_br-tun_gre_compute.txt", path: pFlows + "br-tun"},
	{node: "yeasy-gre-compute", src: "real/yeasy-understand-neutron/ovs-ofctl_dump-flows_br-int_gre_compute.txt", path: pFlows + "br-int"},
	{node: "yeasy-gre-network", src: "real/yeasy-understand-neutron/ovs-ofctl_dump-flows_br-tun_gre_network.txt", path: pFlows + "br-tun"},
	{node: "yeasy-gre-network", src: "real/yeasy-understand-neutron/ip_netns.txt", path: pNetns},
	{node: "yeasy-gre-network", src: "real/yeasy-understand-neutron/ip_addr_qdhcp.txt", path: pNSAddr, ns: "qdhcp-88b1609c-68e0-49ca-a658-f1edff54a264"},
	{node: "yeasy-gre-network", src: "real/yeasy-understand-neutron/ip_addr_qrouter_gre.txt", path: pNSAddr, ns: "qrouter-2d214fde-293c-4d64-8062-797f80ae2d8f"},
	{node: "yeasy-gre-network", src: "real/yeasy-understand-neutron/ip_route_qrouter_gre.txt", path: pNSRoute, ns: "qrouter-2d214fde-293c-4d64-8062-797f80ae2d8f"},

	{node: "jffree-node2", src: "real/jffree-neutron-dvr/ovs-ofctl_dump-flows_br-int_table0_dvr_node2.txt", path: pFlows + "br-int"},
	{node: "jffree-node2", src: "real/jffree-neutron-dvr/ovs-ofctl_dump-flows_br-int_table24.txt", path: pFlows + "br-int"},
	{node: "jffree-node2", src: "real/jffree-neutron-dvr/ovs-ofctl_dump-flows_br-ex_dvr.txt", path: pFlows + "br-ex"},
	{node: "jffree-node2", src: "real/jffree-neutron-dvr/ovs-ofctl_dump-flows_br-tun_table0.txt", path: pFlows + "br-tun"},
	{node: "jffree-node2", src: "real/jffree-neutron-dvr/ovs-ofctl_dump-flows_br-tun_table1_dvr_process.txt", path: pFlows + "br-tun"},
	{node: "jffree-node2", src: "real/jffree-neutron-dvr/ovs-ofctl_dump-flows_br-tun_table2.txt", path: pFlows + "br-tun"},
	{node: "jffree-node2", src: "real/jffree-neutron-dvr/ovs-ofctl_dump-flows_br-tun_table20_l2pop.txt", path: pFlows + "br-tun"},
	{node: "jffree-node2", src: "real/jffree-neutron-dvr/ovs-ofctl_dump-flows_br-tun_table21_arp_responder.txt", path: pFlows + "br-tun"},
	{node: "jffree-node2", src: "real/jffree-neutron-dvr/ovs-ofctl_dump-flows_br-tun_table22_flood.txt", path: pFlows + "br-tun"},
	{node: "jffree-node2", src: "real/jffree-neutron-dvr/ovs-ofctl_dump-flows_br-tun_table9_dvr_not_learn.txt", path: pFlows + "br-tun"},
	{node: "jffree-node2", src: "real/jffree-neutron-dvr/ip_rule_qrouter_dvr.txt", path: pNSRule, ns: "qrouter-7c2d9e10-5b6a-4c3d-8e9f-0a1b2c3d4e5f"},
	{node: "jffree-node2", src: "real/jffree-neutron-dvr/ip_route_show_table_16_qrouter.txt", path: pNSRoute, ns: "qrouter-7c2d9e10-5b6a-4c3d-8e9f-0a1b2c3d4e5f"},
	{node: "jffree-node2", src: "real/jffree-neutron-dvr/ip_route_list_table_168430081_qrouter.txt", path: pNSRoute, ns: "qrouter-7c2d9e10-5b6a-4c3d-8e9f-0a1b2c3d4e5f"},
	{node: "jffree-node2", src: "real/jffree-neutron-dvr/ip_neigh_qrouter_dvr.txt", path: pNSNeigh, ns: "qrouter-7c2d9e10-5b6a-4c3d-8e9f-0a1b2c3d4e5f"},
	{node: "jffree-node2", src: "real/jffree-neutron-dvr/ip_rule_fip_ns.txt", path: pNSRule, ns: "fip-2b3c4d5e-6f70-4182-93a4-b5c6d7e8f901"},
	{node: "jffree-node2", src: "real/jffree-neutron-dvr/ip_route_list_table_fip.txt", path: pNSRoute, ns: "fip-2b3c4d5e-6f70-4182-93a4-b5c6d7e8f901"},
	{node: "jffree-node2", src: "real/jffree-neutron-dvr/ip_-d_route_show_table_fip.txt", path: pNSRoute, ns: "fip-2b3c4d5e-6f70-4182-93a4-b5c6d7e8f901"},
	{node: "jffree-node3", src: "real/jffree-neutron-dvr/ovs-ofctl_dump-flows_br-int_table0_dvr_node3.txt", path: pFlows + "br-int"},
	{node: "jffree-node3", src: "real/jffree-neutron-dvr/ovs-ofctl_dump-flows_br-tun_table0_node3.txt", path: pFlows + "br-tun"},
	{node: "jffree-node3", src: "real/jffree-neutron-dvr/ovs-ofctl_dump-flows_br-tun_table4_node3.txt", path: pFlows + "br-tun"},
	{node: "jffree-node1", src: "real/jffree-neutron-dvr/ip_addr_show_sg_snat_ns.txt", path: pNSAddr, ns: "snat-7c2d9e10-5b6a-4c3d-8e9f-0a1b2c3d4e5f"},
	{node: "jffree-node1", src: "real/jffree-neutron-dvr/ip_route_qdhcp.txt", path: pNSRoute, ns: "qdhcp-3a4b5c6d-7e8f-4a0b-9c1d-2e3f4a5b6c7d"},

	{node: "networkop-compute2", src: "real/networkop-blog/ovs-appctl_fdb-show_br-int_dvr_compute2.txt", path: pFDB + "br-int"},
	{node: "networkop-compute2", src: "real/networkop-blog/ip_rule_qrouter_dvr_with_fip.txt", path: pNSRule, ns: "qrouter-5b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9"},
	{node: "networkop-compute2", src: "real/networkop-blog/ip_route_list_table_main_qrouter_dvr.txt", path: pNSRoute, ns: "qrouter-5b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9"},
	{node: "networkop-compute2", src: "real/networkop-blog/ip_route_list_table_16_qrouter_dvr.txt", path: pNSRoute, ns: "qrouter-5b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9"},
	{node: "networkop-compute2", src: "real/networkop-blog/ip_route_list_table_csnat_qrouter_dvr.txt", path: pNSRoute, ns: "qrouter-5b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9"},
	{node: "networkop-compute3", src: "real/networkop-blog/ovs-appctl_fdb-show_br-int_dvr_compute3.txt", path: pFDB + "br-int"},
	{node: "networkop-compute3", src: "real/networkop-blog/ip_rule_qrouter_dvr_nofip.txt", path: pNSRule, ns: "qrouter-5b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9"},
	{node: "networkop-network", src: "real/networkop-blog/ovs-appctl_fdb-show_br-ex.txt", path: pFDB + "br-ex"},

	{node: "insights-network", src: "real/insights-core-fixtures/ovs-vsctl_show_network_node.txt", path: pShow},
	{node: "insights-compute", src: "real/insights-core-fixtures/ip_-s_-d_link_ovs_compute.txt", path: pLink},
	{node: "insights-host", src: "real/insights-core-fixtures/ip_route_show_table_all.txt", path: pRoute},
	{node: "insights-host", src: "real/insights-core-fixtures/ip_neigh_show.txt", path: pNeigh},
	{node: "insights-kvm", src: "real/insights-core-fixtures/brctl_show_tabs.txt", path: pBrctl},

	{node: "devref-network", src: "real/neutron-devref-layer3/ovs-vsctl_show.txt", path: pShow},
	{node: "devref-network", src: "real/neutron-devref-layer3/ip_netns_exec_qrouter_ip_addr_list.txt", path: pNSAddr, ns: "qrouter-8d9c2b2a-f0c4-4d3c-9e6b-1a2b3c4d5e6f"},
	{node: "devref-network", src: "real/neutron-devref-layer3/brctl_show.txt", path: pBrctl},

	{node: "study-compute", src: "real/9506hqwy-openstack-study-notes/ovs-vsctl_show_compute_vxlan.txt", path: pShow},
	{node: "study-compute", src: "real/9506hqwy-openstack-study-notes/ip_-d_link_show_compute_ovs.txt", path: pLink},
	{node: "study-compute", src: "real/9506hqwy-openstack-study-notes/ovs-dpctl_show_compute.txt", path: pDPShow},
	{node: "study-compute", src: "real/9506hqwy-openstack-study-notes/ovs-ofctl_dump-flows_br-int_ovsfw.txt", path: pFlows + "br-int"},
	{node: "study-compute", src: "real/9506hqwy-openstack-study-notes/ovs-ofctl_dump-flows_br-tun_names.txt", path: pFlows + "br-tun"},
	{node: "study-compute", src: "real/9506hqwy-openstack-study-notes/ovs-ofctl_dump-flows_br-provider.txt", path: pFlows + "br-provider"},
	{node: "study-compute", src: "real/9506hqwy-openstack-study-notes/virsh_dumpxml_interface_ovs.txt", path: pXML + "instance-00000001"},
	{node: "study-network", src: "real/9506hqwy-openstack-study-notes/ovs-vsctl_show_network_node.txt", path: pShow},
	{node: "study-network", src: "real/9506hqwy-openstack-study-notes/ovs-ofctl_dump-flows_br-int_network_node.txt", path: pFlows + "br-int"},
	{node: "study-network", src: "real/9506hqwy-openstack-study-notes/ovs-ofctl_dump-flows_br-tun_network_node.txt", path: pFlows + "br-tun"},
	{node: "study-network", src: "real/9506hqwy-openstack-study-notes/ip_netns_exec_qrouter_ip_addr_show.txt", path: pNSAddr, ns: "qrouter-1f2e3d4c-5b6a-4798-8a9b-0c1d2e3f4a5b"},
	{node: "study-network", src: "real/9506hqwy-openstack-study-notes/ip_netns_exec_qrouter_ip_route_show.txt", path: pNSRoute, ns: "qrouter-1f2e3d4c-5b6a-4798-8a9b-0c1d2e3f4a5b"},
	{node: "study-dvr", src: "real/9506hqwy-openstack-study-notes/ip_netns_exec_qrouter_ip_addr_show_fip.txt", path: pNSAddr, ns: "qrouter-1f2e3d4c-5b6a-4798-8a9b-0c1d2e3f4a5b"},
	{node: "study-ovn", src: "real/9506hqwy-openstack-study-notes/ovs-vsctl_show_ovn_geneve.txt", path: pShow},
	{node: "study-ovn", src: "real/9506hqwy-openstack-study-notes/ovs-ofctl_dump-flows_br-int_ovn.txt", path: pFlows + "br-int"},
	{node: "study-ovn", src: "real/9506hqwy-openstack-study-notes/ip_netns_ovn.txt", path: pNetns},
	{node: "study-ovn", src: "real/9506hqwy-openstack-study-notes/ip_netns_exec_ovnmeta_ip_addr_show.txt", path: pNSAddr, ns: "ovnmeta-bdf0edc2-bae8-4cc7-85b2-2cc4e82ab10f"},
	{node: "study-lb", src: "real/9506hqwy-openstack-study-notes/ip_netns_exec_qrouter_ip_addr_show_lb.txt", path: pNSAddr, ns: "qrouter-6a5b4c3d-2e1f-4a0b-9c8d-7e6f5a4b3c2d"},
	{node: "study-lb", src: "real/9506hqwy-openstack-study-notes/ip_netns_exec_qrouter_ip_route_lb.txt", path: pNSRoute, ns: "qrouter-6a5b4c3d-2e1f-4a0b-9c8d-7e6f5a4b3c2d"},
	{node: "study-lb", src: "real/9506hqwy-openstack-study-notes/ip_netns_exec_qdhcp_ip_addr_show_lb.txt", path: pNSAddr, ns: "qdhcp-0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"},
	{node: "study-lb", src: "real/9506hqwy-openstack-study-notes/virsh_dumpxml_interface_linuxbridge.txt", path: pXML + "instance-00000002"},
	{node: "misc", src: "real/metallb-e2e-fixture/ip_-j_addr.txt", path: "sos_commands/netxray/ip_-j_-d_address_show"},
	{node: "misc", src: "real/ovs-docs-conntrack-tutorial/ovs-appctl_dpctl-dump-conntrack_syn_sent.txt", path: pCT},

	// Write-ups, by line range (the ranges the parser tests use).
	{node: "seed000-a", src: "seeds/000_a9f12e0c83de08d8.txt", first: 210, last: 216, path: pFlows + "br-int"},
	{node: "seed000-a", src: "seeds/000_a9f12e0c83de08d8.txt", first: 101, last: 103, path: pAddr},
	{node: "seed000-a", src: "seeds/000_a9f12e0c83de08d8.txt", first: 198, last: 199, path: pCT},
	{node: "seed000-a", src: "seeds/000_a9f12e0c83de08d8.txt", first: 92, last: 94, path: pIfList + "instance-a"},
	{node: "seed000-b", src: "seeds/000_a9f12e0c83de08d8.txt", first: 302, last: 307, path: pFlows + "br-int"},
	{node: "seed000-b", src: "seeds/000_a9f12e0c83de08d8.txt", first: 255, last: 257, path: pAddr},
	{node: "seed000-b", src: "seeds/000_a9f12e0c83de08d8.txt", first: 295, last: 295, path: pCT},
	{node: "seed000-b", src: "seeds/000_a9f12e0c83de08d8.txt", first: 248, last: 250, path: pIfList + "instance-b"},
	{node: "seed001", src: "seeds/001_a2c8ad67aaf93afb.txt", first: 63, last: 69, path: pVirsh},
	{node: "seed001", src: "seeds/001_a2c8ad67aaf93afb.txt", first: 143, last: 144, path: pLink},
	{node: "seed001", src: "seeds/001_a2c8ad67aaf93afb.txt", first: 219, last: 222, path: pNSAddr, ns: "qdhcp-3c0896bd-16ef-4ca7-8cea-133862ffc400"},
	{node: "seed001", src: "seeds/001_a2c8ad67aaf93afb.txt", first: 125, last: 127, path: pBrctl},
	{node: "seed001", src: "seeds/001_a2c8ad67aaf93afb.txt", first: 186, last: 198, path: pShow},
	{node: "seed001", src: "seeds/001_a2c8ad67aaf93afb.txt", first: 107, last: 114, path: pXML + "instance-00000022"},
	{node: "seed002-kvm1", src: "seeds/002_bc297f9a21ffb248.txt", first: 86, last: 97, path: pShow},
	{node: "seed002-kvm2", src: "seeds/002_bc297f9a21ffb248.txt", first: 99, last: 110, path: pShow},
	{node: "seed002-c", src: "seeds/002_bc297f9a21ffb248.txt", first: 132, last: 145, path: pShow},
	{node: "seed002-d", src: "seeds/002_bc297f9a21ffb248.txt", first: 147, last: 160, path: pShow},
	{node: "seed002-e", src: "seeds/002_bc297f9a21ffb248.txt", first: 232, last: 239, path: pShow},
	{node: "seed002-e", src: "seeds/002_bc297f9a21ffb248.txt", first: 241, last: 258, path: pListOVS},
	{node: "seed002-controller", src: "seeds/002_bc297f9a21ffb248.txt", first: 283, last: 309, path: pNB},
	{node: "seed002-controller", src: "seeds/002_bc297f9a21ffb248.txt", first: 75, last: 84, path: pSB},
	{node: "seed003", src: "seeds/003_92e59aed2b28e724.txt", first: 56, last: 64, path: pAddr},
	{node: "seed003", src: "seeds/003_92e59aed2b28e724.txt", first: 71, last: 72, path: pNetns},
	{node: "seed003", src: "seeds/003_92e59aed2b28e724.txt", first: 77, last: 82, path: pNSAddr, ns: "snat-dc03bb5f-7a0e-4132-8b78-0fa2d35ca39f"},
	{node: "seed003", src: "seeds/003_92e59aed2b28e724.txt", first: 87, last: 90, path: pNSAddr, ns: "qrouter-dc03bb5f-7a0e-4132-8b78-0fa2d35ca39f"},
	{node: "seed003", src: "seeds/003_92e59aed2b28e724.txt", first: 95, last: 116, path: pShow},
	{node: "seed004", src: "seeds/004_28bc4c432f39284d.txt", first: 131, last: 131, path: pNetns},
	{node: "seed004", src: "seeds/004_28bc4c432f39284d.txt", first: 134, last: 148, path: pNSAddr, ns: "qdhcp-c1997735-771e-463c-b64f-7724800bbb1a"},
	{node: "seed004", src: "seeds/004_28bc4c432f39284d.txt", first: 315, last: 326, path: pNSAddr, ns: "qrouter-594a2a7a-c79b-42f2-9011-8373f3186cb8"},
	{node: "seed004", src: "seeds/004_28bc4c432f39284d.txt", first: 328, last: 333, path: pNSAddr, ns: "qrouter-594a2a7a-c79b-42f2-9011-8373f3186cb8"},
	{node: "seed004", src: "seeds/004_28bc4c432f39284d.txt", first: 125, last: 127, path: pBrctl},
}

// TestCorpus assembles the shared corpus into node trees, one bundle set
// per source (real/<dir>, seeds/<file>), and runs every rule: nothing may
// panic, every finding must cite evidence. The findings are logged for
// review (go test -run TestCorpus -v).
func TestCorpus(t *testing.T) {
	shared := testenv.Shared(t)
	sets := map[string]fstest.MapFS{}
	for _, pc := range corpusPieces {
		data, err := os.ReadFile(filepath.Join(shared, filepath.FromSlash(pc.src)))
		if err != nil {
			t.Fatal(err)
		}
		text := string(data)
		if pc.first > 0 {
			lines := strings.Split(text, "\n")
			text = dedent(lines[pc.first-1:pc.last]) + "\n"
		}
		path := strings.ReplaceAll(pc.path, "NS", pc.ns)
		if kind, _, ok := collect.KindOfPath(path); !ok || kind == "" {
			t.Fatalf("%s: the catalog does not know %s", pc.src, path)
		}
		set := strings.SplitN(pc.src, "/", 3)[0] + "/" + strings.SplitN(pc.src, "/", 3)[1]
		if sets[set] == nil {
			sets[set] = fstest.MapFS{}
		}
		f := pc.node + "/" + path
		if old, ok := sets[set][f]; ok {
			text = string(old.Data) + text
		}
		sets[set][f] = &fstest.MapFile{Data: []byte(text), Mode: 0o644}
		sets[set][pc.node+"/hostname"] = &fstest.MapFile{Data: []byte(pc.node + "\n"), Mode: 0o644}
	}
	var names []string
	for s := range sets {
		names = append(names, s)
	}
	sort.Strings(names)
	for _, s := range names {
		t.Run(s, func(t *testing.T) {
			b, err := collect.OpenFS(sets[s], s)
			if err != nil {
				t.Fatal(err)
			}
			defer b.Close()
			res := Run(model.Build(b), All(), nil)
			for _, f := range res.Findings {
				if len(f.Evidence) == 0 {
					t.Errorf("%s on %s without evidence: %s", f.Rule, f.Node, f.Message)
				}
				if f.Severity >= Warning {
					t.Logf("%s %s %s: %s", f.Severity, f.Rule, f.Node, f.Message)
				}
			}
			t.Logf("%d findings (%d warning or worse), %d skipped checks", len(res.Findings), res.Count(Warning), len(res.Skipped))
		})
	}
}

// dedent removes the indentation every non-blank line shares (write-ups
// indent quoted output).
func dedent(lines []string) string {
	min := -1
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			continue
		}
		n := len(l) - len(strings.TrimLeft(l, " \t"))
		if min < 0 || n < min {
			min = n
		}
	}
	var out []string
	for _, l := range lines {
		if len(l) >= min && min > 0 {
			l = l[min:]
		}
		out = append(out, l)
	}
	return strings.Join(out, "\n")
}
