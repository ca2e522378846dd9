package iptables

import (
	"io"
	"regexp"
	"strings"

	"netxray/parse"
)

// KindSave is the kind of iptables-save and ip6tables-save outputs (the
// name collect/kinds.go uses).
const KindSave parse.Kind = "iptables-save"

// Formats lists the formats of this package for generic callers.
var Formats = []parse.Format{
	{
		Kind: KindSave,
		Doc:  "iptables-save, ip6tables-save (also -c, per namespace)",
		Parse: func(r io.Reader, file string) (parse.Result, error) {
			s, err := ParseSave(r, file)
			if err != nil {
				return nil, err
			}
			return s, nil
		},
		Sniff: sniffSave,
	},
}

var sniffTableRE = regexp.MustCompile(`^\*(filter|nat|mangle|raw|security)$`)

// sniffSave accepts a file that starts with iptables-save's banner or a
// table line.
func sniffSave(head []byte) bool {
	for _, line := range strings.Split(string(head), "\n") {
		t := strings.TrimSpace(line)
		switch {
		case t == "" || strings.HasPrefix(t, "$ "):
			continue
		case generatedRE.MatchString(t) || sniffTableRE.MatchString(t):
			return true
		case strings.HasPrefix(t, "# Warning: iptables-legacy tables present"):
			continue
		}
		return false
	}
	return false
}
