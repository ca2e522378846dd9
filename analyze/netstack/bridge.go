package netstack

import (
	"bytes"
	"fmt"
	"net"
	"slices"
	"strings"
	"sync"

	"netxray/parse"
	"netxray/parse/bridge"
	"netxray/parse/iproute"
)

// Bridge is a Linux bridge (Neutron's qbr… of the hybrid firewall, the
// Linux bridge agent's brq…) with its ports and forwarding database.
// Do not change it after the first Forward: the FDB is indexed once.
type Bridge struct {
	Name string
	// MAC is the bridge device's own address, nil when unknown.
	MAC   net.HardwareAddr
	Ports []BridgePort
	// FDB is `bridge fdb show`; entries of other bridges and the devices'
	// own (self) entries are ignored.
	FDB []bridge.FDBEntry
	// Pos is where the bridge was seen (its interface block or brctl
	// line).
	Pos parse.Pos

	once sync.Once
	idx  map[fdbKey][]*bridge.FDBEntry
	vlan bool
}

// BridgePort is one port of a bridge.
type BridgePort struct {
	Name string
	// State is the STP state of `bridge link` (forwarding, learning,
	// blocking, listening, disabled); "" when unknown, taken as
	// forwarding.
	State string
	// Options are the `bridge -d link` port options ("hairpin" → "on",
	// "flood" → "off", "mcast_flood", "bcast_flood"); nil when unknown.
	Options map[string]string
	Pos     parse.Pos
}

type fdbKey struct {
	mac  string
	vlan int
}

// L2Verdict is what a bridge does with a frame.
type L2Verdict string

// Bridge forwarding outcomes.
const (
	// Unicast: sent out the one port the FDB names.
	Unicast L2Verdict = "unicast"
	// Flood: sent out every other port (unknown unicast, broadcast,
	// multicast).
	Flood L2Verdict = "flood"
	// ToHost: the destination is the bridge's own or a port's own address
	// (a local FDB entry): passed up to the host.
	ToHost L2Verdict = "to-host"
	// L2Drop: dropped (port state, destination behind the ingress port).
	L2Drop L2Verdict = "drop"
)

// L2Decision is the outcome of bridging one frame.
type L2Decision struct {
	Verdict L2Verdict
	// Out are the egress ports.
	Out []string
	// Host is set when a flooded frame is also passed up to the host
	// (broadcast and multicast).
	Host bool
	// Entry is the FDB entry that decided, nil when none did.
	Entry  *bridge.FDBEntry
	Reason string
	Notes  []string
}

// port returns the port named name, or nil.
func (b *Bridge) port(name string) *BridgePort {
	for i := range b.Ports {
		if b.Ports[i].Name == name {
			return &b.Ports[i]
		}
	}
	return nil
}

// owns reports whether an FDB entry is this bridge's: printed with "master
// BR", or without master and self on one of its ports.
func (b *Bridge) owns(e *bridge.FDBEntry) bool {
	if e.Deleted {
		return false
	}
	if e.Master != "" {
		return e.Master == b.Name
	}
	return !e.HasFlag("self") && (e.Dev == b.Name || b.port(e.Dev) != nil)
}

func (b *Bridge) index() {
	b.once.Do(func() {
		b.idx = map[fdbKey][]*bridge.FDBEntry{}
		for i := range b.FDB {
			e := &b.FDB[i]
			if !b.owns(e) {
				continue
			}
			k := fdbKey{e.MAC, e.VLAN}
			b.idx[k] = append(b.idx[k], e)
			if e.VLAN != 0 {
				b.vlan = true
			}
		}
	})
}

// Forward bridges a frame for dst that arrived on port in, tagged vlan (0
// for untagged, or when the bridge does no VLAN filtering), the way
// br_handle_frame_finish does: a local entry passes it up, a known unicast
// destination goes out its port (never back out the ingress port unless it
// is in hairpin mode), anything else floods every other forwarding port.
// VLAN filtering is taken to be on when the FDB prints vlans.
func (b *Bridge) Forward(in string, dst net.HardwareAddr, vlan int) (L2Decision, error) {
	b.index()
	ip := b.port(in)
	if ip == nil {
		return L2Decision{}, fmt.Errorf("%w: %s is not a port of bridge %s", ErrPacket, in, b.Name)
	}
	var d L2Decision
	switch ip.State {
	case "", "forwarding":
	default:
		d.Verdict, d.Reason = L2Drop, fmt.Sprintf("ingress port %s is in STP state %s (%s)", in, ip.State, ip.Pos)
		return d, nil
	}
	mac := strings.ToLower(dst.String())
	if dst[0]&1 == 1 {
		kind, opt := "multicast", "mcast_flood"
		if bytes.Equal(dst, net.HardwareAddr{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}) {
			kind, opt = "broadcast", "bcast_flood"
		}
		d.Host = true
		b.flood(&d, in, opt, kind+" "+mac)
		if kind == "multicast" {
			d.Notes = append(d.Notes, "multicast snooping is not modelled: flooded")
		}
		return d, nil
	}
	e, note := b.lookup(mac, vlan)
	if note != "" {
		d.Notes = append(d.Notes, note)
	}
	if e == nil && b.MAC != nil && bytes.Equal(dst, b.MAC) {
		d.Verdict, d.Reason = ToHost, fmt.Sprintf("%s is the address of bridge %s", mac, b.Name)
		return d, nil
	}
	if e == nil {
		b.flood(&d, in, "flood", "unknown unicast "+mac)
		return d, nil
	}
	d.Entry = e
	if e.State == "permanent" {
		d.Verdict, d.Reason = ToHost, fmt.Sprintf("%s is a local address of bridge %s (%s)", mac, b.Name, e.Pos)
		return d, nil
	}
	out := b.port(e.Dev)
	switch {
	case out == nil:
		d.Verdict, d.Reason = Unicast, fmt.Sprintf("FDB sends %s to %s (%s)", mac, e.Dev, e.Pos)
		d.Out = []string{e.Dev}
		d.Notes = append(d.Notes, e.Dev+" is not among the bridge's listed ports")
	case out.Name == in && out.Options["hairpin"] != "on":
		d.Verdict, d.Reason = L2Drop, fmt.Sprintf("FDB has %s behind the ingress port %s (%s): not sent back", mac, in, e.Pos)
	case out.State != "" && out.State != "forwarding":
		d.Verdict, d.Reason = L2Drop, fmt.Sprintf("FDB sends %s to %s (%s), which is in STP state %s", mac, e.Dev, e.Pos, out.State)
	default:
		d.Verdict, d.Reason, d.Out = Unicast, fmt.Sprintf("FDB sends %s to %s (%s)", mac, e.Dev, e.Pos), []string{e.Dev}
	}
	return d, nil
}

