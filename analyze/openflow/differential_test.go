package openflow

import (
	"fmt"
	"maps"
	"math/rand"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"netxray/analyze/model"
	"netxray/collect"
	"netxray/internal/testenv"
)

// A dataset is one node's switch to load into the real OVS and trace:
// flow dumps from ../shared/real (ports inferred from the flows: names and
// numbers the flows use, Neutron patch pairs joined, tunnel ports typed by
// name), or a node of a lab bundle read with collect.Open and the model
// (ports, types, ofport numbers, patch peers and tunnel options as
// collected). Adding a dataset is one line in realDatasets or labScenarios.
type dataset struct {
	name string
	// real: dump files per bridge, relative to the shared/real directory.
	bridges []dsBridge
	// lab: the switch built from the bundle, and the VM identities seen
	// on the node (VIF ports with their MAC and the IPs the bundle's flows
	// give that MAC).
	sw   *Switch
	vifs []vif
}

type dsBridge struct {
	name  string
	files []string
}

// vif is a port whose traffic the probes impersonate: a VM, router or DHCP
// port with the MAC Neutron gave it and its IP addresses.
type vif struct {
	bridge, port string
	mac          string
	ips          []string
}

func realDatasets() []dataset {
	b := func(name string, files ...string) dsBridge { return dsBridge{name: name, files: files} }
	st := "9506hqwy-openstack-study-notes/"
	jf := "jffree-neutron-dvr/"
	ye := "yeasy-understand-neutron/"
	return []dataset{
		{name: "9506-compute-ovsfw", bridges: []dsBridge{b("br-int", st+"ovs-ofctl_dump-flows_br-int_ovsfw.txt"), b("br-tun", st+"ovs-ofctl_dump-flows_br-tun_names.txt"), b("br-provider", st+"ovs-ofctl_dump-flows_br-provider.txt")}},
		{name: "9506-network", bridges: []dsBridge{b("br-int", st+"ovs-ofctl_dump-flows_br-int_network_node.txt"), b("br-tun", st+"ovs-ofctl_dump-flows_br-tun_network_node.txt")}},
		{name: "9506-ovn", bridges: []dsBridge{b("br-int", st+"ovs-ofctl_dump-flows_br-int_ovn.txt")}},
		{name: "jffree-node2", bridges: []dsBridge{b("br-int", jf+"ovs-ofctl_dump-flows_br-int_table0_dvr_node2.txt", jf+"ovs-ofctl_dump-flows_br-int_table24.txt"),
			b("br-tun", jf+"ovs-ofctl_dump-flows_br-tun_table0.txt", jf+"ovs-ofctl_dump-flows_br-tun_table1_dvr_process.txt", jf+"ovs-ofctl_dump-flows_br-tun_table2.txt",
				jf+"ovs-ofctl_dump-flows_br-tun_table20_l2pop.txt", jf+"ovs-ofctl_dump-flows_br-tun_table21_arp_responder.txt", jf+"ovs-ofctl_dump-flows_br-tun_table22_flood.txt"),
			b("br-ex", jf+"ovs-ofctl_dump-flows_br-ex_dvr.txt")}},
		{name: "jffree-node3", bridges: []dsBridge{b("br-int", jf+"ovs-ofctl_dump-flows_br-int_table0_dvr_node3.txt"),
			b("br-tun", jf+"ovs-ofctl_dump-flows_br-tun_table0_node3.txt", jf+"ovs-ofctl_dump-flows_br-tun_table4_node3.txt", jf+"ovs-ofctl_dump-flows_br-tun_table9_dvr_not_learn.txt")}},
		{name: "yeasy-vxlan-compute", bridges: []dsBridge{b("br-tun", ye+"ovs-ofctl_dump-flows_br-tun_vxlan_compute.txt")}},
		{name: "yeasy-vxlan-network", bridges: []dsBridge{b("br-int", ye+"ovs-ofctl_dump-flows_br-int_network.txt"), b("br-tun", ye+"ovs-ofctl_dump-flows_br-tun_vxlan_network.txt"), b("br-ex", ye+"ovs-ofctl_dump-flows_br-ex.txt")}},
		{name: "yeasy-gre-compute", bridges: []dsBridge{b("br-int", ye+"ovs-ofctl_dump-flows_br-int_gre_compute.txt"), b("br-tun", ye+"ovs-ofctl_dump-flows_br-tun_gre_compute.txt")}},
		{name: "yeasy-gre-network", bridges: []dsBridge{b("br-tun", ye+"ovs-ofctl_dump-flows_br-tun_gre_network.txt")}},
	}
}

// labScenarios are the lab bundles (fixtures/bundles) whose nodes are
// datasets: every node of the healthy lab (net1, cmp1 with the OVS
// firewall, cmp2 with iptables_hybrid), and the faulted node of each fault
// that changes OVS flows or ports (the others are the healthy ones again).
var labScenarios = []struct{ scenario, nodes string }{
	{"healthy", "net1 cmp1 cmp2"},
	{"tun-flow-missing", "cmp1"},
	{"l2pop-unicast-missing", "cmp1"},
	{"dvr-mac-missing", "cmp1"},
	{"tunnel-port-missing", "cmp1"},
	{"qr-port-deleted", "cmp1"},
	{"ovs-flows-wiped", "cmp1"},
	{"sg-rule-removed", "cmp1"},
	{"vlan-4095", "cmp2"},
}

