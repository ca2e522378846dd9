package collect

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/ulikunitz/xz"
)

// tree is a bundle built in a test: path -> content. A content starting
// with "->" makes a symbolic link to the rest.
type tree map[string]string

func (t tree) paths() []string {
	ps := make([]string, 0, len(t))
	for p := range t {
		ps = append(ps, p)
	}
	sort.Strings(ps)
	return ps
}

func (t tree) with(more tree) tree {
	out := tree{}
	for p, c := range t {
		out[p] = c
	}
	for p, c := range more {
		if c == "" && strings.HasPrefix(p, "-") {
			delete(out, p[1:])
			continue
		}
		out[p] = c
	}
	return out
}

func (t tree) mapFS() fstest.MapFS {
	m := fstest.MapFS{}
	for p, c := range t {
		if target, ok := strings.CutPrefix(c, "->"); ok {
			m[p] = &fstest.MapFile{Mode: fs.ModeSymlink | 0o777, Data: []byte(target)}
			continue
		}
		m[p] = &fstest.MapFile{Mode: 0o644, Data: []byte(c)}
	}
	return m
}

func (t tree) writeDir(tb testing.TB, dir string) {
	tb.Helper()
	for _, p := range t.paths() {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			tb.Fatal(err)
		}
		c := t[p]
		if target, ok := strings.CutPrefix(c, "->"); ok {
			if err := os.Symlink(target, full); err != nil {
				tb.Fatal(err)
			}
			continue
		}
		if err := os.WriteFile(full, []byte(c), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
}

// tarBytes writes the tree as a tar archive, every path under top (if not
// ""), with directory members as sos's tarballs have.
func (t tree) tarBytes(tb testing.TB, top string) []byte {
	tb.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	dirs := map[string]bool{}
	mtime := time.Date(2024, 1, 15, 10, 0, 0, 0, time.UTC)
	for _, p := range t.paths() {
		name := path.Join(top, p)
		for d := path.Dir(name); d != "." && !dirs[d]; d = path.Dir(d) {
			dirs[d] = true
		}
	}
	var ds []string
	for d := range dirs {
		ds = append(ds, d)
	}
	sort.Strings(ds)
	for _, d := range ds {
		must(tb, tw.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: d + "/", Mode: 0o755, ModTime: mtime}))
	}
	for _, p := range t.paths() {
		name := path.Join(top, p)
		c := t[p]
		if target, ok := strings.CutPrefix(c, "->"); ok {
			must(tb, tw.WriteHeader(&tar.Header{Typeflag: tar.TypeSymlink, Name: name, Linkname: target, Mode: 0o777, ModTime: mtime}))
			continue
		}
		must(tb, tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: name, Size: int64(len(c)), Mode: 0o644, ModTime: mtime}))
		_, err := tw.Write([]byte(c))
		must(tb, err)
	}
	must(tb, tw.Close())
	return buf.Bytes()
}

func must(tb testing.TB, err error) {
	tb.Helper()
	if err != nil {
		tb.Fatal(err)
	}
}

// compress compresses data as ext (".tar", ".tar.gz", ".tar.xz",
// ".tar.bz2"); bzip2 needs the bzip2 program (Go only reads bzip2).
func compress(tb testing.TB, data []byte, ext string) []byte {
	tb.Helper()
	var buf bytes.Buffer
	switch ext {
	case ".tar":
		return data
	case ".tar.gz", ".tgz":
		zw := gzip.NewWriter(&buf)
		_, err := zw.Write(data)
		must(tb, err)
		must(tb, zw.Close())
	case ".tar.xz":
		zw, err := xz.NewWriter(&buf)
		must(tb, err)
		_, err = zw.Write(data)
		must(tb, err)
		must(tb, zw.Close())
	case ".tar.bz2":
		if _, err := exec.LookPath("bzip2"); err != nil {
			tb.Skip("bzip2 program not installed: cannot write .tar.bz2 in the test")
		}
		cmd := exec.Command("bzip2", "-c")
		cmd.Stdin = bytes.NewReader(data)
		cmd.Stdout = &buf
		must(tb, cmd.Run())
	default:
		tb.Fatalf("unknown extension %s", ext)
	}
	return buf.Bytes()
}

