package dnsmasq

import (
	"io"
	"net/netip"
	"strconv"
	"strings"

	"netxray/parse"
)

// Leases is a dnsmasq lease database (/var/lib/neutron/dhcp/<net>/leases).
// Neutron's DHCP agent seeds it with one lease per port before starting
// dnsmasq; dnsmasq rewrites it as clients renew.
type Leases struct {
	Leases []Lease
	// DUIDs are the server DUID lines ("duid ..."), which start the IPv6
	// section; there is at most one in a healthy file.
	DUIDs  []DUID
	Issues parse.Issues
}

// Lease is one lease line. IPv4 lines carry the client's link address;
// IPv6 lines carry the IAID instead.
type Lease struct {
	Pos parse.Pos
	Raw string
	// Expiry is the lease end in seconds since the Unix epoch (the lease
	// length on builds with HAVE_BROKEN_RTC); 0 means infinite.
	Expiry int64
	// MAC is the client's link address, lower-cased, for IPv4 leases. A
	// non-Ethernet address keeps dnsmasq's "TT-" hardware-type prefix.
	MAC string
	// IAID is the IPv6 identity association ID, "T"-prefixed for a
	// temporary address (IPv6 leases only).
	IAID string
	IP   netip.Addr
	// Hostname is "" when dnsmasq wrote "*" (no name).
	Hostname string
	// ClientID is the DHCPv4 client identifier or the DHCPv6 client DUID,
	// "" when dnsmasq wrote "*".
	ClientID string
	// Extra keeps fields past the fifth.
	Extra []string
}

// DUID is the server DUID line of the IPv6 section.
type DUID struct {
	Pos   parse.Pos
	Raw   string
	Value string
}

// IsIPv6 reports whether the lease is a DHCPv6 lease.
func (l *Lease) IsIPv6() bool { return l.IP.Is6() && !l.IP.Is4In6() }

// Records implements parse.Result.
func (s *Leases) Records() int { return len(s.Leases) }

// Problems implements parse.Result.
func (s *Leases) Problems() parse.Issues { return s.Issues }

// ParseLeases parses a dnsmasq lease file (dnsmasq src/lease.c
// lease_update_file; Neutron's _output_init_lease_file writes the same
// syntax with "*" for hostname and client id):
//
//	1795452340 fa:16:3e:fd:f0:40 10.10.1.23 host-10-10-1-23 *
//	1795452340 fa:16:3e:98:b4:93 10.10.1.58 * 01:fa:16:3e:98:b4:93
//	duid 00:01:00:01:2c:1f:3a:4b:fa:16:3e:00:00:01
//	1795452340 1025 2001:db8::5 * 00:04:5e:2b:...
func ParseLeases(r io.Reader, file string) (s *Leases, err error) {
	defer parse.Recover(file, &err)
	s = &Leases{}
	sc := parse.NewScanner(r, file, &s.Issues)
	err = run(sc, &s.Issues, func(l parse.Line) {
		f := strings.Fields(l.Text)
		if f[0] == "duid" {
			s.duid(l, f)
			return
		}
		if e, ok := parseLease(l, f, &s.Issues); ok {
			s.Leases = append(s.Leases, e)
		}
	})
	return s, err
}

func (s *Leases) duid(l parse.Line, f []string) {
	if len(f) != 2 {
		s.Issues.Errorf(l.Pos, "duid line needs one value: %q", l.Text)
		return
	}
	if len(s.DUIDs) > 0 {
		// neutron warns about this too: dnsmasq may not work properly.
		s.Issues.Warnf(l.Pos, "second server duid line (first at line %d)", s.DUIDs[0].Pos.Line)
	}
	s.DUIDs = append(s.DUIDs, DUID{Pos: l.Pos, Raw: l.Text, Value: f[1]})
}

func parseLease(l parse.Line, f []string, issues *parse.Issues) (Lease, bool) {
	e := Lease{Pos: l.Pos, Raw: l.Text}
	if len(f) < 3 {
		issues.Errorf(l.Pos, "not a lease line (want expiry, address and IP): %q", l.Text)
		return e, false
	}
	exp, err := strconv.ParseInt(f[0], 10, 64)
	if err != nil {
		issues.Errorf(l.Pos, "not a lease line (expiry %q is not a number): %q", f[0], l.Text)
		return e, false
	}
	e.Expiry = exp
	ip, err := netip.ParseAddr(strings.Trim(f[2], "[]"))
	if err != nil {
		issues.Errorf(l.Pos, "not a lease line (bad IP %q): %q", f[2], l.Text)
		return e, false
	}
	e.IP = ip
	if e.IsIPv6() {
		e.IAID = f[1]
		if !isDigits(strings.TrimPrefix(f[1], "T")) {
			issues.Warnf(l.Pos, "IAID %q is not a number", f[1])
		}
	} else {
		e.MAC = strings.ToLower(f[1])
		if !isLinkAddr(e.MAC) {
			issues.Warnf(l.Pos, "link address %q is not a MAC address", f[1])
		}
	}
	if len(f) < 5 {
		issues.Warnf(l.Pos, "lease line has %d fields, want 5 (hostname and client id)", len(f))
	}
	if len(f) > 3 && f[3] != "*" {
		e.Hostname = f[3]
	}
	if len(f) > 4 && f[4] != "*" {
		e.ClientID = f[4]
	}
	if len(f) > 5 {
		e.Extra = f[5:]
		issues.Warnf(l.Pos, "extra lease fields %q kept", f[5:])
	}
	return e, true
}

// isLinkAddr accepts an Ethernet MAC or dnsmasq's "TT-xx:xx..." form for
// other hardware types.
func isLinkAddr(s string) bool {
	if isMAC(s) {
		return true
	}
	t, rest, ok := strings.Cut(s, "-")
	if !ok || len(t) != 2 {
		return false
	}
	if rest == "" {
		return true // hardware type only: no address
	}
	for _, o := range strings.Split(rest, ":") {
		if len(o) != 2 || strings.Trim(o, "0123456789abcdef") != "" {
			return false
		}
	}
	return true
}

// sniffLeases: the first data line is "duid ..." or a number, a link
// address or number, and an IP address.
func sniffLeases(head []byte) bool {
	f := strings.Fields(parse.FirstData(head))
	if len(f) == 2 && f[0] == "duid" {
		return true
	}
	if len(f) < 4 || !isDigits(f[0]) {
		return false
	}
	_, err := netip.ParseAddr(strings.Trim(f[2], "[]"))
	return err == nil && (isLinkAddr(strings.ToLower(f[1])) || isDigits(strings.TrimPrefix(f[1], "T")))
}
