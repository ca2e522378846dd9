package iproute

import (
	"io"
	"net"
	"net/netip"
	"strings"

	"netxray/parse"
)

// KindAddr is the kind of `ip addr` outputs, text or JSON, and of `ip link`
// outputs recognised by content.
const KindAddr parse.Kind = "ip-addr"

// KindLink is the kind of `ip link` outputs named as such in a bundle (sos's
// ip_-s_-d_link). They are parsed by ParseAddr too: `ip link` prints the
// blocks of `ip addr` without address lines, so content alone cannot tell
// the two apart and only KindAddr is sniffed.
const KindLink parse.Kind = "ip-link"

// Interfaces is the output of `ip addr` or `ip link`, with or without -d,
// -s, -o, or as JSON (-j).
type Interfaces struct {
	JSON       bool // read from ip -j
	Interfaces []Interface
	Issues     parse.Issues
}

// Records counts interfaces.
func (x *Interfaces) Records() int { return len(x.Interfaces) }

// Problems returns the issues found.
func (x *Interfaces) Problems() parse.Issues { return x.Issues }

// ByName returns the interface named name.
func (x *Interfaces) ByName(name string) (*Interface, bool) {
	for i := range x.Interfaces {
		if x.Interfaces[i].Name == name {
			return &x.Interfaces[i], true
		}
	}
	return nil, false
}

// Interface is one link block: the header line ("5: qr-1a2b: <...> mtu
// 1450 ..."), the link/ line, the -d kind lines, addresses, altnames and
// statistics.
type Interface struct {
	// Pos is the header line. End is the last line of the block (text; for
	// JSON the object's first line).
	Pos parse.Pos
	End int
	// Raw is the block as printed, lines joined with "\n" (text), or the
	// object as compact JSON.
	Raw string

	Index int
	Name  string
	// Link is what followed '@' in the name: "if12" for a peer or parent
	// in another namespace (veth, ifindex 12 there), "NONE" for a tunnel
	// without underlay device, or a same-namespace interface name (veth
	// peer "qvo5e1f2a3b-c4", VLAN parent "eth0"). JSON gives the name
	// ("link") or only the index ("link_index").
	Link string
	// LinkIndex is the peer/parent ifindex of "@ifN" or JSON link_index;
	// 0 when not printed.
	LinkIndex int

	Flags  []string // as printed, "NO-CARRIER" and "M-DOWN" included
	MTU    int
	Qdisc  string
	Master string
	State  string // operstate: UP, DOWN, UNKNOWN, LOWERLAYERDOWN...
	Mode   string // link mode (ip link only): DEFAULT, DORMANT
	Group  string
	Qlen   int // 0 when not printed

	// LinkType is the word after "link/" (ether, loopback, gre, none,
	// ieee802.11, [65534]...).
	LinkType string
	// Address is the link-layer address as printed (a MAC for ether, an
	// IPv4 address for gre/ipip); MAC is its parsed form when it is a MAC.
	Address   string
	MAC       net.HardwareAddr
	Broadcast string // "brd"
	Peer      string // "peer" (point-to-point link types)
	PermAddr  string // "permaddr" (bond slaves, renamed MACs)
	// LinkNetns / LinkNetnsID say in which namespace the peer/parent of
	// Link lives: "link-netns NAME" when ip could resolve the id,
	// otherwise "link-netnsid N". LinkNetnsID is -1 when not printed.
	LinkNetns   string
	LinkNetnsID int

	// -d (details) attributes. Detailed reports that any was printed;
	// Promiscuity, MinMTU and MaxMTU are 0 otherwise.
	Detailed    bool
	Promiscuity int
	MinMTU      int
	MaxMTU      int
	// Kind is the link kind of the -d line (veth, vxlan, bridge,
	// openvswitch, tun, gre, geneve, vlan, bond, macvlan, dummy...), ""
	// for physical NICs and lo. KindParams are its attributes in printed
	// order.
	Kind       string
	KindParams Params
	// SlaveKind is the kind of the master the interface is enslaved to,
	// without the "_slave" suffix (bridge, openvswitch, bond, team, vrf).
	SlaveKind   string
	SlaveParams Params
	// Tunnel holds the typed attributes of tunnel kinds (vxlan, geneve,
	// gre, gretap, ip6gre, ipip, sit, vti...).
	Tunnel *Tunnel
	// Details are the other -d attributes: allmulti, addrgenmode,
	// numtxqueues, numrxqueues, gso_max_size, gso_max_segs, tso_max_size,
	// tso_max_segs, gro_max_size, portid, parentbus, parentdev... named as
	// the text form prints them (JSON names are normalised to those).
	Details Params

	AltNames []string
	Alias    string
	Addrs    []Addr
	Stats    *Stats // ip -s
	// Extra keeps what was not understood: unknown keywords of the header
	// and link/ lines, and lines of the block not recognised (Key is then
	// the line's first word). Each is reported as a warning.
	Extra Params
}