// labDatasets reads the lab bundles in place (tarballs, not extracted).
func labDatasets(t testing.TB) []dataset {
	var out []dataset
	for _, sc := range labScenarios {
		m := labModel(t, sc.scenario)
		for _, name := range strings.Fields(sc.nodes) {
			out = append(out, labDataset(t, sc.scenario, m, name))
		}
	}
	return out
}

// labModel builds the model of a lab scenario's bundles.
func labModel(t testing.TB, scenario string) *model.Model {
	b, err := collect.Open(filepath.Join("..", "..", "fixtures", "bundles", scenario))
	if err != nil {
		t.Fatalf("lab bundle %s: %v", scenario, err)
	}
	m := model.Build(b)
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	return m
}

// labDataset is node of a lab scenario's model as a dataset.
func labDataset(t testing.TB, scenario string, m *model.Model, node string) dataset {
	n := m.Node(node)
	if n == nil {
		t.Fatalf("lab bundle %s has no node %s", scenario, node)
	}
	macIPs := labMACIPs(m)
	ds := dataset{name: scenario + "/" + node, sw: FromNode(n)}
	for _, br := range n.Bridges {
		for _, p := range br.Ports {
			if p.AttachedMAC != "" && p.OFPort > 0 {
				ds.vifs = append(ds.vifs, vif{bridge: br.Name, port: p.Name, mac: p.AttachedMAC, ips: macIPs[p.AttachedMAC]})
			}
		}
	}
	return ds
}

var (
	// OVS firewall: "dl_src=MAC,nw_src=IP" / "dl_src=MAC,arp_spa=IP"
	// (table 71); l2pop ARP responder: "arp_tpa=IP ...
	// set_field:MAC->arp_sha" (br-tun table 21).
	reSrcPair = regexp.MustCompile(`dl_src=([0-9a-f:]{17})[^ ]*?(?:nw_src|arp_spa|ipv6_src)=([0-9a-f.:]+)\b`)
	reARPResp = regexp.MustCompile(`arp_tpa=([0-9.]+) .*set_field:([0-9a-f:]{17})->arp_sha`)
)

// labMACIPs maps each MAC to the IPs the flows of every node give it.
func labMACIPs(m *model.Model) map[string][]string {
	out := map[string][]string{}
	add := func(mac, ip string) {
		if ip == "0.0.0.0" || slices.Contains(out[mac], ip) {
			return
		}
		out[mac] = append(out[mac], ip)
	}
	for _, n := range m.Nodes {
		for _, b := range n.Bridges {
			if b.Flows == nil {
				continue
			}
			for _, f := range b.Flows.Flows {
				if s := reSrcPair.FindStringSubmatch(f.Raw); s != nil {
					add(s[1], s[2])
				}
				if s := reARPResp.FindStringSubmatch(f.Raw); s != nil {
					add(s[2], s[1])
				}
			}
		}
	}
	return out
}

// buildSwitch reads a real dataset's dumps into a Switch with
// ovs.ParseFlows; lines it cannot read (truncated in the source) are left
// out and logged.
func buildSwitch(t testing.TB, root string, ds dataset) *Switch {
	sw := &Switch{Node: ds.name}
	for _, db := range ds.bridges {
		br := &Bridge{Name: db.name}
		for _, f := range db.files {
			text, err := os.ReadFile(filepath.Join(root, f))
			if err != nil {
				t.Fatal(err)
			}
			flows, bad := parseFlowText(filepath.Base(f), string(text))
			for _, is := range bad {
				t.Logf("unreadable flow line left out: %s", is)
			}
			br.Flows = append(br.Flows, flows...)
		}
		sw.Bridges = append(sw.Bridges, br)
	}
	inferPorts(sw)
	return sw
}

var (
	reHexIPTun = regexp.MustCompile(`^(vxlan|gre|geneve|stt)-([0-9a-f]{8})$`)
)

