package openflow

import (
	"fmt"
	"strings"
	"testing"
)

// neutronNode builds a synthetic Neutron ML2/OVS compute node shaped like
// the agent's flows (openvswitch firewall on br-int, l2pop + ARP responder
// on br-tun, as in docs/neutron-domain.md §1.2-1.7): vms VMs spread over
// nets VXLAN networks, tunnels remote nodes. Port numbers: br-int 1
// patch-tun, 10+ VM taps; br-tun 1 patch-int, 2+ vxlan ports.
func neutronNode(t testing.TB, vms, nets, tunnels int) *Switch {
	t.Helper()
	var in, tun strings.Builder
	ck := "cookie=0x9b32c8053d494869, "
	w := func(b *strings.Builder, format string, args ...any) { fmt.Fprintf(b, ck+format+"\n", args...) }
	intPorts := []Port{{OFPort: 1, Name: "patch-tun", Type: "patch", Peer: "patch-int"}}
	tunPorts := []Port{{OFPort: 1, Name: "patch-int", Type: "patch", Peer: "patch-tun"}}
	for i := 0; i < tunnels; i++ {
		ip := fmt.Sprintf("10.0.%d.%d", 1+i/250, 1+i%250)
		tunPorts = append(tunPorts, Port{OFPort: 2 + i, Name: fmt.Sprintf("vxlan-%08x", 0x0a000000+(1+i/250)<<8+1+i%250), Type: "vxlan",
			Options: map[string]string{"remote_ip": ip, "local_ip": "10.0.0.254", "in_key": "flow", "out_key": "flow"}})
	}
	vmMAC := func(i int) string { return fmt.Sprintf("fa:16:3e:%02x:%02x:%02x", i>>16&0xff, i>>8&0xff, i&0xff) }
	vmIP := func(i int) string { return fmt.Sprintf("192.%d.%d.%d", 168+i%nets/256, i%nets%256, 10+i/nets%200) }
	remMAC := func(i int) string { return fmt.Sprintf("fa:16:3e:f0:%02x:%02x", i>>8&0xff, i&0xff) }

	w(&in, "table=0, priority=65535,dl_vlan=4095 actions=drop")
	w(&in, "table=0, priority=0 actions=resubmit(,58)")
	w(&in, "table=23, priority=0 actions=drop")
	w(&in, "table=24, priority=0 actions=drop")
	w(&in, "table=58, priority=0 actions=resubmit(,59)")
	w(&in, "table=59, priority=0 actions=resubmit(,60)")
	w(&in, "table=60, priority=3 actions=NORMAL")
	w(&in, "table=71, priority=110,ct_state=+trk actions=ct_clear,resubmit(,71)")
	w(&in, "table=72, priority=50,ct_state=+inv+trk actions=resubmit(,93)")
	w(&in, "table=82, priority=50,ct_state=+inv+trk actions=resubmit(,93)")
	w(&in, "table=91, priority=1 actions=resubmit(,94)")
	w(&in, "table=92, priority=0 actions=drop")
	w(&in, "table=93, priority=0 actions=drop")
	w(&in, "table=94, priority=1 actions=NORMAL")
	for i := 0; i < vms; i++ {
		port, lv, mac, ip := 10+i, 1+i%nets, vmMAC(i), vmIP(i)
		intPorts = append(intPorts, Port{OFPort: port, Name: fmt.Sprintf("tap%08x-%02x", i, i%256), Tag: lv})
		w(&in, "table=0, priority=10,arp,in_port=%d actions=resubmit(,24)", port)
		w(&in, "table=0, priority=10,icmp6,in_port=%d,icmp_type=136 actions=resubmit(,24)", port)
		w(&in, "table=0, priority=9,in_port=%d actions=resubmit(,25)", port)
		w(&in, "table=24, priority=2,arp,in_port=%d,arp_spa=%s actions=resubmit(,25)", port, ip)
		w(&in, "table=25, priority=2,in_port=%d,dl_src=%s actions=resubmit(,60)", port, mac)
		w(&in, "table=60, priority=100,in_port=%d actions=load:0x%x->NXM_NX_REG5[],load:0x%x->NXM_NX_REG6[],resubmit(,71)", port, port, lv)
		w(&in, "table=60, priority=90,dl_vlan=%d,dl_dst=%s actions=load:0x%x->NXM_NX_REG5[],load:0x%x->NXM_NX_REG6[],strip_vlan,resubmit(,81)", lv, mac, port, lv)
		w(&in, "table=71, priority=95,arp,reg5=0x%x,in_port=%d,dl_src=%s,arp_spa=%s actions=resubmit(,94)", port, port, mac, ip)
		w(&in, "table=71, priority=80,udp,reg5=0x%x,in_port=%d,dl_src=%s,nw_src=0.0.0.0,tp_src=68,tp_dst=67 actions=resubmit(,73)", port, port, mac)
		w(&in, "table=71, priority=70,udp,reg5=0x%x,in_port=%d,tp_src=67,tp_dst=68 actions=resubmit(,93)", port, port)
		w(&in, "table=71, priority=65,ip,reg5=0x%x,in_port=%d,dl_src=%s,nw_src=%s actions=ct(table=72,zone=NXM_NX_REG6[0..15])", port, port, mac, ip)
		w(&in, "table=71, priority=10,reg5=0x%x,in_port=%d actions=ct_clear,resubmit(,93)", port, port)
		w(&in, "table=72, priority=74,ct_state=+new-est,ip,reg5=0x%x actions=resubmit(,73)", port)
		w(&in, "table=72, priority=50,ct_state=+est-rel+rpl,ct_zone=%d,ct_mark=0,reg5=0x%x actions=resubmit(,94)", lv, port)
		w(&in, "table=72, priority=40,ct_state=-est,reg5=0x%x actions=resubmit(,93)", port)
		w(&in, "table=72, priority=40,ct_state=+est,ip,reg5=0x%x actions=ct(commit,zone=NXM_NX_REG6[0..15],exec(load:0x1->NXM_NX_CT_MARK[]))", port)
		w(&in, "table=73, priority=100,reg6=0x%x,dl_dst=%s actions=load:0x%x->NXM_NX_REG5[],resubmit(,81)", lv, mac, port)
		w(&in, "table=73, priority=90,ct_state=+new-est,ip,reg5=0x%x actions=ct(commit,zone=NXM_NX_REG6[0..15]),resubmit(,91)", port)
		w(&in, "table=73, priority=80,reg5=0x%x actions=resubmit(,94)", port)
		w(&in, "table=81, priority=100,arp,reg5=0x%x actions=output:%d", port, port)
		w(&in, "table=81, priority=95,udp,reg5=0x%x,tp_src=67,tp_dst=68 actions=output:%d", port, port)
		w(&in, "table=81, priority=90,ct_state=-trk,ip,reg5=0x%x actions=ct(table=82,zone=NXM_NX_REG6[0..15])", port)
		w(&in, "table=81, priority=80,ct_state=+trk,reg5=0x%x actions=resubmit(,82)", port)
		w(&in, "table=82, priority=71,conj_id=%d,ct_state=+new-est,ip,reg5=0x%x actions=ct(commit,zone=NXM_NX_REG6[0..15]),output:%d,resubmit(,92)", 100+i, port, port)
		w(&in, "table=82, priority=71,ct_state=+new-est,ip,reg6=0x%x,nw_src=%s actions=conjunction(%d,1/2)", lv, vmIP((i+1)%vms), 100+i)
		w(&in, "table=82, priority=71,ct_state=+new-est,ip,reg5=0x%x actions=conjunction(%d,2/2)", port, 100+i)
		w(&in, "table=82, priority=70,ct_state=+new-est,tcp,reg5=0x%x,tp_dst=22 actions=ct(commit,zone=NXM_NX_REG6[0..15]),output:%d,resubmit(,92)", port, port)
		w(&in, "table=82, priority=50,ct_state=+est-rel+rpl,ct_zone=%d,ct_mark=0,reg5=0x%x actions=output:%d", lv, port, port)
		w(&in, "table=82, priority=40,ct_state=-est,reg5=0x%x actions=resubmit(,93)", port)
	}

	w(&tun, "table=0, priority=1,in_port=1 actions=resubmit(,2)")
	w(&tun, "table=0, priority=0 actions=drop")
	w(&tun, "table=2, priority=1,arp,dl_dst=ff:ff:ff:ff:ff:ff actions=resubmit(,21)")
	w(&tun, "table=2, priority=0,dl_dst=00:00:00:00:00:00/01:00:00:00:00:00 actions=resubmit(,20)")
	w(&tun, "table=2, priority=0,dl_dst=01:00:00:00:00:00/01:00:00:00:00:00 actions=resubmit(,22)")
	w(&tun, "table=3, priority=0 actions=drop")
	w(&tun, "table=4, priority=0 actions=drop")
	w(&tun, "table=10, priority=1 actions=learn(table=20,hard_timeout=300,priority=1,cookie=0x9b32c8053d494869,NXM_OF_VLAN_TCI[0..11],NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],load:0->NXM_OF_VLAN_TCI[],load:NXM_NX_TUN_ID[]->NXM_NX_TUN_ID[],output:OXM_OF_IN_PORT[]),output:1")
	w(&tun, "table=20, priority=0 actions=resubmit(,22)")
	w(&tun, "table=21, priority=0 actions=resubmit(,22)")
	w(&tun, "table=22, priority=0 actions=drop")
	for i := 0; i < tunnels; i++ {
		w(&tun, "table=0, priority=1,in_port=%d actions=resubmit(,4)", 2+i)
	}
	for n := 0; n < nets; n++ {
		lv, vni := 1+n, 1000+n
		w(&tun, "table=4, priority=1,tun_id=0x%x actions=mod_vlan_vid:%d,resubmit(,10)", vni, lv)
		var outs []string
		for i := 0; i < tunnels; i++ {
			outs = append(outs, fmt.Sprintf("output:%d", 2+i))
		}
		w(&tun, "table=22, priority=1,dl_vlan=%d actions=strip_vlan,load:0x%x->NXM_NX_TUN_ID[],%s", lv, vni, strings.Join(outs, ","))
		for r := 0; r < tunnels; r++ {
			m := remMAC(n*tunnels + r)
			w(&tun, "table=20, priority=2,dl_vlan=%d,dl_dst=%s actions=strip_vlan,load:0x%x->NXM_NX_TUN_ID[],output:%d", lv, m, vni, 2+r)
			w(&tun, "table=21, priority=1,arp,dl_vlan=%d,arp_tpa=10.%d.%d.%d actions=load:0x2->NXM_OF_ARP_OP[],move:NXM_NX_ARP_SHA[]->NXM_NX_ARP_THA[],move:NXM_OF_ARP_SPA[]->NXM_OF_ARP_TPA[],load:0x%s->NXM_NX_ARP_SHA[],load:0xc0a80a03->NXM_OF_ARP_SPA[],move:NXM_OF_ETH_SRC[]->NXM_OF_ETH_DST[],mod_dl_src:%s,IN_PORT",
				lv, 100+n%100, r/250, 1+r%250, strings.ReplaceAll(m, ":", ""), m)
		}
	}
	return &Switch{Node: "cmp1", Bridges: []*Bridge{
		{Name: "br-int", Ports: intPorts, Flows: flowsFromText(t, "ovs-ofctl_dump-flows_br-int", in.String())},
		{Name: "br-tun", Ports: tunPorts, Flows: flowsFromText(t, "ovs-ofctl_dump-flows_br-tun", tun.String())},
	}}
}