func writeFile(tb testing.TB, p string, data []byte) string {
	tb.Helper()
	must(tb, os.MkdirAll(filepath.Dir(p), 0o755))
	must(tb, os.WriteFile(p, data, 0o644))
	return p
}

// Sample outputs. Their contents only matter to the inventory's checks
// (not empty, no error text).
const (
	flows     = " cookie=0x0, duration=10.1s, table=0, n_packets=5, n_bytes=300, priority=0 actions=NORMAL\n"
	sample    = "sample output line\n"
	netnsList = "qrouter-aaa (id: 0)\nqdhcp-bbb (id: 1)\n"
)

var (
	bridges    = []string{"br-int", "br-tun"}
	namespaces = []string{"qrouter-aaa", "qdhcp-bbb"}
)

const domain = "instance-00000001"

// perBridge and perNS expand a name pattern with BR or NS.
func perBridge(t tree, pattern, content string) {
	for _, br := range bridges {
		t[strings.ReplaceAll(pattern, "BR", br)] = content
	}
}

func perNS(t tree, pattern, content string) {
	for _, ns := range namespaces {
		t[strings.ReplaceAll(pattern, "NS", ns)] = content
	}
}

// perNSCmds adds the per-namespace outputs of each mangled command (after
// "ip_netns_exec_NS_") in dir.
func perNSCmds(t tree, dir string, cmds ...string) {
	for _, c := range cmds {
		perNS(t, dir+"ip_netns_exec_NS_"+c, sample)
	}
}

// The file names below are written out by hand from sos's plugins of each
// era (not derived from the catalog), so the tests check the catalog
// against them.

// sos3Tree is a sosreport of sos 3.x (3.4-3.6 names).
func sos3Tree() tree {
	t := tree{
		"version.txt":                   "sosreport: 3.4\nnetworking: 3.4\n",
		"hostname":                      "->sos_commands/general/hostname",
		"sos_commands/general/hostname": "compute-1\n",
		"sos_commands/openvswitch/ovs-vsctl_-t_5_show":         sample,
		"sos_commands/openvswitch/ovs-vsctl_list_interface":    sample,
		"sos_commands/openvswitch/ovs-vsctl_list_bridge":       sample,
		"sos_commands/openvswitch/ovs-vsctl_list_Open_vSwitch": sample,
		"sos_commands/openvswitch/ovsdb-client_-f_list_dump":   sample,
		"sos_commands/openvswitch/ovs-dpctl_-s_show":           sample,
		"sos_commands/openvswitch/ovs-dpctl_dump-flows_-m":     sample,
		"sos_commands/networking/ip_address":                   sample,
		"sos_commands/networking/ip_-s_link":                   sample,
		"sos_commands/networking/ip_route_show_table_all":      sample,
		"sos_commands/networking/ip_-4_rule":                   sample,
		"sos_commands/networking/ip_neigh_show":                sample,
		"sos_commands/networking/ip_netns":                     netnsList,
		"sos_commands/networking/brctl_show":                   sample,
		"sos_commands/virsh/virsh_-r_list_--all":               sample,
		"sos_commands/virsh/virsh_-r_dumpxml_" + domain:        sample,
		"etc/libvirt/qemu/" + domain + ".xml":                  sample,
	}
	perBridge(t, "sos_commands/openvswitch/ovs-ofctl_dump-flows_BR", flows)
	perBridge(t, "sos_commands/openvswitch/ovs-ofctl_show_BR", sample)
	perBridge(t, "sos_commands/openvswitch/ovs-ofctl_dump-ports-desc_BR", sample)
	perBridge(t, "sos_commands/openvswitch/ovs-appctl_fdb.show_BR", sample)
	perNSCmds(t, "sos_commands/networking/", "ip_address_show", "ip_route_show_table_all", "iptables-save")
	return t
}

