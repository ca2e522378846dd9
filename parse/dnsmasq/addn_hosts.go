package dnsmasq

import (
	"io"
	"net/netip"
	"strings"

	"netxray/parse"
)

// AddnHosts is a dnsmasq additional hosts file as Neutron's DHCP agent
// writes it (/var/lib/neutron/dhcp/<net>/addn_hosts): the names dnsmasq
// answers DNS queries for, in /etc/hosts syntax.
type AddnHosts struct {
	Entries []AddnHost
	Issues  parse.Issues
}

// AddnHost is one line: an address and its names, FQDN first (Neutron
// writes it first so that PTR answers give the FQDN).
type AddnHost struct {
	Pos   parse.Pos
	Raw   string
	IP    netip.Addr
	Names []string
}

// Records implements parse.Result.
func (h *AddnHosts) Records() int { return len(h.Entries) }

// Problems implements parse.Result.
func (h *AddnHosts) Problems() parse.Issues { return h.Issues }

// ParseAddnHosts parses a dnsmasq --addn-hosts file (Neutron's
// _output_addn_hosts_file writes "IP<TAB>FQDN HOSTNAME"); any blank
// separators and trailing "#" comments are accepted, as in /etc/hosts:
//
//	10.10.1.58	host-10-10-1-58.openstacklocal host-10-10-1-58
//	2001:db8::5	host-2001-db8--5.openstacklocal host-2001-db8--5
func ParseAddnHosts(r io.Reader, file string) (h *AddnHosts, err error) {
	defer parse.Recover(file, &err)
	h = &AddnHosts{}
	sc := parse.NewScanner(r, file, &h.Issues)
	err = run(sc, &h.Issues, func(l parse.Line) {
		text, _, _ := strings.Cut(l.Text, "#")
		f := strings.Fields(text)
		ip, err := netip.ParseAddr(f[0])
		if err != nil {
			h.Issues.Errorf(l.Pos, "not a hosts line (bad IP %q): %q", f[0], l.Text)
			return
		}
		if len(f) == 1 {
			h.Issues.Warnf(l.Pos, "address %s without a name", f[0])
		}
		h.Entries = append(h.Entries, AddnHost{Pos: l.Pos, Raw: l.Text, IP: ip, Names: f[1:]})
	})
	return h, err
}

// sniffAddnHosts: the first data line is an IP address, a tab, and a
// name (the tab tells it from other "address word" formats).
func sniffAddnHosts(head []byte) bool {
	ip, rest, ok := strings.Cut(parse.FirstData(head), "\t")
	if !ok || strings.TrimSpace(rest) == "" {
		return false
	}
	_, err := netip.ParseAddr(ip)
	return err == nil
}
