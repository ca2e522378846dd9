package netstack

import (
	"fmt"
	"net"
	"net/netip"
	"slices"

	"netxray/parse/iproute"
)

// NeighState is the outcome of resolving a next hop.
type NeighState string

// Neighbour resolution outcomes.
const (
	// Resolved: an entry with a link-layer address the kernel sends to
	// (PERMANENT, NOARP, REACHABLE, STALE, DELAY, PROBE).
	Resolved NeighState = "resolved"
	// Failed: the entry is FAILED or INCOMPLETE: the last resolution got
	// no answer.
	Failed NeighState = "failed"
	// NoEntry: no entry; the kernel would ARP (or solicit) now, and the
	// answer depends on the layer 2 path.
	NoEntry NeighState = "no-entry"
	// NoARP: the device needs no resolution (loopback, NOARP, point to
	// point).
	NoARP NeighState = "no-arp"
	// NeighMissing: the namespace's neighbour table was not collected.
	NeighMissing NeighState = "data-missing"
)

// Resolution is the neighbour lookup of one address on one device.
type Resolution struct {
	State NeighState
	Dev   string
	Addr  netip.Addr
	MAC   net.HardwareAddr
	// Entry is the neighbour entry used, nil when none.
	Entry  *iproute.Neighbor
	Reason string
}

// usableStates are the NUD states whose link-layer address the kernel
// transmits to (NUD_VALID).
var usableStates = []string{"PERMANENT", "NOARP", "REACHABLE", "STALE", "DELAY", "PROBE"}

// Resolve looks addr up in dev's neighbour table, as the kernel does
// before transmitting to a next hop.
func (ns *Namespace) Resolve(dev string, addr netip.Addr) Resolution {
	r := Resolution{Dev: dev, Addr: addr}
	if ifc := ns.Interface(dev); ifc != nil && noARP(ifc) {
		r.State, r.Reason = NoARP, dev+" needs no neighbour resolution"
		return r
	}
	if !ns.Have.Neighbors {
		r.State, r.Reason = NeighMissing, "`ip neigh` of "+ns.label()+" was not collected"
		return r
	}
	e := ns.neighbor(dev, addr, false)
	if e == nil {
		r.State, r.Reason = NoEntry, fmt.Sprintf("no neighbour entry for %s on %s: the kernel would %s", addr, dev, solicit(addr))
		return r
	}
	r.Entry = e
	if e.MAC != nil && slices.ContainsFunc(usableStates, e.HasState) {
		r.State, r.MAC = Resolved, e.MAC
		r.Reason = fmt.Sprintf("%s is %s (%v, %s)", addr, e.MAC, e.States, e.Pos)
		return r
	}
	if e.HasState("FAILED") || e.HasState("INCOMPLETE") {
		r.State, r.Reason = Failed, fmt.Sprintf("neighbour %s on %s is %v (%s): nothing answered the last %s", addr, dev, e.States, e.Pos, solicit(addr))
		return r
	}
	r.State, r.Reason = NoEntry, fmt.Sprintf("neighbour %s on %s has no usable address (%v, %s): the kernel would %s", addr, dev, e.States, e.Pos, solicit(addr))
	return r
}

func solicit(a netip.Addr) string {
	if a.Is4() {
		return "ARP"
	}
	return "send a neighbour solicitation"
}

// noARP reports whether a device resolves no neighbours.
func noARP(ifc *iproute.Interface) bool {
	if ifc.LinkType == "loopback" || ifc.LinkType == "none" {
		return true
	}
	return slices.Contains(ifc.Flags, "NOARP") || slices.Contains(ifc.Flags, "LOOPBACK") || slices.Contains(ifc.Flags, "POINTOPOINT")
}

// neighbor finds the entry for addr on dev; proxy selects the proxy
// entries (`ip neigh add proxy`) instead of the cache. An entry printed
// without a device (a dump filtered with `dev X`) matches any device.
func (ns *Namespace) neighbor(dev string, addr netip.Addr, proxy bool) *iproute.Neighbor {
	for i := range ns.Neighbors {
		e := &ns.Neighbors[i]
		if e.Dst == addr && (e.Dev == dev || e.Dev == "") && e.HasFlag("proxy") == proxy {
			return e
		}
	}
	return nil
}

// ARPAnswer is whether the namespace answers an ARP request that arrives on
// a device.
type ARPAnswer struct {
	Answers bool
	// Proxy is set when the target is not the namespace's own address
	// (proxy ARP); MAC is then still the receiving device's own.
	Proxy bool
	MAC   net.HardwareAddr
	// Route is the route that made the target local or proxied; Entry the
	// proxy neighbour entry when one decided.
	Route   *iproute.Route
	Entry   *iproute.Neighbor
	Reason  string
	Assumed []string
}

