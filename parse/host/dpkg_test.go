package host

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp/cmpopts"

	"netxray/parse"
)

const dpkgHeader = `Desired=Unknown/Install/Remove/Purge/Hold
| Status=Not/Inst/Conf-files/Unpacked/halF-conf/Half-inst/trig-aWait/Trig-pend
|/ Err?=(none)/Reinst-required (Status,Err: uppercase=bad)
||/ Name                       Version            Architecture Description
+++-==========================-==================-============-=================================
`

func TestParseDpkgList(t *testing.T) {
	tests := []struct {
		name       string
		input      string
		want       []Package
		noArch     bool
		wantIssues parse.Issues
	}{
		{
			name: "debian 12",
			input: dpkgHeader +
				"ii  neutron-common             2:21.0.0-7+deb12u1 all          OpenStack virtual network service - common files\n" +
				"ii  openvswitch-switch         3.1.0-2+deb12u1    amd64        Open vSwitch switch implementations\n" +
				"rc  linux-image-6.1.0-12-amd64 6.1.52-1           amd64        Linux 6.1 for 64-bit PCs (signed)\n" +
				"iU  libc6:amd64                2.36-9+deb12u3     amd64        GNU C Library: Shared libraries\n",
			want: []Package{
				{Pos: p(6), Name: "neutron-common", Version: "2:21.0.0-7+deb12u1", Upstream: "21.0.0", Arch: "all", Status: "ii ",
					Description: "OpenStack virtual network service - common files"},
				{Pos: p(7), Name: "openvswitch-switch", Version: "3.1.0-2+deb12u1", Upstream: "3.1.0", Arch: "amd64", Status: "ii ",
					Description: "Open vSwitch switch implementations"},
				{Pos: p(8), Name: "linux-image-6.1.0-12-amd64", Version: "6.1.52-1", Upstream: "6.1.52", Arch: "amd64", Status: "rc ",
					Description: "Linux 6.1 for 64-bit PCs (signed)"},
				{Pos: p(9), Name: "libc6", Version: "2.36-9+deb12u3", Upstream: "2.36", Arch: "amd64", Status: "iU ",
					Description: "GNU C Library: Shared libraries"},
			},
		},
		{
			name: "old dpkg without architecture, reinst-required, no description",
			input: "||/ Name           Version        Description\n" +
				"+++-==============-==============-============================================\n" +
				"iHR openvswitch-co 1.4.0-1ubuntu1 Open vSwitch common components\n" +
				"ii  quantum-common 2012.1-0ubuntu2\n",
			noArch: true,
			want: []Package{
				{Pos: p(3), Name: "openvswitch-co", Version: "1.4.0-1ubuntu1", Upstream: "1.4.0", Status: "iHR",
					Description: "Open vSwitch common components"},
				{Pos: p(4), Name: "quantum-common", Version: "2012.1-0ubuntu2", Upstream: "2012.1", Status: "ii "},
			},
		},
		{
			name: "long name wrapped onto the next line",
			input: "ii  python3-neutron-dynamic-routing-very-long-name\n" +
				"                               2:21.0.0-1 all  dynamic routing\n" +
				"ii  iproute2 6.1.0-3 amd64 networking and traffic control tools\n",
			want: []Package{
				{Pos: p(1), Raw: "ii  python3-neutron-dynamic-routing-very-long-name\n                               2:21.0.0-1 all  dynamic routing",
					Name: "python3-neutron-dynamic-routing-very-long-name", Version: "2:21.0.0-1", Upstream: "21.0.0", Arch: "all",
					Status: "ii ", Description: "dynamic routing"},
				{Pos: p(3), Name: "iproute2", Version: "6.1.0-3", Upstream: "6.1.0", Arch: "amd64", Status: "ii ",
					Description: "networking and traffic control tools"},
			},
			wantIssues: parse.Issues{issue(2, parse.SevWarning,
				"line continues the entry of python3-neutron-dynamic-routing-very-long-name at line 1")},
		},
		{
			name:  "line cut short",
			input: "ii  openvswitch-switch\nii  iproute2 6.1.0-3 amd64\n",
			want: []Package{
				{Pos: p(1), Name: "openvswitch-switch", Status: "ii "},
				{Pos: p(2), Name: "iproute2", Version: "6.1.0-3", Upstream: "6.1.0", Arch: "amd64", Status: "ii "},
			},
			wantIssues: parse.Issues{issue(1, parse.SevWarning, "package line openvswitch-switch has no version or architecture column")},
		},
		{
			name:  "banner, failure, junk, odd state",
			input: "$ dpkg -l\ndpkg-query: no packages found matching openvswitch\nxx\nzi  foo 1 all d\n",
			want:  []Package{{Pos: p(4), Name: "foo", Version: "1", Upstream: "1", Arch: "all", Status: "zi ", Description: "d"}},
			wantIssues: parse.Issues{
				issue(1, parse.SevInfo, "collector banner skipped: $ dpkg -l"),
				issue(2, parse.SevInfo, "command failed: dpkg-query: no packages found matching openvswitch"),
				issue(3, parse.SevError, `unrecognised dpkg -l line: "xx"`),
				issue(4, parse.SevWarning, `unknown dpkg state "zi "`),
			},
		},
		{
			name:  "description mentioning an error is still a package",
			input: "ii  libfoo 1.0-1 amd64 prints error: messages\r\n",
			want:  []Package{{Pos: p(1), Name: "libfoo", Version: "1.0-1", Upstream: "1.0", Arch: "amd64", Status: "ii ", Description: "prints error: messages"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseDpkgList(strings.NewReader(tt.input), "f")
			for i := range tt.want {
				if tt.want[i].Raw == "" {
					tt.want[i].Raw = strings.Split(tt.input, "\n")[tt.want[i].Pos.Line-1]
					tt.want[i].Raw = strings.TrimSuffix(tt.want[i].Raw, "\r")
				}
			}
			check(t, got.Packages, tt.want, got.Issues, tt.wantIssues, err, cmpopts.EquateEmpty())
			if got.NoArch != tt.noArch {
				t.Errorf("NoArch = %v, want %v", got.NoArch, tt.noArch)
			}
		})
	}
}

func TestDpkgHeaderKept(t *testing.T) {
	got, err := ParseDpkgList(strings.NewReader(dpkgHeader), "f")
	if err != nil || len(got.Header) != 5 || got.Records() != 0 || len(got.Issues) != 0 {
		t.Fatalf("got %+v, %v", got, err)
	}
}
