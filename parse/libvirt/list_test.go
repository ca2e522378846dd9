package libvirt

import (
	"strings"
	"testing"

	"netxray/parse"
)

func TestParseList(t *testing.T) {
	tests := []struct {
		name       string
		input      string
		want       []ListEntry
		wantIssues parse.Issues
	}{
		{"libvirt 5+ layout",
			" Id   Name                State\n------------------------------------\n 1    instance-00000001   running\n -    instance-00000002   shut off\n 3    instance-00000003   in shutdown\n",
			[]ListEntry{
				{Pos: p(3), Raw: " 1    instance-00000001   running", ID: intp(1), Name: "instance-00000001", State: "running"},
				{Pos: p(4), Raw: " -    instance-00000002   shut off", Name: "instance-00000002", State: "shut off"},
				{Pos: p(5), Raw: " 3    instance-00000003   in shutdown", ID: intp(3), Name: "instance-00000003", State: "in shutdown"},
			}, nil},
		{"old layout, CRLF, names with spaces",
			"Id Name State\r\n----------------------------------------------------\r\n33 my vm running\r\n",
			[]ListEntry{{Pos: p(3), Raw: "33 my vm running", ID: intp(33), Name: "my vm", State: "running"}}, nil},
		{"unknown state kept",
			" 4 instance-4 hibernating\n",
			[]ListEntry{{Pos: p(1), Raw: " 4 instance-4 hibernating", ID: intp(4), Name: "instance-4", State: "hibernating"}},
			parse.Issues{issue(1, parse.SevWarning, `unknown domain state "hibernating" kept`)}},
		{"failure text, banner, junk",
			"# virsh -r list --all\nerror: failed to connect to the hypervisor\nerror: Failed to connect socket to '/var/run/libvirt/libvirt-sock-ro': No such file or directory\nx y\n",
			nil,
			parse.Issues{
				issue(1, parse.SevInfo, "collector banner skipped: # virsh -r list --all"),
				issue(2, parse.SevInfo, "command failed: error: failed to connect to the hypervisor"),
				issue(3, parse.SevInfo, "command failed: error: Failed to connect socket to '/var/run/libvirt/libvirt-sock-ro': No such file or directory"),
				issue(4, parse.SevError, `not a virsh list row: "x y"`),
			}},
		{"empty", "", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseList(strings.NewReader(tt.input), "f")
			check(t, got.Domains, tt.want, got.Issues, tt.wantIssues, err)
			for _, d := range got.Domains {
				if d.Running() != (d.ID != nil) {
					t.Errorf("Running() wrong for %+v", d)
				}
			}
		})
	}
}

