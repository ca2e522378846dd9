package bridge

import (
	"io"

	"netxray/parse"
)

// Kinds of the formats this package parses.
const (
	KindFDB   parse.Kind = "bridge-fdb"
	KindLink  parse.Kind = "bridge-link"
	KindBrctl parse.Kind = "brctl-show"
)

// Formats lists the formats of this package for generic callers.
var Formats = []parse.Format{
	{
		Kind:  KindFDB,
		Doc:   "bridge fdb show (also -s -s -d, dev/br filtered)",
		Parse: func(r io.Reader, file string) (parse.Result, error) { return ParseFDB(r, file) },
		Sniff: sniffFDB,
	},
	{
		Kind:  KindLink,
		Doc:   "bridge link show (also -s -s -d)",
		Parse: func(r io.Reader, file string) (parse.Result, error) { return ParseLinks(r, file) },
		Sniff: sniffLinks,
	},
	{
		Kind:  KindBrctl,
		Doc:   "brctl show",
		Parse: func(r io.Reader, file string) (parse.Result, error) { return ParseBrctlShow(r, file) },
		Sniff: sniffBrctl,
	},
}
