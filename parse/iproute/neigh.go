package iproute

import (
	"io"
	"net"
	"net/netip"
	"strings"

	"netxray/parse"
)

// KindNeigh is the kind of `ip neigh` outputs, text or JSON.
const KindNeigh parse.Kind = "ip-neigh"

// Neighbors is the output of one `ip neigh` command.
type Neighbors struct {
	JSON      bool
	Neighbors []Neighbor
	Issues    parse.Issues
}

// Records counts neighbour entries.
func (x *Neighbors) Records() int { return len(x.Neighbors) }

// Problems returns the issues found.
func (x *Neighbors) Problems() parse.Issues { return x.Issues }

// Neighbor is one ARP/NDP entry.
type Neighbor struct {
	Pos parse.Pos
	Raw string

	Dst netip.Addr
	// Dev is "" when the command was `ip neigh show dev X`, which omits
	// it.
	Dev string
	// LLAddr is the link-layer address as printed, MAC its parsed form;
	// both empty for FAILED/INCOMPLETE entries.
	LLAddr string
	MAC    net.HardwareAddr
	// Flags are router, proxy, extern_learn, offload, managed,
	// extern_valid, in printed order.
	Flags []string
	// States are the NUD states printed (several may be): PERMANENT,
	// NOARP, REACHABLE, STALE, DELAY, PROBE, FAILED, INCOMPLETE, NONE.
	// Empty when ip printed none (NUD_NONE on new versions).
	States []string
	Proto  string
	// Stats are the ip -s counters, nil without -s.
	Stats *NeighStats
	Extra Params
}

// NeighStats are the "ref N used A/B/C probes P" counters of ip -s neigh
// (seconds since last used/confirmed/updated).
type NeighStats struct {
	Ref                       uint32
	Used, Confirmed, Updated  uint32
	Probes                    uint32
	HasProbes, HasRef, HasUse bool
}

// HasState reports whether state s was printed.
func (n Neighbor) HasState(s string) bool {
	for _, x := range n.States {
		if x == s {
			return true
		}
	}
	return false
}

// HasFlag reports whether flag f (router, proxy, ...) was printed.
func (n Neighbor) HasFlag(f string) bool {
	for _, x := range n.Flags {
		if x == f {
			return true
		}
	}
	return false
}

var neighStates = words("PERMANENT NOARP REACHABLE STALE DELAY PROBE FAILED INCOMPLETE NONE")
var neighFlags = words("router proxy extern_learn offload managed extern_valid")

func isNeighKey(s string) bool {
	switch s {
	case "dev", "lladdr", "ref", "used", "probes", "proto", "nud", "miss", "Deleted":
		return true
	}
	return neighStates[s] || neighFlags[s]
}

// ParseNeigh parses the output of `ip [-4|-6] [-s [-s]] neigh [show] [nud
// STATE|all] [proxy]`, text or JSON. Samples:
//
//	192.168.10.3 dev qr-1a2b3c4d-5e lladdr fa:16:3e:3c:4d:5e PERMANENT
//	fe80::22a:6aff:fe65:c3c2 dev bond0.104 lladdr 00:2a:6a:65:c3:c2 router STALE
//	10.101.5.71 dev bond0.102  INCOMPLETE
//	192.168.10.5 dev qr-1a2b3c4d-5e lladdr fa:16:3e:5e:1f:2a  ref 1 used 13/13/13 probes 0 REACHABLE
func ParseNeigh(r io.Reader, file string) (x *Neighbors, err error) {
	defer parse.Recover(file, &err)
	x = &Neighbors{}
	err = readFile(r, file, &x.Issues, &x.JSON, grammar{
		what: "a neighbour entry (no address first)",
		json: func(d *jdoc) { parseNeighJSON(d, x) },
		line: oneLine(&x.Neighbors, &x.Issues, parseNeighLine),
		end:  func() int { return len(x.Neighbors) },
	})
	if err != nil {
		return nil, err
	}
	return x, nil
}

