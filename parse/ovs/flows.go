package ovs

import "netxray/parse"

// FlowDump is the output of `ovs-ofctl [-O OpenFlowNN] [--names] [--no-stats]
// dump-flows BRIDGE`.
type FlowDump struct {
	// Version is the OpenFlow version named by the reply banner
	// ("OpenFlow10" for NXST_FLOW, "OpenFlow13" for "OFPST_FLOW reply
	// (OF1.3)"), or "" when the dump has no banner (OVS >= 2.8 prints none
	// with --names, --no-stats or --sort).
	Version string
	Flows   []Flow
	Issues  parse.Issues
}

// Flow is one flow entry of a dump. Identity (table, priority, match) is kept
// apart from volatile counters (Stats).
type Flow struct {
	Pos parse.Pos
	Raw string

	Cookie uint64
	// Table is the numeric table id. When the dump printed a table name
	// (table=name with --names and named tables), TableName holds it and
	// Table is -1 unless the name is a number.
	Table     int
	TableName string
	// Priority defaults to 32768 when the dump omits it, as OVS does.
	Priority    int
	IdleTimeout int
	HardTimeout int
	Importance  int
	// Flags are the flag words OVS prints before the match
	// (send_flow_rem, check_overlap, reset_counts, no_packet_counts,
	// no_byte_counts), in printed order.
	Flags   []string
	Match   []Match
	Actions []Action
	Stats   FlowStats
}

// Match is one match item as printed: Key "ip" with Value "" for protocol
// shorthands, otherwise key=value with the value unquoted ("tap1234" for
// in_port="tap1234"); masks stay in Value ("0x1/0x1").
type Match struct {
	Key   string
	Value string
}

// Action is one top-level action. Name is the keyword in lower case
// ("output", "resubmit", "ct", "learn", "load", "move", "set_field",
// "mod_vlan_vid", "strip_vlan", "normal", "in_port", "drop", "goto_table",
// "conjunction", "note", ...). Arg is the raw argument text: what follows
// ':' or what is inside the outer parentheses ("" when there is none);
// nested parentheses and brackets are kept verbatim for the consumer to
// split with SplitArgs. Raw is the action exactly as printed.
type Action struct {
	Name string
	Arg  string
	Raw  string
}

// FlowStats are the volatile per-flow counters. Has* tell printed zero from
// absent.
type FlowStats struct {
	Duration   float64 // seconds
	NPackets   uint64
	NBytes     uint64
	IdleAge    int
	HardAge    int
	HasCounts  bool // n_packets/n_bytes printed (absent with --no-stats)
	HasIdleAge bool
	HasHardAge bool
}
