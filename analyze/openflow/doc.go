// Package openflow simulates Open vSwitch's OpenFlow pipeline offline: given
// the flow tables, groups, ports and MAC table of a node's bridges (as dumped
// by ovs-ofctl, ovs-vsctl and ovs-appctl), it traces a microflow through
// them the way `ovs-appctl ofproto/trace` does inside ovs-vswitchd.
//
// The semantics follow Open vSwitch 3.x: the classifier picks the
// highest-priority matching flow (with conjunctive matches), fields share
// storage exactly where OVS's struct flow shares it (arp_spa is nw_src,
// icmp_type is tp_src, xreg0 is reg0:reg1), actions run in order with
// resubmit as a recursive call and goto_table as a tail jump, ct() with a
// table forks a recirculation whose conntrack state the caller picks (like
// ofproto/trace's --ct-next), patch ports continue into the peer bridge with
// registers, metadata, tunnel and conntrack fields cleared, and tunnel ports
// end the trace with the tunnel's metadata so a cross-node trace can go on.
//
// Anything the simulator does not model is reported at the step where it
// happens ("unsupported action X, trace result uncertain") and marks the
// result Uncertain; nothing is skipped silently.
//
// The simulator is checked against the real ovs-vswitchd (see
// differential_test.go and fixtures/ovs/): the same flows are loaded into a
// private OVS instance and both sides trace the same generated microflows.
package openflow