// inferPorts fills the ports of bridges that have none from what the flows
// reference.
func inferPorts(sw *Switch) {
	for _, br := range sw.Bridges {
		if len(br.Ports) > 0 {
			continue
		}
		nums := map[int]bool{}
		names := map[string]bool{}
		note := func(v string) {
			v = strings.Trim(strings.TrimSpace(v), `"`)
			if v == "" {
				return
			}
			if n, err := strconv.Atoi(v); err == nil {
				if n > 0 && n < 0xff00 {
					nums[n] = true
				}
				return
			}
			if _, ok := reservedPorts[strings.ToUpper(v)]; ok || strings.Contains(v, "[") {
				return
			}
			names[v] = true
		}
		for _, f := range br.Flows {
			for _, m := range f.Match {
				if m.Key == "in_port" {
					note(m.Value)
				}
			}
			for _, a := range f.Actions {
				switch a.Name {
				case "output":
					note(a.Arg)
				case "resubmit":
					if p, _, ok := strings.Cut(a.Arg, ","); ok {
						note(p)
					}
				}
			}
		}
		used := map[int]bool{}
		for n := range nums {
			br.Ports = append(br.Ports, Port{OFPort: n, Name: fmt.Sprintf("%s-p%d", shortBr(br.Name), n)})
			used[n] = true
		}
		sorted := make([]string, 0, len(names))
		for n := range names {
			sorted = append(sorted, n)
		}
		sort.Strings(sorted)
		next := 1
		for _, n := range sorted {
			for used[next] {
				next++
			}
			br.Ports = append(br.Ports, Port{OFPort: next, Name: n})
			used[next] = true
		}
		sort.Slice(br.Ports, func(i, j int) bool { return br.Ports[i].OFPort < br.Ports[j].OFPort })
		// Give every bridge at least two plain ports so NORMAL has somewhere to go.
		for len(br.Ports) < 2 {
			for used[next] {
				next++
			}
			br.Ports = append(br.Ports, Port{OFPort: next, Name: fmt.Sprintf("%s-p%d", shortBr(br.Name), next)})
			used[next] = true
		}
	}
	// Type ports by Neutron naming: tunnels, and patch pairs whose both
	// ends exist on this node.
	byName := map[string]*Port{}
	for _, br := range sw.Bridges {
		for i := range br.Ports {
			byName[br.Ports[i].Name] = &br.Ports[i]
		}
	}
	for _, br := range sw.Bridges {
		for i := range br.Ports {
			p := &br.Ports[i]
			if p.Type != "" {
				continue
			}
			if m := reHexIPTun.FindStringSubmatch(p.Name); m != nil {
				v, _ := strconv.ParseUint(m[2], 16, 32)
				p.Type = m[1]
				p.Options = map[string]string{"remote_ip": fmtIPv4(uint32(v)), "local_ip": "192.0.2.1", "in_key": "flow", "out_key": "flow"}
				continue
			}
			peer := ""
			switch {
			case p.Name == "patch-tun":
				peer = "patch-int"
			case p.Name == "patch-int":
				peer = "patch-tun"
			case strings.HasPrefix(p.Name, "int-"):
				peer = "phy-" + p.Name[4:]
			case strings.HasPrefix(p.Name, "phy-"):
				peer = "int-" + p.Name[4:]
			}
			if peer != "" && byName[peer] != nil {
				p.Type, p.Peer = "patch", peer
			}
		}
	}
}

func shortBr(name string) string { return strings.TrimPrefix(name, "br-") }

// pools are the values seen in a dataset's flows, to build microflows that
// exercise them.
type pools struct {
	macs, ip4s, ip6s []string
	vlans            []int
	tunIDs           []uint64
	regs             map[int][]uint64
	tports           []int
	ctMarks          []uint64
}

var (
	reMAC   = regexp.MustCompile(`\b[0-9a-f]{2}(?::[0-9a-f]{2}){5}\b`)
	reIP4   = regexp.MustCompile(`\b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b`)
	reIP6   = regexp.MustCompile(`(?:ipv6_src|ipv6_dst|nd_target)=([0-9a-f:]+)`)
	reVLAN  = regexp.MustCompile(`(?:dl_vlan=|mod_vlan_vid:)(\d+)`)
	reTun   = regexp.MustCompile(`(?:tun_id=|load:|set_field:|set_tunnel:)(0x[0-9a-f]+)(?:->NXM_NX_TUN_ID|->tun_id|/|,|$| )`)
	reReg   = regexp.MustCompile(`reg(\d+)=(0x[0-9a-f]+|\d+)`)
	reTP    = regexp.MustCompile(`tp_(?:src|dst)=(\d+)`)
	reMark  = regexp.MustCompile(`ct_mark=(0x[0-9a-f]+|\d+)`)
	rePorts = regexp.MustCompile(`(?:output:|in_port=)"?([A-Za-z0-9_.-]+)"?`)
)

