package collect

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"netxray/parse"
)

// Scope says what the key of a logical source names.
type Scope string

// Scopes. Host, Table, DB and File sources have one fixed key (Source.Key);
// the others take their key from the file name (a bridge, a namespace...).
const (
	ScopeHost      Scope = "host"
	ScopeTable     Scope = "table"  // an OVSDB table dumped by ovs-vsctl list
	ScopeDB        Scope = "db"     // an OVSDB database file
	ScopeFile      Scope = "file"   // a configuration file
	ScopeBridge    Scope = "bridge" // an OVS bridge
	ScopeNamespace Scope = "namespace"
	ScopeDomain    Scope = "domain"  // a libvirt domain (instance-0000xxxx)
	ScopeNetwork   Scope = "network" // a neutron network (dnsmasq files)
	ScopeCapture   Scope = "capture" // a packet capture
)

// Source is one logical source: what it is (Kind), what it is per (Scope)
// and every file that may hold it, best first.
type Source struct {
	Kind  parse.Kind
	Scope Scope
	// Key is the fixed key of a source that exists once per node (an OVSDB
	// table, a database or configuration file); "" for host sources and for
	// sources whose key comes from the file name.
	Key string
	// Variants are the file names that hold this source, best first: JSON
	// before text, netxray's richer commands before sos's, newer sos names
	// before older ones.
	Variants []Variant
}

// Variant is one file name that holds a source. Either Cmd (a command whose
// output sos or netxray saved under MangleCommand(Cmd) in Dir) or File (a
// file copied from the node, relative to the bundle root) is set.
//
// Templates may use placeholders. The key placeholders {br} {ns} {dom}
// {net} {name} capture the source's key (the first one in the path does;
// repeats only have to be present). The others match without capturing:
// {of} an OpenFlow version (OpenFlow10..15; the highest wins), {dp} a
// datapath (system@ovs-system mangled), {pfx} the optional Sunbeam/MicroOVN
// command prefix ("openstack-hypervisor.", "microovn."), {ctr} an optional
// "podman exec CONTAINER " prefix, {any} one path component.
type Variant struct {
	Dir  string
	Cmd  string
	File string
	// Era says who writes this name, e.g. "sos>=4.4", "netxray".
	Era string
	// Form is "json" for `ip -j` outputs, "" for text.
	Form string
}

// Path returns the template of the variant's path, with MangleCommand
// applied to commands (placeholders are kept as written).
func (v Variant) Path() string {
	if v.File != "" {
		return v.File
	}
	return v.Dir + "/" + unsentinel(MangleCommand(sentinel(v.Cmd)))
}

const (
	dirOVS    = "sos_commands/openvswitch"
	dirNet    = "sos_commands/networking"
	dirNetNS  = "sos_commands/networking/namespaces/{ns}"
	dirCT     = "sos_commands/conntrack"
	dirVirsh  = "sos_commands/virsh"
	dirOVNC   = "sos_commands/ovn_central"
	dirOVNH   = "sos_commands/ovn_host"
	dirNX     = "sos_commands/netxray"
	dirNXNS   = "sos_commands/netxray/namespaces/{ns}"
	dirNXPcap = "sos_commands/netxray/pcap"

	netns = "ip netns exec {ns} "
)

func sos(dir, cmd, era string) Variant { return Variant{Dir: dir, Cmd: cmd, Era: era} }
func nx(dir, cmd string) Variant       { return Variant{Dir: dir, Cmd: cmd, Era: "netxray"} }

// nxJSON is a netxray `ip -j` variant. It comes after the text variants:
// ip prints its JSON on one line, so its records could cite only line 1,
// where the text cites each rule, route and entry on its own line.
func nxJSON(dir, cmd string) Variant {
	return Variant{Dir: dir, Cmd: cmd, Era: "netxray", Form: "json"}
}
func file(path, era string) Variant { return Variant{File: path, Era: era} }

// files returns one File variant per directory for the same file name.
func files(name, era string, dirs ...string) []Variant {
	var vs []Variant
	for _, d := range dirs {
		vs = append(vs, file(d+"/"+name, era))
	}
	return vs
}

