package neutron

import (
	"io"
	"strings"

	"netxray/parse"
)

// KindConf is the kind of Neutron's configuration files (the name
// collect/kinds.go uses).
const KindConf parse.Kind = "neutron-conf"

// Formats lists the formats of this package for generic callers.
var Formats = []parse.Format{
	{
		Kind: KindConf,
		Doc:  "neutron.conf, ml2_conf.ini, *_agent.ini (oslo.config INI)",
		Parse: func(r io.Reader, file string) (parse.Result, error) {
			c, err := ParseConfig(r, file)
			if err != nil {
				return nil, err
			}
			return c, nil
		},
		Sniff: sniffConfig,
	},
}

// neutronSections are section names only Neutron's files (and not every
// other INI file) start with.
var neutronSections = map[string]bool{
	"ml2": true, "ovs": true, "agent": true, "securitygroup": true, "linux_bridge": true,
	"vxlan": true, "ml2_type_vxlan": true, "ml2_type_flat": true, "ml2_type_vlan": true,
	"ml2_type_geneve": true, "ml2_type_gre": true, "sriov_nic": true, "ovn": true,
}

// sniffConfig accepts netxray's banner for these files, or a file whose
// first section is a Neutron one (or DEFAULT followed by a key only Neutron
// has).
func sniffConfig(head []byte) bool {
	text := string(head)
	if strings.HasPrefix(text, "# netxray: network-relevant keys of ") && strings.Contains(text, "/neutron/") {
		return true
	}
	for _, line := range strings.Split(text, "\n") {
		t := strings.TrimSpace(line)
		if t == "" || t[0] == '#' || t[0] == ';' {
			continue
		}
		name, ok := strings.CutPrefix(t, "[")
		if !ok {
			return false
		}
		name, ok = strings.CutSuffix(name, "]")
		if !ok {
			return false
		}
		if name == "DEFAULT" {
			return strings.Contains(text, "core_plugin") || strings.Contains(text, "agent_mode") ||
				strings.Contains(text, "interface_driver")
		}
		return neutronSections[strings.ToLower(name)]
	}
	return false
}
