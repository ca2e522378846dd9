//go:build unix

package ovs

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

// ofBenchFlows is the size of the benchmark dump.
const ofBenchFlows = 100_000

// ofBenchDump generates n flows of Neutron shapes as `ovs-ofctl dump-flows`
// prints them with OpenFlow 1.0 (counters, ages, a reply banner every 1000
// flows): br-int with the native OVS firewall (ct(), conjunction, reg5/reg6,
// names in output:), and br-tun with l2pop unicast, ARP responder, learned
// and flood flows and the learn() flow. Deterministic for a given n.
func ofBenchDump(n int) []byte {
	rng := rand.New(rand.NewPCG(1, 2))
	var b bytes.Buffer
	count := 0
	emit := func(table int, format string, args ...any) {
		if count == n {
			return
		}
		if count%1000 == 0 {
			if count+1000 < n {
				b.WriteString("NXST_FLOW reply (xid=0x4): flags=[more]\n")
			} else {
				b.WriteString("NXST_FLOW reply (xid=0x4):\n")
			}
		}
		dur := rng.IntN(200000)
		pk := rng.IntN(100000)
		fmt.Fprintf(&b, " cookie=0x9b32c8053d494869, duration=%d.%03ds, table=%d, n_packets=%d, n_bytes=%d, idle_age=%d, hard_age=65534, ",
			dur, rng.IntN(1000), table, pk, pk*98, rng.IntN(dur+1))
		fmt.Fprintf(&b, format, args...)
		b.WriteByte('\n')
		count++
	}
	for port := 0; count < n; port++ {
		ofp := 10 + port%60000
		mac := fmt.Sprintf("fa:16:3e:%02x:%02x:%02x", port>>16&0xff, port>>8&0xff, port&0xff)
		ip := fmt.Sprintf("10.%d.%d.%d", port>>16&0xff, port>>8&0xff, port&0xff|1)
		lvid := 1 + port%4000
		tap := fmt.Sprintf("tap%08x-%02x", port*2654435761&0xffffffff, port&0xff)
		conj := 10 + port
		// br-int, native OVS firewall.
		emit(0, "priority=10,icmp6,in_port=%d,icmp_type=136 actions=resubmit(,24)", ofp)
		emit(0, "priority=10,arp,in_port=%d actions=resubmit(,24)", ofp)
		emit(0, "priority=9,in_port=%d actions=resubmit(,25)", ofp)
		emit(24, "priority=2,icmp6,in_port=%d,icmp_type=136,nd_target=fe80::f816:3eff:fe%02x:%02x%02x actions=resubmit(,60)", ofp, port>>16&0xff, port>>8&0xff, port&0xff)
		emit(24, "priority=2,arp,in_port=%d,arp_spa=%s actions=resubmit(,25)", ofp, ip)
		emit(25, "priority=2,in_port=%d,dl_src=%s actions=resubmit(,60)", ofp, mac)
		emit(60, "priority=100,in_port=%d actions=load:%#x->NXM_NX_REG5[],load:%#x->NXM_NX_REG6[],resubmit(,71)", ofp, ofp, lvid)
		emit(60, "priority=90,dl_vlan=%d,dl_dst=%s actions=load:%#x->NXM_NX_REG5[],load:%#x->NXM_NX_REG6[],strip_vlan,resubmit(,81)", lvid, mac, ofp, lvid)
		emit(71, "priority=95,arp,reg5=%#x,in_port=%d,dl_src=%s,arp_spa=%s actions=resubmit(,94)", ofp, ofp, mac, ip)
		emit(71, "priority=80,udp,reg5=%#x,in_port=%d,dl_src=%s,nw_src=0.0.0.0,tp_src=68,tp_dst=67 actions=resubmit(,73)", ofp, ofp, mac)
		emit(71, "priority=65,ip,reg5=%#x,in_port=%d,dl_src=%s,nw_src=%s actions=ct(table=72,zone=NXM_NX_REG6[0..15])", ofp, ofp, mac, ip)
		emit(71, "priority=10,reg5=%#x,in_port=%d actions=ct_clear,resubmit(,93)", ofp, ofp)
		emit(72, "priority=74,ct_state=+new-est,ip,reg5=%#x actions=resubmit(,73)", ofp)
		emit(72, "priority=50,ct_state=+est-rel+rpl,ct_zone=%d,ct_mark=0,reg5=%#x actions=resubmit(,94)", lvid, ofp)
		emit(72, "priority=40,ct_state=+est,ip,reg5=%#x actions=ct(commit,zone=NXM_NX_REG6[0..15],exec(load:0x1->NXM_NX_CT_MARK[]))", ofp)
		emit(73, "priority=100,reg6=%#x,dl_dst=%s actions=load:%#x->NXM_NX_REG5[],resubmit(,81)", lvid, mac, ofp)
		emit(73, "priority=90,ct_state=+new-est,ip,reg5=%#x actions=ct(commit,zone=NXM_NX_REG6[0..15]),resubmit(,91)", ofp)
		emit(81, "priority=100,arp,reg5=%#x actions=output:%d", ofp, ofp)
		emit(81, "priority=90,ct_state=-trk,ip,reg5=%#x actions=ct(table=82,zone=NXM_NX_REG6[0..15])", ofp)
		emit(82, `priority=77,ct_state=+new-est,tcp,reg5=%#x,tp_dst=22 actions=ct(commit,zone=NXM_NX_REG6[0..15]),output:"%s",resubmit(,92)`, ofp, tap)
		emit(82, "priority=71,conj_id=%d,ct_state=+new-est,ip,reg5=%#x actions=ct(commit,zone=NXM_NX_REG6[0..15]),output:%d,resubmit(,92)", conj, ofp, ofp)
		emit(82, "priority=71,ct_state=+new-est,ip,reg6=%#x,nw_src=%s/24 actions=conjunction(%d,1/2)", lvid, ip, conj)
		emit(82, "priority=71,ct_state=+new-est,ip,reg5=%#x actions=conjunction(%d,2/2)", ofp, conj)
		emit(82, "priority=50,ct_state=+est-rel+rpl,ct_zone=%d,ct_mark=0,reg5=%#x actions=output:%d", lvid, ofp, ofp)
		// br-tun: l2pop, ARP responder, learned, flood, learn.
		vni := 1000 + lvid
		vx := 2 + port%8
		emit(20, "priority=2,dl_vlan=%d,dl_dst=%s actions=strip_vlan,load:%#x->NXM_NX_TUN_ID[],output:%d", lvid, mac, vni, vx)
		emit(21, "priority=1,arp,dl_vlan=%d,arp_tpa=%s actions=load:0x2->NXM_OF_ARP_OP[],move:NXM_NX_ARP_SHA[]->NXM_NX_ARP_THA[],move:NXM_OF_ARP_SPA[]->NXM_OF_ARP_TPA[],load:%#x->NXM_NX_ARP_SHA[],load:%#x->NXM_OF_ARP_SPA[],move:NXM_OF_ETH_SRC[]->NXM_OF_ETH_DST[],mod_dl_src:%s,IN_PORT",
			lvid, ip, 0xfa163e000000|port&0xffffff, 0x0a000001|port&0xffffff, mac)
		emit(20, "hard_timeout=300, priority=1,vlan_tci=%#06x/0x0fff,dl_dst=%s actions=load:0->NXM_OF_VLAN_TCI[],load:%#x->NXM_NX_TUN_ID[],output:%d", lvid, mac, vni, vx)
		emit(22, `priority=1,dl_vlan=%d actions=strip_vlan,load:%#x->NXM_NX_TUN_ID[],output:"vxlan-0a000002",output:"vxlan-0a000003",output:%d`, lvid, vni, vx)
		emit(4, "priority=1,tun_id=%#x actions=mod_vlan_vid:%d,resubmit(,10)", vni, lvid)
		emit(10, "priority=1 actions=learn(table=20,hard_timeout=300,priority=1,cookie=0x9b32c8053d494869,NXM_OF_VLAN_TCI[0..11],NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],load:0->NXM_OF_VLAN_TCI[],load:NXM_NX_TUN_ID[]->NXM_NX_TUN_ID[],output:OXM_OF_IN_PORT[]),output:1")
	}
	return b.Bytes()
}

