package netstack

import (
	"net/netip"
	"strings"
	"testing"

	"netxray/parse"
	"netxray/parse/iproute"
)

// nsText builds a namespace from inline command outputs, read by the real
// parsers; a "" source is taken as not collected (rules: "-" for collected
// but empty).
func nsText(t testing.TB, name, addrs, routes, rules, neighs string) *Namespace {
	t.Helper()
	ns := &Namespace{Name: name, Kind: "other"}
	if i := strings.IndexByte(name, '-'); i > 0 {
		ns.Kind = name[:i]
	}
	if addrs != "" {
		x, err := iproute.ParseAddr(strings.NewReader(dedent(addrs)), name+"/ip_addr")
		must(t, err, x.Issues)
		for i := range x.Interfaces {
			ns.Interfaces = append(ns.Interfaces, &x.Interfaces[i])
		}
		ns.Have.Interfaces = true
	}
	if routes != "" {
		x, err := iproute.ParseRoute(strings.NewReader(dedent(routes)), name+"/ip_route")
		must(t, err, x.Issues)
		ns.Routes, ns.Have.Routes = x.Routes, true
	}
	if rules != "" {
		if rules != "-" {
			x, err := iproute.ParseRule(strings.NewReader(dedent(rules)), name+"/ip_rule")
			must(t, err, x.Issues)
			ns.Rules4 = x.Rules
		}
		ns.Have.Rules4 = true
	}
	if neighs != "" {
		if neighs != "-" {
			x, err := iproute.ParseNeigh(strings.NewReader(dedent(neighs)), name+"/ip_neigh")
			must(t, err, x.Issues)
			ns.Neighbors = x.Neighbors
		}
		ns.Have.Neighbors = true
	}
	return ns
}

func must(t testing.TB, err error, issues parse.Issues) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	if len(issues) > 0 {
		t.Fatalf("parse problems: %v", issues)
	}
}

// dedent strips the common leading tabs of a raw-string test input and its
// first newline. Continuation lines keep their extra indentation.
func dedent(s string) string {
	s = strings.TrimPrefix(s, "\n")
	lines := strings.Split(s, "\n")
	cut := -1
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			continue
		}
		n := len(l) - len(strings.TrimLeft(l, "\t"))
		if cut < 0 || n < cut {
			cut = n
		}
	}
	for i, l := range lines {
		if len(l) >= cut && cut > 0 {
			lines[i] = l[cut:]
		}
	}
	return strings.Join(lines, "\n")
}

func addr(s string) netip.Addr {
	if s == "" {
		return netip.Addr{}
	}
	return netip.MustParseAddr(s)
}

