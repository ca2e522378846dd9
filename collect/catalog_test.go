package collect

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"netxray/internal/testenv"
	"netxray/parse"
)

func TestMangleCommand(t *testing.T) {
	tests := []struct{ cmd, want string }{
		// anchors.md §2.1
		{"ovs-appctl dpctl/dump-conntrack -m system@ovs-system", "ovs-appctl_dpctl.dump-conntrack_-m_system_ovs-system"},
		{"ovs-vsctl -t 5 get Open_vSwitch . other_config", "ovs-vsctl_-t_5_get_Open_vSwitch_._other_config"},
		// anchors.md §3
		{"ip netns exec qrouter-1 ip -4 rule list", "ip_netns_exec_qrouter-1_ip_-4_rule_list"},
		{"ovs-ofctl -O OpenFlow13 dump-flows br-int", "ovs-ofctl_-O_OpenFlow13_dump-flows_br-int"},
		{"bridge -s -s -d -t fdb show", "bridge_-s_-s_-d_-t_fdb_show"},
		{"ovs-appctl tnl/ports/show -v", "ovs-appctl_tnl.ports.show_-v"},
		{"ovs-dpctl dump-flows --name -m type=offloaded", "ovs-dpctl_dump-flows_--name_-m_type_offloaded"},
		{"openstack-hypervisor.ovs-vsctl -t 5 show", "openstack-hypervisor.ovs-vsctl_-t_5_show"},
		// leading binary directories go, runs of other characters are one _
		{"/usr/sbin/ip -o addr", "ip_-o_addr"},
		{"/sbin/ip  route", "ip_route"},
		{"/usr/local/bin/x y", "usr.local.bin.x_y"},
		// sos's own double space after the namespace prefix
		{"ip netns exec ns1  ip -d address show", "ip_netns_exec_ns1_ip_-d_address_show"},
		// leading and trailing " ._-" are stripped
		{"-x ", "x"},
		{"cat /proc/net/dev", "cat_.proc.net.dev"},
		{"echo 'a=b;c'", "echo_a_b_c"},
		// Unicode letters are word characters in Python's re
		{"echo héllo wörld", "echo_héllo_wörld"},
	}
	for _, tt := range tests {
		if got := MangleCommand(tt.cmd); got != tt.want {
			t.Errorf("MangleCommand(%q) = %q, want %q", tt.cmd, got, tt.want)
		}
	}
	long := MangleCommand(strings.Repeat("é", 300))
	if n := len([]rune(long)); n != 255 {
		t.Errorf("long name cut to %d characters, want 255", n)
	}
}

func TestCatalogKindsAreKnown(t *testing.T) {
	known := map[parse.Kind]bool{}
	for _, k := range KnownKinds {
		if known[k] {
			t.Errorf("kind %s listed twice in KnownKinds", k)
		}
		known[k] = true
	}
	used := map[parse.Kind]bool{}
	for _, s := range Catalog {
		used[s.Kind] = true
		if !known[s.Kind] {
			t.Errorf("catalog kind %q is not in KnownKinds", s.Kind)
		}
		if len(s.Variants) == 0 {
			t.Errorf("catalog %s/%s has no variants", s.Kind, s.Key)
		}
		fixed := s.Scope == ScopeHost || s.Scope == ScopeTable || s.Scope == ScopeDB || s.Scope == ScopeFile
		for _, v := range s.Variants {
			if (v.Cmd == "") == (v.File == "") {
				t.Errorf("catalog %s: variant %+v must set exactly one of Cmd and File", s.Kind, v)
			}
			if v.Era == "" {
				t.Errorf("catalog %s: variant %s has no era", s.Kind, v.Path())
			}
			p := v.Path()
			hasKey := false
			for k := range keyPlaceholders {
				hasKey = hasKey || strings.Contains(p, "{"+k+"}")
			}
			if hasKey == fixed {
				t.Errorf("catalog %s (scope %s): variant %s: a key placeholder is needed exactly when the scope has no fixed key", s.Kind, s.Scope, p)
			}
		}
	}
	for _, k := range KnownKinds {
		if !used[k] {
			t.Errorf("known kind %s is not used by the catalog", k)
		}
	}
}