// TestWriteBenchDump writes the benchmark dump to $NETXRAY_BENCH_DUMP, for
// bench/flows.sh to hand the very same input to Open vSwitch's Python
// parser. It also checks that the dump parses cleanly.
func TestWriteBenchDump(t *testing.T) {
	dump := ofBenchDump(ofBenchFlows)
	d, err := ParseFlows(bytes.NewReader(dump), "bench")
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Flows) != ofBenchFlows || len(d.Issues) != 0 {
		t.Fatalf("%d flows, issues:\n%s", len(d.Flows), strings.Join(ofIssueStrings(d.Issues[:min(len(d.Issues), 10)]), "\n"))
	}
	path := os.Getenv("NETXRAY_BENCH_DUMP")
	if path == "" {
		return
	}
	if err := os.WriteFile(path, dump, 0o644); err != nil {
		t.Fatal(err)
	}
}

// BenchmarkParseFlows parses a 100,000-flow Neutron dump per iteration and
// reports flows/s of wall time, cpu-flows/s (flows per second of CPU time
// the process used, GC included: the per-core rate, insensitive to other
// processes sharing the machine) and allocations per flow. Run it with
// -cpu 1. The dump is in memory, as Open vSwitch's Python parser gets it in
// bench/flows.sh, and comes as a bundle member read from an archive does:
// a strings.Reader (see BenchmarkParseFlowsFile for a file).
func BenchmarkParseFlows(b *testing.B) {
	dump := string(ofBenchDump(ofBenchFlows))
	b.SetBytes(int64(len(dump)))
	b.ReportAllocs()
	var ms0, ms1 runtime.MemStats
	runtime.ReadMemStats(&ms0)
	cpu0 := ofCPUTime()
	start := time.Now()
	n := 0
	for b.Loop() {
		d, err := ParseFlows(strings.NewReader(dump), "bench")
		if err != nil || len(d.Flows) != ofBenchFlows {
			b.Fatalf("%v, %d flows", err, len(d.Flows))
		}
		n++
	}
	elapsed := time.Since(start)
	cpu := ofCPUTime() - cpu0
	runtime.ReadMemStats(&ms1)
	flows := float64(n * ofBenchFlows)
	b.ReportMetric(flows/elapsed.Seconds(), "flows/s")
	b.ReportMetric(flows/cpu.Seconds(), "cpu-flows/s")
	b.ReportMetric(float64(ms1.Mallocs-ms0.Mallocs)/flows, "allocs/flow")
}

// BenchmarkParseFlowsFile is BenchmarkParseFlows reading the dump from a
// file (a bundle directory), which costs one more copy of it.
func BenchmarkParseFlowsFile(b *testing.B) {
	path := b.TempDir() + "/dump"
	if err := os.WriteFile(path, ofBenchDump(ofBenchFlows), 0o600); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		f, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		d, err := ParseFlows(f, path)
		f.Close()
		if err != nil || len(d.Flows) != ofBenchFlows {
			b.Fatalf("%v, %d flows", err, len(d.Flows))
		}
	}
	b.ReportMetric(float64(b.N*ofBenchFlows)/b.Elapsed().Seconds(), "flows/s")
}

// ofCPUTime returns the user+system CPU time the process has used.
func ofCPUTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
