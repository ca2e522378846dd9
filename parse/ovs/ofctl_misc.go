package ovs

import (
	"io"
	"regexp"
	"strconv"
	"strings"

	"netxray/parse"
)

// TunnelList is the output of `ovs-appctl ofproto/list-tunnels`.
type TunnelList struct {
	Tunnels []Tunnel
	Issues  parse.Issues
	// understood counts the input lines taken as data, for tests.
	understood int
}

// Tunnel is one tunnel port:
//
//	port 7: vxlan-ac10000b (vxlan: 172.16.0.31->172.16.0.11, key=flow, legacy_l2, dp port=7, ttl=64)
type Tunnel struct {
	Pos parse.Pos
	Raw string
	// Port is the number printed after "port" (the datapath port).
	Port int
	Name string
	Type string
	// Local and Remote are the endpoints ("flow" when taken from flows).
	Local, Remote string
	// Options are the key=value items (key, dp port, ttl, tos, df, csum,
	// out_key, pkt mark, ...).
	Options []KeyVal
	// Flags are the bare words (legacy_l2, legacy_l3, ptap).
	Flags []string
}

// Option returns the value of option key.
func (t *Tunnel) Option(key string) (string, bool) {
	for _, o := range t.Options {
		if o.Key == key {
			return o.Value, true
		}
	}
	return "", false
}

// Records returns the number of tunnels.
func (l *TunnelList) Records() int { return len(l.Tunnels) }

// Problems returns the issues found while parsing.
func (l *TunnelList) Problems() parse.Issues { return l.Issues }

var tunnelRE = regexp.MustCompile(`^port (\d+): (\S+) \(([^:]+): (.*)\)$`)

// ParseTunnels parses `ovs-appctl ofproto/list-tunnels`, one tunnel per
// line:
//
//	port 7: vxlan-ac10000b (vxlan: 172.16.0.31->172.16.0.11, key=flow, legacy_l2, dp port=7, ttl=64)
//	port 4: gre-1 (gre: flow->10.0.0.2, key=0x5, legacy_l3, dp port=4, ttl=inherit, csum=true)
func ParseTunnels(r io.Reader, file string) (list *TunnelList, err error) {
	defer parse.Recover(file, &err)
	list = &TunnelList{}
	sc := parse.NewScanner(r, file, &list.Issues)
	for sc.Scan() {
		l := sc.Line()
		t := strings.TrimSpace(l.Text)
		if t == "" || skipBanner(l, &list.Issues) {
			continue
		}
		m := tunnelRE.FindStringSubmatch(t)
		if m == nil {
			if !skipFailure(l, &list.Issues) {
				list.Issues.Errorf(l.Pos, "not a list-tunnels line: %q", l.Text)
			}
			continue
		}
		tun := Tunnel{Pos: l.Pos, Raw: l.Text, Name: m[2], Type: m[3]}
		tun.Port, _ = strconv.Atoi(m[1])
		for i, it := range strings.Split(m[4], ", ") {
			if k, v, ok := strings.Cut(it, "="); ok {
				tun.Options = append(tun.Options, KeyVal{k, v})
			} else if src, dst, ok := strings.Cut(it, "->"); ok && i == 0 {
				tun.Local, tun.Remote = src, dst
			} else {
				tun.Flags = append(tun.Flags, it)
			}
		}
		list.Tunnels = append(list.Tunnels, tun)
		list.understood++
	}
	return list, sc.Err()
}

func sniffTunnels(head []byte) bool { return tunnelRE.MatchString(parse.FirstData(head)) }

// DPShow is the output of `ovs-dpctl show [-s]` or `ovs-appctl
// dpctl/show [-s] [DP]`.
type DPShow struct {
	Datapaths []Datapath
	Issues    parse.Issues
	// understood counts the input lines taken as data, for tests.
	understood int
}

// Datapath is one datapath block.
type Datapath struct {
	Pos parse.Pos
	Raw string
	// Name is "system@ovs-system" or "netdev@ovs-netdev".
	Name string
	// Stats are the datapath counters, keyed "lookups.hit",
	// "masks.hit/pkt", "flows", "caches.masks-cache.size", ... as printed.
	Stats []KeyVal
	Ports []DPPort
}

// Stat returns the datapath counter key ("lookups.missed").
func (d *Datapath) Stat(key string) (string, bool) { return itemValue(d.Stats, key) }

// DPPort is one datapath port:
//
//	port 7: vxlan_sys_4789 (vxlan: packet_type=ptap)
type DPPort struct {
	Pos    parse.Pos
	Raw    string
	Number int
	Name   string
	// Type is "" for a system netdev; Config is what follows "type: "
	// inside the parentheses.
	Type   string
	Config string
	// Stats are the -s counters, keyed "RX packets", "TX dropped",
	// "collisions", "RX bytes", ...
	Stats []KeyVal
	// StatsError is set when the tool could not open the port or read
	// its counters: the reason it printed ("No such device").
	StatsError string
}

// Stat returns the port counter key ("RX packets").
func (p *DPPort) Stat(key string) (string, bool) { return itemValue(p.Stats, key) }

func itemValue(items []KeyVal, key string) (string, bool) {
	for _, it := range items {
		if it.Key == key {
			return it.Value, true
		}
	}
	return "", false
}

// Records returns the number of ports.
func (s *DPShow) Records() int {
	n := 0
	for _, d := range s.Datapaths {
		n += len(d.Ports)
	}
	return n
}

// Problems returns the issues found while parsing.
func (s *DPShow) Problems() parse.Issues { return s.Issues }

