package collect

import "netxray/parse"

// The kinds of source files the catalog knows. Command-output kinds are the
// parse.Format kinds of the parser packages; the others (configuration,
// version and bundle metadata files) are read by collect itself or by the
// analyzer.
const (
	KindOVSVsctlShow       parse.Kind = "ovs-vsctl-show"
	KindOVSVsctlListBr     parse.Kind = "ovs-vsctl-list-br"
	KindOVSVsctlList       parse.Kind = "ovs-vsctl-list"
	KindOVSDBClientDump    parse.Kind = "ovsdb-client-dump"
	KindOVSDBFile          parse.Kind = "ovsdb-file"
	KindOFCtlDumpFlows     parse.Kind = "ovs-ofctl-dump-flows"
	KindOFCtlShow          parse.Kind = "ovs-ofctl-show"
	KindOFCtlDumpPortsDesc parse.Kind = "ovs-ofctl-dump-ports-desc"
	KindOFCtlDumpPorts     parse.Kind = "ovs-ofctl-dump-ports"
	KindOFCtlDumpGroups    parse.Kind = "ovs-ofctl-dump-groups"
	KindAppCtlFDBShow      parse.Kind = "ovs-appctl-fdb-show"
	KindDPCtlDumpConntrack parse.Kind = "ovs-dpctl-dump-conntrack"
	KindDPCtlDumpFlows     parse.Kind = "ovs-dpctl-dump-flows"
	KindAppCtlListTunnels  parse.Kind = "ovs-appctl-list-tunnels"
	KindDPCtlShow          parse.Kind = "ovs-dpctl-show"
	KindAppCtlUpcallShow   parse.Kind = "ovs-appctl-upcall-show"
	KindIPAddr             parse.Kind = "ip-addr"
	KindIPLink             parse.Kind = "ip-link"
	KindIPRoute            parse.Kind = "ip-route"
	KindIPRule             parse.Kind = "ip-rule"
	KindIPNeigh            parse.Kind = "ip-neigh"
	KindIPNetns            parse.Kind = "ip-netns"
	KindBridgeFDB          parse.Kind = "bridge-fdb"
	KindBridgeLink         parse.Kind = "bridge-link"
	KindBrctlShow          parse.Kind = "brctl-show"
	KindConntrack          parse.Kind = "conntrack"
	KindIPTablesSave       parse.Kind = "iptables-save"
	KindIP6TablesSave      parse.Kind = "ip6tables-save"
	KindVirshList          parse.Kind = "virsh-list"
	KindVirshDomiflist     parse.Kind = "virsh-domiflist"
	KindLibvirtDomainXML   parse.Kind = "libvirt-domain-xml"
	KindOVNNbctlShow       parse.Kind = "ovn-nbctl-show"
	KindOVNSbctlShow       parse.Kind = "ovn-sbctl-show"
	KindPcap               parse.Kind = "pcap"
	KindPcapSidecar        parse.Kind = "pcap-sidecar"
	KindNeutronConf        parse.Kind = "neutron-conf"
	KindDnsmasqHosts       parse.Kind = "dnsmasq-hosts"
	KindDnsmasqLeases      parse.Kind = "dnsmasq-leases"
	KindDnsmasqAddnHosts   parse.Kind = "dnsmasq-addn-hosts"
	KindHostname           parse.Kind = "hostname"
	KindUname              parse.Kind = "uname"
	KindSosVersion         parse.Kind = "sos-version"
	KindSosManifest        parse.Kind = "sos-manifest"
	KindInstalledRPMs      parse.Kind = "installed-rpms"
	KindDpkgList           parse.Kind = "dpkg-l"
	KindSysctl             parse.Kind = "sysctl"
)

// KnownKinds lists every kind above, once. The catalog may name no other
// (a test checks it).
var KnownKinds = []parse.Kind{
	KindOVSVsctlShow, KindOVSVsctlListBr, KindOVSVsctlList, KindOVSDBClientDump,
	KindOVSDBFile, KindOFCtlDumpFlows, KindOFCtlShow, KindOFCtlDumpPortsDesc,
	KindOFCtlDumpPorts, KindOFCtlDumpGroups, KindAppCtlFDBShow,
	KindDPCtlDumpConntrack, KindDPCtlDumpFlows, KindAppCtlListTunnels,
	KindDPCtlShow, KindAppCtlUpcallShow, KindIPAddr, KindIPLink, KindIPRoute, KindIPRule, KindIPNeigh,
	KindIPNetns, KindBridgeFDB, KindBridgeLink, KindBrctlShow, KindConntrack,
	KindIPTablesSave, KindIP6TablesSave, KindVirshList, KindVirshDomiflist, KindLibvirtDomainXML,
	KindOVNNbctlShow, KindOVNSbctlShow, KindPcap, KindPcapSidecar,
	KindNeutronConf, KindDnsmasqHosts, KindDnsmasqLeases, KindDnsmasqAddnHosts,
	KindHostname, KindUname, KindSosVersion, KindSosManifest,
	KindInstalledRPMs, KindDpkgList, KindSysctl,
}
