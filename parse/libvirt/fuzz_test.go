package libvirt

import (
	"strings"
	"testing"

	"netxray/parse"
)

// fuzzLines checks the line-based parsers: no panic, and every non-blank
// line is in a record or named by an issue (headers and dash lines are
// the only lines skipped silently).
func fuzzLines(t *testing.T, k parse.Kind, in string) {
	res, err := formatOf(t, k).Parse(strings.NewReader(in), "f")
	if err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
	lines := map[int]bool{}
	switch r := res.(type) {
	case *DomainList:
		for _, d := range r.Domains {
			lines[d.Pos.Line] = true
		}
	case *DomIfList:
		for _, e := range r.Interfaces {
			lines[e.Pos.Line] = true
		}
	}
	for _, is := range res.Problems() {
		lines[is.Pos.Line] = true
	}
	sc := parse.NewScanner(strings.NewReader(in), "f", nil)
	for sc.Scan() {
		t0 := strings.TrimSpace(sc.Text())
		f := strings.Fields(t0)
		header := len(f) > 0 && (f[0] == "Interface" || (f[0] == "Id" && len(f) > 1 && f[1] == "Name"))
		if t0 != "" && !isDashes(t0) && !header && !lines[sc.Pos().Line] {
			t.Fatalf("line %d %q neither parsed nor reported", sc.Pos().Line, sc.Text())
		}
	}
}

func FuzzParseList(f *testing.F) {
	f.Add(" Id   Name                State\n------\n 1    instance-00000001   running\n -    b c   shut off\n")
	f.Add("error: failed to connect to the hypervisor\nId Name\n4 x weird\nx\n")
	f.Fuzz(func(t *testing.T, in string) { fuzzLines(t, KindList, in) })
}

func FuzzParseDomIfList(f *testing.F) {
	f.Add(" Interface  Type  Source  Model  MAC\n----\n tap1 bridge qbr1 virtio fa:16:3e:11:ba:24\n - hostdev - - fa:16:3e:5e:1f:2d\n")
	f.Add("a b c fa:16:3e:11:ba:24\na b c d e f:00\n# x\n")
	f.Fuzz(func(t *testing.T, in string) { fuzzLines(t, KindDomIfList, in) })
}

func FuzzParseDomainXML(f *testing.F) {
	f.Add(runningDomain)
	f.Add("<interface type='bridge'>\n<mac address='fa:16:3e:21:1b:4b'/>\n<source bridge='qbr'/>\n")
	f.Add("# banner\nerror: x\n<interface><vlan><tag id='1'/></vlan><virtualport><parameters interfaceid='p'/></virtualport><mtu size='z'/></interface><domain><name>a</name></domain>")
	f.Fuzz(func(t *testing.T, in string) {
		d, err := ParseDomainXML(strings.NewReader(in), "f")
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		n := strings.Count(in, "\n") + 1
		for _, i := range d.Interfaces {
			if i.Pos.Line < 1 || i.Pos.Line > n || i.Raw == "" {
				t.Fatalf("interface at %v with raw %q", i.Pos, i.Raw)
			}
		}
		if d.Domain != nil && (d.Domain.Pos.Line < 1 || d.Domain.Pos.Line > n) {
			t.Fatalf("domain at %v", d.Domain.Pos)
		}
	})
}
