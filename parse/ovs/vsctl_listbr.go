package ovs

import (
	"io"
	"regexp"
	"strings"

	"netxray/parse"
)

// BridgeList is the output of `ovs-vsctl list-br` (sos:
// ovs-vsctl_-t_5_list-br): one bridge name per line,
//
//	br-ex
//	br-int
//	br-tun
type BridgeList struct {
	Bridges []BridgeName
	Issues  parse.Issues
}

// BridgeName is one bridge of the list.
type BridgeName struct {
	Pos  parse.Pos
	Raw  string
	Name string
}

// Records returns the number of bridges.
func (l *BridgeList) Records() int { return len(l.Bridges) }

// Problems returns the issues found while parsing.
func (l *BridgeList) Problems() parse.Issues { return l.Issues }

// bridgeNameRE is what OVS accepts as a bridge name in practice: no
// blanks, no separators ovs-vsctl would print.
var bridgeNameRE = regexp.MustCompile(`^[A-Za-z0-9_.:@-]{1,255}$`)

// ParseListBr parses `ovs-vsctl list-br`. Error text from ovs-vsctl
// ("database connection failed") is an info issue; a line with blanks is
// not a bridge name and is an error.
func ParseListBr(r io.Reader, file string) (list *BridgeList, err error) {
	defer parse.Recover(file, &err)
	list = &BridgeList{}
	sc := parse.NewScanner(r, file, &list.Issues)
	for sc.Scan() {
		l := sc.Line()
		t := strings.TrimSpace(l.Text)
		switch {
		case t == "" || skipBanner(l, &list.Issues):
		case bridgeNameRE.MatchString(t) && !toolPrefixRE.MatchString(t+" "):
			list.Bridges = append(list.Bridges, BridgeName{Pos: l.Pos, Raw: l.Text, Name: t})
		case !skipFailure(l, &list.Issues):
			list.Issues.Errorf(l.Pos, "not a bridge name: %q", l.Text)
		}
	}
	return list, sc.Err()
}
