package ovs

import (
	"fmt"
	"io"
	"strings"

	"netxray/parse"
)

// GroupDump is the output of `ovs-ofctl [-O OpenFlowNN] dump-groups BRIDGE`.
type GroupDump struct {
	// Version is the OpenFlow version named by the reply banner
	// ("OpenFlow13" for "OFPST_GROUP_DESC reply (OF1.3)", "OpenFlow10" for
	// the Nicira extension reply NXST_GROUP_DESC).
	Version string
	Groups  []Group
	Banners []Banner
	Issues  parse.Issues
}

// Records returns the number of groups.
func (d *GroupDump) Records() int { return len(d.Groups) }

// Problems returns the issues found while parsing.
func (d *GroupDump) Problems() parse.Issues { return d.Issues }

// Group is one group of a dump.
type Group struct {
	Pos parse.Pos
	Raw string

	ID uint32
	// Type is all, select, indirect or ff (fast failover).
	Type string
	// SelectionMethod ("hash", "dp_hash"), its parameter and the hashed
	// fields: OpenFlow 1.5 select groups only.
	SelectionMethod      string
	SelectionMethodParam uint64
	Fields               []string
	Buckets              []Bucket
	// Extra keeps group properties this parser does not know.
	Extra []Match
}

// Bucket is one bucket of a group.
type Bucket struct {
	// ID is the bucket_id, printed only by OpenFlow 1.5 and the NXST
	// reply; HasID tells whether it was.
	ID    uint32
	HasID bool
	// Weight is the printed weight, or the default OVS omits (1 for select
	// groups, 0 otherwise).
	Weight int
	// WatchPort is the watched port (number or unquoted name), "" for none.
	WatchPort string
	// WatchGroup is the watched group; HasWatchGroup tells whether set.
	WatchGroup    uint32
	HasWatchGroup bool
	Actions       []Action
}