// Tunnel is what analysis needs of a tunnel interface. Addresses printed as
// "any" are left invalid.
type Tunnel struct {
	// ID is the VNI (vxlan, geneve) or GRE key; HasID tells 0 from absent.
	ID     uint32
	HasID  bool
	Local  netip.Addr
	Remote netip.Addr
	Group  netip.Addr // multicast group (vxlan)
	Dev    string     // underlay device ("dev" in text, "link" in JSON)
	// DstPort is the UDP destination port (vxlan, geneve); 0 when not
	// printed.
	DstPort uint16
	// External is set for flow-based (collect-metadata) devices such as
	// OVS's vxlan_sys_4789.
	External bool
	// Learning is false when "nolearning" was printed (vxlan).
	Learning bool
	// Proxy is set for "proxy" (vxlan): the device answers ARP and
	// neighbour solicitations from the neighbour table and sends nothing
	// it cannot answer into the tunnel (the Linux bridge agent's
	// arp_responder).
	Proxy bool
}

// Addr is one protocol address ("inet"/"inet6" line) with the
// "valid_lft ... preferred_lft ..." line that follows it.
type Addr struct {
	Pos parse.Pos // the inet/inet6 line
	Raw string    // that line, and the lifetime line after "\n"

	Family string // inet, inet6 (others as printed)
	// Prefix is the local address with its prefix length, host bits kept
	// ("192.168.10.1/24"). For a point-to-point address ("inet 10.0.0.1
	// peer 10.0.0.2/32") the length is the one printed after the peer.
	Prefix    netip.Prefix
	Peer      netip.Prefix
	Broadcast netip.Addr
	Anycast   netip.Addr
	Multicast netip.Addr
	Scope     string
	// Flags are the address flag words in printed order: secondary,
	// temporary, dynamic, noprefixroute, nodad, tentative, deprecated,
	// dadfailed, optimistic, home, mngtmpaddr, autojoin, stable-privacy,
	// and "flags NN" as "flags=NN".
	Flags  []string
	Metric uint32
	Proto  string
	// Label is the IPv4 label ("eth0", "eth0:1").
	Label string
	// ValidLft and PreferredLft are as printed: "forever" or "86400sec"
	// (JSON lifetimes are converted to this form); "" when not printed.
	ValidLft     string
	PreferredLft string
	Extra        Params
}

// HasFlag reports whether the address carries flag word f.
func (a Addr) HasFlag(f string) bool {
	for _, x := range a.Flags {
		if x == f {
			return true
		}
	}
	return false
}

// Stats are the counters of ip -s link (and -s -s). Columns beyond bytes,
// packets, errors and dropped are kept in Other under the JSON key names
// (multicast, over_errors, missed_errors, carrier_errors, collisions,
// length_errors, crc_errors, frame_errors, fifo_errors, aborted_errors,
// window_errors, heartbeat_errors, carrier_changes, compressed,
// nohandler, otherhost), whatever form was read.
type Stats struct {
	Pos    parse.Pos // the first RX/TX header line
	RX, TX Counters
}

// Counters is one direction of link statistics.
type Counters struct {
	Bytes, Packets, Errors, Dropped uint64
	Other                           []Counter
}

// Counter is one named statistics column.
type Counter struct {
	Name  string
	Value uint64
}

// Get returns the counter named name (bytes, packets, errors, dropped or
// one of Other).
func (c Counters) Get(name string) (uint64, bool) {
	switch name {
	case "bytes":
		return c.Bytes, true
	case "packets":
		return c.Packets, true
	case "errors":
		return c.Errors, true
	case "dropped":
		return c.Dropped, true
	}
	for _, o := range c.Other {
		if o.Name == name {
			return o.Value, true
		}
	}
	return 0, false
}

