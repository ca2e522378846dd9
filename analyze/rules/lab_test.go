package rules

import (
	"regexp"
	"strings"
	"testing"
)

// expect is a finding a scenario raises: its rule, node, and a regexp one
// of its evidence lines (node:file:line: text) must match.
type expect struct {
	rule, node, evidence string
}

// labLeftovers are true findings of bundles collected after the
// local-ip-wrong fault: restoring cmp2's local_ip left cmp1 and net1 with
// tunnels to cmp2's management address 192.168.252.13 (and net1 with a
// learned entry into one), and cmp2's agent came back with a new DVR MAC
// that cmp1 never learned. They are in the bundles, so they are reported.
var labLeftovers = []expect{
	{"tunnel-remote-unknown", "cmp1", `remote_ip="192.168.252.13"`},
	{"tunnel-remote-unknown", "net1", `remote_ip="192.168.252.13"`},
	{"dvr-mac-missing", "cmp1", `set_field:fa:16:3f:ea:37:68->eth_src`},
	{"l2pop-unicast-stale", "net1", `output:"vxlan-c0a8fc0d"`},
}

// TestLabScenarios runs every rule over every lab scenario: each fault
// raises the rule(s) in want, on the node where it was injected, with
// evidence quoting the object; no other warning or error appears except
// those in also (true findings of the lab's leftover state, which may or
// may not be there); healthy raises none.
func TestLabScenarios(t *testing.T) {
	for _, tc := range []struct {
		scenario string
		want     []expect
		also     []expect
	}{
		{scenario: "healthy"},
		{scenario: "tun-flow-missing", want: []expect{{"tun-flow-missing", "cmp1", `no table=4 flow matching tun_id=0x4de`}}},
		{scenario: "l2pop-unicast-missing", want: []expect{{"l2pop-unicast-missing", "cmp1", `priority=1,vlan_tci=0x0001/0x0fff,dl_dst=fa:16:3e:09:41:b5`}}},
		{scenario: "tunnel-port-missing", want: []expect{
			{"tunnel-missing", "cmp1", `remote_ip="192.168.253.12"`},
			{"l2pop-flood-missing", "cmp1", `table=22.*output:3`},
			{"flow-port-missing", "cmp1", `in_port=3 actions=goto_table:4`},
		}},
		{scenario: "dvr-mac-missing", want: []expect{{"dvr-mac-missing", "cmp1", `table=9.*dl_src=fa:16:3f:bb:b7:19`}}},
		{scenario: "fip-rule-missing", want: []expect{{"fip-rule-route", "cmp1", `-d 172.24.4.63/32 .*DNAT --to-destination 10.10.1.95`}}, also: labLeftovers},
		{scenario: "snat-table-flushed", want: []expect{{"snat-redirect", "cmp2", `168428033:\s+from 10.10.2.1/24 lookup 168428033`}}},
		{scenario: "ovs-flows-wiped", want: []expect{
			{"canary-missing", "cmp1", `name\s+: br-int`},
			{"br-tun-unprogrammed", "cmp1", `segmentation_id=`},
		}},
		{scenario: "qr-port-deleted", want: []expect{
			{"ns-device-orphan", "cmp1", `inet 10.10.1.1/24 .* qr-e7ff5f15-09`},
			{"flow-port-missing", "cmp1", `output:7`},
		}},
		// The rule was deleted through the API and every node applied
		// it: the data plane is consistent, nothing is wrong in it.
		{scenario: "sg-rule-removed"},
		{scenario: "underlay-mtu", want: []expect{{"underlay-mtu", "cmp2", `br-phy: .* mtu 1400`}}},
		{scenario: "vlan-4095", want: []expect{{"vif-dead-vlan", "cmp2", `tag\s+: 4095`}}},
		{scenario: "local-ip-wrong", want: []expect{
			{"local-ip-mismatch", "cmp2", `local_ip = 192.168.252.13`},
			{"tunnel-remote-unknown", "cmp1", `remote_ip="192.168.253.13"`},
			{"tunnel-remote-unknown", "net1", `remote_ip="192.168.253.13"`},
		}, also: []expect{
			{"l2pop-unicast-stale", "net1", `output:"vxlan-c0a8fd0d"`},
			{"dvr-mac-missing", "cmp1", `set_field:fa:16:3f:ea:37:68->eth_src`},
		}},
		{scenario: "pair-sg-tcp80/before", also: labLeftovers},
		{scenario: "pair-sg-tcp80/after", also: labLeftovers},
	} {
		t.Run(tc.scenario, func(t *testing.T) {
			res := Run(labModel(t, tc.scenario), All(), nil)
			for _, w := range tc.want {
				if !raised(res, w) {
					t.Errorf("missing %s on %s with evidence matching %q", w.rule, w.node, w.evidence)
				}
			}
			for _, f := range res.Findings {
				if f.Severity < Warning {
					t.Logf("info %s %s: %s", f.Rule, f.Node, f.Message)
					continue
				}
				if !expected(f, tc.want) && !expected(f, tc.also) {
					t.Errorf("unexpected %s %s on %s: %s", f.Severity, f.Rule, f.Node, f.Message)
				}
				if !cited(f) {
					t.Errorf("%s on %s cites no line: %+v", f.Rule, f.Node, f.Evidence)
				}
			}
		})
	}
}

func raised(res *Result, w expect) bool {
	re := regexp.MustCompile(w.evidence)
	for _, f := range res.Findings {
		if f.Rule != w.rule || f.Node != w.node || f.Severity < Warning {
			continue
		}
		for _, e := range f.Evidence {
			if re.MatchString(e.String()) {
				return true
			}
		}
	}
	return false
}

func expected(f Finding, l []expect) bool {
	for _, w := range l {
		if f.Rule == w.rule && f.Node == w.node {
			return true
		}
	}
	return false
}

// cited reports whether a finding quotes at least one bundle line.
func cited(f Finding) bool {
	for _, e := range f.Evidence {
		if e.Line > 0 && strings.TrimSpace(e.Text) != "" && e.File != "" {
			return true
		}
	}
	return false
}
