// Package model builds netxray's model of a bundle set: every node's parsed
// sources, and from them bridges, ports, tunnels, namespaces, interfaces and
// VMs, each keeping the evidence (file:line) it came from. It is built once
// and shared by summaries, traces, rules, reports and diffs; nothing
// downstream re-reads files.
//
// Missing sources leave gaps that are marked (Node.Gaps), never guessed.
package model
