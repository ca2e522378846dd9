package iproute

import (
	"bytes"
	"encoding/json"
	"net/netip"
	"strconv"

	"netxray/parse"
)

// jsonDetailNames maps ip -j names of generic -d attributes to the text
// names kept in Interface.Details.
var jsonDetailNames = map[string]string{
	"allmulti": "allmulti", "inet6_addr_gen_mode": "addrgenmode", "num_tx_queues": "numtxqueues",
	"num_rx_queues": "numrxqueues", "gso_max_size": "gso_max_size", "gso_max_segs": "gso_max_segs",
	"tso_max_size": "tso_max_size", "tso_max_segs": "tso_max_segs", "gro_max_size": "gro_max_size",
	"gso_ipv4_max_size": "gso_ipv4_max_size", "gro_ipv4_max_size": "gro_ipv4_max_size",
	"phys_port_name": "portname", "phys_port_id": "portid", "phys_switch_id": "switchid",
	"parentbus": "parentbus", "parentdev": "parentdev", "netns-immutable": "netns-immutable",
	"event": "event", "proto_down": "protodown", "new_netnsid": "new-netnsid", "new_ifindex": "new-ifindex",
}

// jsonIgnored are ip -j interface members that carry nothing the text
// form would not: kept out of Extra without a warning.
var jsonIgnored = map[string]bool{"link_pointtopoint": true}

// parseAddrJSON reads ip -j addr / ip -j link.
func parseAddrJSON(d *jdoc, x *Interfaces) {
	jrecords(d, &x.Issues, func(r jrec) {
		fs, pos, raw := r.fields, r.pos, r.raw
		if len(fs) == 0 {
			// ip -j -4 addr of some versions prints {} for every
			// interface without an address of the family.
			x.Issues.Addf(pos, parse.SevInfo, "empty interface object skipped (filtered out by ip)")
			return
		}
		in := Interface{Pos: pos, End: r.end, Raw: raw, LinkNetnsID: -1}
		var unknown unknownWords
		for _, f := range fs {
			if !ifaceMember(d, &in, f) {
				in.Extra = append(in.Extra, Param{Key: f.Key, Value: jtext(f.Val)})
				unknown.add(f.Key)
			}
		}
		unknown.report(&x.Issues, pos, "interface JSON")
		x.Interfaces = append(x.Interfaces, in)
	})
}

// ifaceMember fills in from one member of an interface object; false
// means the member is unknown.
func ifaceMember(d *jdoc, in *Interface, f jfield) bool {
	s, _ := jstr(f.Val)
	n, _ := jint(f.Val)
	if name, ok := jsonDetailNames[f.Key]; ok {
		in.Details = append(in.Details, Param{Key: name, Value: jtext(f.Val)})
		in.Detailed = true
		return true
	}
	switch f.Key {
	case "ifindex":
		in.Index = int(n)
	case "ifname":
		in.Name = s
	case "link":
		// null for "@NONE", a name for a same-namespace link.
		in.Link = s
		if isNull(f.Val) {
			in.Link = "NONE"
		}
	case "link_index":
		in.LinkIndex = int(n)
		if in.Link == "" {
			in.Link = "if" + strconv.Itoa(int(n))
		}
	case "flags":
		in.Flags, _ = jstrings(f.Val)
	case "mtu":
		in.MTU = int(n)
	case "qdisc":
		in.Qdisc = s
	case "master":
		in.Master = s
	case "operstate":
		in.State = s
	case "linkmode":
		in.Mode = s
	case "group":
		in.Group = s
	case "txqlen":
		in.Qlen = int(n)
	case "link_type":
		in.LinkType = s
	case "address":
		in.Address, in.MAC = s, parseMAC(s)
	case "broadcast":
		in.Broadcast = s
	case "permaddr":
		in.PermAddr = s
	case "link_netnsid":
		in.LinkNetnsID = int(n)
	case "promiscuity":
		in.Promiscuity, in.Detailed = int(n), true
	case "min_mtu":
		in.MinMTU, in.Detailed = int(n), true
	case "max_mtu":
		in.MaxMTU, in.Detailed = int(n), true
	case "linkinfo":
		linkinfo(in, f)
	case "ifalias":
		in.Alias = s
	case "altnames":
		in.AltNames, _ = jstrings(f.Val)
	case "stats64", "stats":
		in.Stats = jsonStats(d, f)
	case "addr_info":
		in.Addrs = jsonAddrs(d, f)
	default:
		return jsonIgnored[f.Key]
	}
	return true
}

