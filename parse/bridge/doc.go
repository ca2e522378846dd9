// Package bridge parses the Linux bridge views of a node: the forwarding
// database (`bridge fdb show`, where the Linux bridge agent's VXLAN l2pop
// entries live), the bridge ports (`bridge link show`) and the bridge-utils
// summary (`brctl show`, where hybrid-plug qbr/qvb/tap wiring shows).
//
// Each format has one file, one result type and one Parse function; Formats
// lists them for generic callers. Parsers keep every line: a line they do
// not understand becomes an issue at its position.
package bridge
