package ovs

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"netxray/internal/testenv"
	"netxray/parse"
)

// Fuzz properties shared by the three parsers: no panic (parse.Recover
// would turn one into an error, which we reject), and every non-blank
// input line is part of a record or named in an issue. Lines that are pure
// structure (a trace's underlines and '=' rules) are exempt.

// ofFuzzCovered checks the line-coverage property for input text.
func ofFuzzCovered(t *testing.T, text string, covered map[int]bool, issues parse.Issues) {
	t.Helper()
	for _, i := range issues {
		covered[i.Pos.Line] = true
	}
	// Number lines as parse.Scanner does: split at \n.
	for n, line := range strings.Split(text, "\n") {
		line = strings.TrimRight(line, "\r")
		tl := strings.TrimSpace(line)
		if tl == "" || strings.Trim(tl, "-") == "" || strings.Trim(tl, "=") == "" {
			continue // blank or structural
		}
		if !covered[n+1] {
			t.Fatalf("line %d %q is neither parsed nor reported", n+1, line)
		}
	}
}

// ofFuzzErr accepts only the documented errors.
func ofFuzzErr(t *testing.T, err error) bool {
	t.Helper()
	if err == nil {
		return false
	}
	if !errors.Is(err, parse.ErrFormat) {
		t.Fatalf("unexpected error: %v", err)
	}
	return true
}

// ofFuzzSeeds adds the corpus files matching pattern, when the corpus is
// there.
func ofFuzzSeeds(f *testing.F, pattern string) {
	shared, ok, err := testenv.FindShared()
	if err != nil {
		f.Fatal(err)
	}
	if !ok {
		return
	}
	files, _ := filepath.Glob(filepath.Join(shared, "real", "*", pattern))
	for _, file := range files {
		if data, err := os.ReadFile(file); err == nil {
			f.Add(string(data))
		}
	}
}

func FuzzParseFlows(f *testing.F) {
	for _, s := range []string{
		ofRealDumpOVS31,
		" cookie=0x1, duration=1.0s, table=10, n_packets=0, n_bytes=0, priority=1 actions=learn(table=20,NXM_OF_VLAN_TCI[0..11],loa\n",
		" table=\"egress-acl\", reset_counts priority=5,in_port=\"a,b\" actions=resubmit(\"x\",\"egress-acl\"),output:\"t\\\"q\"\n",
		"NXST_FLOW reply (xid=0x4): flags=[more]\r\n priority=0 actions=\n# x\novs-ofctl: br-int is not a bridge or a socket\n",
		" priority=1,foo=3 actions=ct(commit,exec(clone(clone(frob)))),check_pkt_larger(1500)->NXM_NX_REG0[0]\n",
		"table=", "=", // found by fuzzing
	} {
		f.Add(s)
	}
	ofFuzzSeeds(f, "*dump-flows*")
	f.Fuzz(func(t *testing.T, text string) {
		d, err := ParseFlows(strings.NewReader(text), "fuzz")
		if ofFuzzErr(t, err) {
			return
		}
		covered := map[int]bool{}
		for _, fl := range d.Flows {
			covered[fl.Pos.Line] = true
			// Actions re-join to the printed list, minus delimiters.
			for _, a := range fl.Actions {
				if !strings.Contains(fl.Raw, a.Raw) {
					t.Fatalf("action %q not in line %q", a.Raw, fl.Raw)
				}
			}
		}
		for _, b := range d.Banners {
			covered[b.Pos.Line] = true
		}
		ofFuzzCovered(t, text, covered, d.Issues)
	})
}

func FuzzParseGroups(f *testing.F) {
	f.Add(ofRealGroups)
	f.Add(" group_id=1,type=select,selection_method=dp_hash,fields=ip_dst,bucket=watch_port:\"tap-x\",actions=drop,bucket=watch_group:4,actions=resubmit(,60)\n")
	f.Add("OFPST_GROUP_DESC reply (OF1.3) (xid=0x2):\n group_id=2,type=fancy,color=blue,bucket=speed:3,actions=output:1\nbucket=x\n")
	ofFuzzSeeds(f, "*dump-groups*")
	f.Fuzz(func(t *testing.T, text string) {
		d, err := ParseGroups(strings.NewReader(text), "fuzz")
		if ofFuzzErr(t, err) {
			return
		}
		covered := map[int]bool{}
		for _, g := range d.Groups {
			covered[g.Pos.Line] = true
		}
		for _, b := range d.Banners {
			covered[b.Pos.Line] = true
		}
		ofFuzzCovered(t, text, covered, d.Issues)
	})
}

func FuzzParseTrace(f *testing.F) {
	for _, s := range []string{ofTraceNested, ofTraceClone, ofTraceMidBridge, ofTraceCT,
		"Flow: in_port=1\nbridge(\"br0\")\n 0. No match.\n     >>>> x <<<<\n    bucket 3\n        thaw\nFinal flow: unchanged\nMegaflow: eth\nDatapath actions: drop\nTranslation failed\n",
		"Flow: in_port=", "Flow: 0\nbridge(\")", "Flow: =", // found by fuzzing
		"===============================================================================\nrecirc()",
		"\n===============================================================================\nrecirc(0x1) - x\nReplacing src/dst IP/ports to simulate NAT:\n Initial flow: nw_src=1.1.1.1\nbogus\n===============================================================================\n\nFlow: ip\n",
	} {
		f.Add(s)
	}
	ofFuzzSeeds(f, "*ofproto-trace*")
	f.Fuzz(func(t *testing.T, text string) {
		tr, err := ParseTrace(strings.NewReader(text), "fuzz")
		if ofFuzzErr(t, err) {
			return
		}
		covered := map[int]bool{}
		mark := func(lines []TraceLine) {
			for _, l := range lines {
				covered[l.Pos.Line] = true
			}
		}
		for _, s := range tr.Sections {
			for _, p := range []parse.Pos{s.Pos, s.RecircPos, s.FinalPos, s.MegaflowPos, s.DatapathPos} {
				covered[p.Line] = true
			}
			mark(s.NAT)
			mark(s.Other)
			mark(s.Notes)
			for _, st := range s.Steps {
				covered[st.Pos.Line] = true
				mark(st.Lines)
			}
		}
		ofFuzzCovered(t, text, covered, tr.Issues)
	})
}
