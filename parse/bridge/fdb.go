package bridge

import (
	"fmt"
	"io"
	"net/netip"
	"strconv"
	"strings"

	"netxray/parse"
)

// FDB is the output of `bridge fdb show` (also `bridge fdb show dev DEV`,
// `bridge fdb show br BR`, and sos's `bridge -s -s -d -t fdb show`).
type FDB struct {
	Entries []FDBEntry
	Issues  parse.Issues
}

// FDBEntry is one forwarding database entry. Fields that iproute2 did not
// print keep their zero value; for numbers that means "not printed" (VLAN,
// Port, VNI, SrcVNI and NHID are never 0 when printed in practice).
type FDBEntry struct {
	Pos parse.Pos
	Raw string

	// Deleted is set for "Deleted ..." lines of `bridge monitor fdb`.
	Deleted bool
	// MAC is the link-layer address, lower-cased.
	MAC string
	// Dev is the port the entry belongs to; "" when the dump was filtered
	// with `dev X`/`brport X`, which makes iproute2 omit it.
	Dev string
	// Dst is the remote VTEP of a VXLAN entry (l2pop writes one per peer).
	Dst    netip.Addr
	VLAN   int
	Port   int // UDP destination port of a VXLAN entry
	VNI    uint32
	SrcVNI uint32
	Via    string // "via DEV"
	// ViaIfIndex is set for "via ifindex N" (the device lives in another
	// namespace, see LinkNetNsID).
	ViaIfIndex  int
	NHID        uint32
	LinkNetNsID *int
	// Master is the bridge named by "master BR"; entries with a master are
	// the Linux bridge's own (learned or local) table.
	Master string
	// Flags are the flag words in printed order: self, router,
	// extern_learn, offload, sticky, master (bare, NTF_MASTER), locked,
	// activity_notify, inactive, norefresh.
	Flags []string
	// State is "permanent", "static", "stale", "" (reachable: a learned,
	// dynamic entry), or the raw "state=0x.." for others.
	State string
	// Used and Updated are the -s timers in seconds; nil when not printed.
	Used    *int
	Updated *int
	// Extra keeps tokens the parser does not know, in order.
	Extra []string
}

// HasFlag reports whether the entry carries flag word f ("self", ...).
func (e *FDBEntry) HasFlag(f string) bool {
	for _, x := range e.Flags {
		if x == f {
			return true
		}
	}
	return false
}

// Records implements parse.Result.
func (d *FDB) Records() int { return len(d.Entries) }

// Problems implements parse.Result.
func (d *FDB) Problems() parse.Issues { return d.Issues }

var fdbFlagWords = map[string]bool{
	"self": true, "router": true, "extern_learn": true, "offload": true,
	"sticky": true, "locked": true, "activity_notify": true, "inactive": true,
	"norefresh": true, "offload_failed": true,
}

var fdbStates = map[string]bool{
	"permanent": true, "static": true, "stale": true, "dynamic": true,
	"reachable": true, "noarp": true,
}

// fdbKeywords take one argument.
var fdbKeywords = map[string]bool{
	"dev": true, "dst": true, "vlan": true, "port": true, "vni": true,
	"src_vni": true, "via": true, "nhid": true, "link-netnsid": true,
	"used": true,
}

// ParseFDB parses `bridge fdb show` output. Token order follows iproute2's
// print_fdb, but the parser accepts any order:
//
//	00:00:00:00:00:00 dev vxlan-1001 dst 10.0.0.10 self permanent
//	fa:16:3e:77:66:55 dev vxlan-1001 master brq0c8d2a6e-91
//	e6:fc:d5:c0:cf:46 dev vxlan-1001 used 0/0 master br0 permanent
//	fa:16:3e:3c:4d:5e dst 10.0.0.10 self permanent
func ParseFDB(r io.Reader, file string) (fdb *FDB, err error) {
	defer parse.Recover(file, &err)
	fdb = &FDB{}
	sc := parse.NewScanner(r, file, &fdb.Issues)
	for sc.Scan() {
		l := sc.Line()
		if strings.TrimSpace(l.Text) == "" || skipNoise(l, &fdb.Issues) {
			continue
		}
		e, ok := parseFDBLine(l, &fdb.Issues)
		if ok {
			fdb.Entries = append(fdb.Entries, e)
		}
	}
	if err := sc.Err(); err != nil {
		return fdb, err
	}
	return fdb, nil
}

