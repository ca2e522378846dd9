package host

import (
	"regexp"
	"sort"
	"strings"

	"netxray/parse"
)

// Package is one package of a package list (`dpkg -l` or installed-rpms).
type Package struct {
	Pos parse.Pos
	// Raw is the package's line; a line wrapped onto the next one is
	// joined with "\n".
	Raw string

	// Name is the package name without dpkg's ":arch" qualifier.
	Name string
	// Version is the full version as the package manager prints it:
	// dpkg's "[epoch:]upstream[-revision]" ("2:21.0.0-7+deb12u1"), rpm's
	// "VERSION-RELEASE" ("3.1.0-65.el9fdp").
	Version string
	// Upstream is the upstream part of Version: no epoch, no Debian
	// revision, no rpm release ("21.0.0", "3.1.0").
	Upstream string
	// Release is the rpm release ("65.el9fdp"); "" for dpkg.
	Release string
	// Arch is the architecture ("amd64", "x86_64", "noarch"); "" when the
	// list has none (old dpkg, gpg-pubkey rpms).
	Arch string

	// Status is dpkg's three state letters as printed ("ii ", "rc ",
	// "iU ", "hi "): desired action, package state, error flag. "" for
	// rpm, whose database lists installed packages only.
	Status string
	// Description is dpkg's one-line description.
	Description string

	// InstallTime is rpm's install date as printed ("Mon Jan  1 10:00:00
	// 2024", "Fri 24 Jun 2016 04:17:58 PM EDT"); its format follows the
	// locale, so it is kept as text.
	InstallTime string
	// Vendor is the rpm vendor, from sos's package-data only.
	Vendor string
}

// Installed reports whether the package's files are on the node: every rpm;
// a dpkg package unless its state is not-installed or config-files only.
func (p *Package) Installed() bool {
	return len(p.Status) < 2 || (p.Status[1] != 'n' && p.Status[1] != 'c')
}

// PackageList is what both package-list parsers return, so version lookups
// work alike on Debian/Ubuntu and RHEL/CentOS nodes.
type PackageList struct {
	Packages []Package
	Issues   parse.Issues
}

// Records implements parse.Result.
func (l *PackageList) Records() int { return len(l.Packages) }

// Problems implements parse.Result.
func (l *PackageList) Problems() parse.Issues { return l.Issues }

// Lookup returns every installed package named name, in list order (several
// for kernels).
func (l *PackageList) Lookup(name string) []Package {
	var out []Package
	for _, p := range l.Packages {
		if p.Name == name && p.Installed() {
			out = append(out, p)
		}
	}
	return out
}

// Version returns the full version of the installed package named name.
// When several are installed it returns the last one listed (installed-rpms
// is sorted with `sort -V`, so that is the newest).
func (l *PackageList) Version(name string) (string, bool) {
	ps := l.Lookup(name)
	if len(ps) == 0 {
		return "", false
	}
	return ps[len(ps)-1].Version, true
}

// Component names a piece of the network stack whose version matters to the
// analysis.
type Component string

// The components Family knows.
const (
	OVS     Component = "openvswitch"
	OVN     Component = "ovn"
	Neutron Component = "neutron"
	IPRoute Component = "iproute"
	Kernel  Component = "kernel"
)

// Components lists every Component.
var Components = []Component{OVS, OVN, Neutron, IPRoute, Kernel}

// family ranks the package names that carry a component's version, best
// first: the daemon's own package, then companions that share its version,
// then wrappers (RDO's metapackages, Python bindings) whose version may
// differ.
type family struct {
	ranks   []*regexp.Regexp
	exclude []string // substrings of names that look related but are other projects
}

