package host

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// names returns the names and versions of ps, "name=version".
func names(ps []Package) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Name+"="+p.Version)
	}
	return out
}

func TestFamiliesRPM(t *testing.T) {
	const rpms = `kernel-5.14.0-284.11.1.el9_2.x86_64
kernel-5.14.0-362.8.1.el9_3.x86_64
kernel-core-5.14.0-362.8.1.el9_3.x86_64
iproute-6.2.0-5.el9.x86_64
iproute-tc-6.2.0-5.el9.x86_64
network-scripts-openvswitch3.1-3.1.0-65.el9fdp.x86_64
openstack-neutron-18.6.1-1.el9ost.noarch
openstack-neutron-bgp-dragent-18.6.1-1.el9ost.noarch
openstack-neutron-common-18.6.1-1.el9ost.noarch
openstack-neutron-openvswitch-18.6.1-1.el9ost.noarch
openvswitch-selinux-extra-policy-1.0-31.el9fdp.noarch
openvswitch3.1-3.1.0-65.el9fdp.x86_64
ovn22.12-22.12.0-105.el9fdp.x86_64
ovn22.12-host-22.12.0-105.el9fdp.x86_64
python3-neutron-lib-2.20.2-1.el9ost.noarch
python3-neutronclient-7.3.1-1.el9ost.noarch
python3-openvswitch3.1-3.1.0-65.el9fdp.x86_64
rdo-openvswitch-3.1-1.el9s.noarch
`
	list, err := ParseInstalledRPMs(strings.NewReader(rpms), "f")
	if err != nil || len(list.Issues) != 0 {
		t.Fatal(err, list.Issues)
	}
	want := map[Component][]string{
		OVS:     {"openvswitch3.1=3.1.0-65.el9fdp", "python3-openvswitch3.1=3.1.0-65.el9fdp", "rdo-openvswitch=3.1-1.el9s"},
		OVN:     {"ovn22.12=22.12.0-105.el9fdp", "ovn22.12-host=22.12.0-105.el9fdp"},
		Neutron: {"openstack-neutron=18.6.1-1.el9ost", "openstack-neutron-common=18.6.1-1.el9ost", "openstack-neutron-openvswitch=18.6.1-1.el9ost"},
		IPRoute: {"iproute=6.2.0-5.el9", "iproute-tc=6.2.0-5.el9"},
		Kernel:  {"kernel=5.14.0-284.11.1.el9_2", "kernel=5.14.0-362.8.1.el9_3", "kernel-core=5.14.0-362.8.1.el9_3"},
	}
	for _, c := range Components {
		if diff := cmp.Diff(want[c], names(list.Family(c))); diff != "" {
			t.Errorf("Family(%s) (-want +got):\n%s", c, diff)
		}
	}
	if v, ok := list.Version("kernel"); !ok || v != "5.14.0-362.8.1.el9_3" {
		t.Errorf("Version(kernel) = %q, %v; want the last listed", v, ok)
	}
	if p, ok := list.Component(OVS); !ok || p.Upstream != "3.1.0" {
		t.Errorf("Component(OVS) = %+v, %v", p, ok)
	}
}

func TestFamiliesDpkg(t *testing.T) {
	const debs = `ii  iproute2                    6.1.0-3            amd64 networking and traffic control tools
rc  linux-image-6.1.0-12-amd64  6.1.52-1           amd64 Linux 6.1 for 64-bit PCs (signed)
ii  linux-image-6.1.0-13-amd64  6.1.55-1           amd64 Linux 6.1 for 64-bit PCs (signed)
ii  linux-image-amd64           6.1.55-1           amd64 Linux for 64-bit PCs (meta-package)
ii  neutron-common              2:21.0.0-7+deb12u1 all   common files
ii  neutron-l3-agent            2:21.0.0-7+deb12u1 all   l3 agent
ii  neutron-openvswitch-agent   2:21.0.0-7+deb12u1 all   Open vSwitch agent
ii  openvswitch-common          3.1.0-2+deb12u1    amd64 Open vSwitch common components
ii  openvswitch-switch          3.1.0-2+deb12u1    amd64 Open vSwitch switch implementations
ii  ovn-common                  23.03.1-1~deb12u1  amd64 OVN common components
ii  ovn-host                    23.03.1-1~deb12u1  amd64 OVN host components
ii  python3-neutron             2:21.0.0-7+deb12u1 all   Python library
ii  python3-neutron-lib         3.1.0-2            all   Neutron shared routines
ii  python3-openvswitch         3.1.0-2+deb12u1    amd64 Python 3 bindings for Open vSwitch
`
	list, err := ParseDpkgList(strings.NewReader(debs), "f")
	if err != nil || len(list.Issues) != 0 {
		t.Fatal(err, list.Issues)
	}
	want := map[Component][]string{
		OVS: {"openvswitch-switch=3.1.0-2+deb12u1", "openvswitch-common=3.1.0-2+deb12u1", "python3-openvswitch=3.1.0-2+deb12u1"},
		OVN: {"ovn-common=23.03.1-1~deb12u1", "ovn-host=23.03.1-1~deb12u1"},
		Neutron: {"neutron-common=2:21.0.0-7+deb12u1", "python3-neutron=2:21.0.0-7+deb12u1",
			"neutron-l3-agent=2:21.0.0-7+deb12u1", "neutron-openvswitch-agent=2:21.0.0-7+deb12u1"},
		IPRoute: {"iproute2=6.1.0-3"},
		Kernel:  {"linux-image-6.1.0-13-amd64=6.1.55-1", "linux-image-amd64=6.1.55-1"},
	}
	for _, c := range Components {
		if diff := cmp.Diff(want[c], names(list.Family(c))); diff != "" {
			t.Errorf("Family(%s) (-want +got):\n%s", c, diff)
		}
	}
	if p, ok := list.Component(Neutron); !ok || p.Upstream != "21.0.0" {
		t.Errorf("Component(Neutron) = %+v, %v", p, ok)
	}
	if _, ok := list.Version("linux-image-6.1.0-12-amd64"); ok {
		t.Error("Version of a removed (rc) package should not be found")
	}
	if _, ok := list.Component("nova"); ok {
		t.Error("unknown component found")
	}
}

func TestDebUpstream(t *testing.T) {
	for in, want := range map[string]string{
		"2:21.0.0-7+deb12u1": "21.0.0", "3.134": "3.134", "1:8.1.0-2": "8.1.0",
		"2:21.0.0-0ubuntu1~cloud0": "21.0.0", "1.2-3-4": "1.2-3", "a:1-2": "a:1",
	} {
		if got := debUpstream(in); got != want {
			t.Errorf("debUpstream(%q) = %q, want %q", in, got, want)
		}
	}
}
