package collect

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"path"
	"sort"
	"strconv"
	"strings"
)

// Manifest is sos's sos_reports/manifest.json (sos >= 4.0; netxray's
// collector writes the same shape). Only the parts the inventory needs are
// decoded; unknown fields are ignored.
//
//	{"version": "4.5.0", "components": {"report": {"plugins": {
//	  "networking": {"commands": [{"command": "ip", "exec": "ip -o addr",
//	    "filepath": "sos_commands/networking/ip_-o_addr", "return_code": 0,
//	    "truncated": false, "start_time": 1.7e9, "end_time": 1.7e9,
//	    "run_time": 0.01, "tags": ["ip_addr"]}], ...}}}}}
type Manifest struct {
	// Version is the version of sos (or netxray) that wrote the bundle.
	Version    string `json:"version"`
	Cmdline    string `json:"cmdline"`
	Components struct {
		Report struct {
			Preset  string                    `json:"preset"`
			Plugins map[string]ManifestPlugin `json:"plugins"`
			// Netxray is the section only netxray's collector writes.
			Netxray *ManifestNetxray `json:"netxray"`
		} `json:"report"`
	} `json:"components"`
}

// ManifestNetxray is what netxray's collector adds to the manifest: the node
// name it was given (--name, default the host name) and how many network
// namespaces it found and collected.
type ManifestNetxray struct {
	Host                string  `json:"host"`
	NamespacesListed    flexInt `json:"namespaces_listed"`
	NamespacesCollected flexInt `json:"namespaces_collected"`
	MaxNamespaces       flexInt `json:"max_namespaces"`
}

// ManifestPlugin is one plugin's section of the manifest.
type ManifestPlugin struct {
	TimeoutHit flexBool          `json:"timeout_hit"`
	Commands   []ManifestCommand `json:"commands"`
}

// ManifestCommand is one command a plugin ran.
type ManifestCommand struct {
	Command string `json:"command"`
	// Exec is the full command line.
	Exec string `json:"exec"`
	// Filepath is where the output went, relative to the bundle root
	// ("sos_commands/networking/ip_-o_addr"; "sos_strings/.../x.tailed" when
	// truncated); "" when no file was written (command not found).
	Filepath   string     `json:"filepath"`
	ReturnCode flexInt    `json:"return_code"`
	Truncated  flexBool   `json:"truncated"`
	StartTime  flexNumber `json:"start_time"`
	EndTime    flexNumber `json:"end_time"`
	RunTime    flexNumber `json:"run_time"`
	Tags       []string   `json:"tags"`

	// Plugin is the plugin section the command was listed in (filled by
	// ReadManifest).
	Plugin string `json:"-"`
}

// ReadManifest decodes a manifest.
func ReadManifest(r io.Reader) (*Manifest, error) {
	var m Manifest
	if err := json.NewDecoder(r).Decode(&m); err != nil {
		return nil, fmt.Errorf("decoding sos manifest: %w", err)
	}
	for name, p := range m.Components.Report.Plugins {
		for i := range p.Commands {
			p.Commands[i].Plugin = name
		}
	}
	return &m, nil
}

// Commands returns every command of every plugin, in plugin name order.
func (m *Manifest) Commands() []ManifestCommand {
	names := make([]string, 0, len(m.Components.Report.Plugins))
	for name := range m.Components.Report.Plugins {
		names = append(names, name)
	}
	sort.Strings(names)
	var all []ManifestCommand
	for _, name := range names {
		all = append(all, m.Components.Report.Plugins[name].Commands...)
	}
	return all
}

// Paths returns where the command's output is, or would have been had it
// run: sos names it sos_commands/<plugin>/[<subdir>/]<mangled command>, and
// moves a truncated output to sos_strings/.../<name>.tailed behind a link of
// that name. For a command that wrote no file the subdir is unknown, so a
// per-namespace command gets both its flat (sos < 4.3) and its
// namespaces/<ns>/ path.
func (c ManifestCommand) Paths() []string {
	p := c.Filepath
	if p != "" {
		if rest, ok := strings.CutPrefix(p, "sos_strings/"); ok && strings.HasSuffix(rest, ".tailed") {
			return []string{"sos_commands/" + strings.TrimSuffix(rest, ".tailed")}
		}
		return []string{p}
	}
	name := MangleCommand(c.Exec)
	paths := []string{path.Join("sos_commands", c.Plugin, name)}
	if f := strings.Fields(c.Exec); len(f) > 4 && f[0] == "ip" && f[1] == "netns" && f[2] == "exec" {
		paths = append(paths, path.Join("sos_commands", c.Plugin, "namespaces", f[3], name))
	}
	return paths
}

// failure explains a non-zero return code, or returns "".
func (c ManifestCommand) failure() string {
	rc := int(c.ReturnCode)
	switch rc {
	case 0:
		return ""
	case 124:
		return "command timed out (return code 124)"
	case 126:
		return "command could not be run (return code 126)"
	case 127:
		return "command not found (return code 127)"
	}
	return "command failed with return code " + strconv.Itoa(rc)
}

// sos writes some fields with varying JSON types across versions (truncated
// is "" when the command did not run; times are numbers or strings), so the
// manifest is read leniently: a value of an unexpected type is zero.

type flexBool bool

func (b *flexBool) UnmarshalJSON(data []byte) error {
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		return err
	}
	switch v := v.(type) {
	case bool:
		*b = flexBool(v)
	case string:
		*b = flexBool(v == "true" || v == "True")
	case float64:
		*b = v != 0
	}
	return nil
}

type flexInt int

func (n *flexInt) UnmarshalJSON(data []byte) error {
	var f flexNumber
	if err := f.UnmarshalJSON(data); err != nil {
		return err
	}
	*n = flexInt(f)
	return nil
}

type flexNumber float64

func (n *flexNumber) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	if len(data) > 0 && data[0] == '"' {
		var s string
		if err := json.Unmarshal(data, &s); err != nil {
			return err
		}
		f, _ := strconv.ParseFloat(s, 64)
		*n = flexNumber(f)
		return nil
	}
	var f *float64
	if err := json.Unmarshal(data, &f); err != nil {
		return nil // objects, arrays: not a number, keep zero
	}
	if f != nil {
		*n = flexNumber(*f)
	}
	return nil
}
