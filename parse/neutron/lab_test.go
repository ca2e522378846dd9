package neutron_test

import (
	"bytes"
	"path"
	"strings"
	"testing"

	"netxray/collect"
	"netxray/collect/collecttest"
	"netxray/parse/neutron"
)

func TestKindIsCollectKind(t *testing.T) {
	if neutron.KindConf != collect.KindNeutronConf {
		t.Fatalf("KindConf %q != collect.KindNeutronConf %q", neutron.KindConf, collect.KindNeutronConf)
	}
}

// TestLabBundles parses every Neutron configuration file of every lab
// bundle (reduced to network keys by the collector), read from the
// tarballs in place: none may give a problem, Sniff must know them, and
// the agents' settings must be the lab's (fixtures/bundles/README.md:
// net1 dvr_snat, cmp1/cmp2 dvr; cmp1 OVS firewall, cmp2 iptables_hybrid;
// VXLAN with l2population and the ARP responder).
func TestLabBundles(t *testing.T) {
	if testing.Short() {
		t.Skip("lab bundles are slow to decompress")
	}
	var files, entries int
	collecttest.EachLabFile(t, func(p string) bool { return strings.HasPrefix(p, "etc/neutron/") },
		func(name string, data []byte) {
			c, err := neutron.ParseConfig(bytes.NewReader(data), name)
			if err != nil {
				t.Fatal(err)
			}
			if len(c.Issues) > 0 {
				t.Errorf("%s: %v", name, c.Issues)
			}
			if !neutron.Formats[0].Sniff(data) {
				t.Errorf("%s: Sniff = false", name)
			}
			files++
			entries += len(c.Entries)
			node := strings.SplitN(path.Base(strings.SplitN(name, ":", 2)[0]), "-", 3)[1]
			switch path.Base(name) {
			case "openvswitch_agent.ini":
				fw := c.FirewallDriver().Value
				if !c.LocalIP().Value.IsValid() || !c.L2Population().Value || !c.ARPResponder().Value ||
					!c.EnableDistributedRouting().Value || (fw != "openvswitch" && fw != "iptables_hybrid") {
					t.Errorf("%s: unexpected agent settings", name)
				}
			case "l3_agent.ini":
				want := "dvr"
				if node == "net1" {
					want = "dvr_snat"
				}
				if got := c.AgentMode().Value; got != want {
					t.Errorf("%s: agent_mode %q, want %q", name, got, want)
				}
			case "ml2_conf.ini":
				if r := c.VNIRanges("vxlan").Value; len(r) != 1 || r[0] != (neutron.Range{Min: 1000, Max: 1999}) {
					t.Errorf("%s: vni_ranges %v", name, r)
				}
			}
		})
	if files == 0 {
		t.Fatal("no neutron configuration in the lab bundles")
	}
	t.Logf("%d files, %d entries", files, entries)
}
