package libvirt

import (
	"io"
	"strings"

	"netxray/parse"
)

// DomIfList is the output of `virsh domiflist DOM`.
type DomIfList struct {
	Interfaces []IfListEntry `json:"interfaces"`
	Issues     parse.Issues  `json:"issues,omitempty"`
}

// IfListEntry is one row. virsh's "-" placeholder becomes "".
type IfListEntry struct {
	Pos parse.Pos `json:"pos"`
	Raw string    `json:"raw"`

	Interface string `json:"interface"` // target device (tap…, vnet0, vhu…); "" for hostdev
	Type      string `json:"type"`      // bridge, ethernet, network, vhostuser, hostdev, direct
	Source    string `json:"source"`    // bridge or network name
	Model     string `json:"model"`
	MAC       string `json:"mac"` // lower-cased
}

// Records implements parse.Result.
func (d *DomIfList) Records() int { return len(d.Interfaces) }

// Problems implements parse.Result.
func (d *DomIfList) Problems() parse.Issues { return d.Issues }

// ParseDomIfList parses `virsh domiflist DOM`. Columns are padded for
// alignment, but long names push later columns right, so rows are read as
// whitespace-separated fields (virsh prints "-" for empty cells, so there
// are always five):
//
//	 Interface        Type     Source           Model    MAC
//	------------------------------------------------------------------------
//	 tap3238a480-ba   bridge   qbr3238a480-ba   virtio   fa:16:3e:11:ba:24
//	 -                hostdev  -                -        fa:16:3e:5e:1f:2a
func ParseDomIfList(r io.Reader, file string) (list *DomIfList, err error) {
	defer parse.Recover(file, &err)
	list = &DomIfList{}
	header := func(f []string) bool { return f[0] == "Interface" }
	err = eachRow(r, file, &list.Issues, header, func(l parse.Line, f []string) {
		e := IfListEntry{Pos: l.Pos, Raw: l.Text}
		switch {
		case len(f) == 5:
			e.Interface, e.Type, e.Source, e.Model, e.MAC = f[0], f[1], f[2], f[3], f[4]
		case len(f) > 5 && macRE.MatchString(f[len(f)-1]):
			e.Interface, e.Type, e.Model, e.MAC = f[0], f[1], f[len(f)-2], f[len(f)-1]
			e.Source = strings.Join(f[2:len(f)-2], " ")
			list.Issues.Warnf(l.Pos, "domiflist row has %d columns; source taken as %q", len(f), e.Source)
		case len(f) == 4 && macRE.MatchString(f[3]):
			e.Interface, e.Type, e.Source, e.MAC = f[0], f[1], f[2], f[3]
			list.Issues.Warnf(l.Pos, "domiflist row has 4 columns; model taken as empty")
		default:
			list.Issues.Errorf(l.Pos, "not a virsh domiflist row: %q", l.Text)
			return
		}
		e.Interface, e.Type, e.Source, e.Model = dash(e.Interface), dash(e.Type), dash(e.Source), dash(e.Model)
		e.MAC = strings.ToLower(dash(e.MAC))
		if e.MAC != "" && !macRE.MatchString(e.MAC) {
			list.Issues.Warnf(l.Pos, "domiflist MAC column %q is not a MAC address", e.MAC)
		}
		list.Interfaces = append(list.Interfaces, e)
	})
	return list, err
}

func sniffDomIfList(head []byte) bool {
	f := headerFields(head)
	return len(f) == 5 && f[0] == "Interface" && f[1] == "Type" && f[4] == "MAC"
}
