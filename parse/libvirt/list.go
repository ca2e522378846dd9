package libvirt

import (
	"io"
	"strconv"
	"strings"

	"netxray/parse"
)

// DomainList is the output of `virsh list --all`.
type DomainList struct {
	Domains []ListEntry  `json:"domains"`
	Issues  parse.Issues `json:"issues,omitempty"`
}

// ListEntry is one domain row.
type ListEntry struct {
	Pos parse.Pos `json:"pos"`
	Raw string    `json:"raw"`

	// ID is the running domain's id; nil for "-" (not running).
	ID    *int   `json:"id,omitempty"`
	Name  string `json:"name"`
	State string `json:"state"` // running, idle, paused, in shutdown, shut off, crashed, pmsuspended
}

// Running reports whether the domain was running (or idle/paused, which
// still hold their taps).
func (e *ListEntry) Running() bool { return e.ID != nil }

// Records implements parse.Result.
func (d *DomainList) Records() int { return len(d.Domains) }

// Problems implements parse.Result.
func (d *DomainList) Problems() parse.Issues { return d.Issues }

// listStates are the states virsh prints; two-word ones first.
var listStates = []string{
	"in shutdown", "shut off", "no state",
	"running", "idle", "blocked", "paused", "shutdown", "crashed", "pmsuspended", "dying",
}

// ParseList parses `virsh list [--all]`:
//
//	 Id   Name                State
//	------------------------------------
//	 1    instance-00000001   running
//	 -    instance-00000002   shut off
func ParseList(r io.Reader, file string) (list *DomainList, err error) {
	defer parse.Recover(file, &err)
	list = &DomainList{}
	header := func(f []string) bool { return f[0] == "Id" && len(f) >= 2 && f[1] == "Name" }
	err = eachRow(r, file, &list.Issues, header, func(l parse.Line, f []string) {
		if e, ok := parseListRow(l, f, &list.Issues); ok {
			list.Domains = append(list.Domains, e)
		}
	})
	return list, err
}

func parseListRow(l parse.Line, f []string, issues *parse.Issues) (ListEntry, bool) {
	e := ListEntry{Pos: l.Pos, Raw: l.Text}
	id, err := strconv.Atoi(f[0])
	if (err != nil && f[0] != "-") || len(f) < 3 {
		issues.Errorf(l.Pos, "not a virsh list row: %q", l.Text)
		return e, false
	}
	if err == nil {
		e.ID = &id
	}
	rest := strings.Join(f[1:], " ")
	for _, s := range listStates {
		if name, ok := strings.CutSuffix(rest, " "+s); ok {
			e.Name, e.State = name, s
			return e, true
		}
	}
	e.Name, e.State = strings.Join(f[1:len(f)-1], " "), f[len(f)-1]
	issues.Warnf(l.Pos, "unknown domain state %q kept", e.State)
	return e, true
}

func sniffList(head []byte) bool {
	f := headerFields(head)
	return len(f) == 3 && f[0] == "Id" && f[1] == "Name" && f[2] == "State"
}
