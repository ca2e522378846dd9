package libvirt

import (
	"encoding/xml"
	"errors"
	"io"
	"net/netip"
	"strconv"
	"strings"

	"netxray/parse"
)

// DomainXML is one libvirt domain definition (`virsh dumpxml DOM`,
// /etc/libvirt/qemu/DOM.xml, /run/libvirt/qemu/DOM.xml), or a list of
// <interface> fragments cut out of one (`virsh dumpxml DOM | grep -A 8
// "<interface"`).
type DomainXML struct {
	// Domain is nil when the input has no <domain> element (fragments).
	Domain *Domain `json:"domain,omitempty"`
	// Interfaces are the <interface> elements in file order.
	Interfaces []Interface  `json:"interfaces"`
	Issues     parse.Issues `json:"issues,omitempty"`
}

// Domain is the <domain> element's identity.
type Domain struct {
	Pos parse.Pos `json:"pos"`
	Raw string    `json:"raw"` // the <domain ...> line
	// Type is the hypervisor: kvm, qemu.
	Type string `json:"type,omitempty"`
	// ID is the running domain's id (dumpxml of a running domain), nil
	// otherwise.
	ID   *int   `json:"id,omitempty"`
	Name string `json:"name"` // instance-0000001a
	// UUID is the domain UUID: Nova's instance id, OVSDB's vm-uuid.
	UUID string `json:"uuid"`
	// State is the <domstatus state=...> of a /run/libvirt/qemu file
	// (running, paused, ...), "" elsewhere.
	State string `json:"state,omitempty"`
	// Nova is Nova's <metadata><nova:instance>, nil without it.
	Nova *NovaInstance `json:"nova,omitempty"`
}

// NovaInstance is the metadata Nova writes into the domain.
type NovaInstance struct {
	Pos parse.Pos `json:"pos"`
	// Name is the instance's display name ("vm-a").
	Name         string `json:"name,omitempty"`
	CreationTime string `json:"creation_time,omitempty"`
	Flavor       string `json:"flavor,omitempty"`
	User         string `json:"user,omitempty"`
	UserUUID     string `json:"user_uuid,omitempty"`
	Project      string `json:"project,omitempty"`
	ProjectUUID  string `json:"project_uuid,omitempty"`
	// Ports are the Neutron ports with their fixed IPs (newer Nova).
	Ports []NovaPort `json:"ports,omitempty"`
}

// NovaPort is one <nova:port uuid=...>.
type NovaPort struct {
	UUID string   `json:"uuid"`
	IPs  []NovaIP `json:"ips,omitempty"`
}

// NovaIP is one <nova:ip type=... address=... ipVersion=...>.
type NovaIP struct {
	Type    string     `json:"type"` // fixed, floating
	Address netip.Addr `json:"address"`
	Version int        `json:"version"`
}

// Interface is one <interface> element.
type Interface struct {
	Pos parse.Pos `json:"pos"`
	// Raw is the element's lines, joined with "\n".
	Raw string `json:"raw"`
	// Type is bridge (hybrid qbr… plug, br-int with an openvswitch
	// virtualport, brq… of the Linux bridge agent), ethernet (os-vif plugs
	// the tap itself), vhostuser (DPDK), network, direct, hostdev (SR-IOV).
	Type string `json:"type"`
	MAC  string `json:"mac,omitempty"` // lower case
	// Target is the host-side device (tap…, vhu…); "" before the domain
	// runs, unless Nova set it.
	Target string `json:"target,omitempty"`
	// TargetManaged is the target's managed attribute ("no" when os-vif
	// created the tap), "" when absent.
	TargetManaged string          `json:"target_managed,omitempty"`
	Source        InterfaceSource `json:"source"`
	// VirtualPort is set for Open vSwitch ports plugged by libvirt.
	VirtualPort *VirtualPort `json:"virtualport,omitempty"`
	MTU         int          `json:"mtu,omitempty"`
	Model       string       `json:"model,omitempty"` // virtio, e1000
	Alias       string       `json:"alias,omitempty"` // net0
	// LinkState is <link state=...>: "down" means the guest sees no
	// carrier.
	LinkState string `json:"link_state,omitempty"`
	// VLANs are the <vlan><tag id=...> tags (SR-IOV, direct).
	VLANs []int `json:"vlans,omitempty"`
	// Extra names child elements this parser does not know, in order.
	Extra []string `json:"extra,omitempty"`
	// Cut is set when the input ended (or broke) inside the element.
	Cut bool `json:"cut,omitempty"`
}

