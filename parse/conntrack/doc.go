// Package conntrack parses connection tracking tables printed by
// conntrack-tools (`conntrack -L`, `conntrack -L -o extended`, the events of
// `conntrack -E`) and the kernel's /proc/net/nf_conntrack, which uses the
// extended layout.
//
// Neutron's iptables firewall drivers put each port (hybrid plug) or
// network (Linux bridge agent) into its own conntrack zone (4097 and up),
// so zones, marks and the NAT visible in the reply tuple are what the
// analyzer mostly reads here.
package conntrack