// The cmp1 qrouter of the lab (fixtures/bundles/healthy), trimmed to IPv4.
const (
	qrouterAddrs = `
	1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000
	    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00
	    inet 127.0.0.1/8 scope host lo
	2: rfp-907f4d76-d@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default qlen 1000
	    link/ether 62:bb:d7:6e:b9:ad brd ff:ff:ff:ff:ff:ff link-netns fip-9eddc250-ee08-4265-a589-4b1cbf078191
	    inet 169.254.88.134/31 scope global rfp-907f4d76-d
	13: qr-2e3a3302-66: <BROADCAST,MULTICAST,PROMISC,UP,LOWER_UP> mtu 1450 qdisc pfifo_fast state UNKNOWN group default qlen 1000
	    link/ether fa:16:3e:f3:f0:0e brd ff:ff:ff:ff:ff:ff
	    inet 10.10.2.1/24 brd 10.10.2.255 scope global qr-2e3a3302-66
	14: qr-e7ff5f15-09: <BROADCAST,MULTICAST,PROMISC,UP,LOWER_UP> mtu 1450 qdisc pfifo_fast state UNKNOWN group default qlen 1000
	    link/ether fa:16:3e:f3:89:31 brd ff:ff:ff:ff:ff:ff
	    inet 10.10.1.1/24 brd 10.10.1.255 scope global qr-e7ff5f15-09
	`
	qrouterRoutes = `
	default via 10.10.1.58 dev qr-e7ff5f15-09 table 168427777 proto static
	default via 10.10.2.103 dev qr-2e3a3302-66 table 168428033 proto static
	default via 169.254.88.135 dev rfp-907f4d76-d table 16 proto static
	10.10.1.0/24 dev qr-e7ff5f15-09 proto kernel scope link src 10.10.1.1
	10.10.2.0/24 dev qr-2e3a3302-66 proto kernel scope link src 10.10.2.1
	169.254.88.134/31 dev rfp-907f4d76-d proto kernel scope link src 169.254.88.134
	local 10.10.1.1 dev qr-e7ff5f15-09 table local proto kernel scope host src 10.10.1.1
	broadcast 10.10.1.255 dev qr-e7ff5f15-09 table local proto kernel scope link src 10.10.1.1
	local 10.10.2.1 dev qr-2e3a3302-66 table local proto kernel scope host src 10.10.2.1
	broadcast 10.10.2.255 dev qr-2e3a3302-66 table local proto kernel scope link src 10.10.2.1
	local 127.0.0.0/8 dev lo table local proto kernel scope host src 127.0.0.1
	local 127.0.0.1 dev lo table local proto kernel scope host src 127.0.0.1
	local 169.254.88.134 dev rfp-907f4d76-d table local proto kernel scope host src 169.254.88.134
	`
	qrouterRules = `
	0:	from all lookup local
	32766:	from all lookup main
	32767:	from all lookup default
	57481:	from 10.10.1.23 lookup 16
	168427777:	from 10.10.1.1/24 lookup 168427777
	168428033:	from 10.10.2.1/24 lookup 168428033
	`
	qrouterNeighs = `
	169.254.88.135 dev rfp-907f4d76-d lladdr 22:26:21:ce:55:95 PERMANENT
	10.10.2.38 dev qr-2e3a3302-66 lladdr fa:16:3e:43:7c:b3 PERMANENT
	10.10.1.58 dev qr-e7ff5f15-09 lladdr fa:16:3e:98:b4:93 PERMANENT
	10.10.1.77 dev qr-e7ff5f15-09  FAILED
	10.10.1.78 dev qr-e7ff5f15-09  INCOMPLETE
	10.10.2.50 dev qr-2e3a3302-66 lladdr fa:16:3e:00:00:50 STALE
	`

	// The cmp1 fip namespace.
	fipAddrs = `
	1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000
	    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00
	    inet 127.0.0.1/8 scope host lo
	2: fpr-907f4d76-d@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default qlen 1000
	    link/ether 22:26:21:ce:55:95 brd ff:ff:ff:ff:ff:ff link-netns qrouter-907f4d76-d5d4-4334-bd29-9eb24e0a20fc
	    inet 169.254.88.135/31 scope global fpr-907f4d76-d
	15: fg-bc530db0-d2: <BROADCAST,MULTICAST,PROMISC,UP,LOWER_UP> mtu 1500 qdisc pfifo_fast state UNKNOWN group default qlen 1000
	    link/ether fa:16:3e:22:a1:5f brd ff:ff:ff:ff:ff:ff
	    inet 172.24.4.34/24 brd 172.24.4.255 scope global fg-bc530db0-d2
	`
	fipRoutes = `
	default via 172.24.4.1 dev fg-bc530db0-d2 table 2852018311 proto static
	169.254.88.134/31 dev fpr-907f4d76-d proto kernel scope link src 169.254.88.135
	172.24.4.0/24 dev fg-bc530db0-d2 proto kernel scope link src 172.24.4.34
	172.24.4.65 via 169.254.88.134 dev fpr-907f4d76-d proto static
	local 127.0.0.0/8 dev lo table local proto kernel scope host src 127.0.0.1
	local 127.0.0.1 dev lo table local proto kernel scope host src 127.0.0.1
	local 169.254.88.135 dev fpr-907f4d76-d table local proto kernel scope host src 169.254.88.135
	local 172.24.4.34 dev fg-bc530db0-d2 table local proto kernel scope host src 172.24.4.34
	broadcast 172.24.4.255 dev fg-bc530db0-d2 table local proto kernel scope link src 172.24.4.34
	`
	fipRules = `
	0:	from all lookup local
	32766:	from all lookup main
	32767:	from all lookup default
	2852018311:	from all iif fpr-907f4d76-d lookup 2852018311
	`
	fipNeighs = `
	169.254.88.134 dev fpr-907f4d76-d lladdr 62:bb:d7:6e:b9:ad PERMANENT
	172.24.4.1 dev fg-bc530db0-d2 lladdr 6e:a9:e4:80:91:95 REACHABLE
	`
)

func qrouterNS(t testing.TB) *Namespace {
	return nsText(t, "qrouter-907f4d76-d5d4-4334-bd29-9eb24e0a20fc", qrouterAddrs, qrouterRoutes, qrouterRules, qrouterNeighs)
}

func fipNS(t testing.TB) *Namespace {
	return nsText(t, "fip-9eddc250-ee08-4265-a589-4b1cbf078191", fipAddrs, fipRoutes, fipRules, fipNeighs)
}
