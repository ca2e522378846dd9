// Package dnsmasq parses the files Neutron's DHCP agent writes for each
// network's dnsmasq under /var/lib/neutron/dhcp/<network-id>/: the DHCP
// hosts file `host` (--dhcp-hostsfile, kind "dnsmasq-hosts"), the lease
// database `leases` (--dhcp-leasefile, "dnsmasq-leases") and the DNS
// additional hosts file `addn_hosts` (--addn-hosts, "dnsmasq-addn-hosts").
//
// They tell which MAC addresses and IPs the agent hands out on a network
// and which leases dnsmasq holds, so the analyzer can compare them with the
// ports it finds on the nodes. The network a file belongs to is the key
// collect gives it (the directory name); the parsers only read the text.
//
// Each format has one file, one result type and one Parse function; Formats
// lists them for generic callers. A line the parser does not understand
// becomes an issue at its position; nothing is dropped silently.
package dnsmasq