func cat(vss ...[]Variant) []Variant {
	var all []Variant
	for _, vs := range vss {
		all = append(all, vs...)
	}
	return all
}

// neutronDirs are where neutron's configuration lives: packages, TripleO's
// container config, kolla's per-service directories.
var neutronDirs = []string{
	"etc/neutron",
	"var/lib/config-data/puppet-generated/neutron/etc/neutron",
	"etc/kolla/{any}",
}

// neutronConf lists the configuration files the analyzer reads (agent mode,
// firewall driver, local_ip, MTU), relative to a neutron directory.
var neutronConf = []string{
	"neutron.conf",
	"plugins/ml2/ml2_conf.ini",
	"plugins/ml2/openvswitch_agent.ini",
	"plugins/ml2/linuxbridge_agent.ini",
	"l3_agent.ini",
	"dhcp_agent.ini",
	"metadata_agent.ini",
}

// Catalog is the table of every logical source and the file names that hold
// it, per sos era and for netxray's own layout. Eras follow sos's plugins:
// sos 3.x-4.0 keep per-namespace files flat in sos_commands/networking and
// collect no per-namespace rules or neighbours; 4.1-4.2 add them, still
// flat; 4.3 moves them to namespaces/<ns>/; 4.4 renames `ip rule list` to
// `ip -4 rule list`. netxray writes sos's names plus its extras under
// sos_commands/netxray/.
var Catalog = buildCatalog()

