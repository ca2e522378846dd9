package ovs

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"netxray/internal/testenv"
	"netxray/parse"
)

// stFormat returns the format of kind from this package's list.
func stFormat(t testing.TB, kind parse.Kind) parse.Format {
	t.Helper()
	for _, f := range Formats {
		if f.Kind == kind {
			return f
		}
	}
	t.Fatalf("no format %s", kind)
	return parse.Format{}
}

// stParse runs the parser of kind on data and fails on an error.
func stParse(t testing.TB, kind parse.Kind, data []byte, file string) parse.Result {
	t.Helper()
	res, err := stFormat(t, kind).Parse(bytes.NewReader(data), file)
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	return res
}

type stCorpusCase struct {
	file    string // relative to shared/real, or testdata/NAME
	kind    parse.Kind
	records int
	issues  []string // "line:severity:message substring"
}

// stCorpus lists the real outputs (../shared/real) and the outputs
// generated for this package (testdata/, see its README) with the records
// and issues each must give. The issues are all expected: tool failures
// captured with the output and OVS's own stats quirk.
var stCorpus = []stCorpusCase{
	{"9506hqwy-openstack-study-notes/ovs-appctl_ofproto-list-tunnels.txt", "ovs-appctl-list-tunnels", 1, nil},
	{"9506hqwy-openstack-study-notes/ovs-dpctl_show_compute.txt", "ovs-dpctl-show", 9, nil},
	{"9506hqwy-openstack-study-notes/ovs-vsctl_show_compute_vxlan.txt", "ovs-vsctl-show", 37, nil},
	{"9506hqwy-openstack-study-notes/ovs-vsctl_show_network_node.txt", "ovs-vsctl-show", 41, nil},
	{"9506hqwy-openstack-study-notes/ovs-vsctl_show_ovn_geneve.txt", "ovs-vsctl-show", 15, nil},
	{"insights-core-fixtures/ovs-vsctl_show_network_node.txt", "ovs-vsctl-show", 37, nil},
	{"networkop-blog/ovs-appctl_fdb-show_br-ex.txt", "ovs-appctl-fdb-show", 2, nil},
	{"networkop-blog/ovs-appctl_fdb-show_br-int_dvr_compute2.txt", "ovs-appctl-fdb-show", 3, nil},
	{"networkop-blog/ovs-appctl_fdb-show_br-int_dvr_compute3.txt", "ovs-appctl-fdb-show", 4, nil},
	{"neutron-devref-layer3/ovs-vsctl_show.txt", "ovs-vsctl-show", 25, nil},
	{"ovs-docs-conntrack-tutorial/ovs-appctl_dpctl-dump-conntrack_syn_sent.txt", "ovs-dpctl-dump-conntrack", 1, nil},
	{"testdata/clustered2.db", "ovsdb-file", 8, nil},
	{"testdata/clustered2_list_Bridge", "ovs-vsctl-list", 1, nil},
	{"testdata/clustered2_list_Interface", "ovs-vsctl-list", 3, nil},
	{"testdata/clustered2_list_Open_vSwitch", "ovs-vsctl-list", 1, nil},
	{"testdata/clustered2_list_Port", "ovs-vsctl-list", 3, nil},
	{"testdata/clustered_compacted.db", "ovsdb-file", 8, nil},
	{"testdata/clustered_compacted_list_Interface", "ovs-vsctl-list", 3, nil},
	{"testdata/nxtest_conf.db", "ovsdb-file", 25, nil},
	{"testdata/ovs-appctl_dpctl.dump-conntrack", "ovs-dpctl-dump-conntrack", 4, nil},
	{"testdata/ovs-appctl_dpctl.dump-conntrack_-m_netdev_ovs-netdev", "ovs-dpctl-dump-conntrack", 4, nil},
	{"testdata/ovs-appctl_dpctl.dump-flows", "ovs-dpctl-dump-flows", 7, nil},
	{"testdata/ovs-appctl_dpctl.dump-flows_-m", "ovs-dpctl-dump-flows", 7, nil},
	{"testdata/ovs-appctl_dpctl.show_-s", "ovs-dpctl-show", 9, []string{"40:info:port nxtest-p0: could not retrieve stats (No such device)", "41:info:port nxtest-p1: could not retrieve stats (No such device)"}},
	{"testdata/ovs-appctl_fdb.show_nxtest-br0", "ovs-appctl-fdb-show", 2, nil},
	{"testdata/ovs-appctl_ofproto.list-tunnels", "ovs-appctl-list-tunnels", 1, nil},
	{"testdata/ovs-dpctl_dump-flows", "ovs-dpctl-dump-flows", 0, []string{"1:info:tool log message skipped", "2:info:tool log message skipped", "3:info:command failed: ovs-dpctl: no datapaths exist", "4:info:command failed: ovs-dpctl: datapath not found (Invalid argument)"}},
	{"testdata/ovs-dpctl_show", "ovs-dpctl-show", 0, []string{"1:info:tool log message skipped", "2:info:tool log message skipped"}},
	{"testdata/ovs-ofctl_-O_OpenFlow13_dump-ports_nxtest-br0", "ovs-ofctl-dump-ports", 5, nil},
	{"testdata/ovs-ofctl_-O_OpenFlow13_show_nxtest-br1", "ovs-ofctl-show", 5, nil},
	{"testdata/ovs-ofctl_-O_OpenFlow14_dump-ports-desc_nxtest-br0", "ovs-ofctl-dump-ports-desc", 5, nil},
	{"testdata/ovs-ofctl_-O_OpenFlow15_dump-ports_nxtest-br1", "ovs-ofctl-dump-ports", 5, nil},
	{"testdata/ovs-ofctl_dump-ports_nxtest-br0", "ovs-ofctl-dump-ports", 5, nil},
	{"testdata/ovs-ofctl_show_not-a-bridge", "ovs-ofctl-show", 0, []string{"1:info:command failed: ovs-ofctl: nxtest-nonexist is not a bridge or a socket"}},
	{"testdata/ovs-ofctl_show_nxtest-br0", "ovs-ofctl-show", 5, nil},
	{"testdata/ovs-vsctl_list_Bridge", "ovs-vsctl-list", 2, nil},
	{"testdata/ovs-vsctl_list_Controller", "ovs-vsctl-list", 1, nil},
	{"testdata/ovs-vsctl_list_Interface", "ovs-vsctl-list", 11, nil},
	{"testdata/ovs-vsctl_list_Open_vSwitch", "ovs-vsctl-list", 1, nil},
	{"testdata/ovs-vsctl_list_Port", "ovs-vsctl-list", 10, nil},
	{"testdata/ovs-vsctl_show", "ovs-vsctl-show", 24, nil},
	{"testdata/ovsdb-client_-f_list_dump", "ovsdb-client-dump", 25, nil},
	{"testdata/standalone.db", "ovsdb-file", 8, nil},
	{"testdata/standalone_list_Bridge", "ovs-vsctl-list", 1, nil},
	{"testdata/standalone_list_Interface", "ovs-vsctl-list", 3, nil},
	{"testdata/standalone_list_Open_vSwitch", "ovs-vsctl-list", 1, nil},
	{"testdata/standalone_list_Port", "ovs-vsctl-list", 3, nil},
	{"testdata/standalone_show", "ovs-vsctl-show", 7, nil},
}

