// Package ovs parses the outputs of Open vSwitch tools as they appear in
// sosreports and netxray bundles, across OVS versions from 1.x to 3.x.
//
// OpenFlow tables: `ovs-ofctl dump-flows` (ParseFlows), `dump-groups` and
// `ovs-appctl ofproto/trace`.
//
// Configuration and state: `ovs-vsctl show` (ParseShow), `ovs-vsctl list`
// and `ovsdb-client -f list dump` (ParseList), the OVSDB database file
// conf.db replayed to its final state (ParseDB), `ovs-ofctl show` and
// `dump-ports-desc` (ParseOFShow, ParsePortsDesc: ofport ↔ name ↔ MAC),
// `ovs-ofctl dump-ports` (ParsePortStats), `ovs-appctl fdb/show`
// (ParseFDBShow), `dpctl/dump-conntrack` (ParseCTDump), `dpctl/dump-flows`
// (ParseDPFlows), `ofproto/list-tunnels` (ParseTunnels) and `ovs-dpctl
// show` (ParseDPShow).
//
// OVSDB values in text (list, show) and JSON (database files) decode to
// the same Datum type; InterfaceOf, PortOf and BridgeOf give typed views of
// rows from either source.
//
// Every parser keeps each record's position and raw text, reports what it
// does not understand as parse.Issues, and treats collector banners and
// error text printed by the tools as information, not data.
package ovs