func parseFDBLine(l parse.Line, issues *parse.Issues) (FDBEntry, bool) {
	e := FDBEntry{Pos: l.Pos, Raw: l.Text}
	tok := strings.Fields(l.Text)
	if tok[0] == "Deleted" {
		e.Deleted = true
		tok = tok[1:]
	}
	if len(tok) == 0 || !isMAC(tok[0]) {
		issues.Errorf(l.Pos, "not a bridge fdb entry (no MAC address first): %q", l.Text)
		return e, false
	}
	e.MAC = strings.ToLower(tok[0])
	for i := 1; i < len(tok); i++ {
		t := tok[i]
		switch {
		case fdbKeywords[t]:
			if i+1 >= len(tok) {
				issues.Warnf(l.Pos, "%q without a value", t)
				e.Extra = append(e.Extra, t)
				continue
			}
			i++
			if t == "via" && tok[i] == "ifindex" && i+1 < len(tok) {
				i++
				t = "via ifindex"
			}
			if err := e.set(t, tok[i]); err != nil {
				issues.Warnf(l.Pos, "%s %q: %v", t, tok[i], err)
				e.Extra = append(e.Extra, t, tok[i])
			}
		case t == "master":
			// "master BR" names the bridge; a bare "master" (NTF_MASTER)
			// is followed by another keyword, a state or nothing.
			if i+1 < len(tok) && !isFDBWord(tok[i+1]) {
				i++
				e.Master = tok[i]
			} else {
				e.Flags = append(e.Flags, t)
			}
		case fdbFlagWords[t]:
			e.Flags = append(e.Flags, t)
		case fdbStates[t] || strings.HasPrefix(t, "state="):
			e.State = t
		default:
			e.Extra = append(e.Extra, t)
			issues.Warnf(l.Pos, "unknown bridge fdb token %q kept", t)
		}
	}
	return e, true
}

func isFDBWord(t string) bool {
	return fdbKeywords[t] || fdbFlagWords[t] || fdbStates[t] || t == "master" ||
		strings.HasPrefix(t, "state=")
}

// set stores the value of keyword k.
func (e *FDBEntry) set(k, v string) error {
	var err error
	switch k {
	case "dev":
		e.Dev = v
	case "via":
		e.Via = v
	case "dst":
		e.Dst, err = netip.ParseAddr(v)
	case "vlan":
		e.VLAN, err = strconv.Atoi(v)
	case "port":
		e.Port, err = strconv.Atoi(v)
	case "vni":
		e.VNI, err = parseU32(v)
	case "src_vni":
		e.SrcVNI, err = parseU32(v)
	case "nhid":
		e.NHID, err = parseU32(v)
	case "via ifindex":
		e.ViaIfIndex, err = strconv.Atoi(v)
	case "link-netnsid":
		var n int
		n, err = strconv.Atoi(v)
		e.LinkNetNsID = &n
	case "used":
		err = e.setTimers(v)
	}
	return err
}

// setTimers reads "used U/P" (seconds since last used / updated).
func (e *FDBEntry) setTimers(v string) error {
	used, updated, ok := strings.Cut(v, "/")
	u, err := strconv.Atoi(used)
	if err != nil {
		return err
	}
	e.Used = &u
	if !ok {
		return nil
	}
	p, err := strconv.Atoi(updated)
	if err != nil {
		return err
	}
	e.Updated = &p
	return nil
}

func parseU32(s string) (uint32, error) {
	n, err := strconv.ParseUint(s, 0, 32)
	if err != nil {
		return 0, fmt.Errorf("not a 32-bit number: %w", err)
	}
	return uint32(n), nil
}

// sniffFDB: the first data line starts with a MAC address followed by an
// fdb keyword or state.
func sniffFDB(head []byte) bool {
	tok := strings.Fields(parse.FirstData(head))
	if len(tok) < 2 || !isMAC(tok[0]) {
		return false
	}
	return isFDBWord(tok[1])
}
