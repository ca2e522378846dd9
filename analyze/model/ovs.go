package model

import (
	"sort"

	"netxray/collect"
	"netxray/parse"
	"netxray/parse/ovs"
)

// ovsRow is an OVSDB row from `ovs-vsctl list` or a replayed conf.db, with
// the line it came from.
type ovsRow struct {
	get ovs.RowGetter
	pos parse.Pos
}

// ovsTables are the Bridge, Port and Interface rows of one source.
type ovsTables struct {
	bridges []ovsRow
	ports   map[string]ovsRow // by UUID
	ifaces  map[string]ovsRow // by UUID
}

// buildOVS builds bridges and ports. The database rows (netxray's `list`
// extras, else conf.db) are the richest source; `ovs-vsctl show` gives the
// structure when neither exists; `ovs-ofctl show` fills port numbers.
func (n *Node) buildOVS() {
	show := one[*ovs.Show](n.in, collect.KindOVSVsctlShow, "")
	if show != nil {
		n.OVSVersion = show.OVSVersion
	}
	if t, ok := n.listTables(); ok {
		n.Bridges = bridgesFromRows(t)
	} else if t, ok := n.dbTables(); ok {
		n.Bridges = bridgesFromRows(t)
	} else if show != nil {
		n.Bridges = bridgesFromShow(show)
	} else {
		n.sourceGap("OVS bridges and ports", collect.KindOVSVsctlShow, "")
	}
	if show != nil {
		n.fillFromShow(show)
	}
	n.fillOFPorts()
	for _, b := range n.Bridges {
		b.Flows = one[*ovs.FlowDump](n.in, collect.KindOFCtlDumpFlows, b.Name)
		if b.Flows == nil {
			n.sourceGap("flows of "+b.Name, collect.KindOFCtlDumpFlows, b.Name)
		}
		b.Groups = one[*ovs.GroupDump](n.in, collect.KindOFCtlDumpGroups, b.Name)
	}
	sort.Slice(n.Bridges, func(i, j int) bool { return n.Bridges[i].Name < n.Bridges[j].Name })
}

func (n *Node) listTables() (ovsTables, bool) {
	lists := map[string]*ovs.List{}
	for _, table := range []string{"Bridge", "Port", "Interface"} {
		l := one[*ovs.List](n.in, collect.KindOVSVsctlList, table)
		if l == nil {
			return ovsTables{}, false
		}
		lists[table] = l
	}
	t := ovsTables{ports: map[string]ovsRow{}, ifaces: map[string]ovsRow{}}
	for _, r := range lists["Bridge"].Rows {
		t.bridges = append(t.bridges, ovsRow{&r, r.Pos})
	}
	for _, r := range lists["Port"].Rows {
		t.ports[r.UUID] = ovsRow{&r, r.Pos}
	}
	for _, r := range lists["Interface"].Rows {
		t.ifaces[r.UUID] = ovsRow{&r, r.Pos}
	}
	return t, true
}

func (n *Node) dbTables() (ovsTables, bool) {
	db := one[*ovs.DB](n.in, collect.KindOVSDBFile, "conf.db")
	if db == nil || db.Tables == nil {
		return ovsTables{}, false
	}
	t := ovsTables{ports: map[string]ovsRow{}, ifaces: map[string]ovsRow{}}
	for _, r := range db.Tables["Bridge"] {
		t.bridges = append(t.bridges, ovsRow{r, r.Pos})
	}
	for _, r := range db.Tables["Port"] {
		t.ports[r.UUID] = ovsRow{r, r.Pos}
	}
	for _, r := range db.Tables["Interface"] {
		t.ifaces[r.UUID] = ovsRow{r, r.Pos}
	}
	if n.OVSVersion == "" {
		for _, r := range db.Tables["Open_vSwitch"] {
			if d, ok := r.Get("ovs_version"); ok {
				n.OVSVersion = d.Text()
			}
		}
	}
	return t, len(t.bridges) > 0
}