// TestStateCorpus parses every file of ../shared/real and testdata/ in the
// formats of this package's non-flow parsers. Only genuine oddities may
// leave an issue, and those are named here.
func TestStateCorpus(t *testing.T) {
	shared := testenv.Shared(t)
	for _, c := range stCorpus {
		t.Run(c.file, func(t *testing.T) {
			path := c.file
			if !strings.HasPrefix(path, "testdata/") {
				path = filepath.Join(shared, "real", c.file)
			}
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			res := stParse(t, c.kind, data, filepath.Base(path))
			if res.Records() != c.records {
				t.Errorf("%d records, want %d", res.Records(), c.records)
			}
			ofCheckIssues(t, res.Problems(), c.issues)
			if c.kind != "ovsdb-file" {
				stCheckCoverage(t, string(data), res.Problems(), stUnderstood(res))
			}
			if f := stFormat(t, c.kind); f.Sniff != nil && !f.Sniff(data[:min(len(data), 4096)]) && res.Records() > 0 {
				t.Errorf("Sniff does not recognise the file")
			}
		})
	}
}

// TestStateCorpusComplete checks every real-corpus file of these formats
// is listed in stCorpus.
func TestStateCorpusComplete(t *testing.T) {
	shared := testenv.Shared(t)
	listed := map[string]bool{}
	for _, c := range stCorpus {
		listed[c.file] = true
	}
	for _, pat := range []string{"*ovs-vsctl*", "*ovs-dpctl*", "*fdb-show*", "*dump-conntrack*", "*list-tunnels*", "*dump-ports*", "*ovs-ofctl_show*", "*conf.db*", "*ovsdb*"} {
		files, _ := filepath.Glob(filepath.Join(shared, "real", "*", pat))
		for _, f := range files {
			rel, _ := filepath.Rel(filepath.Join(shared, "real"), f)
			if !listed[rel] {
				t.Errorf("corpus file %s not tested", rel)
			}
		}
	}
}

// stUnderstood returns how many lines the parser took as data.
func stUnderstood(res parse.Result) int {
	switch r := res.(type) {
	case *Show:
		return r.understood
	case *List:
		return r.understood
	case *OFShow:
		return r.understood
	case *PortStatsDump:
		return r.understood
	case *FDBShow:
		return r.understood
	case *CTDump:
		return r.understood
	case *DPFlowDump:
		return r.understood
	case *TunnelList:
		return r.understood
	case *DPShow:
		return r.understood
	case *UpcallShow:
		return r.understood
	}
	return -1
}

// stCheckCoverage checks that every non-blank line of text (as the line
// scanner returns it) was either taken as data or named in an issue.
func stCheckCoverage(t testing.TB, text string, issues parse.Issues, understood int) {
	t.Helper()
	nonBlank := 0
	sc := parse.NewScanner(strings.NewReader(text), "f", nil)
	for sc.Scan() {
		if strings.TrimSpace(sc.Text()) != "" {
			nonBlank++
		}
	}
	withIssue := map[int]bool{}
	for _, i := range issues {
		if i.Pos.Line > 0 {
			withIssue[i.Pos.Line] = true
		}
	}
	if understood > nonBlank || understood+len(withIssue) < nonBlank {
		t.Errorf("%d non-blank lines, %d taken as data, %d with issues: a line was dropped silently", nonBlank, understood, len(withIssue))
	}
}