var families = map[Component]family{
	OVS: {ranks: []*regexp.Regexp{
		// openvswitch (RHEL/CentOS), openvswitch-switch (Debian),
		// openvswitch2.17 / openvswitch3.1 (Red Hat Fast Datapath).
		regexp.MustCompile(`^openvswitch(-switch|\d+\.\d+)?$`),
		regexp.MustCompile(`^openvswitch(\d+\.\d+)?-(common|switch-dpdk)$`),
		regexp.MustCompile(`^(rdo-openvswitch|python3?-openvswitch(\d+\.\d+)?)$`),
	}},
	OVN: {ranks: []*regexp.Regexp{
		// ovn, ovn22.12, ovn-2021 (RHEL), ovn-common (Debian).
		regexp.MustCompile(`^ovn(\d+\.\d+|-\d{4})?(-common)?$`),
		regexp.MustCompile(`^ovn(\d+\.\d+|-\d{4})?-(host|central)$`),
		regexp.MustCompile(`^rdo-ovn(-host|-central)?$`),
	}},
	Neutron: {
		ranks: []*regexp.Regexp{
			regexp.MustCompile(`^(openstack-neutron(-common)?|python3?-neutron|neutron-common)$`),
			// The agents and servers: openstack-neutron-openvswitch,
			// neutron-l3-agent, ...
			regexp.MustCompile(`^(openstack-)?neutron-[a-z0-9-]+$`),
		},
		// Separately versioned projects named after neutron.
		exclude: []string{"-lib", "client", "test", "tempest", "dynamic-routing", "bgp",
			"fwaas", "vpnaas", "lbaas", "l2gw", "taas", "sfc", "-doc"},
	},
	IPRoute: {ranks: []*regexp.Regexp{
		regexp.MustCompile(`^iproute2?$`),
		regexp.MustCompile(`^iproute-tc$`),
	}},
	Kernel: {
		ranks: []*regexp.Regexp{
			// kernel / kernel-core (RHEL), linux-image-6.1.0-13-amd64
			// (Debian, one package per kernel).
			regexp.MustCompile(`^(kernel(-core)?|linux-image-\d[^ ]*)$`),
			// Real-time kernels and Debian/Ubuntu metapackages
			// (linux-image-amd64, linux-image-generic).
			regexp.MustCompile(`^(kernel-rt(-core)?|linux-image-[a-z][a-z0-9.+-]*)$`),
		},
		exclude: []string{"-dbg"},
	},
}

// rank returns where name stands in the component's family, or -1.
func (f family) rank(name string) int {
	for _, x := range f.exclude {
		if strings.Contains(name, x) {
			return -1
		}
	}
	for i, re := range f.ranks {
		if re.MatchString(name) {
			return i
		}
	}
	return -1
}

// Family returns the installed packages that carry the version of c, best
// first (then in list order): for OVS on RHEL that is openvswitch3.1 before
// python3-openvswitch3.1; for Neutron on Debian, neutron-common before
// neutron-l3-agent. python3-neutron-lib and python3-neutronclient are other
// projects and never match.
func (l *PackageList) Family(c Component) []Package {
	f, ok := families[c]
	if !ok {
		return nil
	}
	type ranked struct {
		rank int
		p    Package
	}
	var rs []ranked
	for _, p := range l.Packages {
		if r := f.rank(p.Name); r >= 0 && p.Installed() {
			rs = append(rs, ranked{r, p})
		}
	}
	sort.SliceStable(rs, func(i, j int) bool { return rs[i].rank < rs[j].rank })
	out := make([]Package, len(rs))
	for i, r := range rs {
		out[i] = r.p
	}
	return out
}

// Component returns the package that best tells the version of c (see
// Family). Several kernels may be installed: the running one is in uname.
func (l *PackageList) Component(c Component) (Package, bool) {
	ps := l.Family(c)
	if len(ps) == 0 {
		return Package{}, false
	}
	return ps[0], true
}

// debUpstream returns the upstream part of a Debian version: without
// "epoch:" and without the last "-revision".
func debUpstream(v string) string {
	if i := strings.IndexByte(v, ':'); i > 0 && isDigits(v[:i]) {
		v = v[i+1:]
	}
	if i := strings.LastIndexByte(v, '-'); i > 0 {
		v = v[:i]
	}
	return v
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