func collectPools(sw *Switch) *pools {
	p := &pools{regs: map[int][]uint64{}}
	seen := map[string]bool{}
	addS := func(list *[]string, v string) {
		if !seen[v] {
			seen[v] = true
			*list = append(*list, v)
		}
	}
	for _, br := range sw.Bridges {
		for _, f := range br.Flows {
			raw := f.Raw
			for _, m := range reMAC.FindAllString(raw, -1) {
				if m != "ff:ff:ff:ff:ff:ff" && m != "01:00:00:00:00:00" && m != "00:00:00:00:00:00" {
					addS(&p.macs, m)
				}
			}
			for _, m := range reIP4.FindAllString(raw, -1) {
				addS(&p.ip4s, m)
			}
			for _, m := range reIP6.FindAllStringSubmatch(raw, -1) {
				addS(&p.ip6s, m[1])
			}
			for _, m := range reVLAN.FindAllStringSubmatch(raw, -1) {
				if v, _ := strconv.Atoi(m[1]); !seen["v"+m[1]] && v < 4096 {
					seen["v"+m[1]] = true
					p.vlans = append(p.vlans, v)
				}
			}
			for _, m := range reTun.FindAllStringSubmatch(raw, -1) {
				if v, err := strconv.ParseUint(m[1], 0, 64); err == nil && !seen["t"+m[1]] && v < 1<<24 {
					seen["t"+m[1]] = true
					p.tunIDs = append(p.tunIDs, v)
				}
			}
			for _, m := range reReg.FindAllStringSubmatch(raw, -1) {
				n, _ := strconv.Atoi(m[1])
				v, _ := strconv.ParseUint(m[2], 0, 32)
				if !seen["r"+m[0]] {
					seen["r"+m[0]] = true
					p.regs[n] = append(p.regs[n], v)
				}
			}
			for _, m := range reTP.FindAllStringSubmatch(raw, -1) {
				if v, _ := strconv.Atoi(m[1]); !seen["p"+m[1]] {
					seen["p"+m[1]] = true
					p.tports = append(p.tports, v)
				}
			}
			for _, m := range reMark.FindAllStringSubmatch(raw, -1) {
				if v, err := strconv.ParseUint(m[1], 0, 32); err == nil && !seen["m"+m[1]] {
					seen["m"+m[1]] = true
					p.ctMarks = append(p.ctMarks, v)
				}
			}
		}
	}
	if len(p.macs) == 0 {
		p.macs = []string{"fa:16:3e:00:00:01", "fa:16:3e:00:00:02"}
	}
	if len(p.ip4s) == 0 {
		p.ip4s = []string{"192.168.1.5", "192.168.1.6"}
	}
	if len(p.ip6s) == 0 {
		p.ip6s = []string{"fe80::f816:3eff:fe00:1"}
	}
	if len(p.vlans) == 0 {
		p.vlans = []int{1}
	}
	if len(p.tunIDs) == 0 {
		p.tunIDs = []uint64{0x3e9}
	}
	p.tports = append(p.tports, 22, 53, 67, 68, 80, 443)
	return p
}

// probe is one generated microflow with the --ct-next choices of both sides.
type probe struct {
	bridge string
	flow   string
	ctNext []string
	vlan   int // 802.1Q VID of the microflow, -1 none
}

var ctChoices = [][]string{nil, {"trk,new"}, {"trk,est"}, {"trk,est,rpl"}, {"trk,rel"}, {"trk,inv"}, {"trk,est", "trk,est"}, {"trk,new", "trk,est,rpl"}}

