// Package synth builds large synthetic bundle sets out of the lab's real
// ones, for benchmarks: N renamed copies of each lab node, each with its VM
// ports multiplied. The copies keep the real files' formats exactly (they
// are the lab's files with identifiers rewritten), so what is measured is
// netxray on real shapes at scale.
package synth
