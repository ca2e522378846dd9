package ovs

import (
	"io"
	"regexp"
	"strconv"
	"strings"

	"netxray/parse"
)

// OFShow is the output of `ovs-ofctl [-O OpenFlowNN] show BRIDGE` or of
// `ovs-ofctl dump-ports-desc BRIDGE` (which prints only the port list).
// It maps OpenFlow port numbers to names and MACs.
type OFShow struct {
	// Version is the OpenFlow version named by the first reply banner
	// ("OF1.3"), or "" for OpenFlow 1.0, whose banners name none.
	Version      string
	DatapathID   string
	NTables      int
	NBuffers     int
	Capabilities []string
	Actions      []string
	Ports        []PortDesc
	// Config is the OFPT_GET_CONFIG_REPLY text, e.g. "frags=normal
	// miss_send_len=0".
	Config string
	Issues parse.Issues
	// understood counts the input lines taken as data, for tests.
	understood int
}

// PortDesc is one port block:
//
//	3(qvo5e1f2a3b-c4): addr:16:b2:09:3f:77:e1
//	    config:     0
//	    state:      LIVE
//	    current:    10GB-FD COPPER
//	    speed: 10000 Mbps now, 0 Mbps max
type PortDesc struct {
	Pos parse.Pos
	Raw string
	// OFPort is the port number; LOCAL is 65534 as in the database.
	// Other reserved names (IN_PORT, CONTROLLER, ...) leave it 0.
	OFPort int
	// Number is the port as printed ("3", "LOCAL").
	Number string
	// Name is the name as OpenFlow carries it: at most 15 characters.
	Name string
	MAC  string
	// Config and State are the flag words; "0" prints as no words.
	Config     []string
	State      []string
	Current    []string
	Advertised []string
	Supported  []string
	Peer       []string
	SpeedMbps  int
	MaxMbps    int
	// Extra holds lines of the block this parser does not know.
	Extra []string
}

// LocalPort is the OpenFlow port number OVS gives the bridge's own port.
const LocalPort = 65534

