package ovn

import (
	"io"
	"net/netip"
	"strconv"
	"strings"

	"netxray/parse"
	"netxray/parse/ovs"
)

// NBShow is the output of `ovn-nbctl show`: the Northbound database's
// logical switches and logical routers, in database order.
type NBShow struct {
	Switches []Switch
	Routers  []Router
	Issues   parse.Issues
}

// Switch is one logical switch block. Under Neutron a switch is a
// network, named "neutron-<network-id>".
type Switch struct {
	Pos  parse.Pos
	Raw  string
	UUID string
	Name string
	// Alias is the Neutron network name printed as "(aka NAME)", "" when
	// absent (external_ids:neutron:network_name unset or empty).
	Alias string
	Ports []SwitchPort
	Extra []Column
}

// SwitchPort is one logical switch port. Under Neutron its name is the
// Neutron port ID, or "provnet-<segment-id>" for a localnet port.
type SwitchPort struct {
	Pos  parse.Pos
	Raw  string
	Name string
	// Alias is the Neutron port name ("(aka NAME)"), "" when absent.
	Alias string
	// Type is "" for a VIF (VM) port, else router, localnet, localport,
	// virtual, external, vtep, l2gateway, switch...
	Type string
	// Parent is the parent port of a nested (container-in-VM) port.
	Parent string
	// Tag is the VLAN tag of a nested port or a localnet port on a VLAN
	// provider network; HasTag is false when none is printed.
	Tag    int
	HasTag bool
	// Addresses lists the port's addresses column. ovn-nbctl omits a
	// lone "router" entry, so router ports usually have none here.
	Addresses []Address
	// RouterPort is options:router-port of a "router" type port: the
	// name of the logical router port it patches to.
	RouterPort string
	// Peer is the peer switch port of a "switch" type port.
	Peer  string
	Extra []Column
}

// Address is one entry of a switch port's addresses column: "MAC IP...",
// or a keyword ("unknown", "router", "dynamic"), or "MAC dynamic".
type Address struct {
	Raw     string
	MAC     string
	IPs     []netip.Addr
	Keyword string
	// Extra keeps tokens the parser does not understand.
	Extra []string
}

// Router is one logical router block. Under Neutron it is named
// "neutron-<router-id>".
type Router struct {
	Pos  parse.Pos
	Raw  string
	UUID string
	Name string
	// Alias is the Neutron router name ("(aka NAME)"), "" when absent.
	Alias string
	Ports []RouterPort
	NATs  []NAT
	Extra []Column
}

// RouterPort is one logical router port ("lrp-<neutron-port-id>").
type RouterPort struct {
	Pos  parse.Pos
	Raw  string
	Name string
	MAC  string
	// IPv6LLA is the link-local address ovn-nbctl derives from the MAC
	// (printed since OVN 24.09); invalid when not printed.
	IPv6LLA  netip.Addr
	Networks []netip.Prefix
	// RouteTable is options:route_table.
	RouteTable string
	// GatewayChassis are the gateway chassis names, highest priority
	// first (ovn-nbctl sorts them so); set on a router's gateway port.
	GatewayChassis []string
	Peer           string
	Extra          []Column
}

// NAT is one NAT rule of a router.
type NAT struct {
	Pos        parse.Pos
	Raw        string
	UUID       string
	ExternalIP netip.Addr
	// ExternalPorts is the external port range ("1-3000"), "" for all.
	ExternalPorts string
	// LogicalIP is the internal address or network; a single address is
	// a full-length prefix (/32, /128).
	LogicalIP netip.Prefix
	// Type is "snat", "dnat" or "dnat_and_snat" (a floating IP).
	Type  string
	Extra []Column
}

// NeutronID returns the Neutron network ID of a switch named
// "neutron-<id>", or "".
func (s *Switch) NeutronID() string { return neutronID(s.Name) }

// NeutronID returns the Neutron router ID of a router named
// "neutron-<id>", or "".
func (r *Router) NeutronID() string { return neutronID(r.Name) }

