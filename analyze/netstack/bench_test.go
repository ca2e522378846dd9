package netstack

import (
	"fmt"
	"math/rand/v2"
	"net/netip"
	"testing"

	"netxray/parse"
	"netxray/parse/iproute"
)

// bigNS is a namespace with n routes in main (host, /24 and /16 routes
// behind 16 gateways), 64 DVR-style tables with their rules, and the
// kernel's local/main/default rules.
func bigNS(n int) *Namespace {
	ns := &Namespace{Name: "qrouter-bench", Kind: "qrouter",
		Have: Have{Interfaces: true, Routes: true, Rules4: true, Neighbors: true}}
	pos := func(f string, i int) parse.Pos { return parse.Pos{File: f, Line: i + 1} }
	for i := 0; i < 4; i++ {
		ns.Interfaces = append(ns.Interfaces, &iproute.Interface{Index: i + 2, Name: fmt.Sprintf("qr-%d", i),
			Flags: []string{"BROADCAST", "MULTICAST", "UP", "LOWER_UP"},
			Addrs: []iproute.Addr{{Family: "inet", Prefix: netip.MustParsePrefix(fmt.Sprintf("192.168.%d.1/24", i)), Scope: "global"}}})
		ns.Routes = append(ns.Routes, iproute.Route{Pos: pos("route", len(ns.Routes)), Type: "unicast",
			Prefix: netip.MustParsePrefix(fmt.Sprintf("192.168.%d.0/24", i)), Dst: "x", Dev: fmt.Sprintf("qr-%d", i), Scope: "link"})
	}
	r := rand.New(rand.NewPCG(1, 2))
	for len(ns.Routes) < n {
		bits := []int{16, 24, 24, 32}[r.IntN(4)]
		a := netip.AddrFrom4([4]byte{10, byte(r.IntN(256)), byte(r.IntN(256)), byte(r.IntN(256))})
		p, _ := a.Prefix(bits)
		gw := netip.AddrFrom4([4]byte{192, 168, byte(r.IntN(4)), byte(2 + r.IntN(16))})
		ns.Routes = append(ns.Routes, iproute.Route{Pos: pos("route", len(ns.Routes)), Type: "unicast", Prefix: p, Dst: p.String(),
			Gateway: gw, Dev: fmt.Sprintf("qr-%d", gw.As4()[2]), Metric: uint32(r.IntN(3))})
	}
	ns.Rules4 = []iproute.Rule{
		{Pos: pos("rule", 0), FromAll: true, Table: "local", SuppressPrefixLen: -1, FwMask: ^uint32(0)},
		{Pos: pos("rule", 1), Priority: 32766, FromAll: true, Table: "main", SuppressPrefixLen: -1, FwMask: ^uint32(0)},
		{Pos: pos("rule", 2), Priority: 32767, FromAll: true, Table: "default", SuppressPrefixLen: -1, FwMask: ^uint32(0)},
	}
	for i := 0; i < 64; i++ {
		tbl := fmt.Sprint(100 + i)
		ns.Rules4 = append(ns.Rules4, iproute.Rule{Pos: pos("rule", len(ns.Rules4)), Priority: uint32(40000 + i),
			From: netip.MustParsePrefix(fmt.Sprintf("172.16.%d.1/24", i)), Table: tbl, SuppressPrefixLen: -1, FwMask: ^uint32(0)})
		ns.Routes = append(ns.Routes, iproute.Route{Pos: pos("route", len(ns.Routes)), Type: "unicast", Table: tbl, Default: true,
			Prefix: netip.MustParsePrefix("0.0.0.0/0"), Dst: "default", Gateway: netip.MustParseAddr("192.168.0.9"), Dev: "qr-0"})
	}
	return ns
}

// BenchmarkRoute10k routes forwarded packets through a namespace with 10k
// routes: most hit main, one in four a DVR-style source table after the
// first three rules miss.
func BenchmarkRoute10k(b *testing.B) {
	ns := bigNS(10000)
	r := rand.New(rand.NewPCG(3, 4))
	pkts := make([]Packet, 1024)
	for i := range pkts {
		src := netip.AddrFrom4([4]byte{192, 168, 1, byte(2 + r.IntN(200))})
		if i%4 == 0 {
			src = netip.AddrFrom4([4]byte{172, 16, byte(r.IntN(64)), byte(2 + r.IntN(200))})
		}
		pkts[i] = Packet{Src: src, Dst: netip.AddrFrom4([4]byte{10, byte(r.IntN(256)), byte(r.IntN(256)), byte(r.IntN(256))}), IIF: "qr-1"}
	}
	if _, err := ns.Route(pkts[0]); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := ns.Route(pkts[i%len(pkts)]); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkIndex10k measures building the lookup index of 10k routes
// (done once per namespace).
func BenchmarkIndex10k(b *testing.B) {
	base := bigNS(10000)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		ns := &Namespace{Routes: base.Routes, Interfaces: base.Interfaces}
		ns.index()
	}
}

// FuzzRoute routes arbitrary packets through the test namespaces: never a
// panic, every forward names a device and a next hop, and every decision
// that names a route also names the rule that chose it.
func FuzzRoute(f *testing.F) {
	f.Add([]byte{10, 0, 0, 50}, []byte{8, 8, 8, 8}, uint8(1), uint32(0), uint8(0))
	f.Add([]byte{192, 168, 1, 50}, []byte{172, 16, 5, 200}, uint8(2), uint32(1), uint8(0x10))
	f.Add([]byte{}, []byte{192, 0, 2, 200}, uint8(0), uint32(0x1f), uint8(0))
	f.Add([]byte{32, 1, 13, 184, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, []byte{32, 1, 13, 184, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2}, uint8(1), uint32(0), uint8(0))
	rules := defaultRules + "90:\tfrom all to 10.20.0.0/16 lookup 100\n100:\tfrom all fwmark 0x1 goto 300\n" +
		"280:\tfrom all iif eth0 lookup main suppress_prefixlength 0\n300:\tfrom all fwmark 0x1 lookup 300\n"
	nss := []*Namespace{kernelNS(f, rules), qrouterNS(f), fipNS(f)}
	devs := []string{"", "eth1", "eth0", "eth4", "qr-e7ff5f15-09", "rfp-907f4d76-d", "fg-bc530db0-d2", "fpr-907f4d76-d"}
	f.Fuzz(func(t *testing.T, src, dst []byte, dev uint8, mark uint32, tos uint8) {
		s, _ := netip.AddrFromSlice(src)
		d, ok := netip.AddrFromSlice(dst)
		if !ok {
			return
		}
		for _, ns := range nss {
			p := Packet{Src: s, Dst: d, IIF: devs[int(dev)%len(devs)], Mark: mark, TOS: tos}
			dec, err := ns.Route(p)
			if err != nil {
				continue
			}
			if dec.Verdict == Forward && (dec.Dev == "" || !dec.NextHop.IsValid() || dec.Neighbor == nil) {
				t.Fatalf("%s: forward without device or next hop: %+v", ns.Name, dec)
			}
			if dec.Route != nil && dec.Rule == nil {
				t.Fatalf("%s: route %v without rule", ns.Name, dec.Route.Pos)
			}
			if _, err := ns.AnswersARP(p.IIF, d, s); err != nil && d.Is4() {
				t.Fatalf("%s: ARP for %s: %v", ns.Name, d, err)
			}
		}
	})
}
