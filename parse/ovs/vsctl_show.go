package ovs

import (
	"io"
	"strings"

	"netxray/parse"
)

// Show is the output of `ovs-vsctl show`: the Open_vSwitch row with its
// managers, bridges, ports and interfaces.
type Show struct {
	// UUID is the Open_vSwitch row UUID printed on the first line.
	UUID     string
	Managers []ShowTarget
	Bridges  []ShowBridge
	// OVSVersion is "" when ovs_version is not printed (containerised OVS).
	OVSVersion string
	// Extra holds top-level columns this parser does not know.
	Extra  []ShowColumn
	Issues parse.Issues
	// understood counts the input lines taken as data, for tests.
	understood int
}

// ShowTarget is a Manager or Controller and its connection state.
type ShowTarget struct {
	Pos    parse.Pos
	Raw    string
	Target string
	// IsConnected is false when is_connected is not printed: ovs-vsctl
	// omits columns at their default value.
	IsConnected bool
	Extra       []ShowColumn
}

// ShowBridge is one Bridge block.
type ShowBridge struct {
	Pos          parse.Pos
	Raw          string
	Name         string
	Controllers  []ShowTarget
	FailMode     string
	DatapathType string
	Ports        []ShowPort
	Extra        []ShowColumn
}

// ShowPort is one Port block. A bond port has several interfaces.
type ShowPort struct {
	Pos  parse.Pos
	Raw  string
	Name string
	// Tag is the access VLAN; HasTag is false for an untagged port.
	Tag        int
	HasTag     bool
	Trunks     []int
	Interfaces []ShowInterface
	Extra      []ShowColumn
}

// ShowInterface is one Interface block.
type ShowInterface struct {
	Pos  parse.Pos
	Raw  string
	Name string
	// Type is "" for a system (ordinary netdev) interface.
	Type    string
	Options Datum
	// Error is the Interface error column, e.g. "could not open network
	// device tap1 (No such device)".
	Error     string
	BFDStatus Datum
	Extra     []ShowColumn
}

// ShowColumn is a "column: value" line kept as is because the parser has
// no field for it (or it appeared where it was not expected).
type ShowColumn struct {
	Pos   parse.Pos
	Raw   string
	Name  string
	Value Datum
}

// Option returns the value of options:key of the interface.
func (i *ShowInterface) Option(key string) (string, bool) { return i.Options.Get(key) }

// Records counts managers, bridges, controllers, ports and interfaces.
func (s *Show) Records() int {
	n := len(s.Managers) + len(s.Bridges)
	for _, b := range s.Bridges {
		n += len(b.Controllers) + len(b.Ports)
		for _, p := range b.Ports {
			n += len(p.Interfaces)
		}
	}
	return n
}

// Problems returns the issues found while parsing.
func (s *Show) Problems() parse.Issues { return s.Issues }

// showState tracks the innermost open object while reading lines.
type showState struct {
	s      *Show
	issues *parse.Issues
	bridge *ShowBridge
	port   *ShowPort
	iface  *ShowInterface
	target *ShowTarget
}

// ParseShow parses the output of `ovs-vsctl show` (any OVS version):
//
//	698493db-95ef-4c31-b419-56b3d4096f2b
//	    Manager "ptcp:6640:127.0.0.1"
//	        is_connected: true
//	    Bridge br-int
//	        Port "qvo5e1f2a3b-c4"
//	            tag: 1
//	            Interface "qvo5e1f2a3b-c4"
//	    ovs_version: "3.3.1"
//
// Lines are attached by keyword (Bridge, Port, Interface, Controller, tag,
// type, ...), not by indentation, so pasted copies that lost their leading
// spaces still parse. One level of quoting is removed from names and
// values (OVS < 2.13 quoted any string holding a digit).
func ParseShow(r io.Reader, file string) (show *Show, err error) {
	defer parse.Recover(file, &err)
	show = &Show{}
	st := showState{s: show, issues: &show.Issues}
	sc := parse.NewScanner(r, file, &show.Issues)
	first := true
	for sc.Scan() {
		l := sc.Line()
		t := strings.TrimSpace(l.Text)
		if t == "" || skipBanner(l, &show.Issues) {
			continue
		}
		if first && IsUUID(t) {
			show.UUID = strings.ToLower(t)
			show.understood++
			first = false
			continue
		}
		first = false
		if st.line(l, t) {
			show.understood++
		} else if !skipFailure(l, &show.Issues) {
			show.Issues.Errorf(l.Pos, "not an ovs-vsctl show line: %q", l.Text)
		}
	}
	return show, sc.Err()
}