// InterfaceSource is the <source> of an interface; which fields are set
// depends on the interface type.
type InterfaceSource struct {
	Bridge  string `json:"bridge,omitempty"`
	Network string `json:"network,omitempty"`
	Dev     string `json:"dev,omitempty"`  // direct: the host NIC
	Mode    string `json:"mode,omitempty"` // direct: vepa, bridge, passthrough; vhostuser: server, client
	Path    string `json:"path,omitempty"` // vhostuser: the socket
	Type    string `json:"type,omitempty"` // vhostuser: unix
}

// VirtualPort is <virtualport type=...><parameters .../>.
type VirtualPort struct {
	Type string `json:"type"` // openvswitch, 802.1Qbh, midonet
	// InterfaceID is the Neutron port id (OVSDB external_ids:iface-id).
	InterfaceID string `json:"interface_id,omitempty"`
	ProfileID   string `json:"profile_id,omitempty"`
}

// PortID returns the Neutron port id of the interface when the XML names
// it (virtualport interfaceid), else "".
func (i *Interface) PortID() string {
	if i.VirtualPort != nil {
		return i.VirtualPort.InterfaceID
	}
	return ""
}

// Records implements parse.Result: the domain (when there is one) and its
// interfaces.
func (d *DomainXML) Records() int {
	n := len(d.Interfaces)
	if d.Domain != nil {
		n++
	}
	return n
}

// Problems implements parse.Result.
func (d *DomainXML) Problems() parse.Issues { return d.Issues }

// knownInterfaceChildren are the <interface> children of libvirt's schema
// that the analyzer does not need; they are skipped without a warning.
var knownInterfaceChildren = map[string]bool{
	"address": true, "driver": true, "boot": true, "rom": true, "bandwidth": true, "filterref": true,
	"guest": true, "ip": true, "route": true, "tune": true, "coalesce": true, "script": true,
	"downscript": true, "backend": true, "teaming": true, "port": true, "acpi": true,
	"portForward": true, "backenddomain": true,
}

// ParseDomainXML parses a libvirt domain XML:
//
//	<domain type='kvm' id='35'>
//	  <name>instance-00000025</name>
//	  <uuid>9c45fce8-83d9-4518-9055-4df2899e23af</uuid>
//	  ...
//	    <interface type='bridge'>
//	      <mac address='fa:16:3e:21:1b:4b'/>
//	      <source bridge='qbrc3d70d5c-a9'/>
//	      <target dev='tapc3d70d5c-a9'/>
//
// Bare <interface> elements (fragments) are accepted too. XML that ends
// inside an element keeps what was read, with a warning; other XML errors
// stop the parse with an error issue at their line.
func ParseDomainXML(r io.Reader, file string) (d *DomainXML, err error) {
	defer parse.Recover(file, &err)
	d = &DomainXML{}
	lines, err := xmlLines(r, file, &d.Issues)
	if err != nil {
		return nil, err
	}
	p := &domainParser{d: d, file: file, lines: lines}
	p.run()
	return d, nil
}

// xmlLines reads the input, blanking collector banners and the error text
// virsh prints instead of XML (reported as info) so line numbers stay
// true.
func xmlLines(r io.Reader, file string, issues *parse.Issues) ([]string, error) {
	sc := parse.NewScanner(r, file, issues)
	var lines []string
	started := false
	for sc.Scan() {
		l := sc.Line()
		lines = append(lines, l.Text)
		t := strings.TrimSpace(l.Text)
		switch {
		case started || t == "":
		case strings.HasPrefix(t, "<"):
			started = true
		case noise(l.Pos, t, issues):
			lines[len(lines)-1] = ""
		default:
			issues.Errorf(l.Pos, "not libvirt domain XML: %q", t)
			lines[len(lines)-1] = ""
		}
	}
	return lines, sc.Err()
}