func buildCatalog() []Source {
	srcs := []Source{
		// Open vSwitch, host level.
		{Kind: KindOVSVsctlShow, Scope: ScopeHost, Variants: []Variant{
			sos(dirOVS, "{pfx}ovs-vsctl -t 5 show", "sos"),
		}},
		{Kind: KindOVSVsctlListBr, Scope: ScopeHost, Variants: []Variant{
			sos(dirOVS, "{pfx}ovs-vsctl -t 5 list-br", "sos>=3.9"),
			sos(dirOVNH, "{pfx}ovs-vsctl list-br", "sos ovn_host"),
		}},
		{Kind: KindOVSVsctlList, Scope: ScopeTable, Key: "Port", Variants: []Variant{
			nx(dirNX, "ovs-vsctl -t 5 list Port"),
		}},
		{Kind: KindOVSVsctlList, Scope: ScopeTable, Key: "Interface", Variants: []Variant{
			nx(dirNX, "ovs-vsctl -t 5 list Interface"),
			sos(dirOVS, "{pfx}ovs-vsctl -t 5 list interface", "sos>=4.0"),
			sos(dirOVS, "ovs-vsctl list interface", "sos 3.9"),
		}},
		{Kind: KindOVSVsctlList, Scope: ScopeTable, Key: "Bridge", Variants: []Variant{
			nx(dirNX, "ovs-vsctl -t 5 list Bridge"),
			sos(dirOVS, "{pfx}ovs-vsctl -t 5 list bridge", "sos>=4.0"),
			sos(dirOVS, "ovs-vsctl list bridge", "sos 3.9"),
		}},
		{Kind: KindOVSVsctlList, Scope: ScopeTable, Key: "Open_vSwitch", Variants: []Variant{
			nx(dirNX, "ovs-vsctl -t 5 list Open_vSwitch"),
			sos(dirOVS, "{pfx}ovs-vsctl -t 5 list Open_vSwitch", "sos>=4.0"),
			sos(dirOVS, "ovs-vsctl list Open_vSwitch", "sos 3.9"),
			sos(dirOVNH, "{pfx}ovs-vsctl list Open_vSwitch", "sos ovn_host"),
		}},
		{Kind: KindOVSDBClientDump, Scope: ScopeHost, Variants: []Variant{
			sos(dirOVS, "{pfx}ovsdb-client -f list dump", "sos 3.5-4.2"),
		}},
		{Kind: KindOVSDBFile, Scope: ScopeDB, Key: "conf.db", Variants: files("conf.db", "sos>=4.3",
			"etc/openvswitch", "var/lib/openvswitch", "usr/local/etc/openvswitch",
			"var/snap/openstack-hypervisor/common/etc/openvswitch")},
		{Kind: KindOVSDBFile, Scope: ScopeDB, Key: "ovnnb_db.db", Variants: files("ovnnb_db.db", "sos ovn_central",
			"var/lib/ovn", "var/lib/openvswitch/ovn", "etc/openvswitch", "var/lib/openvswitch",
			"usr/local/etc/openvswitch", "var/lib/ovn/etc", "var/snap/microovn/common/data/central/db")},
		{Kind: KindOVSDBFile, Scope: ScopeDB, Key: "ovnsb_db.db", Variants: files("ovnsb_db.db", "sos ovn_central",
			"var/lib/ovn", "var/lib/openvswitch/ovn", "etc/openvswitch", "var/lib/openvswitch",
			"usr/local/etc/openvswitch", "var/lib/ovn/etc", "var/snap/microovn/common/data/central/db")},

		// Open vSwitch, per bridge.
		{Kind: KindOFCtlDumpFlows, Scope: ScopeBridge, Variants: []Variant{
			nx(dirNX, "ovs-ofctl -O OpenFlow13 --names dump-flows {br}"),
			nx(dirNX, "ovs-ofctl --names dump-flows {br}"),
			sos(dirOVS, "{pfx}ovs-ofctl -O {of} dump-flows {br}", "sos>=3.5"),
			sos(dirOVNH, "{pfx}ovs-ofctl -O OpenFlow13 dump-flows {br}", "sos ovn_host"),
			sos(dirOVS, "{pfx}ovs-ofctl dump-flows {br}", "sos"),
		}},
		{Kind: KindOFCtlShow, Scope: ScopeBridge, Variants: []Variant{
			sos(dirOVS, "{pfx}ovs-ofctl -O {of} show {br}", "sos>=3.9"),
			sos(dirOVS, "{pfx}ovs-ofctl show {br}", "sos"),
		}},
		{Kind: KindOFCtlDumpPortsDesc, Scope: ScopeBridge, Variants: []Variant{
			sos(dirOVS, "{pfx}ovs-ofctl -O {of} dump-ports-desc {br}", "sos>=3.5"),
			sos(dirOVS, "{pfx}ovs-ofctl dump-ports-desc {br}", "sos"),
		}},
		{Kind: KindOFCtlDumpPorts, Scope: ScopeBridge, Variants: []Variant{
			sos(dirOVS, "{pfx}ovs-ofctl dump-ports {br}", "sos"),
		}},
		{Kind: KindOFCtlDumpGroups, Scope: ScopeBridge, Variants: []Variant{
			nx(dirNX, "ovs-ofctl -O OpenFlow13 dump-groups {br}"),
			sos(dirOVS, "{pfx}ovs-ofctl -O {of} dump-groups {br}", "sos>=3.9"),
			sos(dirOVS, "{pfx}ovs-ofctl dump-groups {br}", "sos>=4.7"),
		}},
		{Kind: KindAppCtlFDBShow, Scope: ScopeBridge, Variants: []Variant{
			nx(dirNX, "ovs-appctl fdb/show {br}"),
			sos(dirOVS, "{pfx}ovs-appctl fdb/show {br}", "sos"),
		}},

		// Open vSwitch datapath: one per node in practice ({dp} is usually
		// system@ovs-system; the first in name order wins).
		{Kind: KindDPCtlDumpConntrack, Scope: ScopeHost, Variants: []Variant{
			nx(dirNX, "ovs-appctl dpctl/dump-conntrack -m"),
			sos(dirOVS, "{pfx}ovs-appctl dpctl/dump-conntrack -m {dp}", "sos>=4.0"),
		}},
		{Kind: KindDPCtlDumpFlows, Scope: ScopeHost, Variants: []Variant{
			sos(dirOVS, "{pfx}ovs-appctl dpctl/dump-flows -m {dp}", "sos>=4.0"),
			sos(dirOVS, "ovs-dpctl dump-flows -m", "sos 3.5-3.9"),
			sos(dirOVS, "{pfx}ovs-dpctl dump-flows --name -m type=ovs", "sos>=4.2"),
			sos(dirOVS, "ovs-appctl dpctl/dump-flows", "sos 3.9"),
		}},
		{Kind: KindDPCtlShow, Scope: ScopeHost, Variants: []Variant{
			sos(dirOVS, "{pfx}ovs-appctl dpctl/show -s {dp}", "sos>=4.0"),
			sos(dirOVS, "ovs-appctl dpctl/show -s", "sos 3.5-3.9"),
			sos(dirOVS, "ovs-dpctl -s show", "sos 3.x"),
			sos(dirOVS, "{pfx}ovs-dpctl show -s", "sos 6WIND"),
		}},
		{Kind: KindAppCtlListTunnels, Scope: ScopeHost, Variants: []Variant{
			sos(dirOVS, "{pfx}ovs-appctl ofproto/list-tunnels", "sos>=4.0"),
		}},
		{Kind: KindAppCtlUpcallShow, Scope: ScopeHost, Variants: []Variant{
			sos(dirOVS, "{pfx}ovs-appctl upcall/show", "sos"),
		}},

		// Linux networking, host level.
		{Kind: KindIPAddr, Scope: ScopeHost, Variants: []Variant{
			sos(dirNet, "ip -d address", "sos>=3.5"),
			sos(dirNet, "ip address", "sos<=3.4"),
			sos(dirNet, "ip -o addr", "sos>=3.4"),
			nxJSON(dirNX, "ip -j -d address show"),
		}},
		{Kind: KindIPLink, Scope: ScopeHost, Variants: []Variant{
			sos(dirNet, "ip -s -d link", "sos>=3.5"),
			sos(dirNet, "ip -s link", "sos 3.4"),
			sos(dirNet, "ip link", "sos<=3.3"),
		}},
		{Kind: KindIPRoute, Scope: ScopeHost, Variants: []Variant{
			sos(dirNet, "ip route show table all", "sos"),
			nxJSON(dirNX, "ip -j route show table all"),
		}},
		{Kind: KindIPRule, Scope: ScopeHost, Variants: []Variant{
			sos(dirNet, "ip -4 rule list", "sos>=4.4"),
			sos(dirNet, "ip -4 rule", "sos 3.4-4.3"),
			nxJSON(dirNX, "ip -j rule list"),
		}},
		{Kind: KindIPNeigh, Scope: ScopeHost, Variants: []Variant{
			sos(dirNet, "ip -s -s neigh show", "sos>=3.9"),
			sos(dirNet, "ip neigh show", "sos<=3.8"),
			nxJSON(dirNX, "ip -j neigh show"),
		}},
		{Kind: KindIPNetns, Scope: ScopeHost, Variants: []Variant{
			sos(dirNet, "ip netns", "sos"),
		}},
		{Kind: KindBridgeFDB, Scope: ScopeHost, Variants: []Variant{
			sos(dirNet, "bridge -s -s -d -t fdb show", "sos>=3.7"),
		}},
		{Kind: KindBridgeLink, Scope: ScopeHost, Variants: []Variant{
			sos(dirNet, "bridge -s -s -d link show", "sos>=3.7"),
		}},
		{Kind: KindBrctlShow, Scope: ScopeHost, Variants: []Variant{
			sos(dirNet, "brctl show", "sos<=3.6"),
		}},
		{Kind: KindConntrack, Scope: ScopeHost, Variants: []Variant{
			sos(dirCT, "conntrack -L -o extended", "sos>=4.1"),
		}},
		{Kind: KindIPTablesSave, Scope: ScopeHost, Variants: []Variant{
			nx(dirNX, "iptables-save"),
			nx(dirNet, "iptables-save"),
		}},
		{Kind: KindIP6TablesSave, Scope: ScopeHost, Variants: []Variant{
			nx(dirNX, "ip6tables-save"),
			nx(dirNet, "ip6tables-save"),
		}},

		// Linux networking, per namespace.
		{Kind: KindIPAddr, Scope: ScopeNamespace, Variants: []Variant{
			nx(dirNXNS, netns+"ip -d address show"),
			sos(dirNetNS, netns+"ip -d address show", "sos>=4.3"),
			sos(dirNet, netns+"ip address show", "sos 3.4-4.2"),
			nxJSON(dirNXNS, netns+"ip -j -d address show"),
		}},
		{Kind: KindIPRoute, Scope: ScopeNamespace, Variants: []Variant{
			nx(dirNXNS, netns+"ip route show table all"),
			sos(dirNetNS, netns+"ip route show table all", "sos>=4.3"),
			sos(dirNet, netns+"ip route show table all", "sos 3.4-4.2"),
			nxJSON(dirNXNS, netns+"ip -j route show table all"),
		}},
		{Kind: KindIPRule, Scope: ScopeNamespace, Variants: []Variant{
			nx(dirNXNS, netns+"ip rule list"),
			sos(dirNetNS, netns+"ip -4 rule list", "sos>=4.4"),
			sos(dirNetNS, netns+"ip rule list", "sos 4.3"),
			sos(dirNet, netns+"ip rule list", "sos 4.1-4.2"),
			nxJSON(dirNXNS, netns+"ip -j rule list"),
		}},
		{Kind: KindIPNeigh, Scope: ScopeNamespace, Variants: []Variant{
			nx(dirNXNS, netns+"ip neigh show"),
			sos(dirNetNS, netns+"ip -s -s neigh show", "sos>=4.3"),
			sos(dirNet, netns+"ip -s -s neigh show", "sos 4.1-4.2"),
			nxJSON(dirNXNS, netns+"ip -j neigh show"),
		}},
		{Kind: KindIPTablesSave, Scope: ScopeNamespace, Variants: []Variant{
			nx(dirNXNS, netns+"iptables-save"),
			sos(dirNetNS, netns+"iptables-save", "sos>=4.3"),
			sos(dirNet, netns+"iptables-save", "sos 3.4-4.2"),
		}},
		{Kind: KindIP6TablesSave, Scope: ScopeNamespace, Variants: []Variant{
			nx(dirNXNS, netns+"ip6tables-save"),
			sos(dirNetNS, netns+"ip6tables-save", "sos>=4.3"),
			sos(dirNet, netns+"ip6tables-save", "sos 3.4-4.2"),
		}},
		{Kind: KindConntrack, Scope: ScopeNamespace, Variants: []Variant{
			nx(dirNXNS, netns+"conntrack -L -o extended"),
			sos(dirCT, netns+"conntrack -L -o extended", "sos>=4.1"),
		}},
		{Kind: KindSysctl, Scope: ScopeNamespace, Variants: []Variant{
			sos(dirNetNS, netns+"sysctl -a", "sos>=4.5 (2023+)"),
		}},

		// libvirt.
		{Kind: KindVirshList, Scope: ScopeHost, Variants: []Variant{
			sos(dirVirsh, "virsh -r list --all", "sos"),
		}},
		{Kind: KindVirshDomiflist, Scope: ScopeDomain, Variants: []Variant{
			nx(dirNX, "virsh -r domiflist {dom}"),
		}},
		{Kind: KindLibvirtDomainXML, Scope: ScopeDomain, Variants: []Variant{
			sos(dirVirsh, "virsh -r dumpxml {dom}", "sos"),
			file("run/libvirt/qemu/{dom}.xml", "sos libvirt"),
			file("etc/libvirt/qemu/{dom}.xml", "sos libvirt"),
		}},

		// OVN central.
		{Kind: KindOVNNbctlShow, Scope: ScopeHost, Variants: []Variant{
			sos(dirOVNC, "{ctr}{pfx}ovn-nbctl --no-leader-only show", "sos>=4.5"),
			sos(dirOVNC, "{ctr}{pfx}ovn-nbctl show", "sos<=4.4"),
		}},
		{Kind: KindOVNSbctlShow, Scope: ScopeHost, Variants: []Variant{
			sos(dirOVNC, "{ctr}{pfx}ovn-sbctl --no-leader-only show", "sos>=4.5"),
			sos(dirOVNC, "{ctr}{pfx}ovn-sbctl show", "sos<=4.4"),
		}},

		// netxray packet captures.
		{Kind: KindPcap, Scope: ScopeCapture, Variants: []Variant{
			file(dirNXPcap+"/{name}.pcap", "netxray"),
			file(dirNXPcap+"/{name}.pcapng", "netxray"),
		}},
		{Kind: KindPcapSidecar, Scope: ScopeCapture, Variants: []Variant{
			file(dirNXPcap+"/{name}.json", "netxray"),
		}},

		// neutron's dnsmasq files, per network.
		{Kind: KindDnsmasqHosts, Scope: ScopeNetwork, Variants: []Variant{
			file("var/lib/neutron/dhcp/{net}/host", "sos"),
		}},
		{Kind: KindDnsmasqLeases, Scope: ScopeNetwork, Variants: []Variant{
			file("var/lib/neutron/dhcp/{net}/leases", "sos"),
		}},
		{Kind: KindDnsmasqAddnHosts, Scope: ScopeNetwork, Variants: []Variant{
			file("var/lib/neutron/dhcp/{net}/addn_hosts", "sos"),
		}},

		// Node identity and versions.
		{Kind: KindHostname, Scope: ScopeHost, Variants: []Variant{
			file("hostname", "sos"),
			sos("sos_commands/host", "hostname", "sos>=3.6"),
			sos("sos_commands/general", "hostname", "sos<=3.5"),
			file("etc/hostname", "sos"),
		}},
		{Kind: KindSysctl, Scope: ScopeHost, Variants: []Variant{
			sos("sos_commands/kernel", "sysctl -a", "sos"),
		}},
		{Kind: KindUname, Scope: ScopeHost, Variants: []Variant{
			file("uname", "sos"),
			sos("sos_commands/kernel", "uname -a", "sos"),
		}},
		{Kind: KindSosVersion, Scope: ScopeHost, Variants: []Variant{
			file("version.txt", "sos"),
		}},
		{Kind: KindSosManifest, Scope: ScopeHost, Variants: []Variant{
			file("sos_reports/manifest.json", "sos>=4.0"),
		}},
		{Kind: KindInstalledRPMs, Scope: ScopeHost, Variants: []Variant{
			file("installed-rpms", "sos"),
			sos("sos_commands/rpm", "package-data", "sos"),
		}},
		{Kind: KindDpkgList, Scope: ScopeHost, Variants: []Variant{
			sos("sos_commands/dpkg", "dpkg -l", "sos"),
			file("installed-debs", "sos"),
		}},
	}
	for _, name := range neutronConf {
		base := name[strings.LastIndexByte(name, '/')+1:]
		vs := files(name, "sos openstack_neutron", neutronDirs[:2]...)
		vs = append(vs, file(neutronDirs[2]+"/"+base, "kolla"))
		srcs = append(srcs, Source{Kind: KindNeutronConf, Scope: ScopeFile, Key: base, Variants: vs})
	}
	return srcs
}

