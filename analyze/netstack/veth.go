package netstack

import (
	"fmt"
	"strconv"
	"strings"

	"netxray/parse/iproute"
)

// End is one interface of one namespace ("" is the root namespace).
type End struct {
	Namespace string
	Interface *iproute.Interface
}

func (e End) String() string {
	ns := e.Namespace
	if ns == "" {
		ns = "root"
	}
	return ns + "/" + e.Interface.Name
}

// VethPair is two ends of one veth.
type VethPair struct{ A, B End }

// Unpaired is a veth end whose peer was not found, or not found uniquely.
type Unpaired struct {
	End        End
	Reason     string
	Candidates []End
}

// PairVeths pairs veth ends across namespaces. Each end names its peer the
// way `ip link` prints it: "@name" in the same namespace, "@ifN" (the
// peer's ifindex) with "link-netns NAME" or "link-netnsid N" for another
// namespace. Two ends pair when each points at the other's ifindex (or
// name), in a namespace consistent with what each end says. nsids maps
// the ids printed in the root namespace (`ip netns list` "(id: N)") to
// names; ids printed inside other namespaces are relative to those and
// are not resolved. When several peers fit, Neutron's naming (rfp-X ↔
// fpr-X, qvbX ↔ qvoX, the same suffix) breaks the tie; otherwise the end
// is reported with its candidates.
func PairVeths(ends []End, nsids map[int]string) ([]VethPair, []Unpaired) {
	var cands []End
	for _, e := range ends {
		if isVethEnd(e.Interface) {
			cands = append(cands, e)
		}
	}
	fits := make([][]int, len(cands))
	for i, a := range cands {
		for j, b := range cands {
			if i != j && points(a, b, nsids) && points(b, a, nsids) {
				fits[i] = append(fits[i], j)
			}
		}
		if len(fits[i]) > 1 {
			fits[i] = tieBreak(cands, i, fits[i])
		}
	}
	var pairs []VethPair
	var unpaired []Unpaired
	for i, a := range cands {
		switch {
		case len(fits[i]) == 1 && len(fits[fits[i][0]]) == 1 && fits[fits[i][0]][0] == i:
			if j := fits[i][0]; i < j {
				pairs = append(pairs, VethPair{A: a, B: cands[j]})
			}
		case len(fits[i]) == 1:
			j := fits[i][0]
			unpaired = append(unpaired, Unpaired{End: a, Candidates: []End{cands[j]},
				Reason: fmt.Sprintf("the only end fitting %s, %s, pairs better elsewhere", a, cands[j])})
		case len(fits[i]) == 0:
			unpaired = append(unpaired, Unpaired{End: a, Reason: fmt.Sprintf("no interface points back at %s (peer %s)", a, peerSpec(a))})
		default:
			u := Unpaired{End: a, Reason: fmt.Sprintf("peer of %s is ambiguous", a)}
			for _, j := range fits[i] {
				u.Candidates = append(u.Candidates, cands[j])
			}
			unpaired = append(unpaired, u)
		}
	}
	return pairs, unpaired
}

// isVethEnd reports whether an interface may be a veth end: kind veth, or
// no kind known (no -d) with a peer printed after '@'.
func isVethEnd(ifc *iproute.Interface) bool {
	if ifc.Link == "" || ifc.Link == "NONE" {
		return false
	}
	return ifc.Kind == "veth" || (ifc.Kind == "" && !ifc.Detailed)
}

// peerNamespace returns the namespace an end says its peer is in, and
// whether it says so: the same one for "@name" and for "@ifN" without a
// netns id, a resolved name for link-netns or a root-namespace id.
func peerNamespace(e End, nsids map[int]string) (string, bool) {
	ifc := e.Interface
	switch {
	case ifc.LinkIndex == 0:
		return e.Namespace, true // "@name": same namespace
	case ifc.LinkNetns != "":
		return ifc.LinkNetns, true
	case ifc.LinkNetnsID >= 0 && e.Namespace == "":
		name, ok := nsids[ifc.LinkNetnsID]
		return name, ok
	case ifc.LinkNetnsID >= 0:
		return "", false // relative to a namespace whose ids we lack
	}
	return e.Namespace, true
}

// points reports whether a's peer description fits b.
func points(a, b End, nsids map[int]string) bool {
	ai, bi := a.Interface, b.Interface
	if ai.LinkIndex == 0 {
		return a.Namespace == b.Namespace && ai.Link == bi.Name
	}
	if ai.LinkIndex != bi.Index {
		return false
	}
	ns, known := peerNamespace(a, nsids)
	if known {
		return ns == b.Namespace
	}
	return a.Namespace != b.Namespace // "link-netnsid N": another namespace
}

func peerSpec(e End) string {
	ifc := e.Interface
	s := "@" + ifc.Link
	switch {
	case ifc.LinkNetns != "":
		s += " in " + ifc.LinkNetns
	case ifc.LinkNetnsID >= 0:
		s += " in netnsid " + strconv.Itoa(ifc.LinkNetnsID)
	}
	return s
}

// tieBreak keeps the candidates whose name has the same stem as cands[i]'s
// (Neutron names both ends after the same port or router), when that
// leaves exactly one.
func tieBreak(cands []End, i int, fit []int) []int {
	stem := vethStem(cands[i].Interface.Name)
	var keep []int
	for _, j := range fit {
		if vethStem(cands[j].Interface.Name) == stem {
			keep = append(keep, j)
		}
	}
	if len(keep) == 1 {
		return keep
	}
	return fit
}

// vethStem strips Neutron's veth prefixes: rfp-/fpr- (router ↔ fip
// namespace), qvb/qvo (hybrid firewall), tap, and any "xx-".
func vethStem(name string) string {
	for _, p := range []string{"rfp-", "fpr-", "qvb", "qvo", "tpi-", "tpt-", "spi-", "spt-"} {
		if s, ok := strings.CutPrefix(name, p); ok {
			return s
		}
	}
	if i := strings.IndexByte(name, '-'); i == 2 || i == 3 {
		return name[i+1:]
	}
	return name
}
