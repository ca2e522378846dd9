// Package parse holds what every command-output parser shares: positions
// (Pos), problems reported as data (Issue), the positioned error type, a line
// scanner that survives overlong lines, and the Result contract that lets
// `netxray parse` treat every parser alike.
//
// Each sub-package parses the outputs of one tool family (ovs, iproute,
// bridge, conntrack, libvirt, iptables, ovn, capture). A parser takes an
// io.Reader and the file name it cites in positions; it never opens files
// itself: finding files in a bundle is package collect's job.
//
// Parsers are tolerant: a line they do not understand becomes an Issue with
// its file:line, never a panic and never a silently dropped line. They return
// a non-nil error only when reading fails or the input is not the format at
// all.
package parse