// Placeholders survive MangleCommand as word-only sentinels.
var (
	placeholderRE = regexp.MustCompile(`\{([a-z]+)\}`)
	sentinelRE    = regexp.MustCompile(`QQ([a-z]+)QQ`)
)

func sentinel(s string) string   { return placeholderRE.ReplaceAllString(s, "QQ${1}QQ") }
func unsentinel(s string) string { return sentinelRE.ReplaceAllString(s, "{${1}}") }

// keyPlaceholders are the placeholders that capture a source's key.
var keyPlaceholders = map[string]bool{"br": true, "ns": true, "dom": true, "net": true, "name": true}

// placeholderRegexp is what each placeholder matches.
var placeholderRegexp = map[string]string{
	"br": `[^/]+`, "ns": `[^/]+`, "dom": `[^/]+`, "net": `[^/]+`, "name": `[^/]+`,
	"any": `[^/]+`,
	"of":  `OpenFlow1[0-5]`,
	"dp":  `[^/]+`,
	"pfx": `(?:openstack-hypervisor\.|microovn\.)?`,
	"ctr": `(?:(?:podman|docker)_exec_[^/]+?_)?`,
}

// compiled is a Variant ready to match paths relative to a node root.
type compiled struct {
	src     int // index in Catalog
	variant int // index in Source.Variants
	re      *regexp.Regexp
	// tailed matches the copy sos keeps in sos_strings/ when it truncated
	// the output or file ("<name>.tailed").
	tailed *regexp.Regexp
	// base matches the file name alone, for KindOfPath on loose files;
	// nil for copied files, whose names say nothing without their
	// directory.
	base *regexp.Regexp
	// dir and tailedDir are the literal directory parts of the templates,
	// which index the catalog (see byDir).
	dir, tailedDir string
}