// neutronProbes are typical questions: VM to VM on the same host, VM to a
// remote MAC through the tunnel, ARP, DHCP, and traffic from a tunnel.
func neutronProbes(vms, nets, tunnels int) []string {
	vmMAC := func(i int) string { return fmt.Sprintf("fa:16:3e:%02x:%02x:%02x", i>>16&0xff, i>>8&0xff, i&0xff) }
	vmIP := func(i int) string { return fmt.Sprintf("192.%d.%d.%d", 168+i%nets/256, i%nets%256, 10+i/nets%200) }
	var out []string
	for i := 0; i < vms; i += 1 + vms/50 {
		j := (i + nets) % vms
		out = append(out,
			fmt.Sprintf("tcp,in_port=%d,dl_src=%s,dl_dst=%s,nw_src=%s,nw_dst=%s,nw_ttl=64,tp_src=40000,tp_dst=22", 10+i, vmMAC(i), vmMAC(j), vmIP(i), vmIP(j)),
			fmt.Sprintf("arp,in_port=%d,dl_src=%s,dl_dst=ff:ff:ff:ff:ff:ff,arp_op=1,arp_spa=%s,arp_tpa=%s", 10+i, vmMAC(i), vmIP(i), vmIP(j)),
			fmt.Sprintf("udp,in_port=%d,dl_src=%s,dl_dst=ff:ff:ff:ff:ff:ff,nw_src=0.0.0.0,nw_dst=255.255.255.255,nw_ttl=64,udp_src=68,udp_dst=67", 10+i, vmMAC(i)),
			fmt.Sprintf("icmp,in_port=%d,dl_src=%s,dl_dst=fa:16:3e:f0:00:%02x,nw_src=%s,nw_dst=10.9.9.9,nw_ttl=64,icmp_type=8", 10+i, vmMAC(i), i%tunnels, vmIP(i)),
		)
	}
	return out
}