func (c *Counters) set(name string, v uint64) {
	switch name {
	case "bytes":
		c.Bytes = v
	case "packets":
		c.Packets = v
	case "errors":
		c.Errors = v
	case "dropped":
		c.Dropped = v
	default:
		c.Other = append(c.Other, Counter{Name: name, Value: v})
	}
}

// ParseAddr parses the output of `ip addr [show]`, `ip -d addr`, `ip -o
// addr`, `ip link [show]`, `ip -d link`, `ip -s [-s] [-d] link` and their
// `ip -j` forms. Text samples:
//
//	2: rfp-7c2d9e10-5@if3: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default qlen 1000
//	    link/ether 6a:41:0e:2c:9d:12 brd ff:ff:ff:ff:ff:ff link-netns fip-e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a5b
//	    inet 169.254.106.114/31 scope global rfp-7c2d9e10-5
//	       valid_lft forever preferred_lft forever
//
// With -d a kind line follows the link/ line ("    vxlan id 1001 local
// 10.0.0.11 dev eth1 srcport 0 0 dstport 8472 ...", "    openvswitch_slave
// addrgenmode eui64 ..."). `ip -o addr` prints one address a line:
// "14: qr-1a2b3c4d-5e    inet 192.168.10.1/24 ... qr-1a2b3c4d-5e\
// valid_lft forever preferred_lft forever"; its addresses are attached to
// the interface of the same index.
func ParseAddr(r io.Reader, file string) (x *Interfaces, err error) {
	defer parse.Recover(file, &err)
	x = &Interfaces{}
	p := addrParser{x: x, byIndex: map[int]int{}}
	err = readFile(r, file, &x.Issues, &x.JSON, grammar{
		json: func(d *jdoc) { parseAddrJSON(d, x) },
		line: func(l parse.Line) lineResult {
			if !p.rawLine(l) {
				return lineFailure
			}
			return lineParsed
		},
		end: func() int {
			p.flushStats()
			return len(x.Interfaces)
		},
	})
	if err != nil {
		return nil, err
	}
	return x, nil
}

// addrParser holds the state of a text parse: the interface being filled
// and the statistics header waiting for its numbers.
type addrParser struct {
	x       *Interfaces
	byIndex map[int]int // ifindex -> position in x.Interfaces
	cur     int         // index into x.Interfaces of the open block
	open    bool        // a block is open: cur is valid
	// pending statistics header: direction (RX/TX), column names, line.
	statDir  string
	statCols []string
	statPos  parse.Pos
}

func (p *addrParser) iface() *Interface { return &p.x.Interfaces[p.cur] }

// rawLine handles one physical line, cut at `ip -o` markers. It reports
// false for a failure message printed by the tool.
func (p *addrParser) rawLine(l parse.Line) bool {
	parts := splitOneline(l.Text)
	for i, t := range parts {
		if i > 0 && strings.TrimSpace(t) == "" {
			continue
		}
		if !p.line(parse.Line{Pos: l.Pos, Text: t}, i == 0, l.Text) {
			return false
		}
	}
	return true
}

// line handles one logical line. first tells the first part of a physical
// line; whole is the physical line, for Raw. It reports false for a
// failure message printed by the tool.
func (p *addrParser) line(l parse.Line, first bool, whole string) bool {
	f := fields(l.Text)
	if first && len(f) >= 2 && isIndexToken(f[0]) {
		if strings.HasSuffix(f[1], ":") {
			p.header(l, f, whole)
			return true
		}
		if len(f) >= 3 {
			// ip -o addr: "14: qr-1a2b3c4d-5e    inet 192.168.10.1/24 ..."
			p.onelineAddr(l, f, whole)
			return true
		}
	}
	// Block lines are indented; an unindented one may be an error message
	// (or a block line whose indentation a blog lost).
	if first && skipFailure(l, &p.x.Issues) {
		return false
	}
	if !p.open {
		p.x.Issues.Errorf(l.Pos, "line outside any interface block: %s", strings.TrimSpace(l.Text))
		return true
	}
	in := p.iface()
	if first {
		in.Raw += "\n" + whole
		in.End = l.Pos.Line
	}
	p.body(l, f)
	return true
}

// isIndexToken reports "12:", the ifindex that starts a block.
func isIndexToken(t string) bool {
	if len(t) < 2 || t[len(t)-1] != ':' {
		return false
	}
	_, ok := atoi(t[:len(t)-1])
	return ok
}

