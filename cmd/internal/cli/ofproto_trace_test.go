package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// healthyBundle is the lab's healthy scenario: net1, cmp1 (OVS firewall)
// and cmp2 (iptables_hybrid), collected by netxray-collect.sh.
const healthyBundle = "../../../fixtures/bundles/healthy"

// A VM on cmp1 pings a VM on cmp2 (same network): egress firewall,
// conntrack, then NORMAL and br-tun's l2pop flow to cmp2's tunnel.
const pingCmp1ToCmp2 = "in_port=tapfb09e538-87,icmp,dl_src=fa:16:3e:fd:f0:40,dl_dst=fa:16:3e:09:41:b5,nw_src=10.10.1.23,nw_dst=10.10.1.132,nw_ttl=64,icmp_type=8"

func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = Main(args, strings.NewReader(""), &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestOfprotoTraceText(t *testing.T) {
	code, out, errOut := runCLI(t, "ofproto-trace", healthyBundle, "--node", "cmp1", "--bridge", "br-int", "--ct-next", "trk,new", pingCmp1ToCmp2)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{
		"Flow: icmp,in_port=3,",
		"bridge(\"br-int\")\n----------------\n 0. priority 0, cookie 0x87e48c50a91cedd0 [sos_commands/netxray/ovs-ofctl_-O_OpenFlow13_--names_dump-flows_br-int:12 n_packets=19178 n_bytes=7063996]",
		"recirc(0x1) - resume conntrack with ct_state=new|trk",
		"bridge(\"br-tun\")",
		"20. dl_vlan=1,dl_dst=fa:16:3e:09:41:b5, priority 2, cookie 0xa270e0dab3c0478a [sos_commands/netxray/ovs-ofctl_-O_OpenFlow13_--names_dump-flows_br-tun:27 n_packets=1928 n_bytes=715816]",
		"Final flow: ",
		"Datapath actions: vxlan-c0a8fd0d(vxlan remote_ip=192.168.253.13 local_ip=192.168.253.12 tun_id=0x4de dst_port=4789)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestOfprotoTraceJSON(t *testing.T) {
	code, out, errOut := runCLI(t, "ofproto-trace", "--json", healthyBundle, "--node", "cmp1", "--bridge", "br-int", pingCmp1ToCmp2)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	// The DESIGN.md contract, field by field.
	var res struct {
		Node   string `json:"node"`
		Bridge string `json:"bridge"`
		Flow   string `json:"flow"`
		Steps  []struct {
			Bridge   string `json:"bridge"`
			Table    *int   `json:"table"`
			Priority *int   `json:"priority"`
			Cookie   string `json:"cookie"`
			Match    *string
			Actions  string `json:"actions"`
			Pos      struct {
				File string `json:"file"`
				Line int    `json:"line"`
			} `json:"pos"`
		} `json:"steps"`
		FinalFlow string `json:"final_flow"`
		Outputs   []struct {
			Bridge string `json:"bridge"`
			Port   string `json:"port"`
			OFPort *int   `json:"ofport"`
		} `json:"outputs"`
		Verdict string  `json:"verdict"`
		Reason  *string `json:"reason"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("bad JSON: %v\n%s", err, out)
	}
	if res.Node != "cmp1" || res.Bridge != "br-int" || !strings.HasPrefix(res.Flow, "icmp,in_port=3,") || res.FinalFlow == "" || res.Verdict != "output" || res.Reason == nil {
		t.Errorf("header fields wrong: %+v", res)
	}
	if len(res.Steps) < 5 {
		t.Fatalf("only %d steps", len(res.Steps))
	}
	for _, s := range res.Steps {
		if s.Bridge == "" || s.Table == nil || s.Priority == nil || !strings.HasPrefix(s.Cookie, "0x") || s.Match == nil || s.Actions == "" || s.Pos.File == "" || s.Pos.Line == 0 {
			t.Errorf("step lacks contract fields: %+v", s)
		}
	}
	found := false
	for _, o := range res.Outputs {
		if o.Bridge == "br-tun" && o.Port == "vxlan-c0a8fd0d" && o.OFPort != nil && *o.OFPort == 3 {
			found = true
		}
	}
	if !found {
		t.Errorf("no output to br-tun vxlan-c0a8fd0d (ofport 3): %+v", res.Outputs)
	}
	if strings.Contains(out, `\u003e`) {
		t.Errorf("actions are HTML-escaped in the JSON")
	}
}

func TestOfprotoTraceErrors(t *testing.T) {
	// A sos tree with a bridge and no flow dump.
	sos := t.TempDir()
	show := filepath.Join(sos, "sos_commands", "openvswitch", "ovs-vsctl_-t_5_show")
	if err := os.MkdirAll(filepath.Dir(show), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(show, []byte("a1b2c3d4-0000-4000-8000-000000000001\n    Bridge br-int\n        Port br-int\n            Interface br-int\n                type: internal\n    ovs_version: \"3.1.0\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	node := filepath.Base(sos)
	for _, tc := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"unknown node", []string{healthyBundle, "--node", "cmp9", "--bridge", "br-int", "in_port=1"}, ExitUsage, `--node "cmp9": no such node (known: cmp1, cmp2, net1)`},
		{"unknown bridge", []string{healthyBundle, "--node", "cmp1", "--bridge", "br-foo", "in_port=1"}, ExitUsage, `--bridge "br-foo": no such bridge on cmp1 (known: br-ex, br-int, br-phy, br-tun)`},
		{"bad microflow", []string{healthyBundle, "--node", "cmp1", "--bridge", "br-int", "in_port=1,frob=2"}, ExitUsage, "unknown field frob"},
		{"bad ct-next", []string{healthyBundle, "--node", "cmp1", "--bridge", "br-int", "--ct-next", "trk,nope", "in_port=1"}, ExitUsage, `unknown ct_state flag "nope"`},
		{"no node flag", []string{healthyBundle, "--bridge", "br-int", "in_port=1"}, ExitUsage, "--node and --bridge are required"},
		{"no microflow", []string{healthyBundle}, ExitUsage, "requires at least 2 arg(s)"},
		{"no flow dump", []string{sos, "--node", node, "--bridge", "br-int", "in_port=1"}, ExitError, "data missing: the bundle has no flow dump of br-int on " + node},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, errOut := runCLI(t, append([]string{"ofproto-trace"}, tc.args...)...)
			if code != tc.code || !strings.Contains(errOut, tc.want) {
				t.Errorf("exit %d, stderr %q; want exit %d and %q", code, errOut, tc.code, tc.want)
			}
		})
	}
}
