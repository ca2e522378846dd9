package openflow

import (
	"bytes"
	"encoding/json"
	"strings"
	"sync"
	"testing"
)

var basicPorts = []Port{
	{OFPort: 1, Name: "p1"}, {OFPort: 2, Name: "p2"}, {OFPort: 3, Name: "tap3", Tag: 5},
	{OFPort: 4, Name: "tap4", Tag: 5}, {OFPort: 5, Name: "tap5", Tag: 6},
}

// Each case is a small table written inline, a microflow, and the expected
// path (table:priority per step) and outputs (port[.vlan]).
var traceCases = []struct {
	name, flows, flow string
	opts              TraceOptions
	path, outs        string
}{
	// Match-field families.
	{"in_port number", "table=0,priority=10,in_port=1 actions=output:2\ntable=0,priority=0 actions=drop", "in_port=1", TraceOptions{}, "0:10", "p2"},
	{"in_port name", "table=0,priority=10,in_port=p1 actions=output:p2", "in_port=p1", TraceOptions{}, "0:10", "p2"},
	{"in_port quoted name", `table=0,priority=10,in_port="tap3" actions=output:"p2"`, "in_port=tap3", TraceOptions{}, "0:10", "p2"},
	{"in_port LOCAL", "table=0,priority=10,in_port=LOCAL actions=output:2", "in_port=LOCAL", TraceOptions{}, "0:10", "p2"},
	{"priority wins", "table=0,priority=1 actions=output:1\ntable=0,priority=9,dl_dst=00:00:00:00:00:02 actions=output:2", "in_port=3,dl_dst=00:00:00:00:00:02", TraceOptions{}, "0:9", "p2"},
	{"mask on mac", "table=0,priority=5,dl_dst=01:00:00:00:00:00/01:00:00:00:00:00 actions=output:1\ntable=0,priority=4 actions=output:2", "in_port=3,dl_dst=ff:ff:ff:ff:ff:ff", TraceOptions{}, "0:5", "p1"},
	{"mask on mac miss", "table=0,priority=5,dl_dst=01:00:00:00:00:00/01:00:00:00:00:00 actions=output:1\ntable=0,priority=4 actions=output:2", "in_port=3,dl_dst=fa:16:3e:00:00:01", TraceOptions{}, "0:4", "p2"},
	{"registers", "table=0,priority=5,reg5=0x3,reg6=0x1 actions=output:1\ntable=0,priority=1 actions=output:2", "in_port=3,reg5=3,reg6=1", TraceOptions{}, "0:5", "p1"},
	{"xreg view", "table=0,priority=5,xreg0=0x100000002 actions=output:1\ntable=0,priority=1 actions=output:2", "in_port=3,reg0=1,reg1=2", TraceOptions{}, "0:5", "p1"},
	{"reg mask", "table=0,priority=5,reg0=0x10000/0x10000 actions=output:1\ntable=0,priority=1 actions=output:2", "in_port=3,reg0=0x1ffff", TraceOptions{}, "0:5", "p1"},
	{"metadata", "table=0,priority=5,metadata=0x5 actions=output:1\ntable=0,priority=1 actions=output:2", "in_port=3,metadata=5", TraceOptions{}, "0:5", "p1"},
	{"tunnel fields", "table=0,priority=5,tun_id=0x3e9,tun_src=10.0.0.12 actions=output:1\ntable=0,priority=1 actions=output:2", "in_port=3,tun_id=0x3e9,tun_src=10.0.0.12,tun_dst=10.0.0.11", TraceOptions{}, "0:5", "p1"},
	{"dl_vlan", "table=0,priority=5,dl_vlan=7 actions=output:1\ntable=0,priority=1 actions=output:2", "in_port=2,dl_vlan=7", TraceOptions{}, "0:5", "p1.7"},
	{"dl_vlan untagged does not match", "table=0,priority=5,dl_vlan=7 actions=output:1\ntable=0,priority=1 actions=output:2", "in_port=1", TraceOptions{}, "0:1", "p2"},
	{"vlan_tci flat", "table=0,priority=5,vlan_tci=0x0000/0x1fff actions=output:1\ntable=0,priority=1 actions=output:2", "in_port=3", TraceOptions{}, "0:5", "p1"},
	{"dl_vlan 0xffff", "table=0,priority=5,dl_vlan=0xffff actions=output:1\ntable=0,priority=1 actions=output:2", "in_port=3", TraceOptions{}, "0:5", "p1"},
	{"dl_vlan_pcp", "table=0,priority=5,dl_vlan_pcp=3 actions=output:1\ntable=0,priority=1 actions=output:2", "in_port=3,dl_vlan=1,dl_vlan_pcp=3", TraceOptions{}, "0:5", "p1.1"},
	{"arp fields", "table=0,priority=5,arp,arp_spa=10.0.0.0/24,arp_tpa=10.0.0.1,arp_op=1 actions=output:1\ntable=0,priority=1 actions=output:2", "arp,in_port=3,arp_spa=10.0.0.5,arp_tpa=10.0.0.1,arp_op=1", TraceOptions{}, "0:5", "p1"},
	{"arp sha", "table=0,priority=5,arp,arp_sha=fa:16:3e:00:00:01 actions=output:1\ntable=0,priority=1 actions=output:2", "arp,in_port=3,arp_sha=fa:16:3e:00:00:01", TraceOptions{}, "0:5", "p1"},
	{"ip prefix", "table=0,priority=5,ip,nw_src=192.168.10.0/24 actions=output:1\ntable=0,priority=1 actions=output:2", "ip,in_port=3,nw_src=192.168.10.7", TraceOptions{}, "0:5", "p1"},
	{"ip needs ethertype", "table=0,priority=5,ip actions=output:1\ntable=0,priority=1 actions=output:2", "arp,in_port=3", TraceOptions{}, "0:1", "p2"},
	{"tcp ports", "table=0,priority=5,tcp,tp_dst=22 actions=output:1\ntable=0,priority=1 actions=output:2", "tcp,in_port=3,tp_dst=22", TraceOptions{}, "0:5", "p1"},
	{"udp ports", "table=0,priority=5,udp,tp_src=68,tp_dst=67 actions=output:1\ntable=0,priority=1 actions=output:2", "udp,in_port=3,udp_src=68,udp_dst=67", TraceOptions{}, "0:5", "p1"},
	{"tcp port mask", "table=0,priority=5,tcp,tp_dst=0x1000/0xf000 actions=output:1\ntable=0,priority=1 actions=output:2", "tcp,in_port=3,tp_dst=4660", TraceOptions{}, "0:5", "p1"},
	{"icmp type", "table=0,priority=5,icmp,icmp_type=8 actions=output:1\ntable=0,priority=1 actions=output:2", "icmp,in_port=3,icmp_type=8", TraceOptions{}, "0:5", "p1"},
	{"ipv6", "table=0,priority=5,ipv6,ipv6_src=fe80::/64 actions=output:1\ntable=0,priority=1 actions=output:2", "ipv6,in_port=3,ipv6_src=fe80::f816:3eff:fe5e:1f2a", TraceOptions{}, "0:5", "p1"},
	{"nd target", "table=0,priority=5,icmp6,icmp_type=136,nd_target=fe80::1 actions=output:1\ntable=0,priority=1 actions=output:2", "icmp6,in_port=3,icmpv6_type=136,icmpv6_code=0,nd_target=fe80::1", TraceOptions{}, "0:5", "p1"},
	{"ct_state flags", "table=0,priority=5,ct_state=+est-rel+trk actions=output:1\ntable=0,priority=1 actions=output:2", "in_port=3,ct_state=est|trk", TraceOptions{}, "0:5", "p1"},
	{"ct_state flags miss", "table=0,priority=5,ct_state=+est-rel+trk actions=output:1\ntable=0,priority=1 actions=output:2", "in_port=3,ct_state=est|rel|trk", TraceOptions{}, "0:1", "p2"},
	{"ct zone mark label", "table=0,priority=5,ct_zone=1,ct_mark=0x1,ct_label=0x10/0x10 actions=output:1\ntable=0,priority=1 actions=output:2", "in_port=3,ct_zone=1,ct_mark=1,ct_label=0x11", TraceOptions{}, "0:5", "p1"},
	{"pkt_mark", "table=0,priority=5,pkt_mark=0x2/0x2 actions=output:1\ntable=0,priority=1 actions=output:2", "in_port=3,pkt_mark=3", TraceOptions{}, "0:5", "p1"},
	{"table miss drops", "table=0,priority=5,in_port=1 actions=output:2", "in_port=3", TraceOptions{}, "0:m", "drop"},
	{"unknown field never matches", "table=0,priority=5,frobnicate=1 actions=output:1\ntable=0,priority=1 actions=output:2", "in_port=3", TraceOptions{}, "0:1", "p2"},

	// Actions.
	{"output skips in_port", "table=0 actions=output:1,output:2", "in_port=1", TraceOptions{}, "0:32768", "p2"},
	{"IN_PORT", "table=0 actions=IN_PORT", "in_port=1", TraceOptions{}, "0:32768", "p1"},
	{"output register", "table=0 actions=load:0x2->NXM_NX_REG1[],output:NXM_NX_REG1[]", "in_port=1", TraceOptions{}, "0:32768", "p2"},
	{"output reg set_field", "table=0 actions=set_field:0x4->reg1,output:NXM_NX_REG1[0..15]", "in_port=1", TraceOptions{}, "0:32768", "tap4"},
	{"LOCAL", "table=0 actions=LOCAL", "in_port=1", TraceOptions{}, "0:32768", "br0"},
	{"ALL", "table=0 actions=ALL", "in_port=1", TraceOptions{}, "0:32768", "p2 tap3 tap4 tap5 br0"},
	{"FLOOD", "table=0 actions=FLOOD", "in_port=2", TraceOptions{}, "0:32768", "p1 tap3 tap4 tap5 br0"},
	{"drop", "table=0 actions=drop", "in_port=1", TraceOptions{}, "0:32768", "drop"},
	{"resubmit returns", "table=0 actions=resubmit(,1),output:2\ntable=1 actions=output:1", "in_port=3", TraceOptions{}, "0:32768 1:32768", "p1 p2"},
	{"resubmit in_port", "table=0,in_port=3 actions=resubmit(1,1)\ntable=1,in_port=1 actions=IN_PORT\ntable=1,priority=1 actions=output:2", "in_port=3", TraceOptions{}, "0:32768 1:32768", "tap3"},
	{"resubmit to miss continues", "table=0 actions=resubmit(,7),output:2", "in_port=1", TraceOptions{}, "0:32768 7:m", "p2"},
	{"goto_table", "table=0 actions=goto_table:3\ntable=3 actions=output:2", "in_port=1", TraceOptions{}, "0:32768 3:32768", "p2"},
	{"write_metadata", "table=0 actions=write_metadata:0x10/0xf0,goto_table:1\ntable=1,metadata=0x10/0xf0 actions=output:2", "in_port=1", TraceOptions{}, "0:32768 1:32768", "p2"},
	{"mod_vlan_vid pushes", "table=0 actions=mod_vlan_vid:9,output:2", "in_port=1", TraceOptions{}, "0:32768", "p2.9"},
	{"set_vlan_vid needs tag", "table=0 actions=set_vlan_vid:9,output:2", "in_port=1", TraceOptions{}, "0:32768", "p2"},
	{"strip_vlan", "table=0 actions=strip_vlan,output:2", "in_port=1,dl_vlan=4", TraceOptions{}, "0:32768", "p2"},
	{"push_vlan set_field", "table=0 actions=push_vlan:0x8100,set_field:4097->vlan_vid,output:2", "in_port=1", TraceOptions{}, "0:32768", "p2.1"},
	{"pop_vlan", "table=0 actions=pop_vlan,output:2", "in_port=1,dl_vlan=4", TraceOptions{}, "0:32768", "p2"},
	{"set_field mac then match", "table=0 actions=set_field:fa:16:3e:00:00:09->eth_dst,resubmit(,1)\ntable=1,dl_dst=fa:16:3e:00:00:09 actions=output:2", "in_port=1", TraceOptions{}, "0:32768 1:32768", "p2"},
	{"set_field prerequisite", "table=0 actions=set_field:10.0.0.9->ip_dst,resubmit(,1)\ntable=1,priority=9,ip,nw_dst=10.0.0.9 actions=output:2\ntable=1,priority=1 actions=output:1", "arp,in_port=3", TraceOptions{}, "0:32768 1:1", "p1"},
	{"load subfield", "table=0 actions=load:0x3->NXM_NX_REG0[4..5],resubmit(,1)\ntable=1,reg0=0x30 actions=output:2", "in_port=1", TraceOptions{}, "0:32768 1:32768", "p2"},
	{"move", "table=0 actions=move:NXM_OF_ETH_SRC[]->NXM_OF_ETH_DST[],resubmit(,1)\ntable=1,dl_dst=00:00:00:00:00:07 actions=output:2", "in_port=1,dl_src=00:00:00:00:00:07", TraceOptions{}, "0:32768 1:32768", "p2"},
	{"move tun_id to metadata", "table=0 actions=move:NXM_NX_TUN_ID[0..23]->OXM_OF_METADATA[0..23],resubmit(,1)\ntable=1,metadata=0x3e9 actions=output:2", "in_port=1,tun_id=0x3e9", TraceOptions{}, "0:32768 1:32768", "p2"},
	{"mod_dl", "table=0 actions=mod_dl_src:00:00:00:00:00:01,mod_dl_dst:00:00:00:00:00:02,resubmit(,1)\ntable=1,dl_src=00:00:00:00:00:01,dl_dst=00:00:00:00:00:02 actions=output:2", "in_port=1", TraceOptions{}, "0:32768 1:32768", "p2"},
	{"mod_nw", "table=0 actions=mod_nw_src:1.1.1.1,mod_nw_dst:2.2.2.2,mod_tp_dst:80,resubmit(,1)\ntable=1,tcp,nw_src=1.1.1.1,nw_dst=2.2.2.2,tp_dst=80 actions=output:2", "tcp,in_port=1", TraceOptions{}, "0:32768 1:32768", "p2"},
	{"mod_nw_tos", "table=0 actions=mod_nw_tos:184,resubmit(,1)\ntable=1,ip,nw_tos=184 actions=output:2", "ip,in_port=1", TraceOptions{}, "0:32768 1:32768", "p2"},
	{"dec_ttl", "table=0 actions=dec_ttl,resubmit(,1)\ntable=1,ip,nw_ttl=63 actions=output:2", "ip,in_port=1,nw_ttl=64", TraceOptions{}, "0:32768 1:32768", "p2"},
	{"dec_ttl exception", "table=0 actions=dec_ttl,output:2", "ip,in_port=1,nw_ttl=1", TraceOptions{}, "0:32768", "CONTROLLER"},
	{"set_tunnel", "table=0 actions=set_tunnel:0x5,resubmit(,1)\ntable=1,tun_id=0x5 actions=output:2", "in_port=1", TraceOptions{}, "0:32768 1:32768", "p2"},
	{"note is noop", "table=0 actions=note:00.01.02,output:2", "in_port=1", TraceOptions{}, "0:32768", "p2"},
	{"controller", "table=0 actions=controller(reason=no_match)", "in_port=1", TraceOptions{}, "0:32768", "CONTROLLER"},
	{"clone restores", "table=0 actions=clone(mod_vlan_vid:3,output:2),output:2", "in_port=1", TraceOptions{}, "0:32768", "p2.3 p2"},
	{"exit", "table=0 actions=resubmit(,1),output:2\ntable=1 actions=exit", "in_port=1", TraceOptions{}, "0:32768 1:32768", "drop"},
	{"conjunction", "table=0,priority=10,ip,nw_src=10.0.0.1 actions=conjunction(7,1/2)\ntable=0,priority=10,tcp,tp_dst=22 actions=conjunction(7,2/2)\ntable=0,priority=10,conj_id=7,ip actions=output:2\ntable=0,priority=1 actions=output:1", "tcp,in_port=3,nw_src=10.0.0.1,tp_dst=22", TraceOptions{}, "0:10", "p2"},
	{"conjunction incomplete", "table=0,priority=10,ip,nw_src=10.0.0.1 actions=conjunction(7,1/2)\ntable=0,priority=10,tcp,tp_dst=22 actions=conjunction(7,2/2)\ntable=0,priority=10,conj_id=7,ip actions=output:2\ntable=0,priority=1 actions=output:1", "tcp,in_port=3,nw_src=10.0.0.1,tp_dst=23", TraceOptions{}, "0:1", "p1"},
	{"ct recirc default new", "table=0 actions=ct(table=1,zone=5)\ntable=1,priority=5,ct_state=+trk+new,ct_zone=5 actions=output:2\ntable=1,priority=1 actions=output:1", "ip,in_port=3", TraceOptions{}, "0:32768 1:5", "p2"},
	{"ct recirc est", "table=0 actions=ct(table=1,zone=NXM_NX_REG6[0..15])\ntable=1,priority=5,ct_state=+trk+est,ct_zone=7 actions=output:2\ntable=1,priority=1 actions=output:1", "ip,in_port=3,reg6=7", TraceOptions{CTNext: []uint32{ctTrk | ctEst}}, "0:32768 1:5", "p2"},
	{"ct clears state", "table=0 actions=ct(commit,zone=1),resubmit(,1)\ntable=1,priority=5,ct_state=-trk actions=output:2", "ip,in_port=3,ct_state=trk|est", TraceOptions{}, "0:32768 1:5", "p2"},
	{"ct exec sets mark", "table=0 actions=ct(commit,table=1,zone=1,exec(load:0x1->NXM_NX_CT_MARK[]))\ntable=1,priority=5,ct_mark=0x1 actions=output:2\ntable=1,priority=1 actions=output:1", "ip,in_port=3", TraceOptions{}, "0:32768 1:5", "p2"},
	{"ct nat", "table=0 actions=ct(table=1,zone=1,nat(dst=10.1.1.1:8080))\ntable=1,priority=5,tcp,nw_dst=10.1.1.1,tp_dst=8080 actions=output:2\ntable=1,priority=1 actions=output:1", "tcp,in_port=3,nw_dst=1.2.3.4,tp_dst=80", TraceOptions{}, "0:32768 1:5", "p2"},
	{"learn installs", "table=0,in_port=1 actions=learn(table=2,priority=1,NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],output:NXM_OF_IN_PORT[]),resubmit(,2)\ntable=2,priority=0 actions=output:2", "in_port=1,dl_src=00:00:00:00:00:01,dl_dst=00:00:00:00:00:01", TraceOptions{}, "0:32768 2:1", "drop"},
	{"learn no install", "table=0,in_port=1 actions=learn(table=2,priority=1,NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],output:NXM_OF_IN_PORT[]),resubmit(,2)\ntable=2,priority=0 actions=output:2", "in_port=1,dl_src=00:00:00:00:00:01,dl_dst=00:00:00:00:00:01", TraceOptions{NoLearn: true}, "0:32768 2:0", "p2"},
	{"resubmit loop", "table=0 actions=resubmit(,0)", "in_port=1", TraceOptions{}, strings.TrimSpace(strings.Repeat("0:32768 ", 65)), "drop"},
	{"unsupported action", "table=0 actions=push_mpls:0x8847,output:2", "in_port=1", TraceOptions{}, "0:32768", "p2"},

	// NORMAL.
	{"normal flood access", "table=0 actions=NORMAL", "in_port=3", TraceOptions{}, "0:32768", "p1.5 p2.5 tap4 br0.5"},
	{"normal flood trunk vlan", "table=0 actions=NORMAL", "in_port=1,dl_vlan=6", TraceOptions{}, "0:32768", "p2.6 tap5 br0.6"},
	{"normal untagged trunk", "table=0 actions=NORMAL", "in_port=1", TraceOptions{}, "0:32768", "p2 br0"},
	{"normal tagged on access drops", "table=0 actions=NORMAL", "in_port=3,dl_vlan=5", TraceOptions{}, "0:32768", "drop"},
	{"normal reserved mac", "table=0 actions=NORMAL", "in_port=3,dl_dst=01:80:c2:00:00:00", TraceOptions{}, "0:32768", "drop"},
}

