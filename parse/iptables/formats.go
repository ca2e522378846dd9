package iptables

import (
	"io"
	"regexp"
	"strings"

	"netxray/parse"
)

// KindSave and KindSave6 are the kinds of iptables-save and ip6tables-save
// outputs (the names collect/kinds.go uses): one parser reads both.
const (
	KindSave  parse.Kind = "iptables-save"
	KindSave6 parse.Kind = "ip6tables-save"
)

// Formats lists the formats of this package for generic callers.
var Formats = []parse.Format{
	{Kind: KindSave, Doc: "iptables-save (also -c, per namespace)", Parse: parseSave, Sniff: sniffSave},
	// Same syntax; the file name tells the family (content sniffing
	// leaves an IPv6 dump to KindSave).
	{Kind: KindSave6, Doc: "ip6tables-save (also -c, per namespace)", Parse: parseSave},
}

func parseSave(r io.Reader, file string) (parse.Result, error) {
	s, err := ParseSave(r, file)
	if err != nil {
		return nil, err
	}
	return s, nil
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
