package collect

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"netxray/parse"
)

// statusManifest is a sos manifest as sos 4.5 writes it (abridged), with
// the odd types sos uses: truncated "" for a command that did not run,
// times as strings.
const statusManifest = `{
  "version": "4.5.0",
  "cmdline": "sos report --batch",
  "start_time": "2024-01-15 10:00:00.000000",
  "components": {"report": {"preset": "rhosp", "plugins": {
    "networking": {"timeout_hit": false, "commands": [
      {"command": "ip", "parameters": ["-4", "rule", "list"], "exec": "ip -4 rule list",
       "filepath": "sos_commands/networking/ip_-4_rule_list", "truncated": false, "return_code": 1,
       "priority": 10, "start_time": 1705312800.1, "end_time": 1705312800.2, "run_time": 0.1, "tags": []},
      {"command": "ip", "exec": "ip netns exec qrouter-aaa ip -d address show",
       "filepath": "sos_commands/networking/namespaces/qrouter-aaa/ip_netns_exec_qrouter-aaa_ip_-d_address_show",
       "truncated": true, "return_code": 0, "start_time": "1705312800.3", "tags": ["ip_addr"]},
      {"command": "ip", "exec": "ip route show table all",
       "filepath": "sos_strings/networking/ip_route_show_table_all.tailed",
       "truncated": true, "return_code": 0},
      {"command": "ip", "exec": "ip -s -s neigh show",
       "filepath": "sos_commands/networking/ip_-s_-s_neigh_show", "truncated": false, "return_code": 124},
      {"command": "ip", "exec": "ip netns exec qdhcp-bbb ip -4 rule list",
       "filepath": null, "truncated": "", "return_code": 127}
    ]},
    "conntrack": {"commands": [
      {"command": "conntrack", "exec": "conntrack -L -o extended", "filepath": null, "truncated": "", "return_code": 127},
      {"command": "ip", "exec": "ip netns exec qdhcp-bbb conntrack -L -o extended",
       "filepath": "sos_commands/conntrack/ip_netns_exec_qdhcp-bbb_conntrack_-L_-o_extended", "truncated": false, "return_code": 0}
    ]}
  }}}
}`

func statusTree() tree {
	return sos45Tree().with(tree{
		"sos_reports/manifest.json":                                                             statusManifest,
		"sos_commands/networking/ip_-4_rule_list":                                               "RTNETLINK answers: Invalid argument\n",
		"sos_commands/networking/ip_route_show_table_all":                                       "->../../sos_strings/networking/ip_route_show_table_all.tailed",
		"sos_strings/networking/ip_route_show_table_all.tailed":                                 "10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.5\n",
		"sos_commands/networking/ip_-s_-s_neigh_show":                                           "10.0.0.1 dev eth0 lladdr fa:16:3e:00:00:01 REACHABLE\n",
		"-sos_commands/conntrack/conntrack_-L_-o_extended":                                      "",
		"sos_commands/conntrack/ip_netns_exec_qdhcp-bbb_conntrack_-L_-o_extended":               "",
		"-sos_commands/networking/namespaces/qdhcp-bbb/ip_netns_exec_qdhcp-bbb_ip_-4_rule_list": "",
		"sos_commands/openvswitch/ovs-ofctl_dump-flows_br-tun":                                  "ovs-ofctl: br-tun is not a bridge or a socket\n",
		"sos_commands/openvswitch/ovs-appctl_fdb.show_br-tun":                                   "ovs-appctl: cannot connect to \"/var/run/openvswitch/ovs-vswitchd.1.ctl\" (No such file or directory)\n",
		"sos_commands/networking/bridge_-s_-s_-d_-t_fdb_show":                                   "\n\n",
		"sos_commands/networking/ip_netns":                                                      netnsList + "qrouter-zzz (id: 7)\n",
		"etc/openvswitch/conf.db":                                                               "->../../sos_strings/openvswitch/etc.openvswitch.conf.db.tailed",
		"sos_strings/openvswitch/etc.openvswitch.conf.db.tailed":                                "OVSDB JSON 2 0\n{}\n",
		"sos_commands/virsh/virsh_-r_dumpxml_" + domain:                                         "->../../dangling",
	})
}

