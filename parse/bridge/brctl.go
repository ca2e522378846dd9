package bridge

import (
	"io"
	"regexp"
	"strconv"
	"strings"

	"netxray/parse"
)

// BrctlShow is the output of `brctl show [BRIDGE]` (bridge-utils).
type BrctlShow struct {
	Bridges []Bridge
	Issues  parse.Issues
}

// Bridge is one Linux bridge with its member ports. Raw is the bridge's own
// line; each member keeps the position of its (continuation) line.
type Bridge struct {
	Pos parse.Pos
	Raw string

	Name string
	// ID is the bridge id as printed, "8000.525400263a23": STP priority
	// (hex) and bridge MAC.
	ID       string
	Priority int
	MAC      string
	STP      bool
	// STPRaw is the printed STP column ("no", "yes").
	STPRaw     string
	Interfaces []Member
}

// Member is one port of a bridge.
type Member struct {
	Pos  parse.Pos
	Name string
}

// MemberNames returns the interface names of the bridge in order.
func (b *Bridge) MemberNames() []string {
	names := make([]string, len(b.Interfaces))
	for i, m := range b.Interfaces {
		names[i] = m.Name
	}
	return names
}

// Records implements parse.Result.
func (s *BrctlShow) Records() int { return len(s.Bridges) }

// Problems implements parse.Result.
func (s *BrctlShow) Problems() parse.Issues { return s.Issues }

var bridgeIDRE = regexp.MustCompile(`^([0-9a-fA-F]{4})\.([0-9a-fA-F]{12})$`)

// ParseBrctlShow parses `brctl show`. Columns are TAB separated (some
// documents re-align them with spaces); a bridge with several ports prints
// one port per continuation line that holds only the port name:
//
//	bridge name	bridge id		STP enabled	interfaces
//	br0		8000.2047478aa2e8	no		em1
//								vnet0
//	virbr9		8000.525400263a23	yes		virbr9-nic
func ParseBrctlShow(r io.Reader, file string) (show *BrctlShow, err error) {
	defer parse.Recover(file, &err)
	show = &BrctlShow{}
	sc := parse.NewScanner(r, file, &show.Issues)
	var cur *Bridge
	for sc.Scan() {
		l := sc.Line()
		t := strings.TrimSpace(l.Text)
		if t == "" || skipNoise(l, &show.Issues) {
			continue
		}
		if strings.HasPrefix(t, "bridge name") {
			cur = nil
			continue
		}
		f := strings.Fields(t)
		indented := l.Text[0] == ' ' || l.Text[0] == '\t'
		switch {
		case len(f) >= 3 && bridgeIDRE.MatchString(f[1]):
			show.Bridges = append(show.Bridges, parseBridgeLine(l, f, &show.Issues))
			cur = &show.Bridges[len(show.Bridges)-1]
		case len(f) == 1 && cur != nil:
			if !indented {
				// Seen in pasted outputs that lost their leading TABs.
				show.Issues.Warnf(l.Pos, "interface %q without leading whitespace taken as a port of %s", t, cur.Name)
			}
			cur.Interfaces = append(cur.Interfaces, Member{Pos: l.Pos, Name: t})
		default:
			show.Issues.Errorf(l.Pos, "not a brctl show line: %q", l.Text)
		}
	}
	return show, sc.Err()
}

func parseBridgeLine(l parse.Line, f []string, issues *parse.Issues) Bridge {
	b := Bridge{Pos: l.Pos, Raw: l.Text, Name: f[0], ID: f[1], STPRaw: f[2]}
	m := bridgeIDRE.FindStringSubmatch(f[1])
	prio, _ := strconv.ParseUint(m[1], 16, 16)
	b.Priority = int(prio)
	hexMAC := strings.ToLower(m[2])
	parts := make([]string, 6)
	for i := range parts {
		parts[i] = hexMAC[2*i : 2*i+2]
	}
	b.MAC = strings.Join(parts, ":")
	switch f[2] {
	case "yes":
		b.STP = true
	case "no":
	default:
		issues.Warnf(l.Pos, "STP column %q is neither yes nor no", f[2])
	}
	for _, name := range f[3:] {
		b.Interfaces = append(b.Interfaces, Member{Pos: l.Pos, Name: name})
	}
	if len(f) > 4 {
		issues.Warnf(l.Pos, "bridge %s line has %d interface names; expected at most one", b.Name, len(f)-3)
	}
	return b
}

func sniffBrctl(head []byte) bool {
	return strings.HasPrefix(parse.FirstData(head), "bridge name")
}