// TestCatalogNetxrayNames checks the netxray variants against the exact
// commands the collector runs, through MangleCommand.
func TestCatalogNetxrayNames(t *testing.T) {
	host := []string{
		"ovs-vsctl -t 5 list Port", "ovs-vsctl -t 5 list Interface", "ovs-vsctl -t 5 list Bridge",
		"ovs-vsctl -t 5 list Open_vSwitch", "ovs-appctl dpctl/dump-conntrack -m",
		"ip -j -d address show", "ip -j route show table all", "ip -j rule list", "ip -j neigh show",
		"ovs-ofctl --names dump-flows br-int", "ovs-ofctl -O OpenFlow13 --names dump-flows br-int",
		"ovs-ofctl -O OpenFlow13 dump-groups br-int", "ovs-appctl fdb/show br-int",
		"virsh -r domiflist instance-00000001",
	}
	for _, cmd := range host {
		p := "sos_commands/netxray/" + MangleCommand(cmd)
		if _, _, ok := KindOfPath(p); !ok {
			t.Errorf("netxray file %s (%q) is not in the catalog", p, cmd)
		}
	}
	ns := []string{
		"ip -d address show", "ip route show table all", "ip rule list", "ip neigh show",
		"iptables-save", "conntrack -L -o extended", "ip -j -d address show",
		"ip -j route show table all", "ip -j rule list", "ip -j neigh show",
	}
	for _, cmd := range ns {
		p := "sos_commands/netxray/namespaces/qrouter-1/" + MangleCommand("ip netns exec qrouter-1 "+cmd)
		kind, key, ok := KindOfPath(p)
		if !ok || key != "qrouter-1" {
			t.Errorf("netxray file %s = (%q, %q, %v), want a kind for namespace qrouter-1", p, kind, key, ok)
		}
	}
}

