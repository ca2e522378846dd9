package host

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp/cmpopts"

	"netxray/parse"
)

func TestParseInstalledRPMs(t *testing.T) {
	tests := []struct {
		name       string
		input      string
		want       []Package
		wantIssues parse.Issues
	}{
		{
			name: "installed-rpms",
			input: "gpg-pubkey-fd431d51-4ae0493b                                Thu Jun 15 08:21:00 2023\n" +
				"kernel-5.14.0-362.8.1.el9_3.x86_64                          Fri 24 Nov 2023 04:17:58 PM EST\n" +
				"openvswitch3.1-3.1.0-65.el9fdp.x86_64                       Mon Jan  1 10:00:00 2024\n" +
				"vmware-open-vm-tools-xorg-utilities-8.3.19-1310361.el6.x86_64 Sat Aug 29 19:10:11 2015\n" +
				"tftp-server-5.2-12.el7.x86_64\n" +
				"libstdc++-11.4.1-2.1.el9.x86_64                             Mon Jan  1 10:00:00 2024\n",
			want: []Package{
				{Pos: p(1), Name: "gpg-pubkey", Version: "fd431d51-4ae0493b", Upstream: "fd431d51", Release: "4ae0493b",
					InstallTime: "Thu Jun 15 08:21:00 2023"},
				{Pos: p(2), Name: "kernel", Version: "5.14.0-362.8.1.el9_3", Upstream: "5.14.0", Release: "362.8.1.el9_3", Arch: "x86_64",
					InstallTime: "Fri 24 Nov 2023 04:17:58 PM EST"},
				{Pos: p(3), Name: "openvswitch3.1", Version: "3.1.0-65.el9fdp", Upstream: "3.1.0", Release: "65.el9fdp", Arch: "x86_64",
					InstallTime: "Mon Jan  1 10:00:00 2024"},
				{Pos: p(4), Name: "vmware-open-vm-tools-xorg-utilities", Version: "8.3.19-1310361.el6", Upstream: "8.3.19",
					Release: "1310361.el6", Arch: "x86_64", InstallTime: "Sat Aug 29 19:10:11 2015"},
				{Pos: p(5), Name: "tftp-server", Version: "5.2-12.el7", Upstream: "5.2", Release: "12.el7", Arch: "x86_64"},
				{Pos: p(6), Name: "libstdc++", Version: "11.4.1-2.1.el9", Upstream: "11.4.1", Release: "2.1.el9", Arch: "x86_64",
					InstallTime: "Mon Jan  1 10:00:00 2024"},
			},
		},
		{
			name: "package-data and the insights-core mixed form",
			input: "iproute-6.2.0-5.el9.x86_64\tMon 04 Dec 2023 10:00:00 AM UTC\t1701684000\tRed Hat, Inc.\tx86-64-01.build\tRSA/SHA256\n" +
				"yum-3.2.29-69.el6.noarch                                    Wed May 18 14:16:21 2016\t1410968065\tRed Hat, Inc.\ths20-bc2-4\t(none)\n",
			want: []Package{
				{Pos: p(1), Name: "iproute", Version: "6.2.0-5.el9", Upstream: "6.2.0", Release: "5.el9", Arch: "x86_64",
					InstallTime: "Mon 04 Dec 2023 10:00:00 AM UTC", Vendor: "Red Hat, Inc."},
				{Pos: p(2), Name: "yum", Version: "3.2.29-69.el6", Upstream: "3.2.29", Release: "69.el6", Arch: "noarch",
					InstallTime: "Wed May 18 14:16:21 2016", Vendor: "Red Hat, Inc."},
			},
		},
		{
			name: "rpmdb errors, garbage, no arch",
			input: "# installed-rpms\n" +
				"error: rpmdbNextIterator: skipping h#     753 Header V3 DSA signature: BAD, key ID db42a6\n" +
				"yum-security-1.1.16-21.el5.noarch\n" +
				"openssh-server#$%^5.3p1$%^104.el6.x86_64\n" +
				"foo-1.0-1.el9\n" +
				"gpg-pubkey-2fa658e0-45700c69.(none)\n",
			want: []Package{
				{Pos: p(3), Name: "yum-security", Version: "1.1.16-21.el5", Upstream: "1.1.16", Release: "21.el5", Arch: "noarch"},
				{Pos: p(5), Name: "foo", Version: "1.0-1.el9", Upstream: "1.0", Release: "1.el9"},
				{Pos: p(6), Name: "gpg-pubkey", Version: "2fa658e0-45700c69", Upstream: "2fa658e0", Release: "45700c69"},
			},
			wantIssues: parse.Issues{
				issue(1, parse.SevInfo, "collector banner skipped: # installed-rpms"),
				issue(2, parse.SevInfo, "command failed: error: rpmdbNextIterator: skipping h#     753 Header V3 DSA signature: BAD, key ID db42a6"),
				issue(4, parse.SevError, `unrecognised rpm line: "openssh-server#$%^5.3p1$%^104.el6.x86_64"`),
				issue(5, parse.SevWarning, "rpm foo has no known architecture suffix"),
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseInstalledRPMs(strings.NewReader(tt.input), "f")
			for i := range tt.want {
				tt.want[i].Raw = strings.Split(tt.input, "\n")[tt.want[i].Pos.Line-1]
			}
			check(t, got.Packages, tt.want, got.Issues, tt.wantIssues, err, cmpopts.EquateEmpty())
		})
	}
}
