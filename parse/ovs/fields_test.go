package ovs

import (
	"testing"
)

func TestLookupFieldAliases(t *testing.T) {
	tests := []struct {
		name, want string
		bits       int
		nxm        string
	}{
		{"dl_src", "eth_src", 48, "NXM_OF_ETH_SRC"},
		{"eth_src", "eth_src", 48, "NXM_OF_ETH_SRC"},
		{"OXM_OF_ETH_SRC", "eth_src", 48, "NXM_OF_ETH_SRC"},
		{"nw_src", "ip_src", 32, "NXM_OF_IP_SRC"},
		{"tp_dst", "tcp_dst", 16, "NXM_OF_TCP_DST"},
		{"dl_type", "eth_type", 16, "NXM_OF_ETH_TYPE"},
		{"dl_vlan", "dl_vlan", 12, "dl_vlan"},
		{"vlan_tci", "vlan_tci", 16, "NXM_OF_VLAN_TCI"},
		{"NXM_NX_REG5", "reg5", 32, "NXM_NX_REG5"},
		{"NXM_NX_REG6_W", "reg6", 32, "NXM_NX_REG6"},
		{"reg15", "reg15", 32, "NXM_NX_REG15"},
		{"reg20", "reg20", 32, "NXOXM_ET_REG20"},
		{"xreg7", "xreg7", 64, "OXM_OF_PKT_REG7"},
		{"xxreg3", "xxreg3", 128, "NXM_NX_XXREG3"},
		{"tunnel_id", "tun_id", 64, "NXM_NX_TUN_ID"},
		{"tun_metadata63", "tun_metadata63", 992, "NXM_NX_TUN_METADATA63"},
		{"OXM_OF_METADATA", "metadata", 64, "OXM_OF_METADATA"},
		{"OXM_OF_IN_PORT", "in_port_oxm", 32, "OXM_OF_IN_PORT"},
		{"NXM_OF_IN_PORT", "in_port", 16, "NXM_OF_IN_PORT"},
		{"nw_frag", "ip_frag", 2, "NXM_NX_IP_FRAG"},
		{"ct_state", "ct_state", 32, "NXM_NX_CT_STATE"},
		{"nshc2", "nsh_c2", 32, "NXOXM_NSH_C2"},
		{"vlan_tci1", "vlan_tci1", 16, "vlan_tci1"},
	}
	for _, tt := range tests {
		d, ok := LookupField(tt.name)
		if !ok {
			t.Errorf("LookupField(%q) not found", tt.name)
			continue
		}
		if d.Name != tt.want || d.Bits != tt.bits || d.NXMName() != tt.nxm {
			t.Errorf("LookupField(%q) = %s/%d bits/%s, want %s/%d/%s", tt.name, d.Name, d.Bits, d.NXMName(), tt.want, tt.bits, tt.nxm)
		}
	}
	for _, bad := range []string{"", "reg99", "dl_foo", "NXM_NX_REG5[]", "eth_src_W", "ip_src "} {
		if d, ok := LookupField(bad); ok {
			t.Errorf("LookupField(%q) = %s, want not found", bad, d.Name)
		}
	}
}

// Every name and alias leads back to its own field: no alias is shared by
// two fields, and the fast table agrees with the map.
func TestFieldsVocabularyConsistent(t *testing.T) {
	seen := map[string]string{}
	for i := range Fields {
		d := &Fields[i]
		for _, n := range append([]string{d.Name}, d.Aliases...) {
			if prev, dup := seen[n]; dup {
				t.Errorf("name %q used by %s and %s", n, prev, d.Name)
			}
			seen[n] = d.Name
			if got, ok := LookupField(n); !ok || got != d {
				t.Errorf("LookupField(%q) does not return %s", n, d.Name)
			}
		}
		if d.Bits <= 0 {
			t.Errorf("%s: bits %d", d.Name, d.Bits)
		}
	}
	if len(Fields) < 200 {
		t.Errorf("only %d fields", len(Fields))
	}
}

func TestCheckValue(t *testing.T) {
	tests := []struct {
		field, value string
		ok           bool
	}{
		{"reg5", "0x4", true}, {"reg5", "4", true}, {"reg5", "0x1/0x1", true}, {"reg5", "0xZZ", false}, {"reg5", "", false},
		{"tun_id", "0x3e9", true}, {"tun_id", "0x5/0xff", true}, {"tun_id", "0x", false}, {"tun_id", "-1", true},
		{"dl_vlan", "4095", true}, {"dl_vlan", "ten", false},
		{"eth_dst", "fa:16:3e:5e:1f:2a", true}, {"eth_dst", "01:00:00:00:00:00/01:00:00:00:00:00", true},
		{"eth_dst", "fa:16:3e:5e:1f", false}, {"eth_dst", "fa-16-3e-5e-1f-2a", false},
		{"ip_src", "10.0.0.1", true}, {"ip_src", "10.0.0.0/8", true}, {"ip_src", "10.0.0.0/255.0.0.0", true},
		{"ip_src", "10.0.0.256", false}, {"ip_src", "10.0.0", false}, {"ip_src", "10.0.0.0/33", false},
		{"ipv6_src", "fe80::f816:3eff:fe61:21c6", true}, {"ipv6_src", "2001:db8::/32", true}, {"ipv6_src", "10.0.0.1", false},
		{"ct_state", "+trk", true}, {"ct_state", "+new-est+trk", true}, {"ct_state", "new|trk", true}, {"ct_state", "0", true},
		{"ct_state", "0x21/0x21", true}, {"ct_state", "+bogus", false}, {"ct_state", "new|", false},
		{"tcp_flags", "+syn-ack", true}, {"tun_flags", "+oam", true},
		{"ip_frag", "later", true}, {"ip_frag", "not_later", true}, {"ip_frag", "maybe", false},
		{"in_port", "4", true}, {"in_port", "LOCAL", true}, {"in_port", "tap648437e1-0d", true}, {"in_port", `"tap1"`, true},
		{"in_port", `"tap1`, false}, {"in_port", "-x", false},
		{"packet_type", "(1,0x800)", true}, {"packet_type", "(1)", false},
	}
	for _, tt := range tests {
		d, ok := LookupField(tt.field)
		if !ok {
			t.Fatalf("no field %s", tt.field)
		}
		if err := d.CheckValue(tt.value); (err == nil) != tt.ok {
			t.Errorf("%s.CheckValue(%q) = %v, want ok=%v", tt.field, tt.value, err, tt.ok)
		}
	}
}

func TestLookupProtocol(t *testing.T) {
	p, ok := LookupProtocol("tcp6")
	if !ok || p.EthType != 0x86dd || p.IPProto != 6 {
		t.Errorf("tcp6 = %+v, %v", p, ok)
	}
	for _, n := range []string{"ip", "ipv6", "arp", "rarp", "icmp", "icmp6", "tcp", "udp", "udp6", "sctp", "sctp6", "igmp", "mpls", "mplsm", "eth"} {
		if _, ok := LookupProtocol(n); !ok {
			t.Errorf("%s not a protocol", n)
		}
	}
	if _, ok := LookupProtocol("dl_src"); ok {
		t.Error("dl_src is not a protocol")
	}
}