func TestInventoryStatuses(t *testing.T) {
	b, err := OpenFS(statusTree().mapFS(), "statuses")
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	n := b.Nodes[0]
	if n.Manifest == nil || n.SosVersion != "4.5.0" || n.Manifest.Components.Report.Preset != "rhosp" {
		t.Fatalf("manifest not read: %+v", n.Manifest)
	}
	tests := []struct {
		kind parse.Kind
		key  string
		st   Status
		why  string
		path string
	}{
		{KindIPRule, "", StatusFailed, "command failed with return code 1", "sos_commands/networking/ip_-4_rule_list"},
		{KindIPAddr, "qrouter-aaa", StatusTruncated, "sos truncated the output (manifest)", "sos_commands/networking/namespaces/qrouter-aaa/ip_netns_exec_qrouter-aaa_ip_-d_address_show"},
		{KindIPRoute, "", StatusTruncated, "sos truncated the output", "sos_commands/networking/ip_route_show_table_all"},
		{KindIPNeigh, "", StatusTruncated, "command timed out (return code 124); the output may be partial", "sos_commands/networking/ip_-s_-s_neigh_show"},
		{KindIPRule, "qdhcp-bbb", StatusFailed, "command not found (return code 127): ip netns exec qdhcp-bbb ip -4 rule list", ""},
		{KindConntrack, "", StatusFailed, "command not found (return code 127): conntrack -L -o extended", ""},
		{KindConntrack, "qdhcp-bbb", StatusEmpty, "the file is empty", "sos_commands/conntrack/ip_netns_exec_qdhcp-bbb_conntrack_-L_-o_extended"},
		{KindOFCtlDumpFlows, "br-tun", StatusFailed, "the command printed an error: ovs-ofctl: br-tun is not a bridge or a socket", "sos_commands/openvswitch/ovs-ofctl_dump-flows_br-tun"},
		{KindAppCtlFDBShow, "br-tun", StatusFailed, "cannot connect to", "sos_commands/openvswitch/ovs-appctl_fdb.show_br-tun"},
		{KindBridgeFDB, "", StatusEmpty, "only blank lines", "sos_commands/networking/bridge_-s_-s_-d_-t_fdb_show"},
		{KindOVSDBFile, "conf.db", StatusTruncated, "etc.openvswitch.conf.db.tailed", "etc/openvswitch/conf.db"},
		{KindIPAddr, "qrouter-zzz", StatusCapped, "namespace qrouter-zzz is listed by `ip netns` but none of its files were collected", ""},
		{KindIPRoute, "qrouter-zzz", StatusCapped, "namespace limit", ""},
		{KindIPTablesSave, "qrouter-zzz", StatusCapped, "", ""},
		{KindOFCtlDumpFlows, "br-int", StatusPresent, "", "sos_commands/openvswitch/ovs-ofctl_-O_OpenFlow15_dump-flows_br-int"},
		{KindLibvirtDomainXML, domain, StatusPresent, "", "run/libvirt/qemu/" + domain + ".xml"},
	}
	for _, tt := range tests {
		s, ok := n.Source(tt.kind, tt.key)
		if !ok || s.Status != tt.st || !strings.Contains(s.Why, tt.why) || s.Path != tt.path {
			t.Errorf("%s %q = %s %q (%s), want %s %q containing %q", tt.kind, tt.key, s.Status, s.Path, s.Why, tt.st, tt.path, tt.why)
		}
	}
	// The dangling dumpxml link is kept as a failed alternative.
	s, _ := n.Source(KindLibvirtDomainXML, domain)
	if diff := cmp.Diff([]Alternative{
		{Path: "etc/libvirt/qemu/" + domain + ".xml", Status: StatusPresent},
		{Path: "sos_commands/virsh/virsh_-r_dumpxml_" + domain, Status: StatusFailed, Why: "dangling symbolic link"},
	}, s.Others); diff != "" {
		t.Errorf("domain XML alternatives (-want +got):\n%s", diff)
	}
	// Usable and not.
	for st, usable := range map[Status]bool{StatusPresent: true, StatusTruncated: true, StatusEmpty: true,
		StatusFailed: false, StatusCapped: false, StatusAbsent: false} {
		if st.Usable() != usable {
			t.Errorf("%s.Usable() = %v", st, !usable)
		}
	}
	if got := len(n.Sources(KindIPAddr)); got != 4 {
		t.Errorf("Sources(ip-addr) = %d entries, want host + 3 namespaces", got)
	}
}

// TestCappedWithoutAnyNamespaceFiles: when no namespace has files, the
// reason says this sos may predate per-namespace collection.
func TestCappedWithoutAnyNamespaceFiles(t *testing.T) {
	tr := sos3Tree()
	for p := range tr {
		if strings.Contains(p, "ip_netns_exec_") {
			delete(tr, p)
		}
	}
	b, err := OpenFS(tr.mapFS(), "old")
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	s, _ := b.Nodes[0].Source(KindIPRoute, "qdhcp-bbb")
	if s.Status != StatusCapped || !strings.Contains(s.Why, "no namespace has per-namespace files") {
		t.Errorf("%+v", s)
	}
}