// genProbes builds n microflows for sw: first every VM MAC/IP pair of the
// node (ICMP, TCP, UDP and ARP from each VIF to every other known address),
// then random ones: ARP requests and replies, broadcasts, DHCP, IPv6 ND,
// traffic from tunnels with each VNI, VLAN-tagged traffic from patch
// ports, random fields and conntrack states, half of the VIF-sourced ones
// with the VIF's own MAC and IP so that anti-spoofing rules let them in.
func genProbes(sw *Switch, vifs []vif, n int, seed int64) []probe {
	rng := rand.New(rand.NewSource(seed))
	pl := collectPools(sw)
	for _, v := range vifs {
		pl.macs = appendNew(pl.macs, v.mac)
		for _, ip := range v.ips {
			if strings.Contains(ip, ":") {
				pl.ip6s = appendNew(pl.ip6s, ip)
			} else {
				pl.ip4s = appendNew(pl.ip4s, ip)
			}
		}
	}
	pick := func(l []string) string { return l[rng.Intn(len(l))] }
	randMAC := func() string {
		return fmt.Sprintf("fa:16:3e:%02x:%02x:%02x", rng.Intn(256), rng.Intn(256), rng.Intn(256))
	}
	mac := func() string {
		if rng.Intn(5) == 0 {
			return randMAC()
		}
		return pick(pl.macs)
	}
	ip := func() string {
		if rng.Intn(5) == 0 {
			return fmt.Sprintf("%d.%d.%d.%d", 10+rng.Intn(200), rng.Intn(256), rng.Intn(256), 1+rng.Intn(254))
		}
		return pick(pl.ip4s)
	}
	tport := func() int { return pl.tports[rng.Intn(len(pl.tports))] }
	// Each kind gets the source MAC and IPv4 address.
	kinds := []func(smac, sip string) string{
		func(smac, sip string) string { // ARP request
			return fmt.Sprintf("arp,dl_src=%s,dl_dst=ff:ff:ff:ff:ff:ff,arp_op=1,arp_spa=%s,arp_tpa=%s,arp_sha=%s", smac, sip, ip(), smac)
		},
		func(smac, sip string) string { // ARP reply
			return fmt.Sprintf("arp,dl_src=%s,dl_dst=%s,arp_op=2,arp_spa=%s,arp_tpa=%s,arp_sha=%s,arp_tha=%s", smac, mac(), sip, ip(), smac, mac())
		},
		func(smac, sip string) string { // gratuitous ARP
			return fmt.Sprintf("arp,dl_src=%s,dl_dst=ff:ff:ff:ff:ff:ff,arp_op=1,arp_spa=%s,arp_tpa=%s,arp_tha=ff:ff:ff:ff:ff:ff", smac, sip, sip)
		},
		func(smac, sip string) string { // ICMP
			return fmt.Sprintf("icmp,dl_src=%s,dl_dst=%s,nw_src=%s,nw_dst=%s,nw_ttl=64,icmp_type=8", smac, mac(), sip, ip())
		},
		func(smac, sip string) string { // TCP
			return fmt.Sprintf("tcp,dl_src=%s,dl_dst=%s,nw_src=%s,nw_dst=%s,nw_ttl=64,tp_src=%d,tp_dst=%d", smac, mac(), sip, ip(), 1024+rng.Intn(60000), tport())
		},
		func(smac, sip string) string { // UDP
			return fmt.Sprintf("udp,dl_src=%s,dl_dst=%s,nw_src=%s,nw_dst=%s,nw_ttl=%d,udp_src=%d,udp_dst=%d", smac, mac(), sip, ip(), rng.Intn(3)*32, 1024+rng.Intn(60000), tport())
		},
		func(smac, _ string) string { // DHCP request
			return fmt.Sprintf("udp,dl_src=%s,dl_dst=ff:ff:ff:ff:ff:ff,nw_src=0.0.0.0,nw_dst=255.255.255.255,nw_ttl=64,udp_src=68,udp_dst=67", smac)
		},
		func(smac, sip string) string { // DHCP reply
			return fmt.Sprintf("udp,dl_src=%s,dl_dst=%s,nw_src=%s,nw_dst=%s,nw_ttl=64,udp_src=67,udp_dst=68", smac, mac(), sip, ip())
		},
		func(smac, _ string) string { // IPv6 RS / RA / neighbour solicitation / advertisement
			ty := []int{133, 134, 135, 136}[rng.Intn(4)]
			s := fmt.Sprintf("icmp6,dl_src=%s,dl_dst=%s,ipv6_src=%s,ipv6_dst=ff02::1,nw_ttl=255,icmpv6_type=%d,icmpv6_code=0", smac, []string{"33:33:00:00:00:01", mac()}[rng.Intn(2)], pick(pl.ip6s), ty)
			if ty == 135 || ty == 136 {
				s += ",nd_target=" + pick(pl.ip6s)
			}
			return s
		},
		func(smac, _ string) string { // broadcast / multicast / unicast L2 only
			return fmt.Sprintf("dl_src=%s,dl_dst=%s,dl_type=0x%04x", smac, []string{"ff:ff:ff:ff:ff:ff", "01:00:5e:00:00:16", "33:33:00:00:00:16", mac()}[rng.Intn(4)], []int{0x0800, 0x0806, 0x86dd, 0x88cc}[rng.Intn(4)])
		},
		func(smac, _ string) string { // IPv6 TCP
			return fmt.Sprintf("tcp6,dl_src=%s,dl_dst=%s,ipv6_src=%s,ipv6_dst=%s,nw_ttl=64,tp_src=%d,tp_dst=%d", smac, mac(), pick(pl.ip6s), pick(pl.ip6s), 1024+rng.Intn(60000), tport())
		},
	}
	portOf := func(bridge, name string) (*Bridge, Port, bool) {
		br := sw.Bridge(bridge)
		for _, p := range br.Ports {
			if p.Name == name {
				return br, p, true
			}
		}
		return br, Port{}, false
	}
	var out []probe
	add := func(br *Bridge, port Port, body string) {
		out = append(out, finishProbe(rng, pl, br, port, body))
	}
	// Every VIF to every known address, a few protocols each, half the
	// probes shared out evenly between the VIFs.
	for vi, v := range vifs {
		br, port, ok := portOf(v.bridge, v.port)
		if !ok || len(br.Flows) == 0 {
			continue
		}
		sips := ip4sOf(v)
		if len(sips) == 0 {
			sips = []string{ip()}
		}
		budget := (vi+1)*(n/2)/len(vifs) - len(out)
		for k := 0; k < budget; k++ {
			dmac, dip := pl.macs[k%len(pl.macs)], pl.ip4s[(k/len(pl.macs)+k)%len(pl.ip4s)]
			sip := sips[rng.Intn(len(sips))]
			switch rng.Intn(4) {
			case 0:
				add(br, port, fmt.Sprintf("icmp,dl_src=%s,dl_dst=%s,nw_src=%s,nw_dst=%s,nw_ttl=64,icmp_type=8", v.mac, dmac, sip, dip))
			case 1:
				add(br, port, fmt.Sprintf("tcp,dl_src=%s,dl_dst=%s,nw_src=%s,nw_dst=%s,nw_ttl=64,tp_src=%d,tp_dst=%d", v.mac, dmac, sip, dip, 1024+rng.Intn(60000), tport()))
			case 2:
				add(br, port, fmt.Sprintf("udp,dl_src=%s,dl_dst=%s,nw_src=%s,nw_dst=%s,nw_ttl=64,udp_src=%d,udp_dst=%d", v.mac, dmac, sip, dip, 1024+rng.Intn(60000), tport()))
			default:
				add(br, port, fmt.Sprintf("arp,dl_src=%s,dl_dst=ff:ff:ff:ff:ff:ff,arp_op=1,arp_spa=%s,arp_tpa=%s,arp_sha=%s", v.mac, sip, dip, v.mac))
			}
		}
	}
	for len(out) < n {
		br := sw.Bridges[rng.Intn(len(sw.Bridges))]
		if len(br.Flows) == 0 && rng.Intn(20) != 0 {
			continue
		}
		if len(br.Ports) == 0 {
			continue
		}
		port := br.Ports[rng.Intn(len(br.Ports))]
		smac, sip := mac(), ip()
		for _, v := range vifs {
			if v.bridge == br.Name && v.port == port.Name && rng.Intn(2) == 0 {
				smac = v.mac
				if ips := ip4sOf(v); len(ips) > 0 {
					sip = ips[rng.Intn(len(ips))]
				}
			}
		}
		add(br, port, kinds[rng.Intn(len(kinds))](smac, sip))
	}
	return out
}