// sos4Common is what sos 4.1 to 4.5 all write.
func sos4Common(version string) tree {
	t := tree{
		"version.txt":                "sos report: " + version + "\n",
		"hostname":                   "->sos_commands/host/hostname",
		"sos_commands/host/hostname": "compute-1\n",
		"sos_reports/manifest.json":  `{"version": "` + version + `", "components": {"report": {"plugins": {}}}}`,
		"sos_commands/openvswitch/ovs-vsctl_-t_5_show":                                  sample,
		"sos_commands/openvswitch/ovs-vsctl_-t_5_list-br":                               "br-int\nbr-tun\n",
		"sos_commands/openvswitch/ovs-vsctl_-t_5_list_interface":                        sample,
		"sos_commands/openvswitch/ovs-vsctl_-t_5_list_bridge":                           sample,
		"sos_commands/openvswitch/ovs-vsctl_-t_5_list_Open_vSwitch":                     sample,
		"sos_commands/openvswitch/ovs-appctl_dpctl.show_-s_system_ovs-system":           sample,
		"sos_commands/openvswitch/ovs-appctl_dpctl.dump-flows_-m_system_ovs-system":     sample,
		"sos_commands/openvswitch/ovs-appctl_dpctl.dump-conntrack_-m_system_ovs-system": sample,
		"sos_commands/openvswitch/ovs-appctl_ofproto.list-tunnels":                      sample,
		"sos_commands/networking/ip_-o_addr":                                            sample,
		"ip_addr":                                                                       "->sos_commands/networking/ip_-o_addr",
		"sos_commands/networking/ip_-d_address":                                         sample,
		"sos_commands/networking/ip_-s_-d_link":                                         sample,
		"sos_commands/networking/ip_route_show_table_all":                               sample,
		"sos_commands/networking/ip_-s_-s_neigh_show":                                   sample,
		"sos_commands/networking/ip_netns":                                              netnsList,
		"sos_commands/networking/bridge_-s_-s_-d_-t_fdb_show":                           sample,
		"sos_commands/networking/bridge_-s_-s_-d_link_show":                             sample,
		"sos_commands/conntrack/conntrack_-L_-o_extended":                               sample,
		"sos_commands/virsh/virsh_-r_list_--all":                                        sample,
		"sos_commands/virsh/virsh_-r_dumpxml_" + domain:                                 sample,
		"run/libvirt/qemu/" + domain + ".xml":                                           sample,
		"etc/libvirt/qemu/" + domain + ".xml":                                           sample,
	}
	perBridge(t, "sos_commands/openvswitch/ovs-ofctl_dump-flows_BR", flows)
	perBridge(t, "sos_commands/openvswitch/ovs-ofctl_show_BR", sample)
	perBridge(t, "sos_commands/openvswitch/ovs-ofctl_dump-ports-desc_BR", sample)
	perBridge(t, "sos_commands/openvswitch/ovs-appctl_fdb.show_BR", sample)
	perNS(t, "sos_commands/conntrack/ip_netns_exec_NS_conntrack_-L_-o_extended", sample)
	return t
}

// sos42Tree is sos 4.1-4.2: flat per-namespace files with rules and
// neighbours, ovsdb-client dump instead of conf.db.
func sos42Tree() tree {
	t := sos4Common("4.2")
	t["sos_commands/openvswitch/ovsdb-client_-f_list_dump"] = sample
	t["sos_commands/networking/ip_-4_rule"] = sample
	perNSCmds(t, "sos_commands/networking/", "ip_address_show", "ip_route_show_table_all",
		"ip_-s_-s_neigh_show", "ip_rule_list", "iptables-save")
	return t
}