// startBlock opens a new interface record.
func (p *addrParser) startBlock(in Interface) {
	p.flushStats()
	p.x.Interfaces = append(p.x.Interfaces, in)
	p.cur = len(p.x.Interfaces) - 1
	p.open = true
	if _, dup := p.byIndex[in.Index]; !dup {
		p.byIndex[in.Index] = p.cur
	}
}

// header parses "N: name[@link]: <FLAGS> mtu M qdisc Q ... ".
func (p *addrParser) header(l parse.Line, f []string, whole string) {
	idx, _ := atoi(strings.TrimSuffix(f[0], ":"))
	in := Interface{Pos: l.Pos, End: l.Pos.Line, Raw: whole, Index: idx, LinkNetnsID: -1}
	setName(&in, strings.TrimSuffix(f[1], ":"))
	var unknown unknownWords
	for i := 2; i < len(f); {
		t := f[i]
		if strings.HasPrefix(t, "<") {
			in.Flags = splitFlags(t)
			i++
			continue
		}
		if strings.HasPrefix(t, "xdp") {
			// XDP program attached: "xdp/id:42", "xdpgeneric/id:42".
			in.Details = append(in.Details, Param{Key: "xdp", Value: t})
			i++
			continue
		}
		if !headerKeys[t] || i+1 >= len(f) {
			var kv Param
			kv, i = takeUnknown(f, i, func(s string) bool { return headerKeys[s] })
			in.Extra = append(in.Extra, kv)
			unknown.add(kv.Key)
			continue
		}
		v := f[i+1]
		switch t {
		case "mtu":
			in.MTU, _ = atoi(v)
		case "qdisc":
			in.Qdisc = v
		case "master":
			in.Master = v
		case "state":
			in.State = v
		case "mode":
			in.Mode = v
		case "group":
			in.Group = v
		case "qlen":
			in.Qlen, _ = atoi(v)
		default: // event
			in.Details = append(in.Details, Param{Key: t, Value: v})
		}
		i += 2
	}
	unknown.report(&p.x.Issues, l.Pos, "interface header")
	p.startBlock(in)
}

// headerKeys are the keywords of the first line of a block.
var headerKeys = map[string]bool{"mtu": true, "qdisc": true, "master": true, "state": true, "mode": true, "group": true, "qlen": true, "event": true}

// setName splits "name@link" and derives LinkIndex from "@ifN". The last
// '@' is used: the "ifN" form never holds one.
func setName(in *Interface, s string) {
	in.Name = s
	if at := strings.LastIndexByte(s, '@'); at > 0 {
		in.Name, in.Link = s[:at], s[at+1:]
		if strings.HasPrefix(in.Link, "if") {
			if n, ok := atoi(in.Link[2:]); ok {
				in.LinkIndex = n
			}
		}
	}
}

// splitFlags parses "<BROADCAST,MULTICAST,UP,LOWER_UP>".
func splitFlags(t string) []string {
	t = strings.TrimSuffix(strings.TrimPrefix(t, "<"), ">")
	if t == "" {
		return []string{}
	}
	return strings.Split(t, ",")
}

// onelineAddr handles an `ip -o addr` line: the address goes to the block
// of the same index, opened here when the file has no link lines.
func (p *addrParser) onelineAddr(l parse.Line, f []string, whole string) {
	idx, _ := atoi(strings.TrimSuffix(f[0], ":"))
	if at, ok := p.byIndex[idx]; ok && p.x.Interfaces[at].Name == f[1] {
		p.flushStats()
		p.cur, p.open = at, true
		in := p.iface()
		in.End = max(in.End, l.Pos.Line)
		in.Raw += "\n" + whole
	} else {
		in := Interface{Pos: l.Pos, End: l.Pos.Line, Raw: whole, Index: idx, LinkNetnsID: -1}
		setName(&in, f[1])
		p.startBlock(in)
	}
	p.body(l, f[2:])
}