// templateRegexp turns a path template into a regexp source, anchored, with
// the first key placeholder as group "key" and {of} as group "of".
func templateRegexp(tmpl string) (string, error) {
	var b strings.Builder
	b.WriteString("^")
	haveKey, haveOF := false, false
	last := 0
	for _, m := range placeholderRE.FindAllStringSubmatchIndex(tmpl, -1) {
		b.WriteString(regexp.QuoteMeta(tmpl[last:m[0]]))
		name := tmpl[m[2]:m[3]]
		frag, ok := placeholderRegexp[name]
		if !ok {
			return "", fmt.Errorf("unknown placeholder {%s} in %q", name, tmpl)
		}
		switch {
		case keyPlaceholders[name] && !haveKey:
			frag, haveKey = "(?P<key>"+frag+")", true
		case name == "of" && !haveOF:
			frag, haveOF = "(?P<of>"+frag+")", true
		}
		b.WriteString(frag)
		last = m[1]
	}
	b.WriteString(regexp.QuoteMeta(tmpl[last:]))
	b.WriteString("$")
	return b.String(), nil
}

// literalDir is the directory part of tmpl before its first placeholder.
func literalDir(tmpl string) string {
	if i := strings.IndexByte(tmpl, '{'); i >= 0 {
		tmpl = tmpl[:i]
	}
	if i := strings.LastIndexByte(tmpl, '/'); i >= 0 {
		return tmpl[:i]
	}
	return ""
}

