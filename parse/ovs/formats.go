package ovs

import (
	"io"

	"netxray/parse"
)

// Formats lists every format of this package: the flow-table dumps
// (FlowFormats) and the others (otherFormats).
var Formats = append(append([]parse.Format{}, FlowFormats...), otherFormats...)

// otherFormats are the formats besides dump-flows, dump-groups and
// ofproto/trace.
var otherFormats = []parse.Format{
	{Kind: "ovs-vsctl-show", Doc: "ovs-vsctl show", Parse: wrap(ParseShow), Sniff: sniffShow},
	{Kind: "ovs-vsctl-list", Doc: "ovs-vsctl [--format=list] list TABLE", Parse: wrap(ParseList), Sniff: sniffList},
	// A list of names has no content signature: by file name only.
	{Kind: "ovs-vsctl-list-br", Doc: "ovs-vsctl list-br", Parse: wrap(ParseListBr)},
	{Kind: "ovsdb-client-dump", Doc: "ovsdb-client -f list dump (sos <= 4.2)", Parse: wrap(ParseList), Sniff: sniffDump},
	{Kind: "ovsdb-file", Doc: "OVSDB database file (conf.db), standalone or clustered", Parse: wrap(ParseDB), Sniff: sniffDB},
	{Kind: "ovs-ofctl-show", Doc: "ovs-ofctl [-O OpenFlowNN] show BRIDGE", Parse: wrap(ParseOFShow), Sniff: sniffOFShow},
	{Kind: "ovs-ofctl-dump-ports-desc", Doc: "ovs-ofctl [-O OpenFlowNN] dump-ports-desc BRIDGE", Parse: wrap(ParsePortsDesc), Sniff: sniffPortsDesc},
	{Kind: "ovs-ofctl-dump-ports", Doc: "ovs-ofctl [-O OpenFlowNN] dump-ports BRIDGE", Parse: wrap(ParsePortStats), Sniff: sniffPortStats},
	{Kind: "ovs-appctl-fdb-show", Doc: "ovs-appctl fdb/show BRIDGE", Parse: wrap(ParseFDBShow), Sniff: sniffFDBShow},
	{Kind: "ovs-dpctl-dump-conntrack", Doc: "ovs-appctl dpctl/dump-conntrack [-m] [-s] [DP]", Parse: wrap(ParseCTDump), Sniff: sniffCTDump},
	{Kind: "ovs-dpctl-dump-flows", Doc: "ovs-appctl dpctl/dump-flows [-m] / ovs-dpctl dump-flows", Parse: wrap(ParseDPFlows), Sniff: sniffDPFlows},
	{Kind: "ovs-appctl-list-tunnels", Doc: "ovs-appctl ofproto/list-tunnels", Parse: wrap(ParseTunnels), Sniff: sniffTunnels},
	{Kind: "ovs-dpctl-show", Doc: "ovs-dpctl show [-s] / ovs-appctl dpctl/show [-s]", Parse: wrap(ParseDPShow), Sniff: sniffDPShow},
	{Kind: "ovs-appctl-upcall-show", Doc: "ovs-appctl upcall/show", Parse: wrap(ParseUpcallShow), Sniff: sniffUpcallShow},
}

// wrap adapts a typed parser to parse.Format. The typed parsers always
// return a non-nil result, so no typed-nil interface can escape.
func wrap[T parse.Result](f func(io.Reader, string) (T, error)) func(io.Reader, string) (parse.Result, error) {
	return func(r io.Reader, file string) (parse.Result, error) { return f(r, file) }
}