func TestNeutronShapedNode(t *testing.T) {
	sw := neutronNode(t, 8, 2, 3)
	if p := sw.Problems(); len(p) > 0 {
		t.Fatalf("problems: %v", p)
	}
	// VM 0 (lvid 1) to VM 2 (lvid 1, same host) over TCP 22: egress
	// firewall, conntrack new, ingress firewall accepts via the port-22 rule.
	r := mustTrace(t, sw, "br-int", "tcp,in_port=10,dl_src=fa:16:3e:00:00:00,dl_dst=fa:16:3e:00:00:02,nw_src=192.168.0.10,nw_dst=192.168.0.11,nw_ttl=64,tp_src=40000,tp_dst=22", TraceOptions{})
	if got, want := outs(r), "tap00000002-02"; got != want {
		var b strings.Builder
		r.WriteText(&b)
		t.Fatalf("outputs = %q, want %q\n%s", got, want, b.String())
	}
	// From a tunnel with VNI 1000: br-tun maps to lvid 1 and learns, br-int
	// delivers through NORMAL to the access ports of VLAN 1.
	r = mustTrace(t, sw, "br-tun", "arp,in_port=2,tun_id=0x3e8,tun_src=10.0.1.1,tun_dst=10.0.0.254,dl_src=fa:16:3e:f0:00:00,dl_dst=ff:ff:ff:ff:ff:ff,arp_op=1", TraceOptions{})
	if got := outs(r); !strings.Contains(got, "tap00000000-00") || strings.Contains(got, "tap00000001-01") {
		t.Fatalf("outputs = %q, want the VLAN 1 taps only", got)
	}
	// To a remote MAC known by l2pop: tunnel output with the VNI.
	r = mustTrace(t, sw, "br-int", "icmp,in_port=10,dl_src=fa:16:3e:00:00:00,dl_dst=fa:16:3e:f0:00:01,nw_src=192.168.0.10,nw_dst=10.9.9.9,nw_ttl=64,icmp_type=8", TraceOptions{CTNext: []uint32{ctTrk | ctNew}})
	found := false
	for _, o := range r.Outputs {
		if o.Tunnel != nil && o.Tunnel.RemoteIP == "10.0.1.2" && o.Tunnel.TunID == 1000 && o.Tunnel.DstPort == 4789 {
			found = true
		}
	}
	if !found {
		var b strings.Builder
		r.WriteText(&b)
		t.Fatalf("no tunnel output to 10.0.1.2 with VNI 1000:\n%s", b.String())
	}
}