// sos43Tree is sos 4.3: namespaces/<ns>/, `ip rule list`, conf.db.
func sos43Tree() tree {
	t := sos4Common("4.3")
	t["var/lib/openvswitch/conf.db"] = "OVSDB JSON 2 0\n{}\n"
	t["sos_commands/networking/ip_-4_rule"] = sample
	perNSCmds(t, "sos_commands/networking/namespaces/NS/", "ip_-d_address_show", "ip_route_show_table_all",
		"ip_-s_-s_neigh_show", "ip_rule_list", "iptables-save")
	return t
}

// sos45Tree is sos 4.5: `ip -4 rule list`, and OpenFlow-versioned dumps
// next to a plain dump-flows that failed.
func sos45Tree() tree {
	t := sos4Common("4.5.0")
	t["etc/openvswitch/conf.db"] = "OVSDB JSON 2 0\n{}\n"
	t["sos_commands/networking/ip_-4_rule_list"] = sample
	t["sos_commands/openvswitch/ovs-ofctl_dump-flows_br-int"] = "2024-01-15T10:00:00Z|00001|vconn|WARN|unix:/var/run/openvswitch/br-int.mgmt: version negotiation failed (we support version 0x01, peer supports version 0x04)\novs-ofctl: br-int: failed to connect to socket (Broken pipe)\n"
	t["sos_commands/openvswitch/ovs-ofctl_-O_OpenFlow13_dump-flows_br-int"] = flows
	t["sos_commands/openvswitch/ovs-ofctl_-O_OpenFlow15_dump-flows_br-int"] = flows
	perNSCmds(t, "sos_commands/networking/namespaces/NS/", "ip_-d_address_show", "ip_route_show_table_all",
		"ip_-s_-s_neigh_show", "ip_-4_rule_list", "ip_-6_rule_list", "iptables-save")
	return t
}

// netxrayTree is netxray's layout: sos 4.5's names plus its extras.
func netxrayTree() tree {
	t := sos45Tree()
	t["version.txt"] = "netxray: 0.1.0\n"
	t["sos_reports/manifest.json"] = `{"version": "netxray 0.1.0", "components": {"report": {"plugins": {}}}}`
	nx := "sos_commands/netxray/"
	for _, name := range []string{
		"ovs-vsctl_-t_5_list_Port", "ovs-vsctl_-t_5_list_Interface", "ovs-vsctl_-t_5_list_Bridge",
		"ovs-vsctl_-t_5_list_Open_vSwitch", "ovs-appctl_dpctl.dump-conntrack_-m",
		"ip_-j_-d_address_show", "ip_-j_route_show_table_all", "ip_-j_rule_list", "ip_-j_neigh_show",
		"iptables-save", "virsh_-r_domiflist_" + domain,
	} {
		t[nx+name] = sample
	}
	perBridge(t, nx+"ovs-ofctl_--names_dump-flows_BR", flows)
	perBridge(t, nx+"ovs-ofctl_-O_OpenFlow13_--names_dump-flows_BR", flows)
	perBridge(t, nx+"ovs-ofctl_-O_OpenFlow13_dump-groups_BR", sample)
	perBridge(t, nx+"ovs-appctl_fdb.show_BR", sample)
	perNSCmds(t, nx+"namespaces/NS/", "ip_-d_address_show", "ip_route_show_table_all", "ip_rule_list",
		"ip_neigh_show", "iptables-save", "conntrack_-L_-o_extended", "ip_-j_-d_address_show",
		"ip_-j_route_show_table_all", "ip_-j_rule_list", "ip_-j_neigh_show")
	t[nx+"pcap/tap1-icmp.pcap"] = "\xd4\xc3\xb2\xa1"
	t[nx+"pcap/tap1-icmp.json"] = `{"node": "compute-1", "interface": "tap1"}`
	return t
}
