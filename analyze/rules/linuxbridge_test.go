package rules

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"netxray/analyze/model"
	"netxray/collect"
	"netxray/parse"
)

// A two-node Linux bridge agent cloud with l2pop and arp_responder on
// VXLAN network 100: lb1 holds vm1 (fa:16:3e:00:01:01, 10.1.0.11) and the
// DHCP port (fa:16:3e:00:0d:01, 10.1.0.2 in qdhcp-net1), lb2 holds vm2
// (fa:16:3e:00:02:01, 10.1.0.21). The trees are sos 4.5 layouts read
// through collect and model as a real bundle would be.
const (
	lbNet   = "sos_commands/networking/"
	lbAddrF = lbNet + "ip_-d_address"
	lbFDBF  = lbNet + "bridge_-s_-s_-d_-t_fdb_show"
	lbNeigh = lbNet + "ip_-s_-s_neigh_show"
)

// lbDev is `ip -d address` text for a node: eth1 with 10.0.0.<i>, the
// bridge, vxlan-100 (proxy or not) and the given extra devices.
func lbDev(i int, proxy bool, extra string) string {
	p := ""
	if proxy {
		p = "proxy "
	}
	return fmt.Sprintf(`2: eth1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc mq state UP group default qlen 1000
    link/ether 52:54:00:00:00:0%[1]d brd ff:ff:ff:ff:ff:ff
    inet 10.0.0.%[1]d/24 brd 10.0.0.255 scope global eth1
       valid_lft forever preferred_lft forever
5: brq1234567890a: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue state UP group default qlen 1000
    link/ether 2a:7b:3c:4d:5f:0%[1]d brd ff:ff:ff:ff:ff:ff
7: vxlan-100: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue master brq1234567890a state UNKNOWN group default qlen 1000
    link/ether 2a:7b:3c:4d:5e:0%[1]d brd ff:ff:ff:ff:ff:ff promiscuity 1 minmtu 68 maxmtu 65535
    vxlan id 100 local 10.0.0.%[1]d dev eth1 srcport 0 0 dstport 8472 %[2]sttl 32 ageing 300 udpcsum noudp6zerocsumtx noudp6zerocsumrx
%[3]s`, i, p, extra)
}

const (
	lb1Taps = `9: tapaaaaaaaa-01: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc fq_codel master brq1234567890a state UNKNOWN group default qlen 1000
    link/ether fe:16:3e:00:01:01 brd ff:ff:ff:ff:ff:ff
10: tapdddddddd-01@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue master brq1234567890a state UP group default qlen 1000
    link/ether 8e:3a:00:00:00:01 brd ff:ff:ff:ff:ff:ff link-netns qdhcp-net1
`
	lb2Taps = `9: tapbbbbbbbb-01: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc fq_codel master brq1234567890a state UNKNOWN group default qlen 1000
    link/ether fe:16:3e:00:02:01 brd ff:ff:ff:ff:ff:ff
`
	lbDHCPNS  = lbNet + "namespaces/qdhcp-net1/ip_netns_exec_qdhcp-net1_ip_-d_address_show"
	lbDHCPDev = `2: ns-dddddddd-01@if10: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue state UP group default qlen 1000
    link/ether fa:16:3e:00:0d:01 brd ff:ff:ff:ff:ff:ff link-netnsid 0
    inet 10.1.0.2/24 brd 10.1.0.255 scope global ns-dddddddd-01
       valid_lft forever preferred_lft forever
`
	lbHosts = "fa:16:3e:00:01:01,host-10-1-0-11.openstacklocal,10.1.0.11\nfa:16:3e:00:02:01,host-10-1-0-21.openstacklocal,10.1.0.21\nfa:16:3e:00:0d:01,host-10-1-0-2.openstacklocal,10.1.0.2\n"
)

