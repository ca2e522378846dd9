package libvirt

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"netxray/internal/testenv"
	"netxray/parse"
)

type corpusCase struct {
	file        string // under shared/
	first, last int    // line range of a seed block; 0 for the whole file
	kind        parse.Kind
	records     int
	problems    parse.Issues // genuinely odd lines only, positions relative to the block
}

// corpus lists every libvirt output of shared/real (see its SOURCES.md)
// and the blocks of the seeds that quote one.
var corpus = []corpusCase{
	{file: "real/9506hqwy-openstack-study-notes/virsh_dumpxml_interface_linuxbridge.txt", kind: KindDomainXML, records: 1},
	{file: "real/9506hqwy-openstack-study-notes/virsh_dumpxml_interface_ovs.txt", kind: KindDomainXML, records: 1},
	// A Korean write-up: `virsh domiflist` on two compute nodes (hybrid plug).
	{file: "seeds/000_a9f12e0c83de08d8.txt", first: 92, last: 94, kind: KindDomIfList, records: 1},
	{file: "seeds/000_a9f12e0c83de08d8.txt", first: 248, last: 250, kind: KindDomIfList, records: 1},
	// `virsh list` pasted with its column padding collapsed.
	{file: "seeds/001_a2c8ad67aaf93afb.txt", first: 63, last: 69, kind: KindList, records: 5},
	// `virsh dumpxml DOM | grep -i "<interface" -A 7`: grep cut the
	// element before its </interface>.
	{file: "seeds/001_a2c8ad67aaf93afb.txt", first: 107, last: 114, kind: KindDomainXML, records: 1,
		problems: parse.Issues{{Pos: parse.Pos{Line: 8}, Severity: parse.SevWarning,
			Msg: "input ends inside <interface> opened at line 1 (output cut short?); what was read is kept"}}},
}

func TestCorpus(t *testing.T) {
	shared := testenv.Shared(t)
	for _, c := range corpus {
		name := c.file
		if c.first > 0 {
			name += fmt.Sprintf(":%d-%d", c.first, c.last)
		}
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(shared, c.file))
			if err != nil {
				t.Fatal(err)
			}
			if c.first > 0 {
				lines := strings.Split(string(data), "\n")
				data = []byte(strings.Join(lines[c.first-1:c.last], "\n") + "\n")
			}
			res, err := formatOf(t, c.kind).Parse(bytes.NewReader(data), "")
			if err != nil {
				t.Fatal(err)
			}
			if res.Records() != c.records {
				t.Errorf("%d records, want %d", res.Records(), c.records)
			}
			if diff := cmp.Diff(c.problems, res.Problems(), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
		})
	}
}

func formatOf(t testing.TB, k parse.Kind) parse.Format {
	t.Helper()
	for _, f := range Formats {
		if f.Kind == k {
			return f
		}
	}
	t.Fatalf("no format %s", k)
	return parse.Format{}
}
