package iptables

import "maps"

// The option tables say how many arguments each known option takes, which
// is how a value that looks like an option ("--log-prefix -x") stays a
// value. They cover the modules and targets Neutron, libvirt, Docker and
// distribution firewalls use; anything else is kept with a warning.

// baseLong maps the long forms of the built-in options to the short ones
// iptables-save prints.
var baseLong = map[string]string{
	"--source": "-s", "--destination": "-d", "--src": "-s", "--dst": "-d",
	"--in-interface": "-i", "--out-interface": "-o", "--protocol": "-p",
	"--fragment": "-f", "--set-counters": "-c",
}

// baseArgs are the built-in options and their argument counts.
var baseArgs = map[string]int{"-s": 1, "-d": 1, "-i": 1, "-o": 1, "-p": 1, "-f": 0, "-c": 2}

// aliases maps long spellings of match and target options to the names
// iptables-save prints.
var aliases = map[string]string{
	"--destination-port":  "--dport",
	"--source-port":       "--sport",
	"--destination-ports": "--dports",
	"--source-ports":      "--sports",
}

// canonical returns the name an option is stored under.
func canonical(name string) string {
	if a := aliases[name]; a != "" {
		return a
	}
	return name
}

var portOpts = map[string]int{"--sport": 1, "--dport": 1}

// knownModules: match module → option → argument count.
var knownModules = map[string]map[string]int{
	"tcp":       merge(portOpts, map[string]int{"--tcp-flags": 2, "--syn": 0, "--tcp-option": 1}),
	"udp":       portOpts,
	"udplite":   portOpts,
	"sctp":      merge(portOpts, map[string]int{"--chunk-types": 2}),
	"dccp":      merge(portOpts, map[string]int{"--dccp-types": 1, "--dccp-option": 1}),
	"icmp":      {"--icmp-type": 1},
	"icmp6":     {"--icmpv6-type": 1},
	"multiport": {"--sports": 1, "--dports": 1, "--ports": 1},
	"comment":   {"--comment": 1},
	"state":     {"--state": 1},
	"conntrack": {
		"--ctstate": 1, "--ctproto": 1, "--ctorigsrc": 1, "--ctorigdst": 1,
		"--ctreplsrc": 1, "--ctrepldst": 1, "--ctorigsrcport": 1, "--ctorigdstport": 1,
		"--ctreplsrcport": 1, "--ctrepldstport": 1, "--ctstatus": 1, "--ctexpire": 1, "--ctdir": 1,
	},
	"physdev": {
		"--physdev-in": 1, "--physdev-out": 1, "--physdev-is-in": 0,
		"--physdev-is-out": 0, "--physdev-is-bridged": 0,
	},
	"set": {
		"--match-set": 2, "--set": 2, "--return-nomatch": 0, "--update-counters": 0,
		"--update-subcounters": 0, "--packets-eq": 1, "--packets-lt": 1, "--packets-gt": 1,
		"--bytes-eq": 1, "--bytes-lt": 1, "--bytes-gt": 1,
	},
	"mark":     {"--mark": 1},
	"connmark": {"--mark": 1},
	"mac":      {"--mac-source": 1},
	"addrtype": {"--src-type": 1, "--dst-type": 1, "--limit-iface-in": 0, "--limit-iface-out": 0},
	"limit":    {"--limit": 1, "--limit-burst": 1},
	"iprange":  {"--src-range": 1, "--dst-range": 1},
	"length":   {"--length": 1},
	"pkttype":  {"--pkt-type": 1},
	"ttl":      {"--ttl-eq": 1, "--ttl-lt": 1, "--ttl-gt": 1},
	"hl":       {"--hl-eq": 1, "--hl-lt": 1, "--hl-gt": 1},
	"owner":    {"--uid-owner": 1, "--gid-owner": 1, "--socket-exists": 0, "--suppl-groups": 0},
	"rpfilter": {"--loose": 0, "--validmark": 0, "--accept-local": 0, "--invert": 0},
	"socket":   {"--transparent": 0, "--nowildcard": 0, "--restore-skmark": 0},
	"recent": {
		"--name": 1, "--set": 0, "--rcheck": 0, "--update": 0, "--remove": 0, "--seconds": 1,
		"--reap": 0, "--hitcount": 1, "--rttl": 0, "--rsource": 0, "--rdest": 0, "--mask": 1,
	},
	"tcpmss": {"--mss": 1},
	"policy": {
		"--dir": 1, "--pol": 1, "--strict": 0, "--reqid": 1, "--spi": 1, "--proto": 1,
		"--mode": 1, "--tunnel-src": 1, "--tunnel-dst": 1, "--next": 0,
	},
	"statistic": {"--mode": 1, "--probability": 1, "--every": 1, "--packet": 1},
	"string":    {"--algo": 1, "--string": 1, "--hex-string": 1, "--from": 1, "--to": 1, "--icase": 0},
	"dscp":      {"--dscp": 1, "--dscp-class": 1},
	"tos":       {"--tos": 1},
	"helper":    {"--helper": 1},
	"esp":       {"--espspi": 1},
	"ah":        {"--ahspi": 1},
	"u32":       {"--u32": 1},
	"connlimit": {
		"--connlimit-upto": 1, "--connlimit-above": 1, "--connlimit-mask": 1,
		"--connlimit-saddr": 0, "--connlimit-daddr": 0,
	},
	"ipv6header": {"--header": 1, "--soft": 0},
	"frag":       {"--fragid": 1, "--fraglen": 1, "--fragres": 0, "--fragfirst": 0, "--fragmore": 0, "--fraglast": 0},
	"devgroup":   {"--src-group": 1, "--dst-group": 1},
	"cgroup":     {"--path": 1, "--cgroup": 1},
	"realm":      {"--realm": 1},
	"cpu":        {"--cpu": 1},
	"quota":      {"--quota": 1},
	"time": {
		"--datestart": 1, "--datestop": 1, "--timestart": 1, "--timestop": 1,
		"--monthdays": 1, "--weekdays": 1, "--kerneltz": 0, "--contiguous": 0,
	},
}

