package parse

import "io"

// Kind names one command-output format, e.g. "ovs-ofctl-dump-flows". Kinds
// are the vocabulary shared by the bundle catalog (which file holds which
// kind), the `parse --as` flag and the inventory.
type Kind string

// Format describes one parser so generic code can run it. Each parser
// sub-package exports its formats in a `Formats` slice; package
// parse/formats lists them all.
type Format struct {
	Kind Kind
	// Doc is one line naming the command(s) that produce this format.
	Doc string
	// Parse parses one file of this format.
	Parse func(r io.Reader, file string) (Result, error)
	// Sniff reports whether the start of a file (up to 4 KiB) looks like
	// this format. Nil when the format cannot be told from content alone.
	Sniff func(head []byte) bool
}
