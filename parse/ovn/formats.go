package ovn

import (
	"io"

	"netxray/parse"
)

// Kinds of the formats this package parses (collect's catalog names).
const (
	KindNBShow parse.Kind = "ovn-nbctl-show"
	KindSBShow parse.Kind = "ovn-sbctl-show"
)

// Formats lists the formats of this package for generic callers.
var Formats = []parse.Format{
	{
		Kind:  KindNBShow,
		Doc:   "ovn-nbctl [--no-leader-only] show",
		Parse: func(r io.Reader, file string) (parse.Result, error) { return ParseNBShow(r, file) },
		Sniff: sniffNBShow,
	},
	{
		Kind:  KindSBShow,
		Doc:   "ovn-sbctl [--no-leader-only] show",
		Parse: func(r io.Reader, file string) (parse.Result, error) { return ParseSBShow(r, file) },
		Sniff: sniffSBShow,
	},
}