// element is an open XML element.
type element struct {
	name xml.Name
	line int
}

type domainParser struct {
	d     *DomainXML
	file  string
	lines []string
	dec   *xml.Decoder
	stack []element
	text  strings.Builder // character data of the innermost element
	iface *Interface      // the open <interface>, nil outside
	depth int             // stack depth of the open <interface>
	nova  *NovaInstance   // the open <nova:instance>
	port  *NovaPort       // the open <nova:port>
	state string          // the state of a <domstatus> around the domain
}

func (p *domainParser) pos(line int) parse.Pos { return parse.Pos{File: p.file, Line: line} }

func (p *domainParser) run() {
	p.dec = xml.NewDecoder(strings.NewReader(strings.Join(p.lines, "\n")))
	for {
		line, _ := p.dec.InputPos()
		tok, err := p.dec.Token()
		if err != nil {
			p.fail(err)
			return
		}
		switch t := tok.(type) {
		case xml.StartElement:
			// Text before a tag is its own token, so the position before
			// reading is the tag's line.
			p.stack = append(p.stack, element{t.Name, line})
			p.text.Reset()
			p.start(t, line)
		case xml.EndElement:
			p.end(t)
			p.stack = p.stack[:len(p.stack)-1]
		case xml.CharData:
			p.text.Write(t)
		}
	}
}

// fail handles the end of the token stream.
func (p *domainParser) fail(err error) {
	if errors.Is(err, io.EOF) {
		return
	}
	last := len(p.lines)
	var se *xml.SyntaxError
	if errors.As(err, &se) && strings.Contains(se.Msg, "unexpected EOF") && len(p.stack) > 0 {
		open := p.stack[len(p.stack)-1]
		p.d.Issues.Warnf(p.pos(last), "input ends inside <%s> opened at line %d (output cut short?); what was read is kept",
			open.name.Local, open.line)
	} else {
		at := last
		if se != nil {
			at = se.Line
		}
		p.d.Issues.Errorf(p.pos(at), "XML error, rest of the input skipped: %v", err)
	}
	if p.iface != nil {
		p.iface.Cut = true
		p.closeInterface(last)
	}
}

