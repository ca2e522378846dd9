package ovs

import (
	"io"
	"strconv"
	"strings"

	"netxray/parse"
)

// FDBShow is the output of `ovs-appctl fdb/show BRIDGE`: the MAC table the
// NORMAL action learned.
type FDBShow struct {
	Entries []FDBEntry
	// Bridges lists the bridges of a multi-bridge listing (newer OVS
	// without a bridge argument), including those without entries.
	Bridges []string
	Issues  parse.Issues
	// understood counts the input lines taken as data, for tests.
	understood int
}

// FDBEntry is one learned MAC.
type FDBEntry struct {
	Pos parse.Pos
	Raw string
	// Bridge is set only in multi-bridge listings.
	Bridge string
	// Port is the OpenFlow port as printed: a number or "LOCAL".
	Port   string
	OFPort int
	VLAN   int
	MAC    string
	// Age is in seconds; -1 when Static or printed "?".
	Age    int
	Static bool
}

// Records returns the number of entries.
func (f *FDBShow) Records() int { return len(f.Entries) }

// Problems returns the issues found while parsing.
func (f *FDBShow) Problems() parse.Issues { return f.Issues }

// Lookup returns the entry for mac on vlan, or nil.
func (f *FDBShow) Lookup(vlan int, mac string) *FDBEntry {
	mac = strings.ToLower(mac)
	for i := range f.Entries {
		if f.Entries[i].VLAN == vlan && f.Entries[i].MAC == mac {
			return &f.Entries[i]
		}
	}
	return nil
}

// ParseFDBShow parses `ovs-appctl fdb/show BRIDGE`:
//
//	 port  VLAN  MAC                Age
//	    3     1  fa:16:3e:5e:1f:2a    1
//	LOCAL     0  e2:ba:65:6e:be:59  static
//
// Without a bridge argument recent OVS lists every bridge, naming each on
// its first row under a "Bridge" column.
func ParseFDBShow(r io.Reader, file string) (fdb *FDBShow, err error) {
	defer parse.Recover(file, &err)
	fdb = &FDBShow{}
	sc := parse.NewScanner(r, file, &fdb.Issues)
	multi, bridge := false, ""
	for sc.Scan() {
		l := sc.Line()
		t := strings.TrimSpace(l.Text)
		if t == "" || skipBanner(l, &fdb.Issues) {
			continue
		}
		f := strings.Fields(t)
		if len(f) >= 4 && strings.EqualFold(f[len(f)-4], "port") && f[len(f)-1] == "Age" {
			multi = f[0] == "Bridge"
			fdb.understood++
			continue
		}
		if multi && len(f) == 1 && !isMACText(f[0]) {
			bridge = f[0]
			fdb.Bridges = append(fdb.Bridges, bridge)
			fdb.understood++
			continue
		}
		row := f
		if multi && len(f) == 5 {
			row = f[1:]
		}
		e, ok := parseFDBRow(l, row, &fdb.Issues)
		if ok && len(row) < len(f) {
			bridge = f[0]
			fdb.Bridges = append(fdb.Bridges, bridge)
		}
		if !ok {
			if !skipFailure(l, &fdb.Issues) {
				fdb.Issues.Errorf(l.Pos, "not an fdb/show line: %q", l.Text)
			}
			continue
		}
		if multi {
			e.Bridge = bridge
		}
		fdb.Entries = append(fdb.Entries, e)
		fdb.understood++
	}
	return fdb, sc.Err()
}

func parseFDBRow(l parse.Line, f []string, issues *parse.Issues) (FDBEntry, bool) {
	if len(f) != 4 || !isMACText(f[2]) {
		return FDBEntry{}, false
	}
	vlan, err := strconv.Atoi(f[1])
	if err != nil {
		return FDBEntry{}, false
	}
	e := FDBEntry{Pos: l.Pos, Raw: l.Text, Port: f[0], VLAN: vlan, MAC: strings.ToLower(f[2]), Age: -1}
	if n, err := strconv.Atoi(f[0]); err == nil {
		e.OFPort = n
	} else if f[0] == "LOCAL" {
		e.OFPort = LocalPort
	}
	switch f[3] {
	case "static":
		e.Static = true
	case "?":
	default:
		age, err := strconv.Atoi(f[3])
		if err != nil {
			issues.Warnf(l.Pos, "age %q is not a number", f[3])
			break
		}
		e.Age = age
	}
	return e, true
}

// isMACText reports whether s is an Ethernet address in colon notation.
func isMACText(s string) bool {
	if len(s) != 17 {
		return false
	}
	for i := 0; i < 17; i++ {
		c := s[i]
		if i%3 == 2 {
			if c != ':' {
				return false
			}
			continue
		}
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}

func sniffFDBShow(head []byte) bool {
	f := strings.Fields(parse.FirstData(head))
	return len(f) >= 4 && strings.EqualFold(f[len(f)-4], "port") && f[len(f)-3] == "VLAN" && f[len(f)-1] == "Age"
}