func TestManifestPaths(t *testing.T) {
	m, err := ReadManifest(strings.NewReader(statusManifest))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range m.Commands() {
		got = append(got, c.Plugin+" "+strings.Join(c.Paths(), " | "))
	}
	want := []string{
		"conntrack sos_commands/conntrack/conntrack_-L_-o_extended",
		"conntrack sos_commands/conntrack/ip_netns_exec_qdhcp-bbb_conntrack_-L_-o_extended",
		"networking sos_commands/networking/ip_-4_rule_list",
		"networking sos_commands/networking/namespaces/qrouter-aaa/ip_netns_exec_qrouter-aaa_ip_-d_address_show",
		"networking sos_commands/networking/ip_route_show_table_all",
		"networking sos_commands/networking/ip_-s_-s_neigh_show",
		"networking sos_commands/networking/ip_netns_exec_qdhcp-bbb_ip_-4_rule_list | sos_commands/networking/namespaces/qdhcp-bbb/ip_netns_exec_qdhcp-bbb_ip_-4_rule_list",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("manifest paths (-want +got):\n%s", diff)
	}
	c := m.Components.Report.Plugins["networking"].Commands[1]
	if !bool(c.Truncated) || c.StartTime != 1705312800.3 || c.Tags[0] != "ip_addr" {
		t.Errorf("lenient fields: %+v", c)
	}
	if _, err := ReadManifest(strings.NewReader("{not json")); err == nil {
		t.Error("bad manifest read without error")
	}
}

func TestErrorLine(t *testing.T) {
	tests := []struct{ head, want string }{
		{"\n  ovs-vsctl: unix:/var/run/openvswitch/db.sock: database connection failed (No such file or directory)\n", "ovs-vsctl: unix:/var/run/openvswitch/db.sock: database connection failed (No such file or directory)"},
		{"Cannot open network namespace \"qrouter-1\": No such file or directory\n", "Cannot open network namespace \"qrouter-1\": No such file or directory"},
		{"Option \"-j\" is unknown, try \"ip -help\".\n", "Option \"-j\" is unknown, try \"ip -help\"."},
		{"Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }\n", "Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }"},
		{"bash: conntrack: command not found\n", "bash: conntrack: command not found"},
		// Data first: an error text further down is data's business.
		{"Bridge br-int\n    error: \"could not open network device tap1 (No such device)\"\n", ""},
		{"# Warning: iptables-legacy tables present, use iptables-legacy-save to see them\n*filter\n", ""},
		{"conntrack v1.4.5 (conntrack-tools): 0 flow entries have been shown.\n", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := errorLine([]byte(tt.head)); got != tt.want {
			t.Errorf("errorLine(%q) = %q, want %q", tt.head, got, tt.want)
		}
	}
}

// TestNetxrayManifest: the collector's own manifest section names the node
// (--name) and explains capped namespaces.
func TestNetxrayManifest(t *testing.T) {
	tr := netxrayTree().with(tree{
		"sos_reports/manifest.json": `{"version": "netxray-collect 0.1.0", "components": {"report": {"preset": "netxray",
			"netxray": {"host": "cmp-renamed", "namespaces_listed": 3, "namespaces_collected": 2, "max_namespaces": 2},
			"plugins": {}}}}`,
		"sos_commands/networking/ip_netns": netnsList + "snat-ccc\n",
	})
	b, err := OpenFS(tr.mapFS(), "nx")
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	n := b.Nodes[0]
	if n.Name != "cmp-renamed" || n.SosVersion != "netxray-collect 0.1.0" {
		t.Errorf("node %q version %q, want the manifest's name and version", n.Name, n.SosVersion)
	}
	s, _ := n.Source(KindIPRule, "snat-ccc")
	if s.Status != StatusCapped || !strings.Contains(s.Why, "netxray collected 2 of 3 namespaces (limit 2)") {
		t.Errorf("capped namespace: %+v", s)
	}
}

// TestManyNamespaces: a network node with 600 namespaces, of which sos
// collected 400 (its namespace limit): the other 200 are capped.
func TestManyNamespaces(t *testing.T) {
	tr := sos45Tree()
	for p := range tr {
		if strings.Contains(p, "/namespaces/") {
			delete(tr, p) // only the 600 below
		}
	}
	var list strings.Builder
	for i := range 600 {
		ns := fmt.Sprintf("qrouter-%04d", i)
		fmt.Fprintf(&list, "%s (id: %d)\n", ns, i)
		if i < 400 {
			for _, c := range []string{"ip_-d_address_show", "ip_route_show_table_all", "ip_-4_rule_list", "ip_-s_-s_neigh_show", "iptables-save"} {
				tr["sos_commands/networking/namespaces/"+ns+"/ip_netns_exec_"+ns+"_"+c] = sample
			}
		}
	}
	tr["sos_commands/networking/ip_netns"] = list.String()
	start := time.Now()
	b, err := OpenReader(bytes.NewReader(tr.tarBytes(t, sosTop)), "many.tar")
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	t.Logf("opened in %v", time.Since(start))
	counts := map[Status]int{}
	for _, s := range b.Nodes[0].Sources(KindIPRoute) {
		counts[s.Status]++
	}
	if counts[StatusPresent] != 401 || counts[StatusCapped] != 200 {
		t.Errorf("ip-route statuses %v, want 401 present (host + 400) and 200 capped", counts)
	}
}