func TestTraceCases(t *testing.T) {
	for _, tc := range traceCases {
		t.Run(tc.name, func(t *testing.T) {
			sw := sw1(t, basicPorts, tc.flows)
			r := mustTrace(t, sw, "br0", tc.flow, tc.opts)
			if got := path(r); got != tc.path {
				t.Errorf("path = %q, want %q", got, tc.path)
			}
			if got := outs(r); got != tc.outs {
				t.Errorf("outputs = %q, want %q", got, tc.outs)
			}
			var buf bytes.Buffer
			if err := r.WriteText(&buf); err != nil {
				t.Fatal(err)
			}
			if t.Failed() && buf.Len() < 4000 {
				t.Log(buf.String())
			}
			if _, err := json.Marshal(r); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// Traces of one switch may run concurrently (the cross-node trace does):
// the switch is read-only once compiled and each trace has its own state.
func TestConcurrentTraces(t *testing.T) {
	sw := neutronNode(t, 8, 2, 3)
	probes := neutronProbes(8, 2, 3)
	want := make([]string, len(probes))
	for i, p := range probes {
		var b bytes.Buffer
		if err := mustTrace(t, sw, "br-int", p, TraceOptions{}).WriteText(&b); err != nil {
			t.Fatal(err)
		}
		want[i] = b.String()
	}
	errs := make(chan string, 4*len(probes))
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i, p := range probes {
				r, err := Trace(sw, "br-int", p, TraceOptions{})
				if err != nil {
					errs <- err.Error()
					continue
				}
				var b bytes.Buffer
				r.WriteText(&b)
				if b.String() != want[i] {
					errs <- "trace differs when run concurrently: " + p
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}
