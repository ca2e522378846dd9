package libvirt

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"netxray/parse"
)

// runningDomain is a /run/libvirt/qemu file of a Nova instance plugged
// into br-int by libvirt (native OVS firewall, os-vif "ovs" plug).
const runningDomain = `<!--
WARNING: THIS IS AN AUTO-GENERATED FILE. CHANGES TO IT ARE LIKELY TO BE
OVERWRITTEN AND LOST.
-->
<domstatus state='running' reason='booted' pid='4242'>
<domain type='kvm' id='7'>
  <name>instance-0000001a</name>
  <uuid>9c45fce8-83d9-4518-9055-4df2899e23af</uuid>
  <metadata>
    <nova:instance xmlns:nova="http://openstack.org/xmlns/libvirt/nova/1.1">
      <nova:package version="27.1.0"/>
      <nova:name>vm-a</nova:name>
      <nova:creationTime>2026-11-22 15:30:01</nova:creationTime>
      <nova:flavor name="m1.tiny">
        <nova:memory>512</nova:memory>
      </nova:flavor>
      <nova:owner>
        <nova:user uuid="1f0e">admin</nova:user>
        <nova:project uuid="7a2b">demo</nova:project>
      </nova:owner>
      <nova:ports>
        <nova:port uuid="5e1f2a3b-c4d5-4e6f-8a7b-9c0d1e2f3a4b">
          <nova:ip type="fixed" address="192.168.10.5" ipVersion="4"/>
        </nova:port>
      </nova:ports>
    </nova:instance>
  </metadata>
  <devices>
    <interface type='bridge'>
      <mac address='FA:16:3E:5E:1F:2A'/>
      <source bridge='br-int'/>
      <virtualport type='openvswitch'>
        <parameters interfaceid='5e1f2a3b-c4d5-4e6f-8a7b-9c0d1e2f3a4b'/>
      </virtualport>
      <target dev='tap5e1f2a3b-c4'/>
      <model type='virtio'/>
      <mtu size='1450'/>
      <alias name='net0'/>
    </interface>
  </devices>
</domain>
</domstatus>
`

var addrEq = cmp.Comparer(func(a, b netip.Addr) bool { return a == b })

func TestParseDomainXMLDomain(t *testing.T) {
	d, err := ParseDomainXML(strings.NewReader(runningDomain), "f")
	want := &DomainXML{
		Domain: &Domain{
			Pos: p(6), Raw: "<domain type='kvm' id='7'>", Type: "kvm", ID: intp(7), Name: "instance-0000001a",
			UUID: "9c45fce8-83d9-4518-9055-4df2899e23af", State: "running",
			Nova: &NovaInstance{
				Pos: p(10), Name: "vm-a", CreationTime: "2026-11-22 15:30:01", Flavor: "m1.tiny",
				User: "admin", UserUUID: "1f0e", Project: "demo", ProjectUUID: "7a2b",
				Ports: []NovaPort{{UUID: "5e1f2a3b-c4d5-4e6f-8a7b-9c0d1e2f3a4b",
					IPs: []NovaIP{{Type: "fixed", Address: netip.MustParseAddr("192.168.10.5"), Version: 4}}}},
			},
		},
		Interfaces: []Interface{{
			Pos: p(29), Raw: strings.Join(strings.Split(runningDomain, "\n")[28:39], "\n"),
			Type: "bridge", MAC: "fa:16:3e:5e:1f:2a", Target: "tap5e1f2a3b-c4", Source: InterfaceSource{Bridge: "br-int"},
			VirtualPort: &VirtualPort{Type: "openvswitch", InterfaceID: "5e1f2a3b-c4d5-4e6f-8a7b-9c0d1e2f3a4b"},
			MTU:         1450, Model: "virtio", Alias: "net0",
		}},
	}
	check(t, d, want, d.Issues, nil, err, addrEq)
	if d.Records() != 2 || d.Interfaces[0].PortID() != "5e1f2a3b-c4d5-4e6f-8a7b-9c0d1e2f3a4b" {
		t.Errorf("Records %d, PortID %q", d.Records(), d.Interfaces[0].PortID())
	}
	if !strings.HasSuffix(d.Interfaces[0].Raw, "</interface>") || !strings.HasPrefix(d.Interfaces[0].Raw, "    <interface type='bridge'>") {
		t.Errorf("Raw = %q", d.Interfaces[0].Raw)
	}
}