// linkinfo reads {"info_kind", "info_data", "info_slave_kind",
// "info_slave_data", "info_xstats"}.
func linkinfo(in *Interface, f jfield) {
	fs, err := object(f.Val, f.Off)
	if err != nil {
		in.Extra = append(in.Extra, Param{Key: f.Key, Value: jtext(f.Val)})
		return
	}
	in.Detailed = true
	var data []jfield
	for _, m := range fs {
		switch m.Key {
		case "info_kind":
			in.Kind, _ = jstr(m.Val)
		case "info_slave_kind":
			in.SlaveKind, _ = jstr(m.Val)
		case "info_data":
			data, _ = object(m.Val, m.Off)
			in.KindParams = flatten("", m.Val, m.Off)
		case "info_slave_data":
			in.SlaveParams = flatten("", m.Val, m.Off)
		default: // info_xstats and future members
			in.KindParams = append(in.KindParams, flatten(m.Key, m.Val, m.Off)...)
		}
	}
	in.Tunnel = tunnelFromJSON(in.Kind, data)
}

// jsonStats reads {"rx": {...}, "tx": {...}}.
func jsonStats(d *jdoc, f jfield) *Stats {
	st := &Stats{Pos: d.pos(f.Off)}
	fs, _ := object(f.Val, f.Off)
	for _, m := range fs {
		c := &st.RX
		if m.Key == "tx" {
			c = &st.TX
		}
		cs, _ := object(m.Val, m.Off)
		for _, v := range cs {
			n, _ := juint(v.Val)
			c.set(v.Key, n)
		}
	}
	return st
}

// jsonAddrs reads the addr_info array.
func jsonAddrs(d *jdoc, f jfield) []Addr {
	var items []json.RawMessage
	if json.Unmarshal(f.Val, &items) != nil {
		return nil
	}
	var out []Addr
	off := f.Off
	for _, it := range items {
		// Find each element in the file to give it its own line (ip -j -p).
		if i := bytes.Index(d.data[off:], bytes.TrimSpace(it)[:1]); i >= 0 {
			off += i
		}
		if string(bytes.TrimSpace(it)) != "{}" { // empty: filtered out by ip, nothing to keep
			out = append(out, jsonAddr(d.pos(off), off, it))
		}
		off += len(it)
	}
	return out
}

// addrJSONFlags are address flags ip -j prints as "flag": true.
var addrJSONFlags = map[string]bool{
	"secondary": true, "temporary": true, "nodad": true, "optimistic": true, "dadfailed": true,
	"home": true, "deprecated": true, "tentative": true, "permanent": true, "mngtmpaddr": true,
	"noprefixroute": true, "autojoin": true, "stable-privacy": true, "dynamic": true,
}

// jsonAddr reads one addr_info element.
func jsonAddr(pos parse.Pos, off int, raw json.RawMessage) Addr {
	a := Addr{Pos: pos, Raw: compact(raw)}
	fs, err := object(raw, off)
	if err != nil {
		a.Extra = append(a.Extra, Param{Key: "addr_info", Value: jtext(raw)})
		return a
	}
	var local, peer string
	prefixlen := -1
	for _, f := range fs {
		s, _ := jstr(f.Val)
		switch {
		case f.Key == "family":
			a.Family = s
		case f.Key == "local":
			local = s
		case f.Key == "address":
			peer = s
		case f.Key == "prefixlen":
			n, _ := jint(f.Val)
			prefixlen = int(n)
		case f.Key == "broadcast":
			a.Broadcast, _ = parseAddr(s)
		case f.Key == "anycast":
			a.Anycast, _ = parseAddr(s)
		case f.Key == "multicast":
			a.Multicast, _ = parseAddr(s)
		case f.Key == "scope":
			a.Scope = s
		case f.Key == "label":
			a.Label = s
		case f.Key == "metric":
			n, _ := juint(f.Val)
			a.Metric = uint32(n)
		case f.Key == "protocol":
			a.Proto = s
		case f.Key == "ifa_flags":
			a.Flags = append(a.Flags, "flags="+s)
		case f.Key == "valid_life_time":
			a.ValidLft = lifetime(f.Val)
		case f.Key == "preferred_life_time":
			a.PreferredLft = lifetime(f.Val)
		case addrJSONFlags[f.Key]:
			if jbool(f.Val) {
				a.Flags = append(a.Flags, f.Key)
			}
		default:
			a.Extra = append(a.Extra, Param{Key: f.Key, Value: jtext(f.Val)})
		}
	}
	if lp, ok := parseAddr(local); ok && prefixlen >= 0 {
		if pp, ok := parseAddr(peer); ok && peer != local {
			a.Peer = prefixOf(pp, prefixlen)
		}
		a.Prefix = prefixOf(lp, prefixlen)
	}
	return a
}

// prefixOf builds addr/bits, invalid when bits does not fit.
func prefixOf(a netip.Addr, bits int) netip.Prefix {
	if bits < 0 || bits > a.BitLen() {
		return netip.Prefix{}
	}
	return netip.PrefixFrom(a, bits)
}

// lifetime converts a JSON lifetime to the text form.
func lifetime(raw json.RawMessage) string {
	n, ok := juint(raw)
	if !ok {
		return jtext(raw)
	}
	if n == 0xffffffff {
		return "forever"
	}
	return strconv.FormatUint(n, 10) + "sec"
}