var (
	dpHeadRE = regexp.MustCompile(`^([a-z0-9_-]+@[^\s:]+):$`)
	// dpPortRE: "port N: NAME", then for a non-system port "(TYPE)",
	// "(TYPE: k=v, k=v)" or "(TYPE, could not retrieve configuration
	// (ERR))".
	dpPortRE = regexp.MustCompile(`^port (\d+): (\S+)(?: \(([^:,)]+)(?::\s*(.*)|, could not retrieve configuration \((.*)\))?\))?$`)
	// statsErrRE matches what ovs-dpctl appends, without a newline, when
	// it cannot open a port or read its counters; the next port follows on
	// the same line.
	statsErrRE = regexp.MustCompile(`^, (could not retrieve stats|open failed) \((.*?)\)\s*(.*)$`)
	// humanSizeRE is the rounded size lib/dpctl.c prints after a byte
	// counter of 1 KiB or more ("RX bytes:2442766 (2.3 MiB)"); the exact
	// counter before it is what is kept.
	humanSizeRE = regexp.MustCompile(` \(\d+\.\d [KMGT]iB\)`)
)

// ParseDPShow parses `ovs-dpctl show [-s]` / `ovs-appctl dpctl/show`:
//
//	system@ovs-system:
//	  lookups: hit:765 missed:147 lost:0
//	  flows: 0
//	  masks: hit:1870 total:0 hit/pkt:2.05
//	  port 0: ovs-system (internal)
//	  port 7: vxlan_sys_4789 (vxlan: packet_type=ptap)
//	    RX packets:0 errors:0 dropped:0 overruns:0 frame:0
func ParseDPShow(r io.Reader, file string) (show *DPShow, err error) {
	defer parse.Recover(file, &err)
	show = &DPShow{}
	sc := parse.NewScanner(r, file, &show.Issues)
	var dp *Datapath
	var port *DPPort
	group := ""
	for sc.Scan() {
		l := sc.Line()
		t := strings.TrimSpace(l.Text)
		if t == "" || skipBanner(l, &show.Issues) {
			continue
		}
		if m := statsErrRE.FindStringSubmatch(t); m != nil && port != nil {
			port.StatsError = m[2]
			show.Issues.Addf(l.Pos, parse.SevInfo, "port %s: %s (%s)", port.Name, m[1], m[2])
			if t = m[3]; t == "" {
				continue
			}
		}
		switch m, pm := dpHeadRE.FindStringSubmatch(t), dpPortRE.FindStringSubmatch(t); {
		case m != nil:
			show.Datapaths = append(show.Datapaths, Datapath{Pos: l.Pos, Raw: l.Text, Name: m[1]})
			dp, port, group = &show.Datapaths[len(show.Datapaths)-1], nil, ""
			show.understood++
		case dp == nil:
			if !skipFailure(l, &show.Issues) {
				show.Issues.Errorf(l.Pos, "not a dpctl show line: %q", l.Text)
			}
		case pm != nil:
			p := DPPort{Pos: l.Pos, Raw: l.Text, Name: pm[2], Type: pm[3], Config: pm[4]}
			p.Number, _ = strconv.Atoi(pm[1])
			if pm[5] != "" {
				show.Issues.Addf(l.Pos, parse.SevInfo, "port %s: could not retrieve configuration (%s)", p.Name, pm[5])
			}
			dp.Ports = append(dp.Ports, p)
			port = &dp.Ports[len(dp.Ports)-1]
			show.understood++
		case port != nil && statsLine(humanSizeRE.ReplaceAllString(t, ""), &port.Stats):
			show.understood++
		case port == nil && dpStatsLine(t, &dp.Stats, &group):
			show.understood++
		default:
			if !skipFailure(l, &show.Issues) {
				show.Issues.Errorf(l.Pos, "not a dpctl show line: %q", l.Text)
			}
		}
	}
	return show, sc.Err()
}

// statsLine reads an ifconfig-style port counter line: "RX packets:0
// errors:0 dropped:0", "collisions:0", "RX bytes:0  TX bytes:0" (with the
// rounded sizes already removed).
func statsLine(t string, stats *[]KeyVal) bool {
	prefix := ""
	var out []KeyVal
	for _, w := range strings.Fields(t) {
		k, v, ok := strings.Cut(w, ":")
		switch {
		case !ok && (w == "RX" || w == "TX"):
			prefix = w + " "
		case ok && k != "" && v != "":
			out = append(out, KeyVal{prefix + k, v})
		default:
			return false
		}
	}
	*stats = append(*stats, out...)
	return len(out) > 0
}

// dpStatsLine reads a datapath counter line ("lookups: hit:765
// missed:147", "flows: 0", "caches:" then "masks-cache: size:256").
func dpStatsLine(t string, stats *[]KeyVal, group *string) bool {
	name, rest, ok := strings.Cut(t, ":")
	if !ok || strings.ContainsAny(name, " ") {
		return false
	}
	rest = strings.TrimSpace(rest)
	if rest == "" {
		*group = name + "."
		return true
	}
	prefix := name
	if name != "lookups" && name != "flows" && name != "masks" && name != "cache" {
		prefix = *group + name
	} else {
		*group = ""
	}
	if !strings.Contains(rest, ":") {
		*stats = append(*stats, KeyVal{prefix, rest})
		return true
	}
	for _, w := range strings.Fields(rest) {
		k, v, ok := strings.Cut(w, ":")
		if !ok {
			return false
		}
		*stats = append(*stats, KeyVal{prefix + "." + k, v})
	}
	return true
}

func sniffDPShow(head []byte) bool {
	return dpHeadRE.MatchString(parse.FirstData(head)) && !sniffUpcallShow(head)
}