func compileVariant(si, vi int, v Variant) (*compiled, error) {
	tmpl := v.Path()
	src, err := templateRegexp(tmpl)
	if err != nil {
		return nil, err
	}
	c := &compiled{src: si, variant: vi, re: regexp.MustCompile(src), dir: literalDir(tmpl)}
	var tailed string
	if v.File != "" {
		// sos_strings/<plugin>/<path with / as .>.tailed
		tailed = "sos_strings/{any}/" + strings.ReplaceAll(v.File, "/", ".") + ".tailed"
	} else if strings.HasPrefix(v.Dir, "sos_commands/") {
		tailed = "sos_strings/" + strings.TrimPrefix(tmpl, "sos_commands/") + ".tailed"
	}
	if tailed != "" {
		src, err := templateRegexp(tailed)
		if err != nil {
			return nil, err
		}
		c.tailed = regexp.MustCompile(src)
		c.tailedDir = literalDir(tailed)
	}
	if v.Cmd != "" {
		src, err := templateRegexp(tmpl[strings.LastIndexByte(tmpl, '/')+1:])
		if err != nil {
			return nil, err
		}
		c.base = regexp.MustCompile(src)
	}
	return c, nil
}

// compiledCatalog is Catalog compiled once.
var compiledCatalog = mustCompile(Catalog)

