package ovs

import (
	"bytes"
	"errors"
	"os"
	"testing"

	"netxray/parse"
)

// stFuzz runs the parser of kind on arbitrary input, seeded from the
// testdata files of that kind and from extra snippets. Properties: it
// never fails but for a wholly foreign input, never panics (a recovered
// panic is an error), and every non-blank line is either taken as data or
// named in an issue.
func stFuzz(f *testing.F, kind parse.Kind, extra ...string) {
	for _, c := range stCorpus {
		if c.kind == kind && len(c.file) > 9 && c.file[:9] == "testdata/" {
			data, err := os.ReadFile(c.file)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(data)
		}
	}
	for _, s := range extra {
		f.Add([]byte(s))
	}
	format := stFormat(f, kind)
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := format.Parse(bytes.NewReader(data), "fuzz")
		if err != nil {
			if !errors.Is(err, parse.ErrFormat) {
				t.Fatalf("unexpected error: %v", err)
			}
			return
		}
		if res.Records() < 0 {
			t.Fatal("negative record count")
		}
		if kind != "ovsdb-file" {
			stCheckCoverage(t, string(data), res.Problems(), stUnderstood(res))
		}
	})
}

func FuzzParseShow(f *testing.F) {
	stFuzz(f, "ovs-vsctl-show", "x\n    Bridge \"a\\\"\"\n        Port p\n            tag: [1\n            Interface i\n                options: {a=b}\n")
}

func FuzzParseList(f *testing.F) {
	stFuzz(f, "ovs-vsctl-list", "_uuid : 3f1c0a4e-2b7d-4c55-9f10-6a1e2d3c4b5a\nexternal_ids : {a=\"b\\\"\", c=[1]}\n\nPort table\n")
}

func FuzzParseDump(f *testing.F) { stFuzz(f, "ovsdb-client-dump") }

func FuzzParseDB(f *testing.F) {
	stFuzz(f, "ovsdb-file", stRecord("JSON", stTinySchema)+stRecord("JSON", `{"_is_diff":true,"R":{"11111111-1111-1111-1111-111111111111":{"s":["set",[1]],"m":["map",[["a","b"]]]}}}`))
}

func FuzzParseOFShow(f *testing.F) {
	stFuzz(f, "ovs-ofctl-show", "OFPT_FEATURES_REPLY (xid=0x2): dpid:0000e2ba656ebe59\n 1(a): addr:aa:bb:cc:dd:ee:ff\n     speed: 1 Mbps now, 2 Mbps max\n")
}

func FuzzParsePortsDesc(f *testing.F) { stFuzz(f, "ovs-ofctl-dump-ports-desc") }

func FuzzParsePortStats(f *testing.F) {
	stFuzz(f, "ovs-ofctl-dump-ports", "OFPST_PORT reply (xid=0x2): 1 ports\n  port  1: rx pkts=1, bytes=?\n           CUSTOM Statistics\n                a=1,\n")
}

func FuzzParseFDBShow(f *testing.F) {
	stFuzz(f, "ovs-appctl-fdb-show", " Bridge Port  VLAN  MAC                Age\n br0  1  2  aa:bb:cc:dd:ee:ff  static\n br1\n")
}

func FuzzParseCTDump(f *testing.F) {
	stFuzz(f, "ovs-dpctl-dump-conntrack", "tcp,orig=(src=1,dst=2,sport=3,dport=4),reply=(src=2,dst=1),zone=1,parent=(src=a),protoinfo=(state=X)\n")
}

func FuzzParseDPFlows(f *testing.F) {
	stFuzz(f, "ovs-dpctl-dump-flows", "ufid:x, in_port(1), packets:1, bytes:2, used:never, actions:ct(a,b),2, dp-extra-info:x\n")
}

func FuzzParseTunnels(f *testing.F) {
	stFuzz(f, "ovs-appctl-list-tunnels", "port 1: a (gre: a->b, key=1, flag)\n")
}

func FuzzParseDPShow(f *testing.F) {
	stFuzz(f, "ovs-dpctl-show", "system@ovs-system:\n  caches:\n    x: size:1\n  port 1: a\n, could not retrieve stats (x)  port 2: b (c: d)\n")
}
