package collect_test

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"netxray/collect"
)

// Tests of collect/netxray-collect.sh, the shell collector: lint, a run on a fake node whose
// network tools are stubs, a run against the live lab (fixtures/lab) that must change nothing,
// and the shipped fixture bundles.

const script = "netxray-collect.sh"

func needTool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is required in CI: %v", name, err)
		}
		t.Skipf("%s not installed: %v", name, err)
	}
	return p
}

func TestCollectorShellcheck(t *testing.T) {
	sc := needTool(t, "shellcheck")
	out, err := exec.Command(sc, "-s", "sh", script).CombinedOutput()
	if err != nil {
		t.Fatalf("shellcheck %s: %v\n%s", script, err, out)
	}
}

// stubs are the fake node's network tools: name -> shell body. Tools not listed are absent
// (the collector must record them with return code 127 and no file).
var stubs = map[string]string{
	"hostname": `echo fake1`,
	"ovs-vsctl": `case "$*" in
  *list-br) printf 'br-int\nbr-tun\n' ;;
  *"list bridge br-int") printf 'name : br-int\nprotocols : ["OpenFlow10", "OpenFlow13"]\n' ;;
  *"list bridge br-tun") printf 'name : br-tun\nprotocols : []\n' ;;
  *) echo "ovs-vsctl $*" ;;
esac`,
	"ovs-ofctl": `case "$*" in
  *--version*) printf 'ovs-ofctl (Open vSwitch) 3.1.0\nOpenFlow versions 0x1:0x4\n' ;;
  "dump-flows br-int") head -c 5000 /dev/zero | tr '\0' x ;;
  *dump-groups*) exit 1 ;;
  *) echo "ovs-ofctl $*" ;;
esac`,
	"ovs-appctl": `case "$*" in
  dpctl/dump-dps) echo netdev@ovs-netdev ;;
  upcall/show) sleep 5 ;;
  fdb/show*) ;;
  *) echo "ovs-appctl $*" ;;
esac`,
	"ip": `case "$*" in
  netns) printf 'qrouter-1 (id: 0)\nsnat-1 (id: 1)\n' ;;
  "netns exec "*) ns=$3; shift 3; echo "in $ns: $*" ;;
  *) echo "ip $*" ;;
esac`,
	"conntrack": `echo "conntrack v1.4.7 (conntrack-tools): Operation failed" >&2; exit 1`,
}

