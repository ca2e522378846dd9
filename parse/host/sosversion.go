package host

import (
	"io"
	"strings"

	"netxray/parse"
)

// SosVersion is a bundle's version.txt: which sos (or netxray collector)
// wrote it.
type SosVersion struct {
	Pos parse.Pos
	Raw string
	// Tool is who wrote the bundle, as named in the file: "sosreport"
	// (sos 2.2-4.7), "sos report" (sos 4.8 and later), "netxray-collect".
	Tool string
	// Version is the tool's version ("4.5.6", "3.9.1").
	Version string
	// Plugins are the "plugin: version" lines sos 2.2-4.1 added (almost
	// always "unversioned").
	Plugins []PluginVersion

	Issues parse.Issues
}

// PluginVersion is one plugin line of an old version.txt.
type PluginVersion struct {
	Pos     parse.Pos
	Raw     string
	Name    string
	Version string
}

// Records implements parse.Result: the tool line and each plugin line.
func (v *SosVersion) Records() int {
	n := len(v.Plugins)
	if v.Tool != "" {
		n++
	}
	return n
}

// Problems implements parse.Result.
func (v *SosVersion) Problems() parse.Issues { return v.Issues }

// sosTools are the writers of version.txt netxray knows.
var sosTools = map[string]bool{"sosreport": true, "sos report": true, "netxray-collect": true}

// ParseSosVersion parses version.txt at the root of a sosreport or netxray
// bundle: a first "tool: version" line, then, in sos before 4.2, one line
// per plugin:
//
//	sosreport: 3.9.1
//	networking: unversioned
//
// sos 4.2-4.7 write only "sosreport: 4.5.6", sos 4.8 and later "sos report:
// 4.8.0", netxray's collector "netxray-collect: 0.1.0".
func ParseSosVersion(r io.Reader, file string) (v *SosVersion, err error) {
	defer parse.Recover(file, &err)
	v = &SosVersion{}
	sc := parse.NewScanner(r, file, &v.Issues)
	for sc.Scan() {
		l := sc.Line()
		t := strings.TrimSpace(l.Text)
		if t == "" {
			continue
		}
		name, val, ok := strings.Cut(t, ":")
		name, val = strings.TrimSpace(name), strings.TrimSpace(val)
		switch {
		case !ok || name == "" || val == "":
			v.Issues.Errorf(l.Pos, "unrecognised version.txt line: %q", t)
		case v.Tool == "":
			v.Pos, v.Raw, v.Tool, v.Version = l.Pos, l.Text, name, val
			if !sosTools[name] {
				v.Issues.Warnf(l.Pos, "unknown bundle tool %q", name)
			}
		default:
			v.Plugins = append(v.Plugins, PluginVersion{Pos: l.Pos, Raw: l.Text, Name: name, Version: val})
		}
	}
	return v, sc.Err()
}