func bridgesFromRows(t ovsTables) []*Bridge {
	var out []*Bridge
	for _, br := range t.bridges {
		b := ovs.BridgeOf(br.get)
		bridge := &Bridge{Name: b.Name, DatapathType: b.DatapathType, FailMode: b.FailMode, Pos: br.pos}
		for _, pu := range b.Ports {
			pr, ok := t.ports[pu]
			if !ok {
				continue
			}
			p := ovs.PortOf(pr.get)
			port := &Port{
				Name: p.Name, Bridge: b.Name, Tag: p.Tag, HasTag: p.HasTag, Trunks: p.Trunks,
				NetUUID: p.NetUUID, SegmentationID: p.SegmentationID, NetworkType: p.NetworkType,
				Pos: pr.pos,
			}
			for i, iu := range p.Interfaces {
				ir, ok := t.ifaces[iu]
				if !ok {
					continue
				}
				in := ovs.InterfaceOf(ir.get)
				port.Members = append(port.Members, in.Name)
				if i > 0 {
					continue
				}
				port.Type, port.Options, port.Error = in.Type, in.Options, in.Error
				if in.HasOFPort {
					port.OFPort = in.OFPort
				}
				port.MAC = in.MACInUse
				port.IfaceID, port.AttachedMAC, port.VMUUID, port.IfaceStatus = in.IfaceID, in.AttachedMAC, in.VMUUID, in.IfaceStatus
			}
			bridge.Ports = append(bridge.Ports, port)
		}
		sortPorts(bridge.Ports)
		out = append(out, bridge)
	}
	return out
}

func bridgesFromShow(s *ovs.Show) []*Bridge {
	var out []*Bridge
	for _, sb := range s.Bridges {
		b := &Bridge{Name: sb.Name, DatapathType: sb.DatapathType, FailMode: sb.FailMode, Pos: sb.Pos}
		for _, sp := range sb.Ports {
			p := &Port{Name: sp.Name, Bridge: sb.Name, Tag: sp.Tag, HasTag: sp.HasTag, Trunks: sp.Trunks, Pos: sp.Pos}
			for i, si := range sp.Interfaces {
				p.Members = append(p.Members, si.Name)
				if i == 0 {
					p.Type, p.Error, p.Options = si.Type, si.Error, si.Options.StringMap()
				}
			}
			b.Ports = append(b.Ports, p)
		}
		sortPorts(b.Ports)
		out = append(out, b)
	}
	return out
}

// fillFromShow adds what database rows lack: `show` prints Interface.error
// even when the rows came from conf.db, which does not store it.
func (n *Node) fillFromShow(s *ovs.Show) {
	for _, sb := range s.Bridges {
		b := n.Bridge(sb.Name)
		if b == nil {
			continue
		}
		for _, sp := range sb.Ports {
			for _, p := range b.Ports {
				if p.Name == sp.Name && p.Error == "" && len(sp.Interfaces) > 0 {
					p.Error = sp.Interfaces[0].Error
				}
			}
		}
	}
}

// fillOFPorts takes port numbers and MACs from `ovs-ofctl show` (or
// dump-ports-desc) where the database rows gave none.
func (n *Node) fillOFPorts() {
	for _, b := range n.Bridges {
		sh := one[*ovs.OFShow](n.in, collect.KindOFCtlShow, b.Name)
		if sh == nil {
			sh = one[*ovs.OFShow](n.in, collect.KindOFCtlDumpPortsDesc, b.Name)
		}
		if sh == nil {
			continue
		}
		for _, p := range b.Ports {
			d := sh.PortByName(p.Name)
			if d == nil {
				continue
			}
			if p.OFPort == 0 {
				p.OFPort = d.OFPort
			}
			if p.MAC == "" {
				p.MAC = d.MAC
			}
		}
	}
}

func sortPorts(ps []*Port) {
	sort.Slice(ps, func(i, j int) bool { return ps[i].Name < ps[j].Name })
}
