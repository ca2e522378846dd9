// Package host parses what a bundle says about the node itself rather than
// its network state: the package lists (`dpkg -l`, sos's installed-rpms),
// which tell the versions of Open vSwitch, OVN, Neutron, iproute2 and the
// kernel; `uname -a`; the host name; the version.txt of sos (or of netxray's
// collector); and the JSON sidecar netxray writes next to each capture.
//
// Each format has one file, one result type and one Parse function; Formats
// lists them for generic callers. Parsers keep every line: a line they do
// not understand becomes an issue at its position.
package host
