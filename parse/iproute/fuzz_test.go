package iproute

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"netxray/parse"
)

// fuzzSeeds adds the local and shared corpus files of kind k, and extra
// inline inputs, to the fuzzer.
func fuzzSeeds(f *testing.F, k parse.Kind, extra ...string) {
	for _, c := range localCases {
		if c.kind == k {
			if b, err := os.ReadFile(filepath.Join("testdata", c.file)); err == nil {
				f.Add(string(b))
			}
		}
	}
	for _, c := range realCases {
		if c.kind != k {
			continue
		}
		// The shared corpus is optional here: fuzzing runs without it.
		for _, dir := range []string{"../../../shared", "../../../../shared"} {
			if b, err := os.ReadFile(filepath.Join(dir, c.file)); err == nil {
				f.Add(string(b))
				break
			}
		}
	}
	for _, s := range extra {
		f.Add(s)
	}
}

// fuzzCheck runs a parser on input and checks the properties: no panic (a
// recovered one is an error naming an internal failure), and, for text,
// every non-blank line is in a record or named by an issue.
func fuzzCheck(t *testing.T, k parse.Kind, input string) {
	res, err := parserOf(t, k).Parse(strings.NewReader(input), "f")
	if err != nil {
		if errors.Is(err, parse.ErrFormat) {
			return
		}
		t.Fatalf("unexpected error: %v", err)
	}
	if sniffJSON([]byte(input)) {
		if strings.TrimSpace(input) != "[]" && res.Records() == 0 && len(res.Problems()) == 0 {
			t.Fatalf("JSON input gave neither records nor issues")
		}
		return
	}
	if miss := uncovered(input, spans(res), res.Problems()); len(miss) > 0 {
		t.Fatalf("lines neither parsed nor reported: %v", miss)
	}
}

func FuzzParseAddr(f *testing.F) {
	fuzzSeeds(f, KindAddr,
		"1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever\n",
		"12: gre1@NONE: <POINTOPOINT,NOARP,UP,LOWER_UP> mtu 1476\n    link/gre 10.0.0.1 peer 10.0.0.2\n    gre remote any key 7\n    RX: bytes packets\n    1 2\n",
		`[{"ifindex":1,"linkinfo":{"info_kind":"vxlan","info_data":{"id":5}},"addr_info":[{"local":"::1","prefixlen":128}]}]`)
	f.Fuzz(func(t *testing.T, s string) { fuzzCheck(t, KindAddr, s) })
}

func FuzzParseRoute(f *testing.F) {
	fuzzSeeds(f, KindRoute,
		"default via 10.0.0.1 dev eth0\n\tnexthop via 10.0.0.2 dev eth1 weight 1\n    cache <local>\n",
		`[{"dst":"default","nexthops":[{"gateway":"10.0.0.1"}],"metrics":[{"mtu":1}]}]`)
	f.Fuzz(func(t *testing.T, s string) { fuzzCheck(t, KindRoute, s) })
}

func FuzzParseRule(f *testing.F) {
	fuzzSeeds(f, KindRule, "0:\tfrom all lookup local\n1:\tnot from 10.0.0.0/8 fwmark 0x1/0xff goto 5\n")
	f.Fuzz(func(t *testing.T, s string) { fuzzCheck(t, KindRule, s) })
}

func FuzzParseNeigh(f *testing.F) {
	fuzzSeeds(f, KindNeigh, "10.0.0.1 dev eth0 lladdr 00:11:22:33:44:55 ref 1 used 1/2/3probes 4 STALE\n")
	f.Fuzz(func(t *testing.T, s string) { fuzzCheck(t, KindNeigh, s) })
}

func FuzzParseNetns(f *testing.F) {
	fuzzSeeds(f, KindNetns, "qrouter-1 (id: 3)\nqdhcp-2\n")
	f.Fuzz(func(t *testing.T, s string) { fuzzCheck(t, KindNetns, s) })
}

// BenchmarkParseAddr measures a large `ip -s -d link` (the local sample
// repeated 200 times).
func BenchmarkParseAddr(b *testing.B) {
	one, err := os.ReadFile("testdata/ip_-s_-s_-d_link.txt")
	if err != nil {
		b.Fatal(err)
	}
	data := bytes.Repeat(one, 200)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := ParseAddr(bytes.NewReader(data), "b"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseRoute measures a large `ip route show table all`.
func BenchmarkParseRoute(b *testing.B) {
	one, err := os.ReadFile("testdata/ip_route_show_table_all.txt")
	if err != nil {
		b.Fatal(err)
	}
	data := bytes.Repeat(one, 200)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := ParseRoute(bytes.NewReader(data), "b"); err != nil {
			b.Fatal(err)
		}
	}
}
