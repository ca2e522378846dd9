package host

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp/cmpopts"

	"netxray/parse"
)

func TestParseUname(t *testing.T) {
	const (
		rhel   = "Linux cmp-1 5.14.0-362.8.1.el9_3.x86_64 #1 SMP PREEMPT_DYNAMIC Tue Oct  3 11:12:36 EDT 2023 x86_64 x86_64 x86_64 GNU/Linux"
		debian = "Linux net1 6.1.0-13-amd64 #1 SMP PREEMPT_DYNAMIC Debian 6.1.55-1 (2023-09-29) x86_64 GNU/Linux"
		lab    = "Linux net1 6.18.44-fc-v657 #1 SMP PREEMPT_DYNAMIC @0 x86_64 GNU/Linux"
		busy   = "Linux box 5.10.0 #2 Mon Jan 1 00:00:00 UTC 2024 aarch64 unknown"
	)
	tests := []struct {
		name       string
		input      string
		want       Uname
		wantIssues parse.Issues
	}{
		{"rhel", rhel + "\n", Uname{Pos: p(1), Raw: rhel, KernelName: "Linux", Nodename: "cmp-1",
			Release: "5.14.0-362.8.1.el9_3.x86_64", Version: "#1 SMP PREEMPT_DYNAMIC Tue Oct  3 11:12:36 EDT 2023",
			Machine: "x86_64", Processor: "x86_64", Platform: "x86_64", OS: "GNU/Linux"}, nil},
		{"debian", debian + "\r\n", Uname{Pos: p(1), Raw: debian, KernelName: "Linux", Nodename: "net1",
			Release: "6.1.0-13-amd64", Version: "#1 SMP PREEMPT_DYNAMIC Debian 6.1.55-1 (2023-09-29)",
			Machine: "x86_64", OS: "GNU/Linux"}, nil},
		{"lab, after a banner", "# uname -a\n" + lab + "\n", Uname{Pos: p(2), Raw: lab, KernelName: "Linux", Nodename: "net1",
			Release: "6.18.44-fc-v657", Version: "#1 SMP PREEMPT_DYNAMIC @0", Machine: "x86_64", OS: "GNU/Linux"},
			parse.Issues{issue(1, parse.SevInfo, "collector banner skipped: # uname -a")}},
		{"no operating system", busy, Uname{Pos: p(1), Raw: busy, KernelName: "Linux", Nodename: "box",
			Release: "5.10.0", Version: "#2 Mon Jan 1 00:00:00 UTC 2024", Machine: "aarch64", Processor: "unknown"}, nil},
		{"failure and junk", "uname: command not found\nLinux\n" + lab + "\n" + lab + "\n",
			Uname{Pos: p(3), Raw: lab, KernelName: "Linux", Nodename: "net1",
				Release: "6.18.44-fc-v657", Version: "#1 SMP PREEMPT_DYNAMIC @0", Machine: "x86_64", OS: "GNU/Linux"},
			parse.Issues{
				issue(1, parse.SevInfo, "command failed: uname: command not found"),
				issue(2, parse.SevError, `unrecognised uname -a line: "Linux"`),
				issue(4, parse.SevError, `unexpected line after uname -a output: "`+lab+`"`),
			}},
		{"no hardware name", "Linux a 1.0 #1 SMP x\n", Uname{},
			parse.Issues{issue(1, parse.SevError, `unrecognised uname -a line: "Linux a 1.0 #1 SMP x"`)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseUname(strings.NewReader(tt.input), "f")
			issues := got.Issues
			got.Issues = nil
			check(t, *got, tt.want, issues, tt.wantIssues, err, cmpopts.EquateEmpty())
		})
	}
}

func TestParseHostname(t *testing.T) {
	tests := []struct {
		name       string
		input      string
		want       Hostname
		wantIssues parse.Issues
	}{
		{"short", "net1\n", Hostname{Pos: p(1), Raw: "net1", Name: "net1", Short: "net1"}, nil},
		{"fqdn with comment", "# /etc/hostname\n\ncmp-1.example.org  \n", Hostname{Pos: p(3), Raw: "cmp-1.example.org  ",
			Name: "cmp-1.example.org", Short: "cmp-1"},
			parse.Issues{issue(1, parse.SevInfo, "collector banner skipped: # /etc/hostname")}},
		{"two names and junk", "a\nb\nnot a name\nhostname: command not found\n",
			Hostname{Pos: p(1), Raw: "a", Name: "a", Short: "a"},
			parse.Issues{
				issue(2, parse.SevError, `second host name "b" after "a"`),
				issue(3, parse.SevError, `not a host name: "not a name"`),
				issue(4, parse.SevInfo, "command failed: hostname: command not found"),
			}},
		{"empty", "", Hostname{}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseHostname(strings.NewReader(tt.input), "f")
			issues := got.Issues
			got.Issues = nil
			check(t, *got, tt.want, issues, tt.wantIssues, err)
		})
	}
}

func TestParseSosVersion(t *testing.T) {
	tests := []struct {
		name       string
		input      string
		want       SosVersion
		wantIssues parse.Issues
	}{
		{"sos 4.5", "sosreport: 4.5.6\n", SosVersion{Pos: p(1), Raw: "sosreport: 4.5.6", Tool: "sosreport", Version: "4.5.6"}, nil},
		{"sos 4.8, no final newline", "sos report: 4.8.0", SosVersion{Pos: p(1), Raw: "sos report: 4.8.0", Tool: "sos report", Version: "4.8.0"}, nil},
		{"netxray", "netxray-collect: 0.1.0\n", SosVersion{Pos: p(1), Raw: "netxray-collect: 0.1.0", Tool: "netxray-collect", Version: "0.1.0"}, nil},
		{"sos 3.9 with plugins", "sosreport: 3.9.1\nnetworking: unversioned\nopenvswitch: unversioned",
			SosVersion{Pos: p(1), Raw: "sosreport: 3.9.1", Tool: "sosreport", Version: "3.9.1", Plugins: []PluginVersion{
				{Pos: p(2), Raw: "networking: unversioned", Name: "networking", Version: "unversioned"},
				{Pos: p(3), Raw: "openvswitch: unversioned", Name: "openvswitch", Version: "unversioned"},
			}}, nil},
		{"unknown tool and junk", "supportconfig: 3.1\n???\n",
			SosVersion{Pos: p(1), Raw: "supportconfig: 3.1", Tool: "supportconfig", Version: "3.1"},
			parse.Issues{
				issue(1, parse.SevWarning, `unknown bundle tool "supportconfig"`),
				issue(2, parse.SevError, `unrecognised version.txt line: "???"`),
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseSosVersion(strings.NewReader(tt.input), "f")
			issues := got.Issues
			got.Issues = nil
			check(t, *got, tt.want, issues, tt.wantIssues, err)
		})
	}
}