// fakeNode builds a PATH with the stubs and the basic tools the script uses, and a sysroot
// with Neutron configs full of secrets.
func fakeNode(t *testing.T) (pathDir, sysroot string) {
	t.Helper()
	dir := t.TempDir()
	pathDir = filepath.Join(dir, "bin")
	if err := os.MkdirAll(pathDir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, tool := range []string{"sh", "sed", "awk", "cut", "head", "tail", "wc", "cat", "mkdir",
		"tar", "xz", "date", "mktemp", "tr", "grep", "mv", "rm", "ln", "id", "timeout", "dirname",
		"sleep", "printf", "echo", "env", "uname"} {
		p, err := exec.LookPath(tool)
		if err != nil {
			t.Skipf("%s not installed", tool)
		}
		if err := os.Symlink(p, filepath.Join(pathDir, tool)); err != nil {
			t.Fatal(err)
		}
	}
	for name, body := range stubs {
		if err := os.WriteFile(filepath.Join(pathDir, name), []byte("#!/bin/sh\n"+body+"\n"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	sysroot = filepath.Join(dir, "root")
	files := map[string]string{
		"etc/neutron/neutron.conf": "[DEFAULT]\nhost = fake1\ntransport_url = rabbit://guest:s3cret@10.0.0.1:5672/\n" +
			"core_plugin = ml2\n[database]\nconnection = mysql+pymysql://neutron:dbpass@db/neutron\n" +
			"[keystone_authtoken]\npassword = hunter2\nauth_url = http://keystone:5000\n",
		"etc/neutron/plugins/ml2/openvswitch_agent.ini": "[ovs]\nlocal_ip = 10.0.0.11\nbridge_mappings = physnet1:br-ex\n" +
			"ssl_key_file = /etc/ssl/x.key\n[agent]\ntunnel_types = vxlan\nl2_population = True\n" +
			"[securitygroup]\nfirewall_driver = openvswitch\n",
		"etc/neutron/l3_agent.ini":             "[DEFAULT]\nagent_mode = dvr\nmetadata_proxy_shared_secret = topsecret\n",
		"var/lib/neutron/dhcp/net-1/host":      "fa:16:3e:00:00:01,host-10-0-0-5.openstacklocal,10.0.0.5\n",
		"var/lib/neutron/dhcp/net-1/pid":       "1234\n",
		"etc/openvswitch/conf.db":              "OVSDB JSON 2 0\n{}\n",
		"etc/neutron/neutron.conf.d/extra.ini": "[x]\npassword = no\n",
	}
	for p, c := range files {
		full := filepath.Join(sysroot, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return pathDir, sysroot
}

type manifestCmd struct {
	Command    string   `json:"command"`
	Parameters []string `json:"parameters"`
	Exec       string   `json:"exec"`
	Filepath   *string  `json:"filepath"`
	Truncated  bool     `json:"truncated"`
	ReturnCode int      `json:"return_code"`
	StartTime  float64  `json:"start_time"`
	EndTime    float64  `json:"end_time"`
}

type manifest struct {
	Version    string `json:"version"`
	Components struct {
		Report struct {
			Netxray struct {
				NamespacesListed    int `json:"namespaces_listed"`
				NamespacesCollected int `json:"namespaces_collected"`
			} `json:"netxray"`
			Plugins map[string]struct {
				Commands []manifestCmd `json:"commands"`
				Files    []struct {
					FilesCopied []string `json:"files_copied"`
				} `json:"files"`
			} `json:"plugins"`
		} `json:"report"`
	} `json:"components"`
}

func TestCollectorFakeNode(t *testing.T) {
	pathDir, sysroot := fakeNode(t)
	abs, err := filepath.Abs(script)
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	cmd := exec.Command("sh", abs, "--out", out, "--no-tar", "--ovs-exec", "env", "--sysroot", sysroot,
		"--timeout", "1", "--max-size", "1000", "--max-namespaces", "1")
	cmd.Env = []string{"PATH=" + pathDir, "TMPDIR=" + t.TempDir()}
	res, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("collector: %v\n%s", err, res)
	}
	dir := strings.TrimSpace(string(res))
	if !regexp.MustCompile(`/netxray-fake1-\d{8}T\d{6}Z$`).MatchString(dir) {
		t.Fatalf("bundle directory %q: want netxray-fake1-<UTC time>", dir)
	}
	raw, err := os.ReadFile(filepath.Join(dir, "sos_reports", "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m manifest
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("manifest.json is not JSON: %v\n%s", err, raw)
	}
	byExec := map[string]manifestCmd{}
	for plug, p := range m.Components.Report.Plugins {
		for _, c := range p.Commands {
			// the file is named after the command without the --ovs-exec prefix, like sos
			plain := strings.TrimPrefix(c.Exec, "env ")
			byExec[plug+": "+plain] = c
			if c.EndTime < c.StartTime {
				t.Errorf("%s: end %f before start %f", c.Exec, c.EndTime, c.StartTime)
			}
			if c.Filepath == nil {
				if c.ReturnCode != 127 && c.ReturnCode != 126 {
					t.Errorf("%s: no file but return code %d", c.Exec, c.ReturnCode)
				}
				continue
			}
			if got, want := filepath.Base(*c.Filepath), collect.MangleCommand(plain); strings.TrimRight(got, ".0123456789") != strings.TrimRight(want, ".0123456789") {
				t.Errorf("%s: file %s, sos name %s", c.Exec, got, want)
			}
			if _, err := os.Stat(filepath.Join(dir, *c.Filepath)); err != nil {
				t.Errorf("%s: %v", c.Exec, err)
			}
		}
	}
	check := func(key string, rc int, trunc bool, file string) {
		t.Helper()
		c, ok := byExec[key]
		if !ok {
			t.Errorf("no manifest entry %q", key)
			return
		}
		if c.ReturnCode != rc || c.Truncated != trunc {
			t.Errorf("%s: rc %d truncated %v, want %d %v", key, c.ReturnCode, c.Truncated, rc, trunc)
		}
		switch {
		case file == "" && c.Filepath != nil:
			t.Errorf("%s: absent command has file %s", key, *c.Filepath)
		case file != "" && (c.Filepath == nil || *c.Filepath != file):
			t.Errorf("%s: file %v, want %s", key, c.Filepath, file)
		}
	}
	check("openvswitch: ovs-vsctl -t 5 show", 0, false, "sos_commands/openvswitch/ovs-vsctl_-t_5_show")
	check("openvswitch: ovs-ofctl dump-flows br-int", 0, true, "sos_commands/openvswitch/ovs-ofctl_dump-flows_br-int")
	check("openvswitch: ovs-ofctl dump-groups br-tun", 1, false, "sos_commands/openvswitch/ovs-ofctl_dump-groups_br-tun")
	check("openvswitch: ovs-appctl upcall/show", 124, false, "sos_commands/openvswitch/ovs-appctl_upcall.show")
	check("openvswitch: ovs-appctl fdb/show br-tun", 0, false, "sos_commands/openvswitch/ovs-appctl_fdb.show_br-tun")
	check("openvswitch: ovs-appctl dpctl/dump-conntrack -m netdev@ovs-netdev", 0, false,
		"sos_commands/openvswitch/ovs-appctl_dpctl.dump-conntrack_-m_netdev_ovs-netdev")
	check("openvswitch: ovs-ofctl -O OpenFlow13 dump-flows br-int", 0, false, "sos_commands/openvswitch/ovs-ofctl_-O_OpenFlow13_dump-flows_br-int")
	check("openvswitch: ovs-ofctl -O OpenFlow13 dump-flows br-tun", 0, false, "sos_commands/openvswitch/ovs-ofctl_-O_OpenFlow13_dump-flows_br-tun")
	check("networking: tc -s qdisc show", 127, false, "")
	check("conntrack: conntrack -L -o extended", 1, false, "sos_commands/conntrack/conntrack_-L_-o_extended")
	check("networking: ip netns exec qrouter-1 ip -4 rule list", 0, false,
		"sos_commands/networking/namespaces/qrouter-1/ip_netns_exec_qrouter-1_ip_-4_rule_list")
	check("netxray: ip netns exec qrouter-1 ip -j rule list", 0, false,
		"sos_commands/netxray/namespaces/qrouter-1/ip_netns_exec_qrouter-1_ip_-j_rule_list")
	check("netxray: ovs-vsctl -t 5 list Port", 0, false, "sos_commands/netxray/ovs-vsctl_-t_5_list_Port")
	check("netxray: ovs-ofctl -O OpenFlow13 --names dump-flows br-tun", 0, false,
		"sos_commands/netxray/ovs-ofctl_-O_OpenFlow13_--names_dump-flows_br-tun")
	if _, ok := byExec["openvswitch: ovs-ofctl -O OpenFlow14 dump-flows br-int"]; ok {
		t.Errorf("br-int allows OpenFlow10/13 only, yet OpenFlow14 was dumped")
	}
	if _, ok := byExec["networking: ip netns exec snat-1 ip -4 rule list"]; ok {
		t.Errorf("--max-namespaces 1 collected a second namespace")
	}
	if nx := m.Components.Report.Netxray; nx.NamespacesListed != 2 || nx.NamespacesCollected != 1 {
		t.Errorf("namespaces listed/collected %d/%d, want 2/1", nx.NamespacesListed, nx.NamespacesCollected)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "sos_commands/openvswitch/ovs-appctl_fdb.show_br-tun")); err != nil || len(b) != 0 {
		t.Errorf("empty output: %q, %v", b, err)
	}
	if fi, err := os.Stat(filepath.Join(dir, "sos_commands/openvswitch/ovs-ofctl_dump-flows_br-int")); err != nil || fi.Size() != 1000 {
		t.Errorf("size cap: %v %v", fi, err)
	}

	// configs: data-plane keys kept, no secret anywhere in the bundle
	ovsIni, err := os.ReadFile(filepath.Join(dir, "etc/neutron/plugins/ml2/openvswitch_agent.ini"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"local_ip = 10.0.0.11", "firewall_driver = openvswitch", "l2_population = True", "[securitygroup]"} {
		if !strings.Contains(string(ovsIni), want) {
			t.Errorf("openvswitch_agent.ini lacks %q:\n%s", want, ovsIni)
		}
	}
	for _, p := range []string{"var/lib/neutron/dhcp/net-1/host", "etc/openvswitch/conf.db", "version.txt", "hostname"} {
		if _, err := os.Stat(filepath.Join(dir, p)); err != nil {
			t.Errorf("missing %s: %v", p, err)
		}
	}
	err = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			if errors.Is(err, os.ErrNotExist) { // dangling symlink
				return nil
			}
			return err
		}
		for _, secret := range []string{"s3cret", "dbpass", "hunter2", "topsecret", "x.key", "password = no"} {
			if strings.Contains(string(b), secret) {
				t.Errorf("%s leaks %q", p, secret)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// labUp skips unless NETXRAY_LAB is set: the lab test must not race fault injection, so it
// runs only when asked (ci-lab.sh and `make lab-test` set it).
func labUp(t *testing.T) {
	t.Helper()
	if os.Getenv("NETXRAY_LAB") == "" {
		t.Skip("set NETXRAY_LAB=1 with the Neutron lab up (make lab-up, as root) to run")
	}
	if _, err := os.Stat("/var/lib/netxray-lab/pids/cmp1-holder"); err != nil || os.Geteuid() != 0 {
		t.Fatalf("NETXRAY_LAB is set but the lab is not up or not root (make lab-up as root): %v", err)
	}
}

// TestCollectorAgainstLab runs the real collector inside every lab node and checks that the
// node's OVS ports/flows, namespaces, links, addresses, routes, rules and iptables are the
// same before and after (fixtures/lab/readonly-check.sh), then opens the bundles.
func TestCollectorAgainstLab(t *testing.T) {
	labUp(t)
	out := t.TempDir()
	for _, node := range []string{"net1", "cmp1", "cmp2"} {
		res, err := exec.Command("../fixtures/lab/readonly-check.sh", node, out).CombinedOutput()
		if err != nil {
			t.Fatalf("%s: %v\n%s", node, err, res)
		}
	}
	tars, _ := filepath.Glob(filepath.Join(out, "netxray-*.tar.xz"))
	if len(tars) != 3 {
		t.Fatalf("want 3 bundles, got %v", tars)
	}
	openAll(t, tars, 3)
}

func openAll(t *testing.T, tars []string, want int) {
	t.Helper()
	seen := map[string]bool{}
	for _, tar := range tars {
		b, err := collect.Open(tar)
		if err != nil {
			t.Errorf("open %s: %v", tar, err)
			continue
		}
		for _, n := range b.Nodes {
			seen[n.Name] = true
			if n.Layout != collect.LayoutNetxray {
				t.Errorf("%s: layout %s, want %s", tar, n.Layout, collect.LayoutNetxray)
			}
		}
		b.Close()
	}
	if len(seen) != want {
		t.Errorf("nodes %v, want %d", seen, want)
	}
}

// TestFixtureBundles checks every shipped scenario: an expect.yaml naming its bundles, one
// bundle per node, each readable.
func TestFixtureBundles(t *testing.T) {
	dirs, _ := filepath.Glob("../fixtures/bundles/*/expect.yaml")
	if len(dirs) == 0 {
		t.Skip("no fixture bundles")
	}
	for _, e := range dirs {
		d := filepath.Dir(e)
		t.Run(filepath.Base(d), func(t *testing.T) {
			raw, err := os.ReadFile(e)
			if err != nil {
				t.Fatal(err)
			}
			var x struct {
				Scenario string         `yaml:"scenario"`
				Bundles  any            `yaml:"bundles"`
				Live     map[string]any `yaml:"live"`
			}
			if err := yaml.Unmarshal(raw, &x); err != nil {
				t.Fatalf("expect.yaml: %v", err)
			}
			if x.Scenario != filepath.Base(d) || x.Live["matrix_after"] == nil {
				t.Errorf("expect.yaml: scenario %q, live %v", x.Scenario, x.Live != nil)
			}
			tars, _ := filepath.Glob(filepath.Join(d, "netxray-*.tar.xz"))
			sides, _ := filepath.Glob(filepath.Join(d, "*", "netxray-*.tar.xz"))
			if len(sides) > 0 {
				openAll(t, sides[:len(sides)/2], 3)
				openAll(t, sides[len(sides)/2:], 3)
				return
			}
			openAll(t, tars, 3)
		})
	}
}