// IsDown reports whether the port is administratively or link down.
func (p *PortDesc) IsDown() bool {
	return contains(p.Config, "PORT_DOWN") || contains(p.State, "LINK_DOWN")
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Port returns the port with OpenFlow number n, or nil.
func (s *OFShow) Port(n int) *PortDesc {
	for i := range s.Ports {
		if s.Ports[i].OFPort == n && s.Ports[i].Number != "" {
			return &s.Ports[i]
		}
	}
	return nil
}

// PortByName returns the port named name, or nil. Names longer than 15
// characters match their truncated OpenFlow form.
func (s *OFShow) PortByName(name string) *PortDesc {
	if len(name) > 15 {
		name = name[:15]
	}
	for i := range s.Ports {
		if s.Ports[i].Name == name {
			return &s.Ports[i]
		}
	}
	return nil
}

// PortByMAC returns the port whose hardware address is mac, or nil.
func (s *OFShow) PortByMAC(mac string) *PortDesc {
	mac = strings.ToLower(mac)
	for i := range s.Ports {
		if s.Ports[i].MAC == mac {
			return &s.Ports[i]
		}
	}
	return nil
}

// Records returns the number of ports.
func (s *OFShow) Records() int { return len(s.Ports) }

// Problems returns the issues found while parsing.
func (s *OFShow) Problems() parse.Issues { return s.Issues }

// replyRE matches an OpenFlow reply banner: "OFPT_FEATURES_REPLY (OF1.3)
// (xid=0x2): dpid:...", "OFPST_PORT reply (xid=0x2): 5 ports".
var replyRE = regexp.MustCompile(`^((?:OFPT|OFPST|NXST|NXT|OFPMP|ONFST|ONFT)_[A-Z0-9_]+(?: reply)?)(?: \((OF\d\.\d)\))?(?: \(xid=0x[0-9a-fA-F]+\))?:\s*(.*)$`)

var portHeadRE = regexp.MustCompile(`^\s*([0-9]+|[A-Z_]+)\((.*)\): addr:([0-9a-fA-F:]+)\s*$`)

// ParseOFShow parses `ovs-ofctl show BRIDGE` (any -O version):
//
//	OFPT_FEATURES_REPLY (xid=0x2): dpid:0000e2ba656ebe59
//	n_tables:254, n_buffers:0
//	capabilities: FLOW_STATS TABLE_STATS PORT_STATS QUEUE_STATS ARP_MATCH_IP
//	 1(int-br-ex): addr:9a:3b:51:0c:44:21
//
// With OpenFlow 1.3 and later the ports follow an "OFPST_PORT_DESC reply
// (OF1.3)" banner in the same format.
func ParseOFShow(r io.Reader, file string) (*OFShow, error) { return parseOFShow(r, file) }

// ParsePortsDesc parses `ovs-ofctl [-O OpenFlowNN] dump-ports-desc
// BRIDGE`: an "OFPST_PORT_DESC reply" banner and port blocks as in
// ParseOFShow.
//
//	OFPST_PORT_DESC reply (OF1.3) (xid=0x2):
//	 LOCAL(br-int): addr:e2:ba:65:6e:be:59
//	     config:     PORT_DOWN
//	     state:      LINK_DOWN
func ParsePortsDesc(r io.Reader, file string) (*OFShow, error) { return parseOFShow(r, file) }

func parseOFShow(r io.Reader, file string) (show *OFShow, err error) {
	defer parse.Recover(file, &err)
	show = &OFShow{}
	sc := parse.NewScanner(r, file, &show.Issues)
	var cur *PortDesc
	for sc.Scan() {
		l := sc.Line()
		t := strings.TrimSpace(l.Text)
		if t == "" || skipBanner(l, &show.Issues) {
			continue
		}
		show.understood++
		if m := replyRE.FindStringSubmatch(t); m != nil {
			cur = nil
			show.reply(l, m[1], m[2], m[3])
			continue
		}
		if m := portHeadRE.FindStringSubmatch(l.Text); m != nil {
			show.Ports = append(show.Ports, newPortDesc(l, m))
			cur = &show.Ports[len(show.Ports)-1]
			continue
		}
		if cur != nil && strings.HasPrefix(l.Text, " ") && cur.line(l, t, &show.Issues) {
			continue
		}
		if show.featureLine(l, t) {
			continue
		}
		if skipFailure(l, &show.Issues) {
			show.understood--
			continue
		}
		show.understood--
		show.Issues.Errorf(l.Pos, "not an ovs-ofctl show line: %q", l.Text)
	}
	return show, sc.Err()
}

func (s *OFShow) reply(l parse.Line, name, version, rest string) {
	if s.Version == "" {
		s.Version = version
	}
	switch name {
	case "OFPT_FEATURES_REPLY":
		if dpid, ok := strings.CutPrefix(rest, "dpid:"); ok {
			s.DatapathID = dpid
		} else {
			s.Issues.Warnf(l.Pos, "features reply without dpid: %q", rest)
		}
	case "OFPT_GET_CONFIG_REPLY":
		s.Config = rest
	case "OFPST_PORT_DESC reply", "OFPMP_PORT_DESC reply":
	default:
		s.Issues.Addf(l.Pos, parse.SevInfo, "reply %s not used", name)
	}
}

// featureLine reads the lines of the features reply that follow its
// banner.
func (s *OFShow) featureLine(l parse.Line, t string) bool {
	switch {
	case strings.HasPrefix(t, "n_tables:"):
		for _, kv := range strings.Split(t, ",") {
			k, v, _ := strings.Cut(strings.TrimSpace(kv), ":")
			n, err := strconv.Atoi(v)
			switch {
			case err != nil:
				s.Issues.Warnf(l.Pos, "%s: %q is not a number", k, v)
			case k == "n_tables":
				s.NTables = n
			case k == "n_buffers":
				s.NBuffers = n
			}
		}
	case strings.HasPrefix(t, "capabilities:"):
		s.Capabilities = strings.Fields(strings.TrimPrefix(t, "capabilities:"))
	case strings.HasPrefix(t, "actions:"):
		s.Actions = strings.Fields(strings.TrimPrefix(t, "actions:"))
	default:
		return false
	}
	return true
}

func newPortDesc(l parse.Line, m []string) PortDesc {
	p := PortDesc{Pos: l.Pos, Raw: l.Text, Number: m[1], Name: m[2], MAC: strings.ToLower(m[3])}
	if n, err := strconv.Atoi(m[1]); err == nil {
		p.OFPort = n
	} else if m[1] == "LOCAL" {
		p.OFPort = LocalPort
	}
	return p
}

// line reads one indented line of a port block.
func (p *PortDesc) line(l parse.Line, t string, issues *parse.Issues) bool {
	key, val, ok := strings.Cut(t, ":")
	if !ok {
		return false
	}
	words := strings.Fields(val)
	if len(words) == 1 && words[0] == "0" {
		words = nil
	}
	switch key {
	case "config":
		p.Config = words
	case "state":
		p.State = words
	case "current":
		p.Current = words
	case "advertised":
		p.Advertised = words
	case "supported":
		p.Supported = words
	case "peer":
		p.Peer = words
	case "speed":
		// "10000 Mbps now, 0 Mbps max"
		f := strings.Fields(strings.ReplaceAll(val, ",", " "))
		if len(f) != 6 {
			return false
		}
		p.SpeedMbps, _ = strconv.Atoi(f[0])
		p.MaxMbps, _ = strconv.Atoi(f[3])
	default:
		p.Extra = append(p.Extra, t)
		issues.Warnf(l.Pos, "port %s: unknown line kept as extra: %q", p.Number, t)
	}
	return true
}

func sniffOFShow(head []byte) bool {
	return strings.HasPrefix(parse.FirstData(head), "OFPT_FEATURES_REPLY")
}

func sniffPortsDesc(head []byte) bool {
	t := parse.FirstData(head)
	return strings.HasPrefix(t, "OFPST_PORT_DESC reply") || strings.HasPrefix(t, "OFPMP_PORT_DESC reply")
}