func TestKindOfPath(t *testing.T) {
	tests := []struct {
		path string
		kind parse.Kind
		key  string
	}{
		{"sos_commands/openvswitch/ovs-ofctl_dump-flows_br-int", KindOFCtlDumpFlows, "br-int"},
		{"sos_commands/openvswitch/ovs-ofctl_-O_OpenFlow13_dump-flows_br-ex", KindOFCtlDumpFlows, "br-ex"},
		{"sos_commands/ovn_host/ovs-ofctl_-O_OpenFlow13_dump-flows_br-int", KindOFCtlDumpFlows, "br-int"},
		// Sunbeam names, as in canonical/hotsos's fake_data_root/sunbeam.
		{"sos_commands/ovn_host/openstack-hypervisor.ovs-ofctl_-O_OpenFlow13_dump-flows_br-int", KindOFCtlDumpFlows, "br-int"},
		{"sos_commands/openvswitch/openstack-hypervisor.ovs-dpctl_dump-flows_--name_-m_type_ovs", KindDPCtlDumpFlows, ""},
		{"sos_commands/openvswitch/openstack-hypervisor.ovs-appctl_dpctl.dump-conntrack_-m_system_ovs-system", KindDPCtlDumpConntrack, ""},
		{"sos_commands/openvswitch/openstack-hypervisor.ovs-ofctl_dump-flows_br-int", KindOFCtlDumpFlows, "br-int"},
		{"sos_commands/openvswitch/openstack-hypervisor.ovs-vsctl_-t_5_show", KindOVSVsctlShow, ""},
		{"sos_commands/ovn_central/microovn.ovn-nbctl_--no-leader-only_show", KindOVNNbctlShow, ""},
		{"sos_commands/ovn_central/podman_exec_ovn_dbs_ovn-sbctl_show", KindOVNSbctlShow, ""},
		{"sos_commands/openvswitch/ovs-appctl_dpctl.dump-conntrack_-m_system_ovs-system", KindDPCtlDumpConntrack, ""},
		{"sos_commands/openvswitch/ovs-vsctl_-t_5_list_interface", KindOVSVsctlList, "Interface"},
		{"sos_commands/networking/namespaces/qrouter-1/ip_netns_exec_qrouter-1_ip_-4_rule_list", KindIPRule, "qrouter-1"},
		{"sos_commands/networking/ip_netns_exec_snat-2_ip_rule_list", KindIPRule, "snat-2"},
		{"sos_commands/conntrack/ip_netns_exec_qrouter-1_conntrack_-L_-o_extended", KindConntrack, "qrouter-1"},
		{"/tmp/x/sosreport-c0-2024-01-01-abc/sos_commands/networking/ip_route_show_table_all", KindIPRoute, ""},
		{`C:\cases\sosreport-c0\sos_commands\networking\ip_-4_rule_list`, KindIPRule, ""},
		{"sosreport-c0/etc/libvirt/qemu/instance-00000002.xml", KindLibvirtDomainXML, "instance-00000002"},
		{"sosreport-c0/var/lib/neutron/dhcp/0f7e-net/leases", KindDnsmasqLeases, "0f7e-net"},
		{"sosreport-c0/var/lib/config-data/puppet-generated/neutron/etc/neutron/plugins/ml2/openvswitch_agent.ini", KindNeutronConf, "openvswitch_agent.ini"},
		{"sosreport-c0/etc/kolla/neutron-l3-agent/l3_agent.ini", KindNeutronConf, "l3_agent.ini"},
		{"sos_strings/networking/ip_route_show_table_all.tailed", KindIPRoute, ""},
		{"sos_strings/openvswitch/etc.openvswitch.conf.db.tailed", KindOVSDBFile, "conf.db"},
		// loose files: the command-output name alone is enough
		{"ovs-ofctl_dump-flows_br-tun", KindOFCtlDumpFlows, "br-tun"},
		{"captures/ip_-s_-s_neigh_show.txt", KindIPNeigh, ""},
		{"ip_netns_exec_qdhcp-9_iptables-save", KindIPTablesSave, "qdhcp-9"},
		{"ovs-appctl_fdb.show_br-ex.out", KindAppCtlFDBShow, "br-ex"},
	}
	for _, tt := range tests {
		kind, key, ok := KindOfPath(tt.path)
		if !ok || kind != tt.kind || key != tt.key {
			t.Errorf("KindOfPath(%q) = (%q, %q, %v), want (%q, %q, true)", tt.path, kind, key, ok, tt.kind, tt.key)
		}
	}
	for _, p := range []string{"README.md", "instance-1.xml", "host", "leases", "sos_commands/openvswitch/ovs-appctl_coverage.show"} {
		if kind, key, ok := KindOfPath(p); ok {
			t.Errorf("KindOfPath(%q) = (%q, %q), want no kind", p, kind, key)
		}
	}
}