// ParseGroups parses the output of `ovs-ofctl [-O OpenFlowNN] dump-groups
// BRIDGE` (group descriptions, lib/ofp-group.c), for example:
//
//	OFPST_GROUP_DESC reply (OF1.3) (xid=0x2):
//	 group_id=7,type=select,bucket=weight:100,actions=output:1,bucket=weight:50,watch_port:3,actions=output:3
//	 group_id=8,type=all,bucket=bucket_id:0,actions=output:1,bucket=bucket_id:1,actions=output:2
//	 group_id=11,type=select,selection_method=hash,fields(ip_src,nw_proto),bucket=bucket_id:5,weight:100,actions=output:1
func ParseGroups(r io.Reader, file string) (d *GroupDump, err error) {
	defer parse.Recover(file, &err)
	d = &GroupDump{}
	var fp flowParser // for its banner bookkeeping and arenas
	sc := parse.NewScanner(r, file, &d.Issues)
	for sc.Scan() {
		l := sc.Line()
		t := strings.TrimSpace(l.Text)
		switch {
		case t == "":
		case strings.Contains(t, "_GROUP_DESC reply"):
			if b, ok := parseBanner(l, t, "_GROUP_DESC reply"); ok {
				fp.banner(&d.Version, &d.Banners, &d.Issues, b)
			} else {
				d.Issues.Errorf(l.Pos, "not a group line: %q", clip(t))
			}
		case skipBanner(l, &d.Issues):
		case strings.HasPrefix(t, "group_id="):
			d.Groups = append(d.Groups, parseGroup(l, t, &fp.arena, &d.Issues))
		case skipFailure(l, &d.Issues):
		default:
			d.Issues.Errorf(l.Pos, "not a group line: %q", clip(t))
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(d.Groups) == 0 && len(d.Banners) == 0 && d.Issues.Count(parse.SevError) > 0 {
		return nil, fmt.Errorf("%s: no group found: %w", file, parse.ErrFormat)
	}
	return d, nil
}

// parseGroup parses one "group_id=..." line. Items are comma-separated;
// "bucket=" starts a bucket, whose "actions=" runs up to the next bucket.
func parseGroup(l parse.Line, t string, arena *ofArena, issues *parse.Issues) Group {
	g := Group{Pos: l.Pos, Raw: l.Text}
	ap := actionParser{pos: l.Pos, issues: issues}
	var b *Bucket
	actStart := -1 // start of the current bucket's actions text
	endBucket := func(end int) {
		if b == nil {
			return
		}
		if actStart >= 0 {
			b.Actions = ap.list(arena, t[actStart:end])
		}
		if b.Weight < 0 {
			b.Weight = 0
			if g.Type == "select" {
				b.Weight = 1
			}
		}
		b, actStart = nil, -1
	}
	for i := 0; ; {
		start, end, _, state := ofItem(t, i, false)
		if start == end {
			break
		}
		i = end
		item := t[start:end]
		if state != itemOK {
			issues.Errorf(l.Pos, "%s in %q", state, clip(item))
		}
		if rest, ok := strings.CutPrefix(item, "bucket="); ok {
			endBucket(start)
			g.Buckets = append(g.Buckets, Bucket{Weight: -1})
			b = &g.Buckets[len(g.Buckets)-1]
			item = rest
			start += len("bucket=")
		}
		if actStart >= 0 {
			continue // an action of the current bucket
		}
		if b != nil {
			if strings.HasPrefix(item, "actions=") {
				actStart = start + len("actions=")
				continue
			}
			bucketItem(b, item, l.Pos, issues)
			continue
		}
		groupItem(&g, item, l.Pos, issues)
	}
	endBucket(len(t))
	if g.Type == "" {
		issues.Warnf(l.Pos, "group %d has no type", g.ID)
	}
	return g
}

func groupItem(g *Group, item string, pos parse.Pos, issues *parse.Issues) {
	key, val, _ := strings.Cut(item, "=")
	switch key {
	case "group_id":
		n, ok := parseOFUint(val)
		if !ok || n > 1<<32-1 {
			issues.Warnf(pos, "bad group_id %q", clip(val))
		}
		g.ID = uint32(n)
		return
	case "type":
		switch val {
		case "all", "select", "indirect", "ff":
		default:
			issues.Warnf(pos, "unknown group type %q kept", clip(val))
		}
		g.Type = val
		return
	case "selection_method":
		g.SelectionMethod = val
		return
	case "selection_method_param":
		n, ok := parseOFUint(val)
		if !ok {
			issues.Warnf(pos, "bad selection_method_param %q", clip(val))
		}
		g.SelectionMethodParam = n
		return
	case "fields":
		g.Fields = append(g.Fields, val)
		return
	}
	if in, ok := strings.CutPrefix(item, "fields("); ok && strings.HasSuffix(in, ")") {
		g.Fields = append(g.Fields, SplitArgs(in[:len(in)-1])...)
		return
	}
	issues.Warnf(pos, "unknown group property %q kept", clip(item))
	g.Extra = append(g.Extra, Match{Key: key, Value: val})
}

// bucketItem handles bucket_id:N, weight:N, watch_port:P and watch_group:N
// (OVS prints ':'; its parser also takes '=').
func bucketItem(b *Bucket, item string, pos parse.Pos, issues *parse.Issues) {
	k := strings.IndexAny(item, ":=")
	if k < 0 {
		issues.Warnf(pos, "unknown bucket property %q", clip(item))
		return
	}
	key, val := item[:k], item[k+1:]
	n, isNum := parseOFUint(val)
	switch key {
	case "bucket_id":
		switch val {
		case "first", "last", "all":
			isNum = true
		}
		b.ID, b.HasID = uint32(n), true
	case "weight":
		b.Weight = int(n)
	case "watch_port":
		isNum = checkPort(val)
		b.WatchPort, _ = unquoteName(val)
	case "watch_group":
		b.WatchGroup, b.HasWatchGroup = uint32(n), true
	default:
		issues.Warnf(pos, "unknown bucket property %q", clip(item))
		return
	}
	if !isNum {
		issues.Warnf(pos, "bad %s value %q", key, clip(val))
	}
}

func sniffGroups(head []byte) bool {
	for _, t := range firstLines(head, 3) {
		if strings.Contains(t, "ST_GROUP_DESC reply") ||
			strings.HasPrefix(t, "group_id=") && strings.Contains(t, "type=") {
			return true
		}
	}
	return false
}