func TestParseDomainXMLInterfaces(t *testing.T) {
	tests := []struct {
		name       string
		input      string
		domain     *Domain
		want       []Interface
		wantIssues parse.Issues
	}{
		{"hybrid plug, stopped domain without metadata",
			"<domain type='kvm'>\n  <name>instance-00000002</name>\n  <uuid>u-2</uuid>\n  <devices>\n" +
				"    <interface type='bridge'>\n      <mac address='fa:16:3e:5e:1f:2a'/>\n      <source bridge='qbr5e1f2a3b-c4'/>\n" +
				"      <target dev='tap5e1f2a3b-c4'/>\n      <model type='virtio'/>\n      <link state='down'/>\n    </interface>\n  </devices>\n</domain>\n",
			&Domain{Pos: p(1), Raw: "<domain type='kvm'>", Type: "kvm", Name: "instance-00000002", UUID: "u-2"},
			[]Interface{{Pos: p(5), Type: "bridge", MAC: "fa:16:3e:5e:1f:2a", Source: InterfaceSource{Bridge: "qbr5e1f2a3b-c4"},
				Target: "tap5e1f2a3b-c4", Model: "virtio", LinkState: "down"}},
			nil},
		{"ethernet (os-vif plugs the tap), vhostuser, hostdev with vlan, direct",
			"<interface type='ethernet'>\n  <mac address='fa:16:3e:00:00:01'/>\n  <target dev='tap1' managed='no'/>\n  <mtu size='1450'/>\n</interface>\n" +
				"<interface type='vhostuser'>\n  <mac address='fa:16:3e:00:00:02'/>\n  <source type='unix' path='/var/run/openvswitch/vhu1' mode='server'/>\n  <target dev='vhu1'/>\n</interface>\n" +
				"<interface type='hostdev' managed='yes'>\n  <mac address='fa:16:3e:00:00:03'/>\n  <source>\n    <address type='pci' domain='0x0000' bus='0x3b' slot='0x02' function='0x1'/>\n  </source>\n" +
				"  <vlan>\n    <tag id='101'/>\n  </vlan>\n</interface>\n" +
				"<interface type='direct'><source dev='eth1' mode='passthrough'/><foo/></interface>\n",
			nil,
			[]Interface{
				{Pos: p(1), Type: "ethernet", MAC: "fa:16:3e:00:00:01", Target: "tap1", TargetManaged: "no", MTU: 1450},
				{Pos: p(6), Type: "vhostuser", MAC: "fa:16:3e:00:00:02", Target: "vhu1",
					Source: InterfaceSource{Type: "unix", Path: "/var/run/openvswitch/vhu1", Mode: "server"}},
				{Pos: p(11), Type: "hostdev", MAC: "fa:16:3e:00:00:03", VLANs: []int{101}},
				{Pos: p(20), Type: "direct", Source: InterfaceSource{Dev: "eth1", Mode: "passthrough"}, Extra: []string{"foo"}},
			},
			parse.Issues{issue(20, parse.SevWarning, "unknown interface element <foo> kept by name")}},
		{"cut after grep -A 7, bad mtu",
			"<interface type='bridge'>\n<mac address='fa:16:3e:21:1b:4b'/>\n<source bridge='qbrc3d70d5c-a9'/>\n<mtu size='x'/>\n",
			nil,
			[]Interface{{Pos: p(1), Type: "bridge", MAC: "fa:16:3e:21:1b:4b", Source: InterfaceSource{Bridge: "qbrc3d70d5c-a9"}, Cut: true}},
			parse.Issues{
				issue(4, parse.SevWarning, `interface mtu size "x" is not a number`),
				issue(4, parse.SevWarning, "input ends inside <interface> opened at line 1 (output cut short?); what was read is kept"),
			}},
		{"syntax error",
			"<domain type='kvm'>\n<name>x</name>\n<interface type='bridge'>\n<mac address='a'>\n</interface>\n</domain>\n",
			&Domain{Pos: p(1), Raw: "<domain type='kvm'>", Type: "kvm", Name: "x"},
			[]Interface{{Pos: p(3), Type: "bridge", MAC: "a", Cut: true}},
			parse.Issues{issue(5, parse.SevError, "XML error, rest of the input skipped: XML syntax error on line 5: element <mac> closed by </interface>")}},
		{"virsh failure, banner and text before the XML",
			"# virsh -r dumpxml instance-9\nerror: failed to get domain 'instance-9'\nsome words\n",
			nil, nil,
			parse.Issues{
				issue(1, parse.SevInfo, "collector banner skipped: # virsh -r dumpxml instance-9"),
				issue(2, parse.SevInfo, "command failed: error: failed to get domain 'instance-9'"),
				issue(3, parse.SevError, `not libvirt domain XML: "some words"`),
			}},
		{"empty", "", nil, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := ParseDomainXML(strings.NewReader(tt.input), "f")
			for i := range d.Interfaces {
				d.Interfaces[i].Raw = ""
			}
			check(t, d.Domain, tt.domain, nil, nil, err)
			check(t, d.Interfaces, tt.want, d.Issues, tt.wantIssues, err)
		})
	}
}