// body dispatches a line inside a block on its first word.
func (p *addrParser) body(l parse.Line, f []string) {
	in := p.iface()
	if len(f) == 0 {
		return
	}
	if p.statCols != nil {
		if p.statNumbers(l, f) {
			return
		}
	}
	switch w := f[0]; {
	case strings.HasPrefix(w, "link/"):
		p.linkLine(l, f)
	case w == "inet" || w == "inet6" || w == "mpls" || w == "ipx" || w == "dnet" || w == "family":
		in.Addrs = append(in.Addrs, parseAddrLine(l, f, &p.x.Issues))
	case w == "valid_lft":
		p.lifetimes(l, f)
	case w == "RX:" || w == "TX:" || (w == "RX" || w == "TX") && len(f) > 1 && f[1] == "errors:":
		p.statHeader(l, f)
	case w == "altname":
		if len(f) > 1 {
			in.AltNames = append(in.AltNames, f[1:]...)
		}
	case w == "alias":
		in.Alias = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(l.Text), "alias"))
	case greSentences[strings.Join(f, " ")]:
		// ip -d of gre with seq/csum flags prints them as sentences.
		in.KindParams = append(in.KindParams, Param{Key: strings.Join(f, " ")})
	case w == "vf" || strings.HasPrefix(w, "prog/") || w == "Truncated" || strings.HasSuffix(w, ":") || !isKindWord(w):
		in.Extra = append(in.Extra, Param{Key: w, Value: strings.Join(f[1:], " ")})
		p.x.Issues.Warnf(l.Pos, "unrecognised line in interface %s kept in Extra: %s", in.Name, strings.TrimSpace(l.Text))
	default:
		p.kindLine(l, f)
	}
}

// isKindWord reports a word that can name a link kind ("vxlan",
// "bridge_slave", "ip6gre", "ipoib"), as opposed to other text.
func isKindWord(w string) bool {
	for _, c := range w {
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '_' && c != '-' {
			return false
		}
	}
	return w != ""
}

// greSentences are the lines gre's -d output prints for its flags.
var greSentences = map[string]bool{
	"Drop packets out of sequence.":            true,
	"Checksum in received packet is required.": true,
	"Sequence packets on output.":              true,
	"Checksum output packets.":                 true,
}

// linkKeys are the valued keywords of the link/ line (besides the -d
// details in detailKeys); linkFlags take no value.
var linkKeys = map[string]bool{
	"brd": true, "peer": true, "permaddr": true, "link-netns": true, "link-netnsid": true,
	"new-netns": true, "new-netnsid": true, "new-ifindex": true, "protodown": true,
	"protodown_reason": true, "promiscuity": true, "minmtu": true, "maxmtu": true,
}

var linkFlags = map[string]bool{"netns-immutable": true}

// detailKeys are the -d attributes printed after the kind data (or on the
// link/ line when there is no kind), all with one value.
var detailKeys = map[string]bool{
	"allmulti": true, "addrgenmode": true, "numtxqueues": true, "numrxqueues": true,
	"gso_max_size": true, "gso_max_segs": true, "tso_max_size": true, "tso_max_segs": true,
	"gro_max_size": true, "gso_ipv4_max_size": true, "gro_ipv4_max_size": true,
	"portname": true, "portid": true, "switchid": true, "parentbus": true, "parentdev": true,
}

// linkLine parses "link/ether MAC brd BRD [link-netns X] [promiscuity N
// ...]".
func (p *addrParser) linkLine(l parse.Line, f []string) {
	in := p.iface()
	in.LinkType = strings.TrimPrefix(f[0], "link/")
	known := func(s string) bool { return linkKeys[s] || linkFlags[s] || detailKeys[s] }
	i := 1
	if i < len(f) && !known(f[i]) {
		in.Address = f[i]
		in.MAC = parseMAC(f[i])
		i++
	}
	var unknown unknownWords
	for i < len(f) {
		t := f[i]
		switch {
		case linkFlags[t]:
			in.Details = append(in.Details, Param{Key: t})
			in.Detailed = true
			i++
			continue
		case (linkKeys[t] || detailKeys[t]) && i+1 < len(f):
		default:
			var kv Param
			kv, i = takeUnknown(f, i, known)
			in.Extra = append(in.Extra, kv)
			unknown.add(kv.Key)
			continue
		}
		v := f[i+1]
		i += 2
		if detailKeys[t] {
			in.Details = append(in.Details, Param{Key: t, Value: v})
			in.Detailed = true
			continue
		}
		switch t {
		case "brd":
			in.Broadcast = v
		case "peer":
			in.Peer = v
		case "permaddr":
			in.PermAddr = v
		case "link-netns":
			in.LinkNetns = v
		case "link-netnsid":
			if n, ok := atoi(v); ok {
				in.LinkNetnsID = n
			} else {
				in.Extra = append(in.Extra, Param{Key: t, Value: v})
			}
		case "promiscuity":
			in.Promiscuity, _ = atoi(v)
			in.Detailed = true
		case "minmtu":
			in.MinMTU, _ = atoi(v)
			in.Detailed = true
		case "maxmtu":
			in.MaxMTU, _ = atoi(v)
			in.Detailed = true
		default: // new-netns, new-netnsid, new-ifindex, protodown...
			in.Details = append(in.Details, Param{Key: t, Value: v})
		}
	}
	unknown.report(&p.x.Issues, l.Pos, "link")
}