func neutronID(name string) string {
	id, ok := strings.CutPrefix(name, "neutron-")
	if !ok {
		return ""
	}
	return id
}

// Records counts switches, routers, their ports and NAT rules.
func (s *NBShow) Records() int {
	n := len(s.Switches) + len(s.Routers)
	for _, sw := range s.Switches {
		n += len(sw.Ports)
	}
	for _, r := range s.Routers {
		n += len(r.Ports) + len(r.NATs)
	}
	return n
}

// Problems returns the issues found while parsing.
func (s *NBShow) Problems() parse.Issues { return s.Issues }

// nbState tracks the open blocks while reading lines.
type nbState struct {
	s      *NBShow
	issues *parse.Issues
	sw     *Switch
	lsp    *SwitchPort
	rt     *Router
	lrp    *RouterPort
	nat    *NAT
}

// ParseNBShow parses the output of `ovn-nbctl show` (also `ovn-nbctl show
// SWITCH|ROUTER`, and the "lswitch"/"lport" spelling of 2015-2016):
//
//	switch 6a1c9f0e-2b3d-4e5f-8a9b-0c1d2e3f4a5b (neutron-0c8d2a6e-91b4-4d1f-8f0e-3a2b1c0d9e8f) (aka private)
//	    port 5e1f2a3b-c4d5-4e6f-8a7b-9c0d1e2f3a4b
//	        addresses: ["fa:16:3e:5e:1f:2a 192.168.10.5"]
//	router 3e4f5a6b-7c8d-4e9f-8a0b-1c2d3e4f5a6b (neutron-7c2d9e10-5b6a-4f1e-9a3c-2b8d7e6f5a41) (aka router1)
func ParseNBShow(r io.Reader, file string) (show *NBShow, err error) {
	defer parse.Recover(file, &err)
	show = &NBShow{}
	st := nbState{s: show, issues: &show.Issues}
	sc := parse.NewScanner(r, file, &show.Issues)
	err = scanLines(sc, &show.Issues, "ovn-nbctl show", st.line)
	return show, err
}

// line handles one trimmed line and reports whether it understood it.
func (st *nbState) line(l parse.Line, t string) bool {
	kw, rest, _ := strings.Cut(t, " ")
	rest = strings.TrimSpace(rest)
	switch kw {
	case "switch", "lswitch", "router", "lrouter":
		return st.block(l, kw, rest)
	case "port", "lport":
		if rest == "" {
			return false
		}
		st.port(l, rest)
		return true
	case "nat":
		if !ovs.IsUUID(rest) {
			return false
		}
		if st.rt == nil {
			st.issues.Errorf(l.Pos, "nat %s outside a router", rest)
			return true
		}
		st.rt.NATs = append(st.rt.NATs, NAT{Pos: l.Pos, Raw: l.Text, UUID: strings.ToLower(rest)})
		st.nat, st.lrp = &st.rt.NATs[len(st.rt.NATs)-1], nil
		return true
	}
	key, val, ok := strings.Cut(t, ": ")
	if !ok || !isNBKey(key) {
		return false
	}
	st.column(Column{Pos: l.Pos, Raw: l.Text, Key: key, Value: strings.TrimSpace(val)})
	return true
}

// isNBKey reports the shape of the keys ovn-nbctl prints ("type",
// "router-port", "gateway chassis", "external port(s)"): lower-case words
// separated by single spaces, with an optional "(s)".
func isNBKey(s string) bool {
	s = strings.TrimSuffix(s, "(s)")
	if s == "" || s[0] < 'a' || s[0] > 'z' || strings.HasSuffix(s, " ") {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		ok := c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == ' ' && s[i-1] != ' '
		if !ok {
			return false
		}
	}
	return true
}