// AnswersARP evaluates arp_process for a request "who has target, tell
// sender" arriving on dev: a local target is answered subject to
// arp_ignore; another target is answered (proxy ARP) when forwarding is on
// and the route to it leaves by another device with proxy_arp set, or a
// proxy entry names it. This is how a fip namespace's fg- device answers
// for the floating IPs routed to fpr-.
func (ns *Namespace) AnswersARP(dev string, target, sender netip.Addr) (ARPAnswer, error) {
	target, sender = target.Unmap(), sender.Unmap()
	if !target.Is4() {
		return ARPAnswer{}, fmt.Errorf("%w: ARP target %s is not IPv4", ErrPacket, target)
	}
	var a ARPAnswer
	ifc := ns.Interface(dev)
	if ifc != nil {
		a.MAC = ifc.MAC
	}
	if target.IsMulticast() || target.IsLoopback() {
		a.Reason = fmt.Sprintf("no answer for %s (multicast or loopback)", target)
		return a, nil
	}
	if !sender.IsValid() {
		sender = netip.IPv4Unspecified()
	}
	if sender.IsUnspecified() {
		// Duplicate address probe: only the namespace's own addresses
		// are defended.
		a.Answers = ns.index().local[target]
		a.Reason = fmt.Sprintf("address probe for %s: own address %v", target, a.Answers)
		return a, nil
	}
	d, err := ns.Route(Packet{Src: sender, Dst: target, IIF: dev})
	if err != nil {
		return a, err
	}
	a.Route = d.Route
	switch d.Verdict {
	case Local:
		return ns.answerLocal(a, dev, target, sender), nil
	case Forward, Disabled, LinkDown:
	case DataMissing:
		a.Reason = "cannot tell: " + d.Reason
		return a, nil
	default:
		a.Reason = fmt.Sprintf("no answer for %s: routing it from %s gives %s (%s)", target, dev, d.Verdict, d.Reason)
		return a, nil
	}
	fwd, assumed := ns.sysctl(dev, "forwarding")
	a.Assumed = appendIf(a.Assumed, assumed)
	if fwd == 0 {
		a.Reason = fmt.Sprintf("no answer for %s: forwarding is off on %s, so no proxy ARP", target, dev)
		return a, nil
	}
	if d.Dev == dev {
		a.Reason = fmt.Sprintf("no answer for %s: its route %s leaves by %s itself", target, describeRoute(d.Route), dev)
		return a, nil
	}
	proxy, assumed := ns.sysctl(dev, "proxy_arp")
	a.Assumed = appendIf(a.Assumed, assumed)
	if proxy != 0 {
		a.Answers, a.Proxy = true, true
		a.Reason = fmt.Sprintf("proxy ARP: %s answers for %s, routed by %s to %s", dev, target, describeRoute(d.Route), d.Dev)
		return a, nil
	}
	if e := ns.neighbor(dev, target, true); e != nil {
		a.Answers, a.Proxy, a.Entry = true, true, e
		a.Reason = fmt.Sprintf("proxy ARP entry for %s on %s (%s)", target, dev, e.Pos)
		return a, nil
	}
	a.Reason = fmt.Sprintf("no answer for %s: not an own address, proxy_arp is off on %s and no proxy entry names it", target, dev)
	return a, nil
}

// answerLocal applies arp_ignore to a request for an own address.
func (ns *Namespace) answerLocal(a ARPAnswer, dev string, target, sender netip.Addr) ARPAnswer {
	mode, assumed := ns.sysctl(dev, "arp_ignore")
	a.Assumed = appendIf(a.Assumed, assumed)
	var on *iproute.Addr
	if ifc := ns.Interface(dev); ifc != nil {
		for i := range ifc.Addrs {
			if ifc.Addrs[i].Prefix.Addr() == target {
				on = &ifc.Addrs[i]
			}
		}
	}
	switch {
	case mode == 0:
		a.Answers = true
	case mode == 1:
		a.Answers = on != nil
	case mode == 2:
		a.Answers = on != nil && subnet(*on).Contains(sender)
	case mode >= 3 && mode <= 7:
		a.Reason = fmt.Sprintf("arp_ignore=%d on %s is not evaluated", mode, dev)
		return a
	}
	if a.Answers {
		a.Reason = fmt.Sprintf("%s is an own address; %s answers (arp_ignore=%d)", target, dev, mode)
	} else {
		a.Reason = fmt.Sprintf("%s is an own address but not one %s may answer for (arp_ignore=%d)", target, dev, mode)
	}
	return a
}

func appendIf(l []string, s string) []string {
	if s == "" || slices.Contains(l, s) {
		return l
	}
	return append(l, s)
}