// TestKindOfPathCorpus runs KindOfPath on the shared corpus's file names,
// which follow the tools' command lines loosely: those named exactly as sos
// names the output must be recognised.
func TestKindOfPathCorpus(t *testing.T) {
	real := filepath.Join(testenv.Shared(t), "real")
	want := map[string]parse.Kind{
		"insights-core-fixtures/ip_route_show_table_all.txt":                     KindIPRoute,
		"insights-core-fixtures/ip_-s_-d_link_ovs_compute.txt":                   "",
		"9506hqwy-openstack-study-notes/ip_netns_ovn.txt":                        "",
		"networkop-blog/ovs-appctl_fdb-show_br-ex.txt":                           "",
		"yeasy-understand-neutron/ovs-ofctl_dump-flows_br-tun_vxlan_compute.txt": KindOFCtlDumpFlows,
	}
	found := 0
	err := filepath.WalkDir(real, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(real, p)
		rel = filepath.ToSlash(rel)
		kind, _, ok := KindOfPath(rel)
		if ok {
			found++
		}
		if w, listed := want[rel]; listed && kind != w {
			t.Errorf("KindOfPath(%s) = %q, want %q", rel, kind, w)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d corpus files recognised by name", found)
}

// usable lists a node's usable sources as "kind scope key" lines.
func usable(n *Node) []string {
	var out []string
	for _, s := range n.Inventory {
		if s.Status.Usable() {
			out = append(out, fmt.Sprintf("%s %s %s", s.Kind, s.Scope, s.Key))
		}
	}
	sort.Strings(out)
	return out
}

func expand(lines ...string) []string {
	var out []string
	for _, l := range lines {
		switch {
		case strings.Contains(l, "BR"):
			for _, br := range bridges {
				out = append(out, strings.ReplaceAll(l, "BR", br))
			}
		case strings.Contains(l, "NS"):
			for _, ns := range namespaces {
				out = append(out, strings.ReplaceAll(l, "NS", ns))
			}
		default:
			out = append(out, l)
		}
	}
	return out
}

// coreSources are found in every era.
var coreSources = []string{
	"hostname host ", "sos-version host ",
	"ovs-vsctl-show host ", "ovs-vsctl-list table Interface", "ovs-vsctl-list table Bridge",
	"ovs-vsctl-list table Open_vSwitch",
	"ovs-ofctl-dump-flows bridge BR", "ovs-ofctl-show bridge BR", "ovs-ofctl-dump-ports-desc bridge BR",
	"ovs-appctl-fdb-show bridge BR", "ovs-dpctl-show host ", "ovs-dpctl-dump-flows host ",
	"ip-addr host ", "ip-link host ", "ip-route host ", "ip-rule host ", "ip-neigh host ", "ip-netns host ",
	"ip-addr namespace NS", "ip-route namespace NS", "iptables-save namespace NS",
	"virsh-list host ", "libvirt-domain-xml domain " + domain,
}

// sos4Sources are added by sos 4.1 and later.
var sos4Sources = []string{
	"sos-manifest host ", "ovs-vsctl-list-br host ", "ovs-dpctl-dump-conntrack host ",
	"ovs-appctl-list-tunnels host ", "bridge-fdb host ", "bridge-link host ", "conntrack host ",
	"ip-rule namespace NS", "ip-neigh namespace NS", "conntrack namespace NS",
}

var eraTrees = []struct {
	name   string
	tree   func() tree
	layout Layout
	extra  []string
}{
	{"sos3", sos3Tree, LayoutSos3, []string{"brctl-show host ", "ovsdb-client-dump host "}},
	{"sos4.2", sos42Tree, LayoutSos41, append([]string{"ovsdb-client-dump host "}, sos4Sources...)},
	{"sos4.3", sos43Tree, LayoutSos43, append([]string{"ovsdb-file db conf.db"}, sos4Sources...)},
	{"sos4.5", sos45Tree, LayoutSos44, append([]string{"ovsdb-file db conf.db"}, sos4Sources...)},
	{"netxray", netxrayTree, LayoutNetxray, append([]string{
		"ovsdb-file db conf.db", "ovs-vsctl-list table Port", "virsh-domiflist domain " + domain,
		"ovs-ofctl-dump-groups bridge BR", "iptables-save host ", "pcap capture tap1-icmp",
		"pcap-sidecar capture tap1-icmp",
	}, sos4Sources...)},
}

// TestEras builds a synthetic tree per sos era and netxray's layout and
// checks the catalog finds the same logical sources in each (plus what each
// era adds).
func TestEras(t *testing.T) {
	for _, era := range eraTrees {
		t.Run(era.name, func(t *testing.T) {
			b, err := OpenFS(era.tree().mapFS(), era.name)
			if err != nil {
				t.Fatal(err)
			}
			defer b.Close()
			if len(b.Nodes) != 1 {
				t.Fatalf("%d nodes, want 1", len(b.Nodes))
			}
			n := b.Nodes[0]
			if n.Name != "compute-1" || n.Layout != era.layout {
				t.Errorf("node %q layout %q, want compute-1 %q", n.Name, n.Layout, era.layout)
			}
			want := expand(append(append([]string{}, coreSources...), era.extra...)...)
			sort.Strings(want)
			if diff := cmp.Diff(want, usable(n)); diff != "" {
				t.Errorf("usable sources (-want +got):\n%s", diff)
			}
			for _, s := range n.Inventory {
				if s.Status == StatusFailed || s.Status == StatusCapped {
					t.Errorf("unexpected %s source %s/%s: %s", s.Status, s.Kind, s.Key, s.Why)
				}
			}
			if len(b.Problems) != 0 {
				t.Errorf("problems: %v", b.Problems)
			}
		})
	}
}

// TestEraChoices checks which variant wins where a node has several.
func TestEraChoices(t *testing.T) {
	tests := []struct {
		tree       func() tree
		kind       parse.Kind
		key        string
		path, form string
		others     int
	}{
		{sos45Tree, KindOFCtlDumpFlows, "br-int", "sos_commands/openvswitch/ovs-ofctl_-O_OpenFlow15_dump-flows_br-int", "", 2},
		{sos45Tree, KindIPAddr, "", "sos_commands/networking/ip_-d_address", "", 1},
		{sos45Tree, KindLibvirtDomainXML, domain, "sos_commands/virsh/virsh_-r_dumpxml_" + domain, "", 2},
		{sos3Tree, KindIPRule, "", "sos_commands/networking/ip_-4_rule", "", 0},
		{sos3Tree, KindHostname, "", "hostname", "", 1},
		{netxrayTree, KindOFCtlDumpFlows, "br-tun", "sos_commands/netxray/ovs-ofctl_-O_OpenFlow13_--names_dump-flows_br-tun", "", 2},
		// Text before `ip -j`: its records cite their own lines.
		{netxrayTree, KindIPAddr, "", "sos_commands/networking/ip_-d_address", "", 2},
		{netxrayTree, KindIPRule, "qrouter-aaa", "sos_commands/netxray/namespaces/qrouter-aaa/ip_netns_exec_qrouter-aaa_ip_rule_list", "", 2},
		{netxrayTree, KindDPCtlDumpConntrack, "", "sos_commands/netxray/ovs-appctl_dpctl.dump-conntrack_-m", "", 1},
	}
	for _, tt := range tests {
		b, err := OpenFS(tt.tree().mapFS(), "t")
		if err != nil {
			t.Fatal(err)
		}
		s, ok := b.Nodes[0].Source(tt.kind, tt.key)
		if !ok || s.Path != tt.path || s.Form != tt.form || len(s.Others) != tt.others {
			t.Errorf("%s %s: got %+v, want path %s form %q and %d others", tt.kind, tt.key, s, tt.path, tt.form, tt.others)
		}
		b.Close()
	}
	// The failed plain dump is kept as an explained alternative.
	b, _ := OpenFS(sos45Tree().mapFS(), "t")
	s, _ := b.Nodes[0].Source(KindOFCtlDumpFlows, "br-int")
	last := s.Others[len(s.Others)-1]
	if last.Status != StatusFailed || !strings.Contains(last.Why, "version negotiation failed") {
		t.Errorf("plain dump-flows alternative = %+v, want failed with the tool's message", last)
	}
}

// TestEraAbsent checks what old eras lack is absent, with the reason.
func TestEraAbsent(t *testing.T) {
	b, err := OpenFS(sos3Tree().mapFS(), "t")
	if err != nil {
		t.Fatal(err)
	}
	n := b.Nodes[0]
	s, _ := n.Source(KindIPRule, "qrouter-aaa")
	if s.Status != StatusAbsent || !strings.Contains(s.Why, "sos 4.1-4.2") {
		t.Errorf("sos3 ip rule in a namespace = %+v, want absent naming the eras that collect it", s)
	}
	s, _ = n.Source(KindOVSVsctlList, "Port")
	if s.Status != StatusAbsent || !strings.Contains(s.Why, "netxray") {
		t.Errorf("sos3 ovs-vsctl list Port = %+v, want absent (netxray only)", s)
	}
}
