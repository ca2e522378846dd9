package netstack

import (
	"net"
	"net/netip"
	"strconv"
	"strings"
	"sync"

	"netxray/parse/iproute"
	"netxray/parse/iptables"
)

// Namespace is one network namespace's Linux networking state, as parsed.
// Fill it (or use FromModel) and do not change it after the first query:
// lookups index it once.
type Namespace struct {
	// Name is the namespace name, "" for the root namespace.
	Name string
	// Kind is Neutron's role of the namespace (qrouter, snat, fip, qdhcp,
	// other); it picks the sysctl values assumed when none were collected.
	Kind       string
	Interfaces []*iproute.Interface
	// Routes are `ip route show table all`: every table, both families.
	Routes []iproute.Route
	// Rules4 and Rules6 are the IPv4 and IPv6 policy rules (`ip rule` with
	// no family lists IPv4 only).
	Rules4, Rules6 []iproute.Rule
	Neighbors      []iproute.Neighbor
	// IPTables is the namespace's iptables-save (IPv4), for Transit and
	// Bridged.
	IPTables *iptables.Save
	// Sysctl holds net.ipv4.* values ("net.ipv4.conf.fg-1.proxy_arp" →
	// "1") when the bundle has them; nil when not collected.
	Sysctl map[string]string
	// Have says which sources were collected: an absent source is not an
	// empty one.
	Have Have

	once sync.Once
	fib  *fib
}

// Have tells which of a namespace's sources the bundle holds.
type Have struct {
	Interfaces, Routes, Rules4, Rules6, Neighbors, IPTables bool
}

// Packet is what routing looks at.
type Packet struct {
	Src, Dst netip.Addr
	// IIF is the device the packet arrived on; "" for a packet the
	// namespace sends itself (the kernel then matches rules as iif lo).
	IIF string
	// OIF is the device a local sender bound its socket to, "" for none.
	OIF string
	// Mark is the firewall mark (fwmark).
	Mark uint32
	// TOS is the IPv4 TOS byte (or IPv6 traffic class).
	TOS uint8
	// Proto is the IP protocol number (1 icmp, 6 tcp, 17 udp), 0 when
	// unknown; SrcPort and DstPort matter for rules with ipproto/sport/dport.
	Proto            uint8
	SrcPort, DstPort uint16
	// ICMPType and ICMPCode matter for iptables --icmp-type (8 is an echo
	// request, 0 its reply).
	ICMPType, ICMPCode uint8
	// SrcMAC is the frame's source address, for iptables -m mac (the
	// hybrid firewall's anti-spoofing rules); nil when unknown.
	SrcMAC net.HardwareAddr
}

// Interface returns the namespace's interface named name, or nil.
func (ns *Namespace) Interface(name string) *iproute.Interface {
	for _, ifc := range ns.Interfaces {
		if ifc.Name == name {
			return ifc
		}
	}
	return nil
}

// label names the namespace in messages.
func (ns *Namespace) label() string {
	if ns.Name == "" {
		return "the root namespace"
	}
	return ns.Name
}

// rules returns the policy rules of a family and whether they were
// collected.
func (ns *Namespace) rules(v4 bool) ([]iproute.Rule, bool) {
	if v4 {
		return ns.Rules4, ns.Have.Rules4
	}
	return ns.Rules6, ns.Have.Rules6
}

// isUp reports whether a device is administratively up and has carrier,
// with the reason when it is not.
func isUp(ifc *iproute.Interface) (bool, string) {
	up, lower, nocarrier := false, false, false
	for _, f := range ifc.Flags {
		switch f {
		case "UP":
			up = true
		case "LOWER_UP":
			lower = true
		case "NO-CARRIER":
			nocarrier = true
		}
	}
	switch {
	case !up:
		return false, "is administratively down (no UP flag)"
	case nocarrier || !lower:
		return false, "has no carrier (NO-CARRIER, no LOWER_UP)"
	}
	return true, ""
}

// sysctl returns an integer net.ipv4.conf value for dev, combined with
// "all" the way the kernel does for that key, and the assumption made when
// the bundle lacks it ("" when it was read).
func (ns *Namespace) sysctl(dev, key string) (int, string) {
	read := func(scope string) (int, bool) {
		if ns.Sysctl == nil {
			return 0, false
		}
		v, ok := ns.Sysctl["net.ipv4.conf."+strings.ReplaceAll(scope, ".", "/")+"."+key]
		if !ok {
			return 0, false
		}
		n, err := strconv.Atoi(strings.TrimSpace(v))
		return n, err == nil
	}
	d, okd := read(dev)
	a, oka := read("all")
	if okd && (oka || key == "forwarding") {
		switch key {
		case "proxy_arp", "accept_local":
			return max(d, a) & 1, "" // IN_DEV_ORCONF
		case "arp_ignore", "rp_filter":
			return max(d, a), "" // IN_DEV_MAXCONF
		}
		return d, "" // IN_DEV_CONF_GET
	}
	v := assumedSysctl(ns.Kind, dev, key)
	who := "the kernel default"
	if router(ns.Kind) {
		who = "Neutron's setting for " + ns.Kind + " namespaces"
	}
	return v, "net.ipv4.conf." + dev + "." + key + " not collected in " + ns.label() + ": assumed " + strconv.Itoa(v) + " (" + who + ")"
}

// router reports whether the l3 agent creates namespaces of this kind (it
// sets forwarding and arp_ignore there, and proxy_arp on fg- devices).
func router(kind string) bool { return kind == "qrouter" || kind == "snat" || kind == "fip" }

// assumedSysctl is the value of a sysctl the bundle lacks: what Neutron's l3
// agent sets in its namespaces, the kernel default elsewhere.
func assumedSysctl(kind, dev, key string) int {
	switch key {
	case "forwarding":
		if router(kind) {
			return 1
		}
	case "arp_ignore":
		if router(kind) {
			return 1
		}
	case "proxy_arp":
		if kind == "fip" && strings.HasPrefix(dev, "fg-") {
			return 1
		}
	}
	return 0
}