// knownTargets: target → option → argument count. A target with no
// options has an empty map; user chains are not here.
var knownTargets = map[string]map[string]int{
	"ACCEPT": {}, "DROP": {}, "RETURN": {}, "QUEUE": {}, "NOTRACK": {}, "TRACE": {},
	"REJECT":     {"--reject-with": 1},
	"DNAT":       {"--to-destination": 1, "--random": 0, "--random-fully": 0, "--persistent": 0},
	"SNAT":       {"--to-source": 1, "--random": 0, "--random-fully": 0, "--persistent": 0},
	"MASQUERADE": {"--to-ports": 1, "--random": 0, "--random-fully": 0},
	"REDIRECT":   {"--to-ports": 1, "--random": 0},
	"NETMAP":     {"--to": 1},
	"MARK": {
		"--set-xmark": 1, "--set-mark": 1, "--and-mark": 1, "--or-mark": 1, "--xor-mark": 1,
	},
	"CONNMARK": {
		"--set-xmark": 1, "--set-mark": 1, "--save-mark": 0, "--restore-mark": 0,
		"--nfmask": 1, "--ctmask": 1, "--mask": 1, "--and-mark": 1, "--or-mark": 1, "--xor-mark": 1,
	},
	"CT": {
		"--notrack": 0, "--zone": 1, "--zone-orig": 1, "--zone-reply": 1, "--helper": 1,
		"--ctevents": 1, "--expevents": 1, "--timeout": 1,
	},
	"CHECKSUM": {"--checksum-fill": 0},
	"LOG": {
		"--log-level": 1, "--log-prefix": 1, "--log-tcp-sequence": 0, "--log-tcp-options": 0,
		"--log-ip-options": 0, "--log-uid": 0, "--log-macdecode": 0,
	},
	"NFLOG":  {"--nflog-group": 1, "--nflog-prefix": 1, "--nflog-range": 1, "--nflog-size": 1, "--nflog-threshold": 1},
	"TCPMSS": {"--set-mss": 1, "--clamp-mss-to-pmtu": 0},
	"NFQUEUE": {
		"--queue-num": 1, "--queue-balance": 1, "--queue-bypass": 0, "--fail-open": 0, "--queue-cpu-fanout": 0,
	},
	"SET":    {"--add-set": 2, "--del-set": 2, "--map-set": 2, "--exist": 0, "--timeout": 1},
	"DSCP":   {"--set-dscp": 1, "--set-dscp-class": 1},
	"TOS":    {"--set-tos": 1, "--and-tos": 1, "--or-tos": 1, "--xor-tos": 1},
	"TPROXY": {"--on-port": 1, "--on-ip": 1, "--tproxy-mark": 1},
	"TTL":    {"--ttl-set": 1, "--ttl-dec": 1, "--ttl-inc": 1},
	"HL":     {"--hl-set": 1, "--hl-dec": 1, "--hl-inc": 1},
}

func merge(a, b map[string]int) map[string]int {
	out := maps.Clone(a)
	maps.Copy(out, b)
	return out
}