// finishProbe adds the in_port (number, name or LOCAL), tunnel metadata
// for tunnel ports, a VLAN tag on trunks, and now and then registers,
// conntrack fields and pkt_mark, and picks the --ct-next states.
func finishProbe(rng *rand.Rand, pl *pools, br *Bridge, port Port, body string) probe {
	inPort := strconv.Itoa(port.OFPort)
	if rng.Intn(3) == 0 {
		inPort = port.Name
	}
	if port.Name == br.Name || port.OFPort == portLocal {
		inPort = "LOCAL"
	}
	pr := probe{bridge: br.Name, vlan: -1}
	var extra []string
	if port.IsTunnel() {
		extra = append(extra, fmt.Sprintf("tun_id=%#x", pl.tunIDs[rng.Intn(len(pl.tunIDs))]))
		if r := port.Options["remote_ip"]; r != "" {
			extra = append(extra, "tun_src="+r, "tun_dst="+port.Options["local_ip"])
		}
	}
	if (port.Type == "patch" || port.Tag == 0) && !port.IsTunnel() && rng.Intn(2) == 0 {
		pr.vlan = pl.vlans[rng.Intn(len(pl.vlans))]
		extra = append(extra, fmt.Sprintf("dl_vlan=%d", pr.vlan))
	}
	if rng.Intn(6) == 0 {
		for _, r := range slices.Sorted(maps.Keys(pl.regs)) {
			if vals := pl.regs[r]; rng.Intn(2) == 0 {
				extra = append(extra, fmt.Sprintf("reg%d=%#x", r, vals[rng.Intn(len(vals))]))
			}
		}
	}
	if rng.Intn(8) == 0 {
		st := []string{"trk|new", "trk|est", "trk|est|rpl", "trk|inv", "trk|rel", "new|trk|dnat"}[rng.Intn(6)]
		extra = append(extra, "ct_state="+st, fmt.Sprintf("ct_zone=%d", pl.vlans[rng.Intn(len(pl.vlans))]))
		if len(pl.ctMarks) > 0 && rng.Intn(2) == 0 {
			extra = append(extra, fmt.Sprintf("ct_mark=%#x", pl.ctMarks[rng.Intn(len(pl.ctMarks))]))
		}
	}
	if rng.Intn(20) == 0 {
		extra = append(extra, fmt.Sprintf("pkt_mark=%#x", rng.Intn(4)))
	}
	first, rest, _ := strings.Cut(body, ",")
	flow := first
	if strings.Contains(first, "=") {
		flow, rest = "", body
	}
	parts := []string{}
	if flow != "" {
		parts = append(parts, flow)
	}
	parts = append(parts, "in_port="+inPort)
	parts = append(parts, extra...)
	parts = append(parts, rest)
	pr.flow = strings.Join(parts, ",")
	pr.ctNext = ctChoices[rng.Intn(len(ctChoices))]
	return pr
}

// ip4sOf returns the IPv4 addresses of v.
func ip4sOf(v vif) []string {
	var out []string
	for _, ip := range v.ips {
		if !strings.Contains(ip, ":") {
			out = append(out, ip)
		}
	}
	return out
}

func appendNew(list []string, v string) []string {
	if v == "" || slices.Contains(list, v) {
		return list
	}
	return append(list, v)
}

// ourTrace is the simulator's side in the comparison's terms.
func ourSide(sw *Switch, pr probe, offsets map[string]int) (steps []int, bridges, outputs []string, failed bool, res *Result, err error) {
	var ct []uint32
	for _, c := range pr.ctNext {
		v, err := ParseCTNext(c)
		if err != nil {
			return nil, nil, nil, false, nil, err
		}
		ct = append(ct, v...)
	}
	res, err = Trace(sw, pr.bridge, pr.flow, TraceOptions{CTNext: ct, NoLearn: true, NoFDB: true})
	if err != nil {
		return nil, nil, nil, false, nil, err
	}
	// Runs of steps as the real side names them: pass, bridge entry
	// within the pass, bridge.
	pass, entry := -1, 0
	for i, l := range res.lines {
		switch l.kind {
		case lBridge:
			if i == 0 || res.lines[i-1].kind == lRecirc {
				pass, entry = pass+1, 0
			}
			entry++
		case lStep, lMiss:
			s := &res.Steps[l.ref]
			if s.Miss {
				steps = append(steps, -1-s.Table)
			} else if i := s.FlowIndex(); i >= 0 {
				steps = append(steps, offsets[s.Bridge]+i+1)
			} else {
				continue
			}
			bridges = append(bridges, fmt.Sprintf("%d/%d %s", pass, entry, s.Bridge))
		}
	}
	for _, o := range res.Outputs {
		switch {
		case o.Port == "CONTROLLER(pause)":
			// A paused pipeline shows no datapath action in the real
			// trace (the packet-in carries a continuation instead).
		case o.Kind == "controller":
			outputs = append(outputs, "CONTROLLER")
		default:
			outputs = append(outputs, portKey(o.Port, o.VLAN))
		}
	}
	sort.Strings(outputs)
	return steps, bridges, outputs, res.Verdict == VerdictLoop, res, nil
}

func sameInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// sameSegments compares two step sequences cut into runs (the steps from
// one entry into a bridge, labelled "pass/entry bridge" by the callers) as
// multisets of (pass, bridge, steps): what a flood to several patch ports
// visits in another order. A run split by a nested bridge counts as two.
func sameSegments(a []int, ab []string, b []int, bb []string) bool {
	x, y := segments(a, ab), segments(b, bb)
	sort.Strings(x)
	sort.Strings(y)
	return slices.Equal(x, y)
}

func segments(ids []int, bridges []string) []string {
	var out []string
	var cur strings.Builder
	for i, id := range ids {
		if i == 0 || bridges[i] != bridges[i-1] {
			if i > 0 {
				out = append(out, cur.String())
			}
			// The key drops the entry number: entries come in flood order.
			pass, rest, _ := strings.Cut(bridges[i], "/")
			_, br, _ := strings.Cut(rest, " ")
			cur.Reset()
			cur.WriteString(pass + " " + br + ":")
		}
		fmt.Fprintf(&cur, "%d,", id)
	}
	if len(ids) > 0 {
		out = append(out, cur.String())
	}
	return out
}

type diffStats struct {
	name                     string
	flows, loaded, probes    int
	same, sameModOrder, diff int
	// bothRefused counts the probes both sides refused (counted as same).
	bothRefused int
	refused     []string
	problems    []string
	mismatches  []string
	// traceProblems counts the real traces' lines ovs.ParseTrace did not
	// understand, by message.
	traceProblems map[string]int
	ours, real    time.Duration
}

// runDataset loads sw into a fresh real switch and compares n probes.
func runDataset(t *testing.T, name string, sw *Switch, vifs []vif, n int) diffStats {
	st := diffStats{name: name, traceProblems: map[string]int{}}
	o := startOVS(t)
	st.refused = o.loadSwitch(t, sw)
	st.problems = sw.Problems()
	offsets := map[string]int{}
	base := 0
	for _, b := range sw.Bridges {
		offsets[b.Name] = base
		base += len(b.Flows)
		st.flows += len(b.Flows)
	}
	st.loaded = st.flows - len(st.refused)
	if len(st.refused) > 0 {
		// Compare like with like: drop what OVS refused from our side too.
		refusedIdx := map[int]bool{}
		for _, r := range st.refused {
			if m := regexp.MustCompile(`cookie=(0x[0-9a-f]+)`).FindStringSubmatch(r); m != nil {
				v, _ := strconv.ParseUint(m[1], 0, 64)
				refusedIdx[int(v)] = true
			}
		}
		nsw := &Switch{Node: sw.Node}
		for _, b := range sw.Bridges {
			nb := *b
			nb.Flows = nil
			for i, f := range b.Flows {
				if refusedIdx[offsets[b.Name]+i+1] {
					// Keep the slot so indexes stay aligned: a flow that
					// can never match.
					f.Match = append(append([]matchT(nil), f.Match...), matchNever...)
				}
				nb.Flows = append(nb.Flows, f)
			}
			nsw.Bridges = append(nsw.Bridges, &nb)
		}
		sw = nsw
	}
	dp := o.dpPorts(t)
	probes := genProbes(sw, vifs, n, int64(len(name))*7919+int64(st.flows))
	st.probes = len(probes)
	for _, pr := range probes {
		t0 := time.Now()
		steps, bridges, outs, failed, res, ourErr := ourSide(sw, pr, offsets)
		st.ours += time.Since(t0)
		params := []string{pr.bridge, pr.flow}
		for _, c := range pr.ctNext {
			params = append(params, "--ct-next", c)
		}
		t1 := time.Now()
		text, realErr := o.appctl("ofproto/trace", params...)
		st.real += time.Since(t1)
		if ourErr != nil || realErr != nil {
			if ourErr != nil && realErr != nil {
				st.same++
				st.bothRefused++
				continue
			}
			st.diff++
			st.mismatches = append(st.mismatches, fmt.Sprintf("=== %s: ofproto/trace %s %s\nour error: %v\nreal error: %v\n", name, pr.bridge, pr.flow, ourErr, realErr))
			continue
		}
		rt, err := parseRealTrace(text, dp, pr.vlan)
		if err != nil {
			t.Fatalf("%s: ofproto/trace %s %s: %v\n%s", name, pr.bridge, pr.flow, err, text)
		}
		for _, is := range rt.problems {
			st.traceProblems[is.Msg]++
		}
		sameOut := strings.Join(outs, " ") == strings.Join(rt.outputs, " ") && failed == rt.failed
		switch {
		case sameInts(steps, rt.steps) && sameOut:
			st.same++
		case sameSegments(steps, bridges, rt.steps, rt.bridges) && sameOut && floodOrder(res):
			st.sameModOrder++
		default:
			st.diff++
			var b strings.Builder
			fmt.Fprintf(&b, "=== %s: ofproto/trace %s %s", name, pr.bridge, pr.flow)
			for _, c := range pr.ctNext {
				fmt.Fprintf(&b, " --ct-next %s", c)
			}
			fmt.Fprintf(&b, "\nsteps ours %v real %v\noutputs ours %v real %v (failed ours %v real %v)\n--- netxray\n", steps, rt.steps, outs, rt.outputs, failed, rt.failed)
			res.WriteText(&b)
			fmt.Fprintf(&b, "--- ovs-vswitchd\n%s\n", text)
			st.mismatches = append(st.mismatches, b.String())
		}
	}
	return st
}

