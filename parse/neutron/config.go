package neutron

import (
	"io"
	"regexp"
	"strings"

	"netxray/parse"
)

// Config is one oslo.config INI file of Neutron (neutron.conf, ml2_conf.ini,
// openvswitch_agent.ini, linuxbridge_agent.ini, l3_agent.ini,
// dhcp_agent.ini, metadata_agent.ini, ovn.ini).
type Config struct {
	// Sections lists the section headers in file order; a name may occur
	// more than once (oslo.config merges them).
	Sections []Section `json:"sections"`
	// Entries lists every assignment in file order, duplicates included
	// (multi-valued options repeat their key).
	Entries []Entry `json:"entries"`
	// Comments keeps the comment lines, secrets redacted. netxray's
	// collector writes one saying the file was reduced to network keys.
	Comments []parse.Line `json:"comments,omitempty"`

	Issues parse.Issues `json:"issues,omitempty"`
}

// Section is one "[name]" line.
type Section struct {
	Pos  parse.Pos `json:"pos"`
	Raw  string    `json:"raw"`
	Name string    `json:"name"`
}

// Entry is one "key = value" assignment with its continuation lines.
type Entry struct {
	Pos parse.Pos `json:"pos"`
	// Raw is the assignment's lines joined with "\n"; a secret's value is
	// replaced by Redacted.
	Raw string `json:"raw"`
	// Section is the name of the section the entry is in, as written; ""
	// before the first header.
	Section string `json:"section"`
	Key     string `json:"key"`
	// Value is the value as oslo.config reads it: trimmed, one pair of
	// surrounding quotes removed, continuation lines joined with "\n".
	// Redacted for secrets.
	Value string `json:"value"`
	// Redacted is set when Value (and Raw) hide a secret.
	Redacted bool `json:"redacted,omitempty"`
}

// Redacted replaces the value of every secret.
const Redacted = "<redacted>"

// Records implements parse.Result: the number of assignments.
func (c *Config) Records() int { return len(c.Entries) }

// Problems implements parse.Result.
func (c *Config) Problems() parse.Issues { return c.Issues }

// secretWords mark keys whose values are credentials: passwords, shared
// secrets, tokens and rabbit URLs.
var secretWords = []string{"password", "secret", "token", "transport_url"}

// userinfoRE finds a URL with credentials ("rabbit://user:pass@host").
var userinfoRE = regexp.MustCompile(`://[^/\s@]*@`)

// isSecret reports whether an entry must be redacted. Database connection
// strings ([database] connection, slave_connection) are secrets;
// [ovs] ovsdb_connection ("tcp:127.0.0.1:6640") is not.
func isSecret(section, key, value string) bool {
	k := strings.ToLower(key)
	for _, w := range secretWords {
		if strings.Contains(k, w) {
			return true
		}
	}
	if strings.Contains(k, "connection") && strings.Contains(strings.ToLower(section), "database") {
		return true
	}
	return userinfoRE.MatchString(value)
}

// scrub removes URL credentials from text that is not an entry (a comment,
// a line quoted in an issue).
func scrub(s string) string { return userinfoRE.ReplaceAllString(s, "://"+Redacted+"@") }

// ParseConfig parses an oslo.config INI file the way oslo.config reads it:
// "[section]" headers; "key = value" or "key: value" (whichever separator
// comes first); lines starting with a blank continue the previous value; a
// blank line ends it; lines starting with "#" or ";" are comments (there
// are no inline comments: "a = b # c" has the value "b # c").
//
//	[ovs]
//	local_ip = 10.0.0.11
//	bridge_mappings = physnet1:br-ex
//	[agent]
//	tunnel_types = vxlan
//
// Lines oslo.config would refuse (a continuation with no key, a header
// without "]", an empty key) are errors; a key before any section is kept
// with a warning.
func ParseConfig(r io.Reader, file string) (c *Config, err error) {
	defer parse.Recover(file, &err)
	c = &Config{}
	sc := parse.NewScanner(r, file, &c.Issues)
	section := ""
	open := -1 // entry that continuation lines extend
	for sc.Scan() {
		l := sc.Line()
		line := strings.TrimRight(l.Text, " \t")
		switch {
		case line == "":
			open = -1
		case line[0] == ' ' || line[0] == '\t':
			if open < 0 {
				c.Issues.Errorf(l.Pos, "continuation line with no key before it (oslo.config refuses the file): %q",
					scrub(strings.TrimSpace(line)))
				continue
			}
			c.continueEntry(open, l.Text)
		case line[0] == '[':
			open = -1
			name, ok := strings.CutSuffix(line[1:], "]")
			switch {
			case !ok:
				c.Issues.Errorf(l.Pos, "section header without \"]\" (oslo.config refuses the file): %q", scrub(line))
			case name == "":
				c.Issues.Errorf(l.Pos, "empty section name (oslo.config refuses the file)")
			default:
				section = name
				c.Sections = append(c.Sections, Section{Pos: l.Pos, Raw: l.Text, Name: name})
			}
		case line[0] == '#' || line[0] == ';':
			open = -1
			c.Comments = append(c.Comments, parse.Line{Pos: l.Pos, Text: redactComment(section, l.Text)})
		default:
			open = -1
			e, ok := c.entry(l, line, section)
			if ok {
				c.Entries = append(c.Entries, e)
				open = len(c.Entries) - 1
			}
		}
	}
	c.check()
	return c, sc.Err()
}

