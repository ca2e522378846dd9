package bridge

import (
	"io"
	"regexp"
	"strconv"
	"strings"

	"netxray/parse"
)

// Links is the output of `bridge link show` (or `bridge -s -s -d link show`
// as sos collects it): one entry per bridge port.
type Links struct {
	Links  []Link
	Issues parse.Issues
}

// Link is one bridge port. With -d iproute2 prints the port options on an
// indented continuation line; they are kept in Options in printed order.
type Link struct {
	Pos parse.Pos
	// Raw is the first line; the -d continuation lines are in Details.
	Raw     string
	Details []parse.Line

	Deleted bool
	Index   int
	Name    string
	// Peer is what follows '@' in the name ("veth1" in "veth0@veth1",
	// "if5", "NONE").
	Peer string
	// OperState is printed only by old iproute2 ("2: eth0 state UP : <...>").
	OperState string
	// LinkFlags are the interface flags inside <...>.
	LinkFlags []string
	MTU       int
	Master    string
	// State is the STP port state: forwarding, blocking, disabled,
	// listening, learning, or "(N)" for unknown values.
	State    string
	Priority int
	Cost     int
	HWMode   string
	// Options are the key/value pairs of -d (hairpin off, learning on,
	// mcast_router 1, backup_port X, ...).
	Options []Option
	Extra   []string
}

// Option is one "key value" pair of a bridge port.
type Option struct {
	Key   string
	Value string
}

// Option returns the value of port option key and whether it was printed.
func (l *Link) Option(key string) (string, bool) {
	for _, o := range l.Options {
		if o.Key == key {
			return o.Value, true
		}
	}
	return "", false
}

// Records implements parse.Result.
func (l *Links) Records() int { return len(l.Links) }

// Problems implements parse.Result.
func (l *Links) Problems() parse.Issues { return l.Issues }

// linkOptionKeys are the -d keys iproute2 prints as "key value".
var linkOptionKeys = map[string]bool{
	"hairpin": true, "guard": true, "root_block": true, "fastleave": true,
	"learning": true, "learning_sync": true, "flood": true, "mcast_flood": true,
	"bcast_flood": true, "mcast_router": true, "mcast_to_unicast": true,
	"neigh_suppress": true, "neigh_vlan_suppress": true, "vlan_tunnel": true,
	"isolated": true, "locked": true, "mab": true, "backup_port": true,
	"backup_nhid": true, "group_fwd_mask": true, "group_fwd_mask_str": true,
	"mcast_n_groups": true, "mcast_max_groups": true, "proxy_arp": true,
	"proxy_arp_wifi": true, "mcast_fast_leave": true,
}

var linkHeadRE = regexp.MustCompile(`^(Deleted )?(\d+): (\S.*?)\s*: <([^>]*)>(.*)$`)

// ParseLinks parses `bridge link show` output:
//
//	3: vxlan-1001: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 master br0 state forwarding priority 32 cost 100
//	    hairpin off guard off root_block off fastleave off learning on flood on
//	5: veth0@veth1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 master br0 state forwarding priority 32 cost 2
func ParseLinks(r io.Reader, file string) (links *Links, err error) {
	defer parse.Recover(file, &err)
	links = &Links{}
	sc := parse.NewScanner(r, file, &links.Issues)
	var cur *Link
	for sc.Scan() {
		l := sc.Line()
		if strings.TrimSpace(l.Text) == "" || skipNoise(l, &links.Issues) {
			continue
		}
		if m := linkHeadRE.FindStringSubmatch(l.Text); m != nil {
			links.Links = append(links.Links, parseLinkHead(l, m, &links.Issues))
			cur = &links.Links[len(links.Links)-1]
			continue
		}
		if cur != nil && (l.Text[0] == ' ' || l.Text[0] == '\t') {
			cur.Details = append(cur.Details, l)
			cur.parseTokens(l.Pos, strings.Fields(l.Text), &links.Issues)
			continue
		}
		links.Issues.Errorf(l.Pos, "not a bridge link line: %q", l.Text)
	}
	return links, sc.Err()
}

func parseLinkHead(l parse.Line, m []string, issues *parse.Issues) Link {
	k := Link{Pos: l.Pos, Raw: l.Text, Deleted: m[1] != ""}
	k.Index, _ = strconv.Atoi(m[2])
	// The name part is "name[@peer]" or, in old iproute2,
	// "name state OPER [@peer]".
	head := strings.Fields(m[3])
	k.Name, k.Peer, _ = strings.Cut(head[0], "@")
	for i := 1; i < len(head); i++ {
		switch {
		case head[i] == "state" && i+1 < len(head):
			i++
			k.OperState = head[i]
		case strings.HasPrefix(head[i], "@"):
			k.Peer = head[i][1:]
		default:
			k.Extra = append(k.Extra, head[i])
			issues.Warnf(l.Pos, "unknown token %q in bridge link name part kept", head[i])
		}
	}
	if m[4] != "" {
		k.LinkFlags = strings.Split(m[4], ",")
	}
	k.parseTokens(l.Pos, strings.Fields(m[5]), issues)
	return k
}

// parseTokens reads "key value" pairs of the main line and of -d lines.
func (k *Link) parseTokens(pos parse.Pos, tok []string, issues *parse.Issues) {
	for i := 0; i < len(tok); i++ {
		key := tok[i]
		if i+1 >= len(tok) {
			k.Extra = append(k.Extra, key)
			issues.Warnf(pos, "bridge link token %q without a value kept", key)
			return
		}
		val := tok[i+1]
		i++
		var err error
		switch key {
		case "mtu":
			k.MTU, err = strconv.Atoi(val)
		case "master":
			k.Master = val
		case "state":
			k.State = val
		case "priority":
			k.Priority, err = strconv.Atoi(val)
		case "cost":
			k.Cost, err = strconv.Atoi(val)
		case "hwmode":
			k.HWMode = val
		default:
			k.Options = append(k.Options, Option{Key: key, Value: val})
			if !linkOptionKeys[key] {
				issues.Warnf(pos, "unknown bridge link option %q kept", key)
			}
		}
		if err != nil {
			k.Extra = append(k.Extra, key, val)
			issues.Warnf(pos, "bridge link %s %q is not a number", key, val)
		}
	}
}

// sniffLinks: "N: name: <FLAGS> mtu N master BR state ..." without the
// qdisc that `ip link` prints.
func sniffLinks(head []byte) bool {
	t := parse.FirstData(head)
	return linkHeadRE.MatchString(t) && !strings.Contains(t, " qdisc ") &&
		(strings.Contains(t, " master ") || strings.Contains(t, " state "))
}