// block opens a switch or router: "switch UUID (NAME) [(aka ALIAS)]".
func (st *nbState) block(l parse.Line, kw, rest string) bool {
	uuid, names, _ := strings.Cut(rest, " ")
	if !ovs.IsUUID(uuid) {
		return false
	}
	name, alias, ok := nameAlias(strings.TrimSpace(names))
	if !ok {
		st.issues.Warnf(l.Pos, "%s %s: name not in parentheses: %q", kw, uuid, names)
		name = strings.TrimSpace(names)
	}
	uuid = strings.ToLower(uuid)
	st.lsp, st.lrp, st.nat = nil, nil, nil
	if kw == "switch" || kw == "lswitch" {
		st.s.Switches = append(st.s.Switches, Switch{Pos: l.Pos, Raw: l.Text, UUID: uuid, Name: name, Alias: alias})
		st.sw, st.rt = &st.s.Switches[len(st.s.Switches)-1], nil
	} else {
		st.s.Routers = append(st.s.Routers, Router{Pos: l.Pos, Raw: l.Text, UUID: uuid, Name: name, Alias: alias})
		st.rt, st.sw = &st.s.Routers[len(st.s.Routers)-1], nil
	}
	return true
}

// nameAlias splits "(NAME)" or "(NAME) (aka ALIAS)".
func nameAlias(s string) (name, alias string, ok bool) {
	if !strings.HasPrefix(s, "(") || !strings.HasSuffix(s, ")") {
		return "", "", false
	}
	if i := strings.Index(s, ") (aka "); i >= 0 {
		return s[1:i], s[i+len(") (aka ") : len(s)-1], true
	}
	return s[1 : len(s)-1], "", true
}

// port opens a port of the current switch or router: "port NAME [(aka
// ALIAS)]".
func (st *nbState) port(l parse.Line, rest string) {
	name, alias := rest, ""
	if i := strings.Index(rest, " (aka "); i >= 0 && strings.HasSuffix(rest, ")") {
		name, alias = rest[:i], rest[i+len(" (aka "):len(rest)-1]
	}
	switch {
	case st.sw != nil:
		st.sw.Ports = append(st.sw.Ports, SwitchPort{Pos: l.Pos, Raw: l.Text, Name: name, Alias: alias})
		st.lsp = &st.sw.Ports[len(st.sw.Ports)-1]
	case st.rt != nil:
		if alias != "" {
			st.issues.Warnf(l.Pos, "router port %s has an alias %q (not printed by ovn-nbctl)", name, alias)
		}
		st.rt.Ports = append(st.rt.Ports, RouterPort{Pos: l.Pos, Raw: l.Text, Name: name})
		st.lrp, st.nat = &st.rt.Ports[len(st.rt.Ports)-1], nil
	default:
		st.issues.Errorf(l.Pos, "port %s outside a switch or router", name)
	}
}

// column stores a "key: value" line on the innermost open object.
func (st *nbState) column(c Column) {
	var err error
	var extra *[]Column
	switch {
	case st.lsp != nil:
		err, extra = st.lspColumn(c), &st.lsp.Extra
	case st.lrp != nil:
		err, extra = st.lrpColumn(c), &st.lrp.Extra
	case st.nat != nil:
		err, extra = st.natColumn(c), &st.nat.Extra
	case st.sw != nil:
		err, extra = errUnknownKey, &st.sw.Extra
	case st.rt != nil:
		err, extra = errUnknownKey, &st.rt.Extra
	default:
		st.issues.Errorf(c.Pos, "%s: outside a switch or router", c.Key)
		return
	}
	keepColumn(c, err, extra, st.issues)
}

// lspColumn stores a switch port column.
func (st *nbState) lspColumn(c Column) error {
	p := st.lsp
	switch c.Key {
	case "type":
		p.Type = unquote(c.Value)
	case "parent":
		p.Parent = unquote(c.Value)
	case "tag":
		n, err := strconv.Atoi(c.Value)
		if err != nil {
			return errBadValue
		}
		p.Tag, p.HasTag = n, true
	case "addresses":
		items, ok := quotedList(c.Value)
		if !ok {
			return errBadValue
		}
		for _, it := range items {
			p.Addresses = append(p.Addresses, st.address(c.Pos, it))
		}
	case "router-port":
		p.RouterPort = unquote(c.Value)
	case "peer":
		p.Peer = unquote(c.Value)
	default:
		return errUnknownKey
	}
	return nil
}

