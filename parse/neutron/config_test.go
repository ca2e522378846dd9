package neutron

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"netxray/parse"
)

func p(line int) parse.Pos { return parse.Pos{File: "f", Line: line} }

func warn(line int, msg string) parse.Issue {
	return parse.Issue{Pos: p(line), Severity: parse.SevWarning, Msg: msg}
}

func errAt(line int, msg string) parse.Issue {
	return parse.Issue{Pos: p(line), Severity: parse.SevError, Msg: msg}
}

// entry is a compact expected Entry: section, key, value, line.
func entry(line int, section, key, value, raw string) Entry {
	return Entry{Pos: p(line), Raw: raw, Section: section, Key: key, Value: value}
}

func TestParseConfig(t *testing.T) {
	tests := []struct {
		name       string
		input      string
		sections   []string
		entries    []Entry
		comments   []parse.Line
		wantIssues parse.Issues
	}{
		{"netxray agent file",
			"# netxray: network-relevant keys of /etc/neutron/plugins/ml2/openvswitch_agent.ini only; everything else removed\n" +
				"[ovs]\nlocal_ip = 192.168.253.13\nbridge_mappings = external:br-ex\n[agent]\ntunnel_types = vxlan\n",
			[]string{"ovs", "agent"},
			[]Entry{
				entry(3, "ovs", "local_ip", "192.168.253.13", "local_ip = 192.168.253.13"),
				entry(4, "ovs", "bridge_mappings", "external:br-ex", "bridge_mappings = external:br-ex"),
				entry(6, "agent", "tunnel_types", "vxlan", "tunnel_types = vxlan"),
			},
			[]parse.Line{{Pos: p(1), Text: "# netxray: network-relevant keys of /etc/neutron/plugins/ml2/openvswitch_agent.ini only; everything else removed"}},
			nil},
		{"separators, quotes, CRLF, trailing blanks, ; comments",
			"[DEFAULT]\r\nhost: cmp1  \r\nx=\"a=b\"\r\n; note\r\ny = 'q'\r\nz = a # not a comment\r\n",
			[]string{"DEFAULT"},
			[]Entry{
				entry(2, "DEFAULT", "host", "cmp1", "host: cmp1  "),
				entry(3, "DEFAULT", "x", "a=b", "x=\"a=b\""),
				entry(5, "DEFAULT", "y", "q", "y = 'q'"),
				entry(6, "DEFAULT", "z", "a # not a comment", "z = a # not a comment"),
			},
			[]parse.Line{{Pos: p(4), Text: "; note"}},
			parse.Issues{warn(6, `value of z "a # not a comment" holds " #": oslo.config does not strip inline comments`)}},
		{"continuation lines, blank line ends them",
			"[ml2]\nmechanism_drivers = openvswitch,\n  l2population\n\n[agent]\n",
			[]string{"ml2", "agent"},
			[]Entry{entry(2, "ml2", "mechanism_drivers", "openvswitch,\nl2population", "mechanism_drivers = openvswitch,\n  l2population")},
			nil, nil},
		{"duplicates keep both positions",
			"[ovs]\nlocal_ip = 10.0.0.1\nfoo = 1\n[OVS]\nlocal_ip = 10.0.0.2\nfoo = 2\n",
			[]string{"ovs", "OVS"},
			[]Entry{
				entry(2, "ovs", "local_ip", "10.0.0.1", "local_ip = 10.0.0.1"),
				entry(3, "ovs", "foo", "1", "foo = 1"),
				entry(5, "OVS", "local_ip", "10.0.0.2", "local_ip = 10.0.0.2"),
				entry(6, "OVS", "foo", "2", "foo = 2"),
			},
			nil,
			parse.Issues{warn(5, "local_ip is set again in [OVS] (first at line 2); oslo.config uses the last")}},
		{"lines oslo.config refuses",
			"  orphan\nkey0 = v\n[broken\n[]\njust words\n= novalue\n",
			nil,
			[]Entry{entry(2, "", "key0", "v", "key0 = v")},
			nil,
			parse.Issues{
				errAt(1, `continuation line with no key before it (oslo.config refuses the file): "orphan"`),
				warn(2, "key0 is set before any section (oslo.config refuses the file)"),
				errAt(3, `section header without "]" (oslo.config refuses the file): "[broken"`),
				errAt(4, "empty section name (oslo.config refuses the file)"),
				errAt(5, `line is neither a section, an assignment nor a comment (oslo.config refuses the file): "just words"`),
				errAt(6, `assignment with an empty key (oslo.config refuses the file): "= novalue"`),
			}},
		{"secrets are redacted, in values, raw text, continuations and comments",
			"[database]\nconnection = mysql+pymysql://neutron:s3cret@db/neutron\n[DEFAULT]\ntransport_url = rabbit://openstack:pw@ctl:5672/\n" +
				"[keystone_authtoken]\npassword = *********\n  more\n#password = <None>\n# see rabbit://u:p@h/\n[ovs]\novsdb_connection = tcp:127.0.0.1:6640\n",
			[]string{"database", "DEFAULT", "keystone_authtoken", "ovs"},
			[]Entry{
				{Pos: p(2), Raw: "connection = <redacted>", Section: "database", Key: "connection", Value: Redacted, Redacted: true},
				{Pos: p(4), Raw: "transport_url = <redacted>", Section: "DEFAULT", Key: "transport_url", Value: Redacted, Redacted: true},
				{Pos: p(6), Raw: "password = <redacted>\n  <redacted>", Section: "keystone_authtoken", Key: "password", Value: Redacted, Redacted: true},
				entry(11, "ovs", "ovsdb_connection", "tcp:127.0.0.1:6640", "ovsdb_connection = tcp:127.0.0.1:6640"),
			},
			[]parse.Line{{Pos: p(8), Text: "#password = <redacted>"}, {Pos: p(9), Text: "# see rabbit://<redacted>@h/"}},
			nil},
		{"bad data-plane values", "[ovs]\nlocal_ip = 10.0.0\nbridge_mappings = physnet1\n[agent]\nl2_population = maybe\n[DEFAULT]\nagent_mode = dvr-snat\nglobal_physnet_mtu = 9k\n[ml2_type_vxlan]\nvni_ranges = 2000:1000\n",
			[]string{"ovs", "agent", "DEFAULT", "ml2_type_vxlan"},
			[]Entry{
				entry(2, "ovs", "local_ip", "10.0.0", "local_ip = 10.0.0"),
				entry(3, "ovs", "bridge_mappings", "physnet1", "bridge_mappings = physnet1"),
				entry(5, "agent", "l2_population", "maybe", "l2_population = maybe"),
				entry(7, "DEFAULT", "agent_mode", "dvr-snat", "agent_mode = dvr-snat"),
				entry(8, "DEFAULT", "global_physnet_mtu", "9k", "global_physnet_mtu = 9k"),
				entry(10, "ml2_type_vxlan", "vni_ranges", "2000:1000", "vni_ranges = 2000:1000"),
			},
			nil,
			parse.Issues{
				warn(7, `agent_mode = "dvr-snat": not one of legacy, dvr, dvr_snat, dvr_no_external`),
				warn(5, `l2_population = "maybe": not a boolean`),
				warn(2, `local_ip = "10.0.0": not an IP address`),
				warn(3, `bridge_mappings = "physnet1": item "physnet1" is not name:value`),
				warn(8, `global_physnet_mtu = "9k": not an integer`),
				warn(10, `vni_ranges = "2000:1000": item "2000:1000" is not min:max`),
			}},
		{"empty", "", nil, nil, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := ParseConfig(strings.NewReader(tt.input), "f")
			if err != nil {
				t.Fatal(err)
			}
			var secs []string
			for _, s := range c.Sections {
				secs = append(secs, s.Name)
				if s.Raw != "["+s.Name+"]" || s.Pos.File != "f" {
					t.Errorf("section %+v", s)
				}
			}
			if diff := cmp.Diff(tt.sections, secs); diff != "" {
				t.Errorf("sections (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.entries, c.Entries, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("entries (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.comments, c.Comments, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("comments (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantIssues, c.Issues, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("issues (-want +got):\n%s", diff)
			}
			if c.Records() != len(c.Entries) {
				t.Errorf("Records() = %d", c.Records())
			}
		})
	}
}

func TestLookups(t *testing.T) {
	c, err := ParseConfig(strings.NewReader("[DEFAULT]\nservice_plugins = router\nservice_plugins = qos\n[OVS]\nbridge_mappings = physnet1:br-ex, physnet2:br-vlan:x,\n[agent]\nx = Yes\nn = 42\nbad = nope\n"), "f")
	if err != nil {
		t.Fatal(err)
	}
	if v, ok := c.Get("DEFAULT", "service_plugins"); !ok || v != "qos" {
		t.Errorf("Get last = %q %v", v, ok)
	}
	if got := c.All("DEFAULT", "service_plugins"); !cmp.Equal(got, []string{"router", "qos"}) {
		t.Errorf("All = %q", got)
	}
	if got := c.Map("ovs", "bridge_mappings"); !cmp.Equal(got, []Mapping{{"physnet1", "br-ex"}, {"physnet2", "br-vlan:x"}}) {
		t.Errorf("Map = %v", got)
	}
	if v, ok := c.Bool("agent", "x"); !v || !ok {
		t.Errorf("Bool(x) = %v %v", v, ok)
	}
	if _, ok := c.Bool("agent", "bad"); ok {
		t.Errorf("Bool(bad) ok")
	}
	if _, ok := c.Bool("agent", "missing"); ok {
		t.Errorf("Bool(missing) ok")
	}
	if n, ok := c.Int("agent", "n"); n != 42 || !ok {
		t.Errorf("Int = %d %v", n, ok)
	}
	if _, ok := c.Int("agent", "bad"); ok {
		t.Errorf("Int(bad) ok")
	}
	if _, ok := c.Int("agent", "missing"); ok {
		t.Errorf("Int(missing) ok")
	}
	if got := c.List("agent", "missing"); got != nil {
		t.Errorf("List(missing) = %q", got)
	}
	if got := c.SectionNames(); !cmp.Equal(got, []string{"DEFAULT", "ovs", "agent"}) {
		t.Errorf("SectionNames = %q", got)
	}
}