// lbHealthy returns the healthy trees of lb1 and lb2, by node.
func lbHealthy() map[string]map[string]string {
	return map[string]map[string]string{
		"lb1": {
			"hostname":                       "lb1\n",
			lbAddrF:                          lbDev(1, true, lb1Taps),
			lbNet + "ip_netns":               "qdhcp-net1 (id: 0)\n",
			lbDHCPNS:                         lbDHCPDev,
			"var/lib/neutron/dhcp/net1/host": lbHosts,
			lbFDBF: "00:00:00:00:00:00 dev vxlan-100 dst 10.0.0.2 self permanent\n" +
				"fa:16:3e:00:02:01 dev vxlan-100 dst 10.0.0.2 self permanent\n",
			lbNeigh: "10.1.0.21 dev vxlan-100 lladdr fa:16:3e:00:02:01 PERMANENT\n",
		},
		"lb2": {
			"hostname":         "lb2\n",
			lbAddrF:            lbDev(2, true, lb2Taps),
			lbNet + "ip_netns": "",
			lbFDBF: "00:00:00:00:00:00 dev vxlan-100 dst 10.0.0.1 self permanent\n" +
				"fa:16:3e:00:01:01 dev vxlan-100 dst 10.0.0.1 self permanent\n" +
				"fa:16:3e:00:0d:01 dev vxlan-100 dst 10.0.0.1 self permanent\n",
			lbNeigh: "10.1.0.11 dev vxlan-100 lladdr fa:16:3e:00:01:01 PERMANENT\n" +
				"10.1.0.2 dev vxlan-100 lladdr fa:16:3e:00:0d:01 PERMANENT\n",
		},
	}
}

// lbModel builds the model of the trees through collect and model, and
// fails on any parse problem (the inline outputs must be well-formed).
func lbModel(t *testing.T, trees map[string]map[string]string) *model.Model {
	t.Helper()
	fsys := fstest.MapFS{}
	for node, files := range trees {
		for p, text := range files {
			fsys[node+"/"+p] = &fstest.MapFile{Data: []byte(text)}
		}
	}
	b, err := collect.OpenFS(fsys, "lb")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	m := model.Build(b)
	for _, n := range m.Nodes {
		for _, f := range n.Files {
			for _, is := range f.Result.Problems() {
				if is.Severity >= parse.SevWarning {
					t.Fatalf("%s: %s", n.Name, is)
				}
			}
		}
	}
	return m
}

// lbEdit returns the healthy trees with edit applied.
func lbEdit(edit func(tr map[string]map[string]string)) map[string]map[string]string {
	tr := lbHealthy()
	edit(tr)
	return tr
}

func dropLine(text, sub string) string {
	var out []string
	for _, l := range strings.SplitAfter(text, "\n") {
		if !strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "")
}