// line handles one trimmed line and reports whether it understood it.
func (st *showState) line(l parse.Line, t string) bool {
	if col, val, ok := strings.Cut(t, ": "); ok && isColumnName(col) {
		st.column(l, col, val)
		return true
	}
	if col, ok := strings.CutSuffix(t, ":"); ok && isColumnName(col) {
		// A map-of-references column (e.g. "datapaths:") prints its
		// entries on the following lines; keep the header only.
		st.column(l, col, "{}")
		return true
	}
	kw, rest, ok := strings.Cut(t, " ")
	if !ok {
		return false
	}
	switch kw {
	case "Manager", "Bridge", "Controller", "Port", "Interface":
	default:
		return false
	}
	name, err := ParseDatum(rest)
	if err != nil || name.Kind != KindAtom {
		st.issues.Errorf(l.Pos, "bad %s name %q", kw, rest)
		return true
	}
	st.object(l, kw, name.String())
	return true
}

func (st *showState) object(l parse.Line, kw, name string) {
	switch kw {
	case "Manager":
		st.s.Managers = append(st.s.Managers, ShowTarget{Pos: l.Pos, Raw: l.Text, Target: name})
		st.bridge, st.port, st.iface = nil, nil, nil
		st.target = &st.s.Managers[len(st.s.Managers)-1]
	case "Bridge":
		st.s.Bridges = append(st.s.Bridges, ShowBridge{Pos: l.Pos, Raw: l.Text, Name: name})
		st.bridge = &st.s.Bridges[len(st.s.Bridges)-1]
		st.port, st.iface, st.target = nil, nil, nil
	case "Controller":
		if st.bridge == nil {
			st.issues.Errorf(l.Pos, "Controller %s outside a Bridge", name)
			return
		}
		st.bridge.Controllers = append(st.bridge.Controllers, ShowTarget{Pos: l.Pos, Raw: l.Text, Target: name})
		st.target = &st.bridge.Controllers[len(st.bridge.Controllers)-1]
		st.port, st.iface = nil, nil
	case "Port":
		if st.bridge == nil {
			st.issues.Errorf(l.Pos, "Port %s outside a Bridge", name)
			return
		}
		st.bridge.Ports = append(st.bridge.Ports, ShowPort{Pos: l.Pos, Raw: l.Text, Name: name})
		st.port = &st.bridge.Ports[len(st.bridge.Ports)-1]
		st.iface, st.target = nil, nil
	case "Interface":
		if st.port == nil {
			st.issues.Errorf(l.Pos, "Interface %s outside a Port", name)
			return
		}
		st.port.Interfaces = append(st.port.Interfaces, ShowInterface{Pos: l.Pos, Raw: l.Text, Name: name})
		st.iface = &st.port.Interfaces[len(st.port.Interfaces)-1]
		st.target = nil
	}
}

func (st *showState) column(l parse.Line, name, val string) {
	d := parseColumnValue(l.Pos, name, val, st.issues)
	c := ShowColumn{Pos: l.Pos, Raw: l.Text, Name: name, Value: d}
	switch {
	case name == "ovs_version":
		st.s.OVSVersion = d.String()
	case name == "is_connected" && st.target != nil:
		st.target.IsConnected = d.String() == "true"
	case name == "fail_mode" && st.bridge != nil && st.port == nil:
		st.bridge.FailMode = d.String()
	case name == "datapath_type" && st.bridge != nil && st.port == nil:
		st.bridge.DatapathType = d.String()
	case name == "tag" && st.port != nil:
		n, ok := d.Int()
		st.port.Tag, st.port.HasTag = int(n), ok
		if !ok {
			st.issues.Warnf(l.Pos, "port %s: tag %q is not a number", st.port.Name, val)
			st.port.Extra = append(st.port.Extra, c)
		}
	case name == "trunks" && st.port != nil:
		st.port.Trunks = d.Ints()
	case st.iface != nil && name == "type":
		st.iface.Type = d.String()
	case st.iface != nil && name == "options":
		st.iface.Options = d
	case st.iface != nil && name == "error":
		st.iface.Error = d.String()
	case st.iface != nil && name == "bfd_status":
		st.iface.BFDStatus = d
	default:
		st.extra(c)
	}
}

// extra keeps a column the parser has no field for on the innermost open
// object.
func (st *showState) extra(c ShowColumn) {
	switch {
	case st.iface != nil:
		st.iface.Extra = append(st.iface.Extra, c)
	case st.port != nil:
		st.port.Extra = append(st.port.Extra, c)
	case st.target != nil:
		st.target.Extra = append(st.target.Extra, c)
	case st.bridge != nil:
		st.bridge.Extra = append(st.bridge.Extra, c)
	default:
		st.s.Extra = append(st.s.Extra, c)
	}
	st.issues.Warnf(c.Pos, "unexpected column %s kept as extra", c.Name)
}

// isColumnName reports whether s can be an OVSDB column name.
func isColumnName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || i > 0 && c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

func sniffShow(head []byte) bool {
	t := parse.FirstData(head)
	if IsUUID(t) {
		return true
	}
	s := string(head)
	return strings.Contains(s, "    Bridge ") && strings.Contains(s, "        Port ")
}
