// Package iproute parses iproute2 command outputs: `ip addr` (kind
// "ip-addr"), `ip link` ("ip-link", same parser and records), `ip route`
// (kind "ip-route"), `ip rule` ("ip-rule"), `ip neigh` ("ip-neigh") and
// `ip netns` ("ip-netns").
//
// Each parser reads both the text form and the JSON form (`ip -j`, plain or
// pretty-printed): a file whose first byte that is not blank (after any
// collector banner) is '[' is read as JSON. The two forms fill the same
// typed records; the ordered key/value lists (Param) keep names as the form
// printed them, except where a field comment says they are normalised.
//
// The text grammar follows iproute2's printing code (ip/ipaddress.c,
// ip/iproute.c, ip/iprule.c, ip/ipneigh.c, ip/iplink_*.c) from the RHEL 6
// era (qlen in the header, double spaces, no "group default") to 6.x
// (allmulti, tso_max_size, parentbus, altname lines). Parsing is token-wise:
// column alignment, field order and optional fields do not matter.
package iproute