// lookup finds the bridge's entry for mac in vlan. With VLAN filtering and
// an untagged frame the port's PVID is unknown: an entry is used when every
// VLAN puts the MAC behind the same port.
func (b *Bridge) lookup(mac string, vlan int) (*bridge.FDBEntry, string) {
	if !b.vlan {
		if es := b.idx[fdbKey{mac, 0}]; len(es) > 0 {
			return es[0], ""
		}
		return nil, ""
	}
	if vlan != 0 {
		if es := b.idx[fdbKey{mac, vlan}]; len(es) > 0 {
			return es[0], ""
		}
		return nil, ""
	}
	var found *bridge.FDBEntry
	for k, es := range b.idx {
		if k.mac != mac {
			continue
		}
		if found != nil && found.Dev != es[0].Dev {
			return nil, "untagged frame on a VLAN-filtering bridge: the ingress port's PVID is unknown and " + mac + " sits behind several ports"
		}
		if found == nil || es[0].Pos.Line < found.Pos.Line {
			found = es[0]
		}
	}
	if found != nil {
		return found, "untagged frame on a VLAN-filtering bridge: PVID unknown, FDB entry taken whatever its VLAN"
	}
	return nil, ""
}

// flood sends d out every forwarding port but in whose flood option opt is
// not off.
func (b *Bridge) flood(d *L2Decision, in, opt, what string) {
	d.Verdict = Flood
	for _, p := range b.Ports {
		if p.Name == in || (p.State != "" && p.State != "forwarding") || p.Options[opt] == "off" {
			continue
		}
		d.Out = append(d.Out, p.Name)
	}
	d.Reason = fmt.Sprintf("%s: flooded to %d port(s) of %s", what, len(d.Out), b.Name)
}

// Bridges builds the Linux bridges of one namespace from its interfaces
// (`ip -d addr`: a master whose kind, or whose ports' slave kind, is
// bridge), `brctl show` and `bridge link` (port states and options), with
// the namespace's `bridge fdb show`. Any source may be nil.
func Bridges(ifs []*iproute.Interface, fdb *bridge.FDB, links *bridge.Links, brctl *bridge.BrctlShow) []*Bridge {
	var out []*Bridge
	byName := map[string]*Bridge{}
	get := func(name string, pos parse.Pos) *Bridge {
		if b := byName[name]; b != nil {
			return b
		}
		b := &Bridge{Name: name, Pos: pos}
		byName[name] = b
		out = append(out, b)
		return b
	}
	addPort := func(b *Bridge, name string, pos parse.Pos) *BridgePort {
		if p := b.port(name); p != nil {
			return p
		}
		b.Ports = append(b.Ports, BridgePort{Name: name, Pos: pos})
		return &b.Ports[len(b.Ports)-1]
	}
	isBridge := map[string]bool{}
	for _, ifc := range ifs {
		if ifc.Kind == "bridge" {
			isBridge[ifc.Name] = true
		}
		if ifc.SlaveKind == "bridge" && ifc.Master != "" {
			isBridge[ifc.Master] = true
		}
	}
	if brctl != nil {
		for _, br := range brctl.Bridges {
			b := get(br.Name, br.Pos)
			for _, m := range br.Interfaces {
				addPort(b, m.Name, m.Pos)
			}
		}
	}
	for _, ifc := range ifs {
		if isBridge[ifc.Name] {
			b := get(ifc.Name, ifc.Pos)
			b.MAC, b.Pos = ifc.MAC, ifc.Pos
		}
	}
	for _, ifc := range ifs {
		if ifc.Master != "" && (isBridge[ifc.Master] || byName[ifc.Master] != nil) {
			addPort(get(ifc.Master, ifc.Pos), ifc.Name, ifc.Pos)
		}
	}
	if links != nil {
		for _, l := range links.Links {
			if l.Master == "" || l.Deleted || l.Name == l.Master {
				continue
			}
			p := addPort(get(l.Master, l.Pos), l.Name, l.Pos)
			p.State, p.Pos = l.State, l.Pos
			for _, o := range l.Options {
				if p.Options == nil {
					p.Options = map[string]string{}
				}
				p.Options[o.Key] = o.Value
			}
		}
	}
	if fdb != nil {
		for _, b := range out {
			b.FDB = fdb.Entries
		}
	}
	slices.SortFunc(out, func(a, b *Bridge) int { return strings.Compare(a.Name, b.Name) })
	return out
}
