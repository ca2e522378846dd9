package dnsmasq

import (
	"io"

	"netxray/parse"
)

// Kinds of the formats this package parses (collect's catalog names).
const (
	KindHosts     parse.Kind = "dnsmasq-hosts"
	KindLeases    parse.Kind = "dnsmasq-leases"
	KindAddnHosts parse.Kind = "dnsmasq-addn-hosts"
)

// Formats lists the formats of this package for generic callers.
var Formats = []parse.Format{
	{
		Kind:  KindHosts,
		Doc:   "neutron dhcp agent's dnsmasq hosts file (dhcp/<net>/host, --dhcp-hostsfile)",
		Parse: func(r io.Reader, file string) (parse.Result, error) { return ParseHosts(r, file) },
		Sniff: sniffHosts,
	},
	{
		Kind:  KindLeases,
		Doc:   "dnsmasq lease database (dhcp/<net>/leases, --dhcp-leasefile)",
		Parse: func(r io.Reader, file string) (parse.Result, error) { return ParseLeases(r, file) },
		Sniff: sniffLeases,
	},
	{
		Kind:  KindAddnHosts,
		Doc:   "neutron dhcp agent's dnsmasq additional hosts (dhcp/<net>/addn_hosts, --addn-hosts)",
		Parse: func(r io.Reader, file string) (parse.Result, error) { return ParseAddnHosts(r, file) },
		Sniff: sniffAddnHosts,
	},
}
