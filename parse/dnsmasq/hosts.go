package dnsmasq

import (
	"io"
	"net/netip"
	"strings"

	"netxray/parse"
)

// Hosts is a dnsmasq DHCP hosts file as Neutron's DHCP agent writes it
// (/var/lib/neutron/dhcp/<network-id>/host): one static lease per port IP.
type Hosts struct {
	Entries []Host
	Issues  parse.Issues
}

// Host is one dhcp-host line. Fields the line did not carry keep their
// zero value.
type Host struct {
	Pos parse.Pos
	Raw string
	// MAC is the port's MAC address, lower-cased.
	MAC string
	// ClientID is the "id:" client identifier of a port with the
	// client-id extra DHCP option ("*" means: ignore the client's).
	ClientID string
	// Hostname is the FQDN (or bare name) the lease gives out.
	Hostname string
	// IPs are the fixed addresses. Neutron writes one, or, with
	// dnsmasq_enable_addr6_list, every IPv6 address of the port; IPv6
	// addresses are bracketed in the file.
	IPs []netip.Addr
	// Set are the "set:" tags, e.g. "port-<port-id>" for a port with
	// extra DHCP options (its options in the opts file use that tag).
	Set []string
	// Tags are the "tag:" conditions, e.g. "dhcpv6" on IPv6 entries.
	Tags []string
	// LeaseTime is the lease time as written ("infinite", "86400", "12h");
	// Neutron never writes one.
	LeaseTime string
	// Ignore is set by the "ignore" keyword (no lease for this host).
	Ignore bool
	// Extra keeps fields the parser does not understand, in order.
	Extra []string
}

// PortID returns the Neutron port ID from a "set:port-<id>" tag, or "".
func (h *Host) PortID() string {
	for _, s := range h.Set {
		if id, ok := strings.CutPrefix(s, "port-"); ok {
			return id
		}
	}
	return ""
}

// Records implements parse.Result.
func (h *Hosts) Records() int { return len(h.Entries) }

// Problems implements parse.Result.
func (h *Hosts) Problems() parse.Issues { return h.Issues }

// ParseHosts parses a dnsmasq DHCP hosts file written by Neutron's DHCP
// agent (neutron/agent/linux/dhcp.py _output_hosts_file): comma-separated
// fields in dnsmasq's dhcp-host syntax, recognised by their look as dnsmasq
// does, so any field order is accepted:
//
//	fa:16:3e:98:b4:93,host-10-10-1-58.openstacklocal,10.10.1.58
//	fa:16:3e:7d:01:aa,host-10-0-0-7.openstacklocal,10.0.0.7,set:port-6e0f2f3a-2b8c-4c55-9f0e-5d4c3b2a1908
//	fa:16:3e:7d:01:ab,tag:dhcpv6,host-2001-db8--5.openstacklocal,[2001:db8::5]
//	fa:16:3e:7d:01:ac,id:ff:00:00:00:01,host-10-0-0-9.openstacklocal,10.0.0.9
func ParseHosts(r io.Reader, file string) (h *Hosts, err error) {
	defer parse.Recover(file, &err)
	h = &Hosts{}
	sc := parse.NewScanner(r, file, &h.Issues)
	err = run(sc, &h.Issues, func(l parse.Line) {
		if e, ok := parseHost(l, &h.Issues); ok {
			h.Entries = append(h.Entries, e)
		}
	})
	return h, err
}

func parseHost(l parse.Line, issues *parse.Issues) (Host, bool) {
	e := Host{Pos: l.Pos, Raw: l.Text}
	text := strings.TrimSpace(l.Text)
	// dnsmasq's own config syntax, if someone pasted a dnsmasq.conf line.
	text = strings.TrimPrefix(text, "dhcp-host=")
	var sawIP bool
	for _, f := range strings.Split(text, ",") {
		f = strings.TrimSpace(f)
		switch {
		case f == "":
			issues.Warnf(l.Pos, "empty field")
		case isMAC(f) && e.MAC == "":
			e.MAC = strings.ToLower(f)
		case isMAC(f):
			// dnsmasq accepts several MACs per host; Neutron never
			// writes more than one.
			e.Extra = append(e.Extra, f)
			issues.Warnf(l.Pos, "second MAC address %q kept", f)
		case strings.HasPrefix(f, "set:"):
			e.Set = append(e.Set, f[len("set:"):])
		case strings.HasPrefix(f, "tag:"):
			e.Tags = append(e.Tags, f[len("tag:"):])
		case strings.HasPrefix(f, "id:") && e.ClientID == "":
			e.ClientID = f[len("id:"):]
		case strings.HasPrefix(f, "["):
			sawIP = true
			e.addIP(l.Pos, f, strings.TrimSuffix(f[1:], "]"), issues)
		case f == "ignore":
			e.Ignore = true
		case isLeaseTime(f) && e.LeaseTime == "":
			e.LeaseTime = f
		case looksIPv4(f):
			sawIP = true
			e.addIP(l.Pos, f, f, issues)
		case e.Hostname == "" && !sawIP:
			e.Hostname = f
		default:
			e.Extra = append(e.Extra, f)
			issues.Warnf(l.Pos, "unknown dhcp-host field %q kept", f)
		}
	}
	if e.MAC == "" && e.ClientID == "" {
		issues.Errorf(l.Pos, "not a dhcp-host entry (no MAC address or client id): %q", l.Text)
		return e, false
	}
	return e, true
}

// addIP stores an address field; one that does not parse is kept in Extra.
func (e *Host) addIP(pos parse.Pos, field, addr string, issues *parse.Issues) {
	a, err := netip.ParseAddr(addr)
	if err != nil {
		e.Extra = append(e.Extra, field)
		issues.Warnf(pos, "bad address %q kept: %v", field, err)
		return
	}
	e.IPs = append(e.IPs, a)
}

// looksIPv4 reports a dotted-quad-looking field (digits and dots with
// three dots), which dnsmasq would take as an address.
func looksIPv4(s string) bool {
	if strings.Count(s, ".") != 3 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] != '.' && (s[i] < '0' || s[i] > '9') {
			return false
		}
	}
	return true
}

// isLeaseTime reports dnsmasq's lease time syntax: "infinite" or a number
// with an optional s/m/h/d/w unit.
func isLeaseTime(s string) bool {
	if s == "infinite" {
		return true
	}
	if n := len(s); n > 1 && strings.IndexByte("smhdwSMHDW", s[n-1]) >= 0 {
		s = s[:n-1]
	}
	return isDigits(s)
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// sniffHosts: the first data line starts with a MAC address and a comma.
func sniffHosts(head []byte) bool {
	first, _, ok := strings.Cut(parse.FirstData(head), ",")
	return ok && isMAC(first)
}
