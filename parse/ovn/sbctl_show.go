package ovn

import (
	"io"
	"net/netip"
	"strings"

	"netxray/parse"
	"netxray/parse/ovs"
)

// SBShow is the output of `ovn-sbctl show`: the Southbound database's
// chassis (one per ovn-controller) with their tunnel encapsulations and
// the logical ports bound to them.
type SBShow struct {
	Chassis []Chassis
	Issues  parse.Issues
}

// Chassis is one Chassis block.
type Chassis struct {
	Pos parse.Pos
	Raw string
	// Name is the chassis name: the system-id of the node's Open_vSwitch
	// (external_ids:system-id), often a UUID.
	Name string
	// Hostname is "" when not printed (an empty hostname column).
	Hostname string
	Encaps   []Encap
	// Ports are the Port_Binding rows whose chassis is this one: VM ports
	// (Neutron port IDs) and, on a gateway chassis, "cr-lrp-..." ports.
	Ports []PortBinding
	Extra []Column
}

// Encap is one tunnel encapsulation of a chassis.
type Encap struct {
	Pos parse.Pos
	Raw string
	// Type is geneve, vxlan or stt.
	Type string
	// IP is the tunnel endpoint (ovn-encap-ip); invalid when not printed.
	IP      netip.Addr
	Options ovs.Datum
	Extra   []Column
}

// PortBinding is one logical port bound to a chassis.
type PortBinding struct {
	Pos         parse.Pos
	Raw         string
	LogicalPort string
}

// Option returns the value of options:key of the encap.
func (e *Encap) Option(key string) (string, bool) { return e.Options.Get(key) }

// Records counts chassis, encaps and port bindings.
func (s *SBShow) Records() int {
	n := len(s.Chassis)
	for _, c := range s.Chassis {
		n += len(c.Encaps) + len(c.Ports)
	}
	return n
}

// Problems returns the issues found while parsing.
func (s *SBShow) Problems() parse.Issues { return s.Issues }

// sbState tracks the open blocks while reading lines.
type sbState struct {
	s      *SBShow
	issues *parse.Issues
	ch     *Chassis
	encap  *Encap
}

// ParseSBShow parses the output of `ovn-sbctl show` (OVSDB's generic show
// printer, as ovs-vsctl show: names and values in OVSDB syntax, quoted
// when they look like UUIDs or numbers):
//
//	Chassis "2f1e0d9c-8b7a-4c6d-9e5f-4a3b2c1d0e9f"
//	    hostname: net1
//	    Encap geneve
//	        ip: "10.0.0.10"
//	        options: {csum="true"}
//	    Port_Binding cr-lrp-4d5e6f70-8192-4a3b-8c4d-5e6f7a8b9c0d
func ParseSBShow(r io.Reader, file string) (show *SBShow, err error) {
	defer parse.Recover(file, &err)
	show = &SBShow{}
	st := sbState{s: show, issues: &show.Issues}
	sc := parse.NewScanner(r, file, &show.Issues)
	err = scanLines(sc, &show.Issues, "ovn-sbctl show", st.line)
	return show, err
}

// line handles one trimmed line and reports whether it understood it.
func (st *sbState) line(l parse.Line, t string) bool {
	if key, val, ok := strings.Cut(t, ": "); ok && isColumnName(key) {
		st.column(Column{Pos: l.Pos, Raw: l.Text, Key: key, Value: strings.TrimSpace(val)})
		return true
	}
	kw, rest, ok := strings.Cut(t, " ")
	if !ok || kw != "Chassis" && kw != "Encap" && kw != "Port_Binding" {
		return false
	}
	d, err := ovs.ParseDatum(rest)
	if err != nil || d.Kind != ovs.KindAtom {
		st.issues.Errorf(l.Pos, "bad %s name %q", kw, rest)
		return true
	}
	name := d.String()
	if kw == "Chassis" {
		st.s.Chassis = append(st.s.Chassis, Chassis{Pos: l.Pos, Raw: l.Text, Name: name})
		st.ch, st.encap = &st.s.Chassis[len(st.s.Chassis)-1], nil
		return true
	}
	if st.ch == nil {
		st.issues.Errorf(l.Pos, "%s %s outside a Chassis", kw, name)
		return true
	}
	if kw == "Encap" {
		st.ch.Encaps = append(st.ch.Encaps, Encap{Pos: l.Pos, Raw: l.Text, Type: name})
		st.encap = &st.ch.Encaps[len(st.ch.Encaps)-1]
	} else {
		st.ch.Ports = append(st.ch.Ports, PortBinding{Pos: l.Pos, Raw: l.Text, LogicalPort: name})
		st.encap = nil
	}
	return true
}

// column stores a "key: value" line: hostname on the chassis, ip and
// options on the open encap, anything else kept on the innermost object.
func (st *sbState) column(c Column) {
	if st.ch == nil {
		st.issues.Errorf(c.Pos, "%s: outside a Chassis", c.Key)
		return
	}
	d, err := ovs.ParseDatum(c.Value)
	if err != nil {
		err = errBadValue
	}
	extra := &st.ch.Extra
	if st.encap != nil {
		extra = &st.encap.Extra
	}
	switch {
	case err != nil:
	case c.Key == "hostname":
		st.ch.Hostname = d.String()
		extra = &st.ch.Extra
	case c.Key == "ip" && st.encap != nil:
		if st.encap.IP, err = netip.ParseAddr(d.String()); err != nil {
			err = errBadValue
		}
	case c.Key == "options" && st.encap != nil:
		st.encap.Options = d
	default:
		err = errUnknownKey
	}
	keepColumn(c, err, extra, st.issues)
}

// isColumnName reports whether s can be an OVSDB column name.
func isColumnName(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || i > 0 && c >= '0' && c <= '9') {
			return false
		}
	}
	return s != ""
}

// sniffSBShow: the first data line opens a Chassis.
func sniffSBShow(head []byte) bool {
	return strings.HasPrefix(parse.FirstData(head), "Chassis ")
}
