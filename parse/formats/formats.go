package formats

import (
	"bytes"
	"fmt"
	"io"
	"sort"

	"netxray/parse"
	"netxray/parse/bridge"
	"netxray/parse/capture"
	"netxray/parse/conntrack"
	"netxray/parse/dnsmasq"
	"netxray/parse/host"
	"netxray/parse/iproute"
	"netxray/parse/iptables"
	"netxray/parse/libvirt"
	"netxray/parse/neutron"
	"netxray/parse/ovn"
	"netxray/parse/ovs"
)

// all is the explicit list of every parser package's formats.
var all = concat(
	bridge.Formats,
	capture.Formats,
	conntrack.Formats,
	dnsmasq.Formats,
	host.Formats,
	iproute.Formats,
	iptables.Formats,
	libvirt.Formats,
	neutron.Formats,
	ovn.Formats,
	ovs.Formats,
)

func concat(lists ...[]parse.Format) []parse.Format {
	var out []parse.Format
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}

// All returns every known format, sorted by kind.
func All() []parse.Format {
	out := append([]parse.Format(nil), all...)
	sort.Slice(out, func(i, j int) bool { return out[i].Kind < out[j].Kind })
	return out
}

// Lookup returns the format of kind k.
func Lookup(k parse.Kind) (parse.Format, bool) {
	for _, f := range all {
		if f.Kind == k {
			return f, true
		}
	}
	return parse.Format{}, false
}

// SniffSize is how much of a file Sniff functions get to see.
const SniffSize = 4096

// Sniff returns the kinds whose Sniff function accepts head, in list order.
func Sniff(head []byte) []parse.Kind {
	head = head[:min(len(head), SniffSize)]
	head = bytes.TrimLeft(head, " \t\r\n")
	var kinds []parse.Kind
	for _, f := range all {
		if f.Sniff != nil && f.Sniff(head) {
			kinds = append(kinds, f.Kind)
		}
	}
	return kinds
}

// Parse runs the parser of kind k on r.
func Parse(k parse.Kind, r io.Reader, file string) (parse.Result, error) {
	f, ok := Lookup(k)
	if !ok {
		return nil, fmt.Errorf("no parser for kind %q", k)
	}
	return f.Parse(r, file)
}