// isMAC reports an Ethernet address as OVN prints it (xx:xx:xx:xx:xx:xx).
func isMAC(s string) bool {
	if len(s) != 17 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if i%3 == 2 {
			if s[i] != ':' {
				return false
			}
		} else if !isHex(s[i]) {
			return false
		}
	}
	return true
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// address decodes one addresses entry.
func (st *nbState) address(pos parse.Pos, s string) Address {
	a := Address{Raw: s}
	for _, tok := range strings.Fields(s) {
		switch {
		case tok == "unknown" || tok == "router" || tok == "dynamic":
			a.Keyword = tok
		case isMAC(tok) && a.MAC == "":
			a.MAC = strings.ToLower(tok)
		default:
			if ip, ok := parseIPOrPrefix(tok); ok {
				a.IPs = append(a.IPs, ip.Addr())
				continue
			}
			a.Extra = append(a.Extra, tok)
			st.issues.Warnf(pos, "unknown address token %q kept", tok)
		}
	}
	return a
}

// parseIPOrPrefix reads "10.0.0.5" (as a full-length prefix) or
// "10.0.0.0/24".
func parseIPOrPrefix(s string) (netip.Prefix, bool) {
	if ip, err := netip.ParseAddr(s); err == nil {
		return netip.PrefixFrom(ip, ip.BitLen()), true
	}
	p, err := netip.ParsePrefix(s)
	return p, err == nil
}

// lrpColumn stores a router port column.
func (st *nbState) lrpColumn(c Column) error {
	p := st.lrp
	switch c.Key {
	case "mac":
		mac := unquote(c.Value)
		if !isMAC(mac) {
			return errBadValue
		}
		p.MAC = strings.ToLower(mac)
	case "ipv6-lla":
		ip, err := netip.ParseAddr(unquote(c.Value))
		if err != nil {
			return errBadValue
		}
		p.IPv6LLA = ip
	case "networks":
		items, ok := quotedList(c.Value)
		if !ok {
			return errBadValue
		}
		var nets []netip.Prefix
		for _, it := range items {
			n, ok := parseIPOrPrefix(it)
			if !ok {
				return errBadValue
			}
			nets = append(nets, n)
		}
		p.Networks = nets
	case "route-table":
		p.RouteTable = unquote(c.Value)
	case "gateway chassis":
		list, ok := strings.CutPrefix(c.Value, "[")
		if list, ok = strings.CutSuffix(list, "]"); !ok {
			return errBadValue
		}
		p.GatewayChassis = strings.Fields(list)
	case "peer":
		p.Peer = unquote(c.Value)
	default:
		return errUnknownKey
	}
	return nil
}

// natColumn stores a NAT column.
func (st *nbState) natColumn(c Column) error {
	n := st.nat
	switch c.Key {
	case "external ip":
		ip, err := netip.ParseAddr(unquote(c.Value))
		if err != nil {
			return errBadValue
		}
		n.ExternalIP = ip
	case "external port(s)":
		n.ExternalPorts = unquote(c.Value)
	case "logical ip":
		p, ok := parseIPOrPrefix(unquote(c.Value))
		if !ok {
			return errBadValue
		}
		n.LogicalIP = p
	case "type":
		n.Type = unquote(c.Value)
	default:
		return errUnknownKey
	}
	return nil
}

// sniffNBShow: the first data line opens a switch or router by UUID.
func sniffNBShow(head []byte) bool {
	f := strings.Fields(parse.FirstData(head))
	if len(f) < 2 || !ovs.IsUUID(f[1]) {
		return false
	}
	switch f[0] {
	case "switch", "router", "lswitch", "lrouter":
		return true
	}
	return false
}
