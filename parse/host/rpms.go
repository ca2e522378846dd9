package host

import (
	"io"
	"strings"

	"netxray/parse"
)

// InstalledRPMs is sos's list of installed rpms: installed-rpms (the root
// symlink of `rpm -qa --qf '%-59{NVRA} %{INSTALLTIME:date}\n' | sort -V`)
// or sos_commands/rpm/package-data (tab separated, with vendor and
// signature).
type InstalledRPMs struct {
	PackageList
}

// rpmArches are the architecture suffixes of an NVRA. A name without one
// (gpg-pubkey keys) has no architecture.
var rpmArches = map[string]bool{
	"x86_64": true, "noarch": true, "i386": true, "i486": true, "i586": true, "i686": true,
	"athlon": true, "aarch64": true, "ppc64le": true, "ppc64": true, "ppc": true,
	"s390x": true, "s390": true, "armv7hl": true, "armhfp": true, "ia64": true,
	"riscv64": true, "loongarch64": true, "src": true, "nosrc": true, "(none)": true,
}

// ParseInstalledRPMs parses sos's installed-rpms, one package per line:
// name-version-release.arch padded to 59 columns, then the install date in
// the node's locale; or package-data, whose fields are separated by tabs
// (NVRA, date, install time in seconds, vendor, build host, signature):
//
//	openvswitch3.1-3.1.0-65.el9fdp.x86_64                       Mon Jan  1 10:00:00 2024
//	gpg-pubkey-fd431d51-4ae0493b                                Thu Jun 15 08:21:00 2023
//	kernel-5.14.0-362.8.1.el9_3.x86_64	Fri 24 Nov 2023 04:17:58 PM EST	1700860678	Red Hat, Inc.	x86-64-01.build.eng.rdu2.redhat.com	...
//
// rpm database errors printed into the file ("error: rpmdb: ...") are
// reported as info; the packages around them are kept.
func ParseInstalledRPMs(r io.Reader, file string) (list *InstalledRPMs, err error) {
	defer parse.Recover(file, &err)
	list = &InstalledRPMs{}
	issues := &list.Issues
	sc := parse.NewScanner(r, file, issues)
	for sc.Scan() {
		l := sc.Line()
		t := strings.TrimSpace(l.Text)
		if t == "" || parse.SkipBanner(l, issues) {
			continue
		}
		p, ok := parseRPMLine(l, t)
		if !ok {
			if !parse.SkipFailure(l, issues, failures) {
				issues.Errorf(l.Pos, "unrecognised rpm line: %q", t)
			}
			continue
		}
		if p.Arch == "" && p.Name != "gpg-pubkey" {
			issues.Warnf(l.Pos, "rpm %s has no known architecture suffix", p.Name)
		}
		list.Packages = append(list.Packages, p)
	}
	return list, sc.Err()
}

// parseRPMLine splits one line of installed-rpms or package-data.
func parseRPMLine(l parse.Line, t string) (Package, bool) {
	p := Package{Pos: l.Pos, Raw: l.Text}
	var nvra string
	fields := strings.Split(t, "\t")
	nvra, p.InstallTime, _ = strings.Cut(strings.TrimSpace(fields[0]), " ")
	p.InstallTime = strings.TrimSpace(p.InstallTime)
	rest := fields[1:]
	if p.InstallTime == "" && len(rest) > 0 {
		// package-data: the date is the second field.
		p.InstallTime, rest = strings.TrimSpace(rest[0]), rest[1:]
	}
	if len(rest) >= 2 {
		// rest[0] is the install time in seconds.
		p.Vendor = strings.TrimSpace(rest[1])
	}
	if i := strings.LastIndexByte(nvra, '.'); i > 0 && rpmArches[nvra[i+1:]] {
		p.Arch = nvra[i+1:]
		nvra = nvra[:i]
		if p.Arch == "(none)" {
			p.Arch = ""
		}
	}
	r := strings.LastIndexByte(nvra, '-')
	if r <= 0 {
		return p, false
	}
	v := strings.LastIndexByte(nvra[:r], '-')
	if v <= 0 || v+1 == r || r+1 == len(nvra) {
		return p, false
	}
	p.Name, p.Upstream, p.Release = nvra[:v], nvra[v+1:r], nvra[r+1:]
	p.Version = p.Upstream + "-" + p.Release
	return p, strings.IndexFunc(nvra, notNVRA) < 0
}

// notNVRA reports characters rpm does not allow in names and versions.
func notNVRA(c rune) bool {
	return !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune("._+-~^:", c))
}
