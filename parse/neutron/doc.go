// Package neutron parses the oslo.config INI files of a Neutron node
// (neutron.conf, ml2_conf.ini, openvswitch_agent.ini,
// linuxbridge_agent.ini, l3_agent.ini, dhcp_agent.ini, ...), which say how
// the data plane is meant to be built: agent_mode, local_ip,
// bridge_mappings, firewall_driver, l2_population, MTUs.
//
// Config keeps every section header, every assignment (duplicates too,
// each with its position) and every comment; Lookup, Get, Bool, List and
// Map read options the way oslo.config does, and the typed accessors
// (AgentMode, LocalIP, BridgeMappings, ...) return the data-plane settings
// with the entry that set them, or Neutron's default when the file does
// not.
//
// Values of keys that look like secrets (passwords, tokens, transport and
// database URLs) are never kept: Config holds them redacted, in Raw too.
// The DHCP agent's dnsmasq files are parsed by package parse/dnsmasq.
package neutron
