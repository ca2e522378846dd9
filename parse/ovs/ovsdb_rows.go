package ovs

// RowGetter is an OVSDB row from any source: a `list` record (*ListRow) or
// a row replayed from a database file (*DBRow).
type RowGetter interface {
	Get(column string) (Datum, bool)
}

// InterfaceRow is the typed view of an Interface row with the columns the
// analysis needs. Ephemeral columns (ofport, mac_in_use, link_state, ...)
// are filled only from `list` output: database files do not store them.
type InterfaceRow struct {
	UUID string
	Name string
	// Type is "" for a system interface.
	Type string
	// OFPort is -1 when OVS failed to add the interface; HasOFPort is
	// false when the column is empty ("[]") or absent.
	OFPort    int
	HasOFPort bool
	Error     string
	MACInUse  string
	// From external_ids, as set by Nova/os-vif and the Neutron agents.
	IfaceID     string
	AttachedMAC string
	VMUUID      string
	IfaceStatus string
	ExternalIDs map[string]string
	Options     map[string]string
}

// PortRow is the typed view of a Port row.
type PortRow struct {
	UUID string
	Name string
	// Tag is the local VLAN; HasTag is false for an untagged port.
	Tag    int
	HasTag bool
	Trunks []int
	// Interfaces are the UUIDs of the port's Interface rows.
	Interfaces []string
	// From other_config, as set by the Neutron OVS agent.
	NetUUID         string
	SegmentationID  string
	NetworkType     string
	PhysicalNetwork string
	OtherConfig     map[string]string
	ExternalIDs     map[string]string
}

// BridgeRow is the typed view of a Bridge row.
type BridgeRow struct {
	UUID         string
	Name         string
	DatapathType string
	DatapathID   string
	FailMode     string
	// Ports are the UUIDs of the bridge's Port rows.
	Ports       []string
	Controllers []string
	Protocols   []string
	ExternalIDs map[string]string
	OtherConfig map[string]string
}

func rowCol(r RowGetter, name string) Datum {
	d, _ := r.Get(name)
	return d
}

// InterfaceOf reads an Interface row.
func InterfaceOf(r RowGetter) InterfaceRow {
	ext := rowCol(r, "external_ids")
	i := InterfaceRow{
		UUID:        rowCol(r, "_uuid").String(),
		Name:        rowCol(r, "name").String(),
		Type:        rowCol(r, "type").String(),
		Error:       rowCol(r, "error").String(),
		MACInUse:    rowCol(r, "mac_in_use").String(),
		ExternalIDs: ext.StringMap(),
		Options:     rowCol(r, "options").StringMap(),
	}
	i.IfaceID, _ = ext.Get("iface-id")
	i.AttachedMAC, _ = ext.Get("attached-mac")
	i.VMUUID, _ = ext.Get("vm-uuid")
	i.IfaceStatus, _ = ext.Get("iface-status")
	if n, ok := rowCol(r, "ofport").Int(); ok {
		i.OFPort, i.HasOFPort = int(n), true
	}
	return i
}

// PortOf reads a Port row.
func PortOf(r RowGetter) PortRow {
	oc := rowCol(r, "other_config")
	p := PortRow{
		UUID:        rowCol(r, "_uuid").String(),
		Name:        rowCol(r, "name").String(),
		Trunks:      rowCol(r, "trunks").Ints(),
		Interfaces:  rowCol(r, "interfaces").Strings(),
		OtherConfig: oc.StringMap(),
		ExternalIDs: rowCol(r, "external_ids").StringMap(),
	}
	if n, ok := rowCol(r, "tag").Int(); ok {
		p.Tag, p.HasTag = int(n), true
	}
	p.NetUUID, _ = oc.Get("net_uuid")
	p.SegmentationID, _ = oc.Get("segmentation_id")
	p.NetworkType, _ = oc.Get("network_type")
	p.PhysicalNetwork, _ = oc.Get("physical_network")
	return p
}

// BridgeOf reads a Bridge row.
func BridgeOf(r RowGetter) BridgeRow {
	return BridgeRow{
		UUID:         rowCol(r, "_uuid").String(),
		Name:         rowCol(r, "name").String(),
		DatapathType: rowCol(r, "datapath_type").String(),
		DatapathID:   rowCol(r, "datapath_id").String(),
		FailMode:     rowCol(r, "fail_mode").String(),
		Ports:        rowCol(r, "ports").Strings(),
		Controllers:  rowCol(r, "controller").Strings(),
		Protocols:    rowCol(r, "protocols").Strings(),
		ExternalIDs:  rowCol(r, "external_ids").StringMap(),
		OtherConfig:  rowCol(r, "other_config").StringMap(),
	}
}