func TestParseDomIfList(t *testing.T) {
	tests := []struct {
		name       string
		input      string
		want       []IfListEntry
		wantIssues parse.Issues
	}{
		{"hybrid, native OVS, vhostuser, hostdev, linux bridge",
			" Interface        Type       Source           Model    MAC\n" +
				"-------------------------------------------------------------------------\n" +
				" tap5e1f2a3b-c4   bridge     qbr5e1f2a3b-c4   virtio   fa:16:3e:5e:1f:2a\n" +
				" tap5e1f2a3b-c4   ethernet   -                virtio   FA:16:3E:5E:1F:2B\n" +
				" vhu5e1f2a3b-c4   vhostuser  -                virtio   fa:16:3e:5e:1f:2c\n" +
				" -                hostdev    -                -        fa:16:3e:5e:1f:2d\n" +
				" tapd10c00aa-bb   bridge     brq0c8d2a6e-91   virtio   fa:16:3e:5e:1f:2e\n",
			[]IfListEntry{
				{Pos: p(3), Raw: " tap5e1f2a3b-c4   bridge     qbr5e1f2a3b-c4   virtio   fa:16:3e:5e:1f:2a", Interface: "tap5e1f2a3b-c4", Type: "bridge", Source: "qbr5e1f2a3b-c4", Model: "virtio", MAC: "fa:16:3e:5e:1f:2a"},
				{Pos: p(4), Raw: " tap5e1f2a3b-c4   ethernet   -                virtio   FA:16:3E:5E:1F:2B", Interface: "tap5e1f2a3b-c4", Type: "ethernet", Model: "virtio", MAC: "fa:16:3e:5e:1f:2b"},
				{Pos: p(5), Raw: " vhu5e1f2a3b-c4   vhostuser  -                virtio   fa:16:3e:5e:1f:2c", Interface: "vhu5e1f2a3b-c4", Type: "vhostuser", Model: "virtio", MAC: "fa:16:3e:5e:1f:2c"},
				{Pos: p(6), Raw: " -                hostdev    -                -        fa:16:3e:5e:1f:2d", Type: "hostdev", MAC: "fa:16:3e:5e:1f:2d"},
				{Pos: p(7), Raw: " tapd10c00aa-bb   bridge     brq0c8d2a6e-91   virtio   fa:16:3e:5e:1f:2e", Interface: "tapd10c00aa-bb", Type: "bridge", Source: "brq0c8d2a6e-91", Model: "virtio", MAC: "fa:16:3e:5e:1f:2e"},
			}, nil},
		{"odd column counts and a bad MAC",
			"vnet0 network my net virtio 52:54:00:aa:bb:cc\nvnet1 bridge virbr0 52:54:00:aa:bb:cd\nvnet2 bridge virbr0 virtio zz\n",
			[]IfListEntry{
				{Pos: p(1), Raw: "vnet0 network my net virtio 52:54:00:aa:bb:cc", Interface: "vnet0", Type: "network", Source: "my net", Model: "virtio", MAC: "52:54:00:aa:bb:cc"},
				{Pos: p(2), Raw: "vnet1 bridge virbr0 52:54:00:aa:bb:cd", Interface: "vnet1", Type: "bridge", Source: "virbr0", MAC: "52:54:00:aa:bb:cd"},
				{Pos: p(3), Raw: "vnet2 bridge virbr0 virtio zz", Interface: "vnet2", Type: "bridge", Source: "virbr0", Model: "virtio", MAC: "zz"},
			},
			parse.Issues{
				issue(1, parse.SevWarning, `domiflist row has 6 columns; source taken as "my net"`),
				issue(2, parse.SevWarning, "domiflist row has 4 columns; model taken as empty"),
				issue(3, parse.SevWarning, `domiflist MAC column "zz" is not a MAC address`),
			}},
		{"failure and junk", "error: failed to get domain 'instance-9'\n$ virsh domiflist x\na b\n", nil,
			parse.Issues{
				issue(1, parse.SevInfo, "command failed: error: failed to get domain 'instance-9'"),
				issue(2, parse.SevInfo, "collector banner skipped: $ virsh domiflist x"),
				issue(3, parse.SevError, `not a virsh domiflist row: "a b"`),
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseDomIfList(strings.NewReader(tt.input), "f")
			check(t, got.Interfaces, tt.want, got.Issues, tt.wantIssues, err)
		})
	}
}

func TestSniff(t *testing.T) {
	for _, tt := range []struct {
		sniff func([]byte) bool
		in    string
		want  bool
	}{
		{sniffList, " Id   Name   State\n---\n", true},
		{sniffList, "# virsh list\nId Name State\n", true},
		{sniffList, " Interface Type Source Model MAC\n", false},
		{sniffDomIfList, " Interface  Type  Source  Model  MAC\n", true},
		{sniffDomIfList, " Id Name State\n", false},
		{sniffDomainXML, "<domain type='kvm' id='7'>\n", true},
		{sniffDomainXML, "<!--\nWARNING: THIS IS AN AUTO-GENERATED FILE.\n-->\n<domstatus state='running'>\n", true},
		{sniffDomainXML, "<interface type='bridge'>\n", true},
		{sniffDomainXML, "<!-- unterminated\n", false},
		{sniffDomainXML, "<network>\n", false},
	} {
		if got := tt.sniff([]byte(tt.in)); got != tt.want {
			t.Errorf("sniff(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}
