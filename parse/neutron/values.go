package neutron

import (
	"strconv"
	"strings"
)

// groupName normalises a section name as oslo.config does: "DEFAULT" is
// itself, every other group is lower case.
func groupName(s string) string {
	if s == "DEFAULT" {
		return s
	}
	return strings.ToLower(s)
}

// Lookup returns the entry that sets key in section: the last one, as for
// every single-valued option of oslo.config. Section names compare as
// oslo.config compares them ("[OVS]" is "ovs"); keys are exact.
func (c *Config) Lookup(section, key string) (Entry, bool) {
	es := c.lookupAll(section, key)
	if len(es) == 0 {
		return Entry{}, false
	}
	return es[len(es)-1], true
}

func (c *Config) lookupAll(section, key string) []Entry {
	section = groupName(section)
	var out []Entry
	for _, e := range c.Entries {
		if e.Key == key && groupName(e.Section) == section {
			out = append(out, e)
		}
	}
	return out
}

// Get returns the value of key in section (Redacted for a secret).
func (c *Config) Get(section, key string) (string, bool) {
	e, ok := c.Lookup(section, key)
	return e.Value, ok
}

// All returns every value of key in section, in file order: the values of
// a multi-valued option (MultiStrOpt).
func (c *Config) All(section, key string) []string {
	var out []string
	for _, e := range c.lookupAll(section, key) {
		out = append(out, e.Value)
	}
	return out
}

// Bool returns a boolean option. ok is false when the key is absent or its
// value is not one oslo.config accepts (true/false, yes/no, on/off, 1/0, in
// any case).
func (c *Config) Bool(section, key string) (value, ok bool) {
	v, found := c.Get(section, key)
	if !found {
		return false, false
	}
	switch strings.ToLower(v) {
	case "true", "yes", "on", "1":
		return true, true
	case "false", "no", "off", "0":
		return false, true
	}
	return false, false
}

// Int returns an integer option (path_mtu, global_physnet_mtu). ok is false
// when the key is absent or not an integer.
func (c *Config) Int(section, key string) (int, bool) {
	v, found := c.Get(section, key)
	if !found {
		return 0, false
	}
	n, err := strconv.Atoi(strings.TrimSpace(v))
	return n, err == nil
}

// List returns a list option split as oslo.config's ListOpt does: on
// commas, items trimmed, one trailing comma ignored; nil for an absent key
// or an empty value. tunnel_types = vxlan,gre gives [vxlan gre].
func (c *Config) List(section, key string) []string {
	v, _ := c.Get(section, key)
	return splitList(v)
}

func splitList(v string) []string {
	v = strings.TrimSuffix(strings.TrimSpace(v), ",")
	if v == "" {
		return nil
	}
	items := strings.Split(v, ",")
	for i := range items {
		items[i] = strings.TrimSpace(items[i])
	}
	return items
}

// Mapping is one "key:value" item of a mapping option.
type Mapping struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// Map returns a mapping option (bridge_mappings = physnet1:br-ex,
// physical_interface_mappings, network_vlan_ranges) as its items in order,
// each split at its first ":" (physnet1:100:200 gives physnet1 and
// 100:200); an item without ":" has an empty Value.
func (c *Config) Map(section, key string) []Mapping {
	var out []Mapping
	for _, item := range c.List(section, key) {
		k, v, _ := strings.Cut(item, ":")
		out = append(out, Mapping{Key: strings.TrimSpace(k), Value: strings.TrimSpace(v)})
	}
	return out
}

// SectionNames returns the distinct section names, normalised as
// oslo.config does, in order of first appearance.
func (c *Config) SectionNames() []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range c.Sections {
		if n := groupName(s.Name); !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	return out
}