// byDir and byTailedDir index compiledCatalog by literal directory, so a
// path is only tested against the variants of its own directories: the
// archive reader asks about every member of a sosreport (hundreds of
// thousands).
var byDir, byTailedDir = indexByDir(compiledCatalog)

func indexByDir(cs []*compiled) (byDir, byTailed map[string][]*compiled) {
	byDir, byTailed = map[string][]*compiled{}, map[string][]*compiled{}
	for _, c := range cs {
		byDir[c.dir] = append(byDir[c.dir], c)
		if c.tailed != nil {
			byTailed[c.tailedDir] = append(byTailed[c.tailedDir], c)
		}
	}
	return byDir, byTailed
}

func mustCompile(srcs []Source) []*compiled {
	var cs []*compiled
	for si, s := range srcs {
		for vi, v := range s.Variants {
			c, err := compileVariant(si, vi, v)
			if err != nil {
				panic(fmt.Sprintf("collect: catalog %s: %v", s.Kind, err))
			}
			cs = append(cs, c)
		}
	}
	return cs
}

// match is one file matched by one catalog variant.
type match struct {
	c      *compiled
	key    string
	of     int  // OpenFlow version number (13 for OpenFlow13), 0 if none
	tailed bool // the sos_strings/*.tailed copy
}

func (c *compiled) matchRE(re *regexp.Regexp, p string) (match, bool) {
	if re == nil {
		return match{}, false
	}
	m := re.FindStringSubmatch(p)
	if m == nil {
		return match{}, false
	}
	mt := match{c: c, key: Catalog[c.src].Key}
	for i, name := range re.SubexpNames() {
		switch name {
		case "key":
			mt.key = m[i]
		case "of":
			mt.of, _ = strconv.Atoi(strings.TrimPrefix(m[i], "OpenFlow"))
		}
	}
	return mt, true
}

