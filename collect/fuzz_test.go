package collect

import (
	"archive/tar"
	"bytes"
	"io"
	"testing"
)

// FuzzOpenTar opens arbitrary bytes as a bundle archive. Properties: no
// panic; an opened bundle has uniquely named nodes, and every usable
// source names a file that opens and reads.
func FuzzOpenTar(f *testing.F) {
	f.Add([]byte{})
	// Small seeds: the fuzzer minimises every new input, which is slow on
	// big ones.
	mini := tree{
		"hostname":                         "->sos_commands/host/hostname",
		"sos_commands/host/hostname":       "c1\n",
		"sos_reports/manifest.json":        `{"version": "4.5.0", "components": {"report": {"plugins": {"networking": {"commands": [{"exec": "ip netns", "filepath": "sos_commands/networking/ip_netns", "return_code": 1}]}}}}}`,
		"sos_commands/networking/ip_netns": "ns1 (id: 0)\nns2\n",
		"sos_commands/networking/namespaces/ns1/ip_netns_exec_ns1_ip_-4_rule_list": sample,
		"sos_commands/openvswitch/ovs-ofctl_dump-flows_br-int":                     "ovs-ofctl: br-int is not a bridge or a socket\n",
		"sos_commands/openvswitch/ovs-ofctl_-O_OpenFlow13_dump-flows_br-int":       flows,
		"sos_commands/netxray/pcap/a.pcap":                                         "",
	}
	f.Add(mini.tarBytes(f, "s"))
	f.Add(compress(f, mini.tarBytes(f, ""), ".tar.gz"))
	f.Add(rawTar(f, []member{
		{typ: tar.TypeReg, name: "s/sos_commands/networking/ip_netns", data: "ns1\n"},
		{typ: tar.TypeSymlink, name: "s/sos_commands/networking/ip_route_show_table_all", link: "ip_netns"},
		{typ: tar.TypeSymlink, name: "s/sos_commands/networking/ip_-4_rule", link: "../../../../x"},
		{typ: tar.TypeLink, name: "s/sos_commands/networking/ip_-d_address", link: "s/sos_commands/networking/ip_netns"},
		{typ: tar.TypeSymlink, name: "s/a", link: "b"},
		{typ: tar.TypeSymlink, name: "s/b", link: "a"},
		{typ: tar.TypeSymlink, name: "s/sos_commands/networking/ip_link", link: "../../a"},
		{typ: tar.TypeReg, name: "../x", data: "x"},
		{typ: tar.TypeFifo, name: "s/sos_commands/networking/ip_address"},
	}))
	lim := Limits{MaxMember: 1 << 20, MaxTotal: 4 << 20, MaxMemory: 2 << 20, MemberInMemory: 64 << 10, MaxMembers: 10000}
	// One temporary directory for all runs (t.TempDir per run is slow);
	// each Bundle.Close removes its own private directory in it.
	tmp := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := OpenReader(bytes.NewReader(data), "fuzz.tar", WithLimits(lim), WithTempDir(tmp))
		if err != nil {
			return
		}
		defer b.Close()
		if len(b.Nodes) == 0 {
			t.Fatal("bundle opened with no node")
		}
		names := map[string]bool{}
		for _, n := range b.Nodes {
			if names[n.Name] {
				t.Fatalf("two nodes named %q", n.Name)
			}
			names[n.Name] = true
			for _, s := range n.Inventory {
				if s.Status.Usable() != (s.Path != "" && s.Status != StatusFailed) && s.Status.Usable() {
					t.Fatalf("usable source without a file: %+v", s)
				}
				if !s.Status.Usable() {
					continue
				}
				r, err := n.Open(s.Path)
				if err != nil {
					t.Fatalf("usable source %s does not open: %v", s.Path, err)
				}
				if _, err := io.Copy(io.Discard, io.LimitReader(r, 2<<20)); err != nil {
					t.Fatalf("usable source %s does not read: %v", s.Path, err)
				}
				r.Close()
			}
		}
	})
}