// kindLine parses a -d line "    KIND attrs... [details...]" or
// "    KIND_slave attrs... [details...]".
func (p *addrParser) kindLine(l parse.Line, f []string) {
	in := p.iface()
	in.Detailed = true
	kind, slave := f[0], false
	if k, ok := strings.CutSuffix(kind, "_slave"); ok {
		kind, slave = k, true
	}
	if !slave && in.Kind != "" || slave && in.SlaveKind != "" {
		in.Extra = append(in.Extra, Param{Key: f[0], Value: strings.Join(f[1:], " ")})
		p.x.Issues.Warnf(l.Pos, "second %s line in interface %s kept in Extra", f[0], in.Name)
		return
	}
	params, details, unknown := kindParams(f[0], f[1:])
	in.Details = append(in.Details, details...)
	if slave {
		in.SlaveKind, in.SlaveParams = kind, params
	} else {
		in.Kind, in.KindParams = kind, params
		in.Tunnel = tunnelFromText(kind, params)
	}
	unknown.report(&p.x.Issues, l.Pos, f[0])
}

// lifetimes parses "valid_lft forever preferred_lft forever" into the last
// address.
func (p *addrParser) lifetimes(l parse.Line, f []string) {
	in := p.iface()
	if len(in.Addrs) == 0 {
		in.Extra = append(in.Extra, Param{Key: f[0], Value: strings.Join(f[1:], " ")})
		p.x.Issues.Warnf(l.Pos, "lifetimes without an address in interface %s kept in Extra", in.Name)
		return
	}
	a := &in.Addrs[len(in.Addrs)-1]
	a.Raw += "\n" + l.Text
	var unknown unknownWords
	for i := 0; i < len(f); {
		if i+1 >= len(f) || f[i] != "valid_lft" && f[i] != "preferred_lft" {
			var kv Param
			kv, i = takeUnknown(f, i, func(s string) bool { return s == "valid_lft" || s == "preferred_lft" })
			a.Extra = append(a.Extra, kv)
			unknown.add(kv.Key)
			continue
		}
		if f[i] == "valid_lft" {
			a.ValidLft = f[i+1]
		} else {
			a.PreferredLft = f[i+1]
		}
		i += 2
	}
	unknown.report(&p.x.Issues, l.Pos, "address lifetime")
}

// addrFlagWords are the address flags ip prints as bare words.
var addrFlagWords = map[string]bool{
	"secondary": true, "temporary": true, "nodad": true, "optimistic": true, "dadfailed": true,
	"home": true, "deprecated": true, "tentative": true, "permanent": true, "mngtmpaddr": true,
	"noprefixroute": true, "autojoin": true, "stable-privacy": true, "dynamic": true,
}

var addrKeys = map[string]bool{"peer": true, "brd": true, "any": true, "mcast": true, "scope": true, "metric": true, "proto": true, "flags": true}