// parseNeighLine parses one neighbour line.
func parseNeighLine(l parse.Line, issues *parse.Issues) (Neighbor, bool) {
	f := fields(l.Text)
	n := Neighbor{Pos: l.Pos, Raw: l.Text}
	i := 0
	for i < len(f) && (f[i] == "Deleted" || f[i] == "miss") {
		n.Extra = append(n.Extra, Param{Key: strings.ToLower(f[i])})
		i++
	}
	if i >= len(f) {
		return n, false
	}
	dst, ok := parseAddr(f[i])
	if !ok {
		return n, false
	}
	n.Dst = dst
	var unknown unknownWords
	for i++; i < len(f); {
		t := f[i]
		val := ""
		if i+1 < len(f) {
			val = f[i+1]
		}
		switch {
		case neighStates[t]:
			n.States = append(n.States, t)
			i++
		case neighFlags[t]:
			n.Flags = append(n.Flags, t)
			i++
		case t == "dev":
			n.Dev = val
			i += 2
		case t == "lladdr":
			n.LLAddr, n.MAC = val, parseMAC(val)
			i += 2
		case t == "proto":
			n.Proto = val
			i += 2
		case t == "ref":
			st := n.stats()
			st.Ref, st.HasRef = mustU32(val), true
			i += 2
		case t == "used":
			i = n.used(f, i+1, &unknown)
		case t == "probes":
			st := n.stats()
			st.Probes, st.HasProbes = mustU32(val), true
			i += 2
		default:
			var kv Param
			kv, i = takeUnknown(f, i, isNeighKey)
			n.Extra = append(n.Extra, kv)
			unknown.add(kv.Key)
		}
	}
	unknown.report(issues, l.Pos, "neighbour")
	return n, true
}

func (n *Neighbor) stats() *NeighStats {
	if n.Stats == nil {
		n.Stats = &NeighStats{}
	}
	return n.Stats
}

func mustU32(s string) uint32 {
	v, _ := atou32(s)
	return v
}

// used parses "used A/B/C" at f[i]. iproute2 6.1 prints no space before
// "probes" ("used 13/86/10probes 6"), so the word may end with it. It
// returns the index of the next word.
func (n *Neighbor) used(f []string, i int, unknown *unknownWords) int {
	if i >= len(f) {
		unknown.add("used (value missing)")
		return i
	}
	v := f[i]
	glued := strings.HasSuffix(v, "probes")
	v = strings.TrimSuffix(v, "probes")
	parts := strings.Split(v, "/")
	st := n.stats()
	st.HasUse = true
	vals := []*uint32{&st.Used, &st.Confirmed, &st.Updated}
	for k, p := range parts {
		x, ok := atou32(p)
		if !ok || k >= len(vals) {
			unknown.add("used " + f[i])
			n.Extra = append(n.Extra, Param{Key: "used", Value: f[i]})
			break
		}
		*vals[k] = x
	}
	i++
	if glued && i < len(f) {
		st.Probes, st.HasProbes = mustU32(f[i]), true
		i++
	}
	return i
}

// parseNeighJSON reads ip -j neigh.
func parseNeighJSON(d *jdoc, x *Neighbors) {
	jrecords(d, &x.Issues, func(r jrec) {
		fs, pos, raw := r.fields, r.pos, r.raw
		n := Neighbor{Pos: pos, Raw: raw}
		var unknown unknownWords
		for _, f := range fs {
			s, _ := jstr(f.Val)
			switch {
			case f.Key == "dst":
				n.Dst, _ = parseAddr(s)
			case f.Key == "dev":
				n.Dev = s
			case f.Key == "lladdr":
				n.LLAddr, n.MAC = s, parseMAC(s)
			case f.Key == "state":
				n.States, _ = jstrings(f.Val)
			case f.Key == "protocol":
				n.Proto = s
			case neighFlags[f.Key]:
				n.Flags = append(n.Flags, f.Key)
			case f.Key == "refcnt":
				st := n.stats()
				st.Ref, st.HasRef = mustU32(s), true
			case f.Key == "used" || f.Key == "confirmed" || f.Key == "updated":
				st := n.stats()
				st.HasUse = true
				v := map[string]*uint32{"used": &st.Used, "confirmed": &st.Confirmed, "updated": &st.Updated}[f.Key]
				*v = mustU32(s)
			case f.Key == "probes":
				st := n.stats()
				st.Probes, st.HasProbes = mustU32(s), true
			default:
				n.Extra = append(n.Extra, Param{Key: f.Key, Value: jtext(f.Val)})
				if f.Key != "deleted" && f.Key != "miss" {
					unknown.add(f.Key)
				}
			}
		}
		unknown.report(&x.Issues, pos, "neighbour JSON")
		x.Neighbors = append(x.Neighbors, n)
	})
}