func BenchmarkTrace(b *testing.B) {
	sw := neutronNode(b, 40, 4, 8)
	probes := neutronProbes(40, 4, 8)
	sw.compile()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Trace(sw, "br-int", probes[i%len(probes)], TraceOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkTrace100k traces through a Neutron-shaped br-int+br-tun of
// over 100,000 flows (3,500 VMs).
func BenchmarkTrace100k(b *testing.B) {
	sw := neutronNode(b, 3500, 64, 4)
	n := 0
	for _, br := range sw.Bridges {
		n += len(br.Flows)
	}
	if n < 100000 {
		b.Fatalf("only %d flows", n)
	}
	probes := neutronProbes(3500, 64, 4)
	sw.compile()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Trace(sw, "br-int", probes[i%len(probes)], TraceOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLookup100k is one classifier lookup in a single table of
// 100,000 flows with the shapes Neutron writes (in_port+dl_src,
// nw_dst/32, nw_src/24 prefixes, tcp port+register, conjunctions,
// catch-alls), with packets that hit each kind and some that miss to the
// catch-all.
func BenchmarkLookup100k(b *testing.B) {
	var text strings.Builder
	n := 0
	add := func(format string, args ...any) {
		fmt.Fprintf(&text, format+"\n", args...)
		n++
	}
	for i := 0; i < 50000; i++ {
		add("table=0,priority=100,in_port=%d,dl_src=fa:16:3e:%02x:%02x:%02x actions=resubmit(,1)", 1+i%1000, i>>16&0xff, i>>8&0xff, i&0xff)
	}
	for i := 0; i < 30000; i++ {
		add("table=0,priority=90,ip,nw_dst=10.%d.%d.%d actions=output:2", i>>16&0xff, i>>8&0xff, i&0xff)
	}
	for i := 0; i < 10000; i++ {
		add("table=0,priority=80,ip,nw_src=172.%d.%d.0/24 actions=output:3", 16+i>>8&0xff, i&0xff)
	}
	for i := 0; i < 9900; i++ {
		add("table=0,priority=70,tcp,reg6=0x%x,tp_dst=%d actions=output:4", i%100, 1+i/100)
	}
	for i := 0; i < 96; i++ {
		add("table=0,priority=60,ip,reg5=0x%x,nw_src=192.168.%d.0/24 actions=conjunction(%d,1/2)", i, i, 1000+i)
		add("table=0,priority=60,tcp,tp_dst=%d actions=conjunction(%d,2/2)", 8000+i, 1000+i)
		add("table=0,priority=60,conj_id=%d,ip actions=output:5", 1000+i)
	}
	add("table=0,priority=1,ip actions=drop")
	add("table=0,priority=0 actions=drop")
	sw := &Switch{Node: "big", Bridges: []*Bridge{{Name: "br0", Ports: []Port{{OFPort: 1, Name: "p1"}, {OFPort: 2, Name: "p2"}}, Flows: flowsFromText(b, "big.txt", text.String())}}}
	cb := sw.bridge("br0")
	if cb.tables[0].n < 100000 {
		b.Fatalf("table 0 has %d flows", cb.tables[0].n)
	}
	var pkts []Packet
	for j := 0; j < 50; j++ {
		k := 37 * j
		for _, f := range []string{
			fmt.Sprintf("in_port=%d,dl_src=fa:16:3e:00:%02x:%02x", 1+k%1000, k>>8&0xff, k&0xff),
			fmt.Sprintf("ip,in_port=1,nw_dst=10.0.%d.%d", k>>8&0xff, k&0xff),
			fmt.Sprintf("ip,in_port=1,nw_src=172.16.%d.%d", j, j),
			fmt.Sprintf("tcp,in_port=1,reg6=0x%x,tp_dst=%d", j, 1+j),
			fmt.Sprintf("tcp,in_port=1,reg5=0x%x,nw_src=192.168.%d.9,tp_dst=%d", j, j, 8000+j),
			fmt.Sprintf("udp,in_port=1,nw_src=8.8.%d.%d", j, j),
		} {
			var p Packet
			if err := parseMicroflow(f, cb, &p); err != nil {
				b.Fatal(err)
			}
			pkts = append(pkts, p)
		}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if cb.tables[0].lookup(&pkts[i%len(pkts)]) == nil {
			b.Fatal("no flow matched")
		}
	}
}
