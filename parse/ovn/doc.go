// Package ovn parses the OVN central views of an ML2/OVN cloud: the
// Northbound summary `ovn-nbctl show` (kind "ovn-nbctl-show": logical
// switches = Neutron networks with their ports and addresses, logical
// routers with their ports, gateway chassis and NAT rules) and the
// Southbound summary `ovn-sbctl show` ("ovn-sbctl-show": chassis with
// their hostname, tunnel encapsulations and bound logical ports).
//
// Both outputs are indented blocks. Lines are attached by keyword (switch,
// router, port, nat, Chassis, Encap, Port_Binding, "key: value"), not by
// indentation, so copies that lost their leading spaces, and the deeper
// indentation of ovn-nbctl before 2017, still parse. Values in OVSDB
// syntax (ovn-sbctl) are decoded with ovs.ParseDatum.
//
// Each format has one file, one result type and one Parse function; Formats
// lists them for generic callers. A line the parser does not understand
// becomes an issue at its position; nothing is dropped silently.
package ovn