func attr(t xml.StartElement, name string) string {
	for _, a := range t.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// parent returns the local name of the element enclosing the innermost
// one ("" at the top).
func (p *domainParser) parent() string {
	if len(p.stack) < 2 {
		return ""
	}
	return p.stack[len(p.stack)-2].name.Local
}

func (p *domainParser) start(t xml.StartElement, line int) {
	name := t.Name.Local
	switch {
	case p.iface != nil:
		p.interfaceChild(t, line)
	case name == "interface":
		p.iface = &Interface{Pos: p.pos(line), Type: attr(t, "type")}
		p.depth = len(p.stack)
	case name == "domain" && p.d.Domain == nil:
		dom := &Domain{Pos: p.pos(line), Raw: p.lines[line-1], Type: attr(t, "type")}
		if id, err := strconv.Atoi(attr(t, "id")); err == nil {
			dom.ID = &id
		}
		dom.State = p.state
		p.d.Domain = dom
	case name == "domstatus":
		p.state = attr(t, "state")
	case name == "instance" && isNova(t.Name) && p.d.Domain != nil && p.d.Domain.Nova == nil:
		p.nova = &NovaInstance{Pos: p.pos(line)}
		p.d.Domain.Nova = p.nova
	case p.nova != nil:
		p.novaStart(t)
	}
}

func isNova(n xml.Name) bool { return n.Space == "nova" || strings.Contains(n.Space, "openstack.org") }

func (p *domainParser) novaStart(t xml.StartElement) {
	switch t.Name.Local {
	case "flavor":
		p.nova.Flavor = attr(t, "name")
	case "user":
		p.nova.UserUUID = attr(t, "uuid")
	case "project":
		p.nova.ProjectUUID = attr(t, "uuid")
	case "port":
		p.nova.Ports = append(p.nova.Ports, NovaPort{UUID: attr(t, "uuid")})
		p.port = &p.nova.Ports[len(p.nova.Ports)-1]
	case "ip":
		if p.port == nil {
			return
		}
		ip := NovaIP{Type: attr(t, "type")}
		ip.Address, _ = netip.ParseAddr(attr(t, "address"))
		ip.Version, _ = strconv.Atoi(attr(t, "ipVersion"))
		p.port.IPs = append(p.port.IPs, ip)
	}
}

// interfaceChild reads an element inside the open <interface>.
func (p *domainParser) interfaceChild(t xml.StartElement, line int) {
	i := p.iface
	direct := len(p.stack) == p.depth+1
	name := t.Name.Local
	switch {
	case direct && name == "mac":
		i.MAC = strings.ToLower(attr(t, "address"))
	case direct && name == "source":
		i.Source = InterfaceSource{Bridge: attr(t, "bridge"), Network: attr(t, "network"), Dev: attr(t, "dev"),
			Mode: attr(t, "mode"), Path: attr(t, "path"), Type: attr(t, "type")}
	case direct && name == "target":
		i.Target, i.TargetManaged = attr(t, "dev"), attr(t, "managed")
	case direct && name == "model":
		i.Model = attr(t, "type")
	case direct && name == "mtu":
		n, err := strconv.Atoi(attr(t, "size"))
		if err != nil {
			p.d.Issues.Warnf(p.pos(line), "interface mtu size %q is not a number", attr(t, "size"))
		}
		i.MTU = n
	case direct && name == "alias":
		i.Alias = attr(t, "name")
	case direct && name == "link":
		i.LinkState = attr(t, "state")
	case direct && name == "virtualport":
		i.VirtualPort = &VirtualPort{Type: attr(t, "type")}
	case name == "parameters" && p.parent() == "virtualport" && i.VirtualPort != nil:
		i.VirtualPort.InterfaceID = attr(t, "interfaceid")
		i.VirtualPort.ProfileID = attr(t, "profileid")
	case name == "tag" && p.parent() == "vlan":
		if id, err := strconv.Atoi(attr(t, "id")); err == nil {
			i.VLANs = append(i.VLANs, id)
		}
	case !direct || name == "vlan" || knownInterfaceChildren[name]:
	default:
		i.Extra = append(i.Extra, name)
		p.d.Issues.Warnf(p.pos(line), "unknown interface element <%s> kept by name", name)
	}
}

func (p *domainParser) end(t xml.EndElement) {
	text := strings.TrimSpace(p.text.String())
	p.text.Reset()
	name := t.Name.Local
	switch {
	case p.iface != nil && len(p.stack) == p.depth:
		line, _ := p.dec.InputPos()
		p.closeInterface(line)
	case p.iface != nil:
	case p.nova != nil && name == "instance" && isNova(t.Name):
		p.nova, p.port = nil, nil
	case p.nova != nil:
		p.novaEnd(name, text)
	case p.d.Domain != nil && p.parent() == "domain" && name == "name" && p.d.Domain.Name == "":
		p.d.Domain.Name = text
	case p.d.Domain != nil && p.parent() == "domain" && name == "uuid" && p.d.Domain.UUID == "":
		p.d.Domain.UUID = text
	}
}

func (p *domainParser) novaEnd(name, text string) {
	switch name {
	case "name":
		p.nova.Name = text
	case "creationTime":
		p.nova.CreationTime = text
	case "user":
		p.nova.User = text
	case "project":
		p.nova.Project = text
	case "port":
		p.port = nil
	}
}

// closeInterface finishes the open interface, whose last line is end.
func (p *domainParser) closeInterface(end int) {
	i := p.iface
	start := i.Pos.Line
	end = max(start, min(end, len(p.lines)))
	i.Raw = strings.Join(p.lines[start-1:end], "\n")
	p.d.Interfaces = append(p.d.Interfaces, *i)
	p.iface = nil
}

func sniffDomainXML(head []byte) bool {
	t := strings.TrimSpace(string(head))
	for strings.HasPrefix(t, "<!--") {
		_, rest, ok := strings.Cut(t, "-->")
		if !ok {
			return false
		}
		t = strings.TrimSpace(rest)
	}
	return strings.HasPrefix(t, "<domain ") || strings.HasPrefix(t, "<domain>") ||
		strings.HasPrefix(t, "<domstatus") || strings.HasPrefix(t, "<interface type=")
}