// entry splits an assignment line.
func (c *Config) entry(l parse.Line, line, section string) (Entry, bool) {
	sep := separator(line)
	if sep < 0 {
		c.Issues.Errorf(l.Pos, "line is neither a section, an assignment nor a comment (oslo.config refuses the file): %q", scrub(line))
		return Entry{}, false
	}
	e := Entry{Pos: l.Pos, Raw: l.Text, Section: section, Key: strings.TrimSpace(line[:sep])}
	if e.Key == "" {
		c.Issues.Errorf(l.Pos, "assignment with an empty key (oslo.config refuses the file): %q", scrub(line))
		return Entry{}, false
	}
	e.Value = strings.TrimSpace(line[sep+1:])
	if n := len(e.Value); n >= 2 && (e.Value[0] == '"' || e.Value[0] == '\'') && e.Value[n-1] == e.Value[0] {
		e.Value = e.Value[1 : n-1]
	}
	if isSecret(section, e.Key, e.Value) {
		e.redact()
	} else if strings.Contains(e.Value, " #") {
		c.Issues.Warnf(l.Pos, "value of %s %q holds \" #\": oslo.config does not strip inline comments", e.Key, e.Value)
	}
	if section == "" {
		c.Issues.Warnf(l.Pos, "%s is set before any section (oslo.config refuses the file)", e.Key)
	}
	return e, true
}

// separator returns the offset of the first ":" or "=" of an assignment,
// or -1.
func separator(line string) int {
	colon, equal := strings.IndexByte(line, ':'), strings.IndexByte(line, '=')
	if equal < 0 || (colon >= 0 && colon < equal) {
		return colon
	}
	return equal
}

// continueEntry appends a continuation line to entry i.
func (c *Config) continueEntry(i int, text string) {
	e := &c.Entries[i]
	e.Raw += "\n" + text
	if e.Redacted {
		e.redact()
		return
	}
	e.Value += "\n" + strings.TrimSpace(text)
	if isSecret(e.Section, e.Key, e.Value) {
		// A credential URL split over lines.
		e.redact()
	}
}

// redact hides the value of e: in Raw, everything after the separator and
// every continuation line but its indentation.
func (e *Entry) redact() {
	e.Value, e.Redacted = Redacted, true
	lines := strings.Split(e.Raw, "\n")
	lines[0] = lines[0][:separator(lines[0])+1] + " " + Redacted
	for i, l := range lines[1:] {
		lines[i+1] = l[:len(l)-len(strings.TrimLeft(l, " \t"))] + Redacted
	}
	e.Raw = strings.Join(lines, "\n")
}

// commentedRE matches a commented-out assignment ("#password = <None>").
var commentedRE = regexp.MustCompile(`^([#;]\s*)([A-Za-z0-9_.-]+)(\s*[=:]\s*)(.*)$`)

// redactComment hides the value of a commented-out secret, and URL
// credentials anywhere in a comment.
func redactComment(section, text string) string {
	if m := commentedRE.FindStringSubmatch(text); m != nil && m[4] != "" && isSecret(section, m[2], m[4]) {
		return m[1] + m[2] + m[3] + Redacted
	}
	return scrub(text)
}