// parseAddrLine parses "inet 10.0.0.1/24 brd 10.0.0.255 scope global
// secondary eth0:1" (the label, IPv4 only, is the last word).
func parseAddrLine(l parse.Line, f []string, issues *parse.Issues) Addr {
	a := Addr{Pos: l.Pos, Raw: l.Text, Family: f[0]}
	i := 1
	if a.Family == "family" && len(f) > 1 {
		a.Family = "family " + f[1]
		i = 2
	}
	var local string
	if i < len(f) && !addrKeys[f[i]] {
		local = f[i]
		i++
	}
	known := func(s string) bool { return addrKeys[s] || addrFlagWords[s] }
	var unknown unknownWords
	for i < len(f) {
		t := f[i]
		if addrFlagWords[t] {
			a.Flags = append(a.Flags, t)
			i++
			continue
		}
		if !addrKeys[t] || i+1 >= len(f) {
			if i == len(f)-1 && a.Family == "inet" {
				a.Label = t
				i++
				continue
			}
			var kv Param
			kv, i = takeUnknown(f, i, known)
			a.Extra = append(a.Extra, kv)
			unknown.add(kv.Key)
			continue
		}
		v := f[i+1]
		i += 2
		switch t {
		case "peer":
			if pp, ok := parsePrefix(v); ok {
				a.Peer = pp
			} else {
				a.Extra = append(a.Extra, Param{Key: t, Value: v})
				unknown.add(t)
			}
		case "brd":
			a.Broadcast, _ = parseAddr(v)
		case "any":
			a.Anycast, _ = parseAddr(v)
		case "mcast":
			a.Multicast, _ = parseAddr(v)
		case "scope":
			a.Scope = v
		case "metric":
			a.Metric, _ = atou32(v)
		case "proto":
			a.Proto = v
		case "flags":
			a.Flags = append(a.Flags, "flags="+v)
		}
	}
	setLocal(&a, local, issues)
	unknown.report(issues, l.Pos, "address")
	return a
}

// setLocal fills Prefix from the local address token, borrowing the peer's
// prefix length for point-to-point addresses.
func setLocal(a *Addr, local string, issues *parse.Issues) {
	if local == "" {
		issues.Warnf(a.Pos, "%s line without an address", a.Family)
		return
	}
	if a.Peer.IsValid() && !strings.Contains(local, "/") {
		if ad, ok := parseAddr(local); ok {
			a.Prefix = netip.PrefixFrom(ad, a.Peer.Bits())
			return
		}
	}
	pfx, ok := parsePrefix(local)
	if !ok {
		a.Extra = append(a.Extra, Param{Key: "local", Value: local})
		issues.Warnf(a.Pos, "unparsable %s address %q kept in Extra", a.Family, local)
		return
	}
	a.Prefix = pfx
}

// statDirs maps text statistics headers to the JSON counter names.
var statNames = map[string]string{
	"overrun": "over_errors", "missed": "missed_errors", "mcast": "multicast",
	"carrier": "carrier_errors", "collsns": "collisions", "length": "length_errors",
	"crc": "crc_errors", "frame": "frame_errors", "fifo": "fifo_errors",
	"aborted": "aborted_errors", "window": "window_errors", "heartbt": "heartbeat_errors",
	"transns": "carrier_changes",
}

// statHeader remembers "RX: bytes packets errors dropped missed mcast"
// until its line of numbers.
func (p *addrParser) statHeader(l parse.Line, f []string) {
	p.flushStats()
	dir, cols := strings.TrimSuffix(f[0], ":"), f[1:]
	if len(cols) > 0 && cols[0] == "errors:" {
		cols = cols[1:]
	}
	p.statDir, p.statCols, p.statPos = dir, make([]string, len(cols)), l.Pos
	for i, c := range cols {
		if n, ok := statNames[c]; ok {
			c = n
		}
		p.statCols[i] = c
	}
	in := p.iface()
	if in.Stats == nil {
		in.Stats = &Stats{Pos: l.Pos}
	}
}

// statNumbers consumes the line of numbers under a statistics header; it
// reports false when the line is not numbers (the header then stays
// without values, reported).
func (p *addrParser) statNumbers(l parse.Line, f []string) bool {
	vals := make([]uint64, len(f))
	for i, t := range f {
		n, ok := atou64(t)
		if !ok {
			p.flushStats()
			return false
		}
		vals[i] = n
	}
	c := &p.iface().Stats.RX
	if p.statDir == "TX" {
		c = &p.iface().Stats.TX
	}
	for i, v := range vals {
		if i >= len(p.statCols) {
			p.x.Issues.Warnf(l.Pos, "more statistics values than %s columns; extra values dropped: %s", p.statDir, strings.Join(f[len(p.statCols):], " "))
			break
		}
		c.set(p.statCols[i], v)
	}
	p.statCols = nil
	return true
}

// flushStats reports a statistics header that got no numbers.
func (p *addrParser) flushStats() {
	if p.statCols != nil {
		p.x.Issues.Warnf(p.statPos, "%s statistics header without a line of numbers", p.statDir)
		p.statCols = nil
	}
}