func TestLBFDBEntries(t *testing.T) {
	t.Run("healthy", func(t *testing.T) {
		m := lbModel(t, lbHealthy())
		quiet(t, m, LBFDBMissing)
		quiet(t, m, LBARPEntry)
	})
	t.Run("unicast missing, flooded", func(t *testing.T) {
		m := lbModel(t, lbEdit(func(tr map[string]map[string]string) {
			tr["lb2"][lbFDBF] = dropLine(tr["lb2"][lbFDBF], "fa:16:3e:00:0d:01")
		}))
		f := fires(t, m, LBFDBMissing, "lb2", "vxlan-100 has no unicast entry for 1 port on lb1 (10.0.0.1): fa:16:3e:00:0d:01; traffic to them is flooded")
		if f.Severity != Warning {
			t.Errorf("severity %s, want warning", f.Severity)
		}
		if !strings.Contains(f.Evidence[2].String(), "ns-dddddddd-01") {
			t.Errorf("evidence does not quote the DHCP port's device: %v", f.Evidence)
		}
	})
	t.Run("unicast and flood missing", func(t *testing.T) {
		m := lbModel(t, lbEdit(func(tr map[string]map[string]string) {
			tr["lb1"][lbFDBF] = ""
		}))
		fires(t, m, LBFDBMissing, "lb1", "vxlan-100 has no flood entry to lb2 (10.0.0.2)")
		f := fires(t, m, LBFDBMissing, "lb1", "no unicast entry for 1 port on lb2 (10.0.0.2): fa:16:3e:00:02:01; with no flood entry")
		if f.Severity != Error {
			t.Errorf("severity %s, want error", f.Severity)
		}
	})
	t.Run("stale to another node", func(t *testing.T) {
		m := lbModel(t, lbEdit(func(tr map[string]map[string]string) {
			tr["lb1"][lbFDBF] = strings.Replace(tr["lb1"][lbFDBF], "fa:16:3e:00:02:01 dev vxlan-100 dst 10.0.0.2", "fa:16:3e:00:02:01 dev vxlan-100 dst 10.0.0.9", 1)
		}))
		fires(t, m, LBFDBMissing, "lb1", "sends fa:16:3e:00:02:01 to 10.0.0.9, but that MAC is on lb2 (10.0.0.2)")
	})
	t.Run("stale to a local port", func(t *testing.T) {
		m := lbModel(t, lbEdit(func(tr map[string]map[string]string) {
			tr["lb1"][lbFDBF] += "fa:16:3e:00:01:01 dev vxlan-100 dst 10.0.0.2 self permanent\n"
		}))
		fires(t, m, LBFDBMissing, "lb1", "sends fa:16:3e:00:01:01 to 10.0.0.2, but that MAC is port tapaaaaaaaa-01 on this node")
	})
	t.Run("arp entry missing", func(t *testing.T) {
		m := lbModel(t, lbEdit(func(tr map[string]map[string]string) {
			tr["lb2"][lbNeigh] = dropLine(tr["lb2"][lbNeigh], "10.1.0.2 ")
		}))
		fires(t, m, LBARPEntry, "lb2", "vxlan-100 (proxy) has no ARP responder entry for 10.1.0.2 (fa:16:3e:00:0d:01 on lb1)")
		quiet(t, m, LBFDBMissing)
	})
	t.Run("arp entry wrong MAC", func(t *testing.T) {
		m := lbModel(t, lbEdit(func(tr map[string]map[string]string) {
			tr["lb2"][lbNeigh] = strings.Replace(tr["lb2"][lbNeigh], "lladdr fa:16:3e:00:01:01", "lladdr fa:16:3e:00:99:99", 1)
		}))
		fires(t, m, LBARPEntry, "lb2", "answers ARP for 10.1.0.11 with fa:16:3e:00:99:99, but the port with that address is tapaaaaaaaa-01 (fa:16:3e:00:01:01 on lb1)")
	})
	t.Run("arp entry for a local port", func(t *testing.T) {
		m := lbModel(t, lbEdit(func(tr map[string]map[string]string) {
			tr["lb1"][lbNeigh] += "10.1.0.11 dev vxlan-100 lladdr fa:16:3e:00:01:01 PERMANENT\n"
		}))
		fires(t, m, LBARPEntry, "lb1", "answers ARP for 10.1.0.11, the address of port tapaaaaaaaa-01 on this node")
	})
	t.Run("no proxy: no entries expected", func(t *testing.T) {
		m := lbModel(t, lbEdit(func(tr map[string]map[string]string) {
			tr["lb2"][lbAddrF] = lbDev(2, false, lb2Taps)
			tr["lb2"][lbNeigh] = ""
		}))
		quiet(t, m, LBARPEntry)
	})
	t.Run("neighbours absent: skipped", func(t *testing.T) {
		m := lbModel(t, lbEdit(func(tr map[string]map[string]string) { delete(tr["lb2"], lbNeigh) }))
		res := check(m, LBARPEntry)
		if len(res.Findings) != 0 || len(res.Skipped) != 1 || res.Skipped[0].Node != "lb2" {
			t.Errorf("want lb2 skipped and no finding: %+v", res)
		}
	})
}