// matchNever is appended to flows OVS refused so they keep their index but
// never match on our side either.
var matchNever = []matchT{{Key: "packet_type", Value: "0xdead"}}

// floodOrder reports whether a trace flooded to two or more patch ports:
// OVS visits a bridge's ports in hash order there, so the peer bridges'
// steps may come in a different order with the same result.
func floodOrder(r *Result) bool {
	for i, l := range r.lines {
		if l.kind == lEvent && strings.HasSuffix(r.lineText(l), "flooding") {
			n := 0
			for _, m := range r.lines[i+1:] {
				if m.kind == lBridge {
					n++
				}
			}
			if n >= 2 {
				return true
			}
		}
	}
	return false
}

func TestDifferentialRealOVS(t *testing.T) {
	needOVS(t)
	n := 10000
	if testing.Short() {
		n = 300
	}
	if v := os.Getenv("NETXRAY_DIFF_N"); v != "" {
		n, _ = strconv.Atoi(v)
	}
	// Reports go to NETXRAY_DIFF_REPORT, else to a fresh directory (runs
	// by several people on one machine must not mix their reports).
	reportDir := os.Getenv("NETXRAY_DIFF_REPORT")
	if reportDir == "" {
		d, err := os.MkdirTemp("", "netxray-ovs-diff-")
		if err != nil {
			t.Fatal(err)
		}
		reportDir = d
	}
	if err := os.MkdirAll(reportDir, 0o755); err != nil {
		t.Fatal(err)
	}
	var total diffStats
	var summary strings.Builder
	fmt.Fprintf(&summary, "%-32s %6s %6s %7s %7s %6s %5s %7s %10s %10s\n", "dataset", "flows", "loaded", "probes", "same", "order", "diff", "refused", "ours/tr", "real/tr")
	var datasets []dataset
	if shared := testenv.SharedIfPresent(t); shared != "" {
		root := filepath.Join(shared, "real")
		for _, ds := range realDatasets() {
			ds.sw = buildSwitch(t, root, ds)
			datasets = append(datasets, ds)
		}
	}
	datasets = append(datasets, labDatasets(t)...)
	for _, ds := range datasets {
		st := runDataset(t, ds.name, ds.sw, ds.vifs, n)
		per := func(d time.Duration) string { return (d / time.Duration(max(st.probes, 1))).String() }
		fmt.Fprintf(&summary, "%-32s %6d %6d %7d %7d %6d %5d %7d %10s %10s\n", st.name, st.flows, st.loaded, st.probes, st.same, st.sameModOrder, st.diff, st.bothRefused, per(st.ours), per(st.real))
		var rep strings.Builder
		fmt.Fprintf(&rep, "dataset %s: %d flows, %d loaded into OVS, %d probes: %d identical (%d of them refused by both sides), %d identical up to flood order, %d different\n", st.name, st.flows, st.loaded, st.probes, st.same, st.bothRefused, st.sameModOrder, st.diff)
		for _, r := range st.refused {
			fmt.Fprintf(&rep, "refused by OVS: %s\n", r)
		}
		for _, p := range st.problems {
			fmt.Fprintf(&rep, "simulator problem: %s\n", p)
		}
		for _, msg := range slices.Sorted(maps.Keys(st.traceProblems)) {
			fmt.Fprintf(&rep, "ovs.ParseTrace problem in %d real traces: %s\n", st.traceProblems[msg], msg)
		}
		for _, m := range st.mismatches {
			rep.WriteString(m)
		}
		if err := os.WriteFile(filepath.Join(reportDir, strings.ReplaceAll(ds.name, "/", "_")+".txt"), []byte(rep.String()), 0o644); err != nil {
			t.Error(err)
		}
		total.probes += st.probes
		total.same += st.same
		total.sameModOrder += st.sameModOrder
		total.diff += st.diff
		total.bothRefused += st.bothRefused
		total.ours += st.ours
		total.real += st.real
	}
	agree := float64(total.same+total.sameModOrder) / float64(max(total.probes, 1))
	fmt.Fprintf(&summary, "TOTAL %d probes, %d identical (%d refused by both), %d up to flood order, %d different: agreement %.4f%%\n", total.probes, total.same, total.bothRefused, total.sameModOrder, total.diff, 100*agree)
	if err := os.WriteFile(filepath.Join(reportDir, "summary.txt"), []byte(summary.String()), 0o644); err != nil {
		t.Error(err)
	}
	t.Logf("differential results (reports in %s):\n%s", reportDir, summary.String())
	if agree < 0.999 {
		t.Errorf("agreement %.4f%% is below 99.9%%; mismatches in %s", 100*agree, reportDir)
	}
}