// matchPath returns every catalog variant matching p, a slash-separated path
// relative to a node root, in catalog order.
func matchPath(p string) []match {
	var ms []match
	eachCandidate(p, func(c *compiled, tailed bool) bool {
		re := c.re
		if tailed {
			re = c.tailed
		}
		if mt, ok := c.matchRE(re, p); ok {
			mt.tailed = tailed
			ms = append(ms, mt)
		}
		return true
	})
	sort.SliceStable(ms, func(i, j int) bool {
		a, b := ms[i].c, ms[j].c
		if a.src != b.src {
			return a.src < b.src
		}
		return a.variant < b.variant
	})
	return ms
}

// inCatalog reports whether any catalog variant matches p.
func inCatalog(p string) bool {
	found := false
	eachCandidate(p, func(c *compiled, tailed bool) bool {
		re := c.re
		if tailed {
			re = c.tailed
		}
		found = re.MatchString(p)
		return !found
	})
	return found
}

// eachCandidate calls fn with the variants (or their sos_strings copies,
// tailed) whose literal directory is one of p's ancestors, until fn
// returns false.
func eachCandidate(p string, fn func(c *compiled, tailed bool) bool) {
	for dir := p; ; {
		i := strings.LastIndexByte(dir, '/')
		if i < 0 {
			dir = ""
		} else {
			dir = dir[:i]
		}
		for _, c := range byDir[dir] {
			if !fn(c, false) {
				return
			}
		}
		if strings.HasPrefix(dir, "sos_strings") {
			for _, c := range byTailedDir[dir] {
				if !fn(c, true) {
					return
				}
			}
		}
		if dir == "" {
			return
		}
	}
}

// KindOfPath tells which kind of source a file holds from its name alone,
// for `netxray parse` on loose files. p may be a path inside a bundle
// ("sos_commands/openvswitch/ovs-ofctl_dump-flows_br-int"), a path on disk
// that contains one, or a bare command-output file name (a trailing ".txt"
// or ".out" is ignored). key is the bridge, namespace, domain... the name
// names, if any.
func KindOfPath(p string) (kind parse.Kind, key string, ok bool) {
	p = strings.ReplaceAll(p, "\\", "/")
	for _, q := range []string{strings.TrimSuffix(strings.TrimSuffix(p, ".txt"), ".out"), p} {
		// Anchor at every directory boundary, so bundle paths work inside
		// longer paths on disk.
		for rest := q; ; {
			if ms := matchPath(rest); len(ms) > 0 {
				return Catalog[ms[0].c.src].Kind, ms[0].key, true
			}
			i := strings.IndexByte(rest, '/')
			if i < 0 {
				break
			}
			rest = rest[i+1:]
		}
		base := q[strings.LastIndexByte(q, '/')+1:]
		for _, c := range compiledCatalog {
			if mt, ok := c.matchRE(c.base, base); ok {
				return Catalog[c.src].Kind, mt.key, true
			}
		}
	}
	return "", "", false
}
