package host

import (
	"errors"
	"strings"
	"testing"

	"netxray/parse"
)

// covered returns the lines of a result that belong to a record (from its
// Pos, as many lines as its Raw has) or to a kept header.
func covered(res parse.Result) map[int]bool {
	lines := map[int]bool{}
	add := func(pos parse.Pos, raw string) {
		if raw == "" {
			return
		}
		for i := range strings.Count(raw, "\n") + 1 {
			lines[pos.Line+i] = true
		}
	}
	var pkgs []Package
	switch r := res.(type) {
	case *DpkgList:
		pkgs = r.Packages
		for _, h := range r.Header {
			add(h.Pos, h.Text)
		}
	case *InstalledRPMs:
		pkgs = r.Packages
	case *Uname:
		add(r.Pos, r.Raw)
	case *Hostname:
		add(r.Pos, r.Raw)
	case *SosVersion:
		add(r.Pos, r.Raw)
		for _, pl := range r.Plugins {
			add(pl.Pos, pl.Raw)
		}
	case *PcapSidecar:
		add(r.Pos, r.Raw)
	case *Sysctl:
		for _, e := range r.Entries {
			add(e.Pos, e.Raw)
		}
	}
	for _, pk := range pkgs {
		add(pk.Pos, pk.Raw)
	}
	return lines
}

// fuzzCheck runs the parser of kind k and checks the properties: no panic,
// and every non-blank line is in a record or named by an issue.
func fuzzCheck(t *testing.T, k parse.Kind, input string) {
	res, err := formatOf(t, k).Parse(strings.NewReader(input), "f")
	if err != nil {
		if errors.Is(err, parse.ErrFormat) {
			return
		}
		t.Fatalf("unexpected error: %v", err)
	}
	if k == KindPcapSidecar {
		if res.Records() == 0 && len(res.Problems()) == 0 {
			t.Fatal("sidecar gave neither a record nor an issue")
		}
		return
	}
	lines := covered(res)
	for _, is := range res.Problems() {
		lines[is.Pos.Line] = true
	}
	sc := parse.NewScanner(strings.NewReader(input), "f", nil)
	for sc.Scan() {
		if strings.TrimSpace(sc.Text()) != "" && !lines[sc.Pos().Line] {
			t.Fatalf("line %d %q neither parsed nor reported", sc.Pos().Line, sc.Text())
		}
	}
}

func formatOf(t testing.TB, k parse.Kind) parse.Format {
	for _, f := range Formats {
		if f.Kind == k {
			return f
		}
	}
	t.Fatalf("no format %s", k)
	return parse.Format{}
}

func FuzzParseDpkgList(f *testing.F) {
	f.Add(dpkgHeader + "ii  neutron-common 2:21.0.0-7+deb12u1 all common\nrc  x 1 amd64\n")
	f.Add("ii  long-name\n      1.0 all d\n  stray\niHR a b\n")
	f.Add("||/ Name Version Description\n+++-===-===-===\nii  a 1 d\n")
	f.Fuzz(func(t *testing.T, s string) { fuzzCheck(t, KindDpkgList, s) })
}

func FuzzParseInstalledRPMs(f *testing.F) {
	f.Add("gpg-pubkey-fd431d51-4ae0493b      Thu Jun 15 08:21:00 2023\nkernel-5.14.0-362.el9.x86_64 Mon Jan  1 2024\n")
	f.Add("iproute-6.2.0-5.el9.x86_64\tMon\t1701684000\tRed Hat, Inc.\thost\tsig\nerror: rpmdb: x\nfoo-1-1\n")
	f.Fuzz(func(t *testing.T, s string) { fuzzCheck(t, KindInstalledRPMs, s) })
}

func FuzzParseUname(f *testing.F) {
	f.Add("Linux cmp-1 5.14.0-362.8.1.el9_3.x86_64 #1 SMP PREEMPT_DYNAMIC Tue Oct  3 11:12:36 EDT 2023 x86_64 x86_64 x86_64 GNU/Linux\n")
	f.Add("# uname -a\nLinux a 1 #1 x86_64\nLinux b 1 # unknown unknown\n")
	f.Fuzz(func(t *testing.T, s string) { fuzzCheck(t, KindUname, s) })
}

func FuzzParseHostname(f *testing.F) {
	f.Add("net1\n")
	f.Add("# c\na.b\nc d\n")
	f.Fuzz(func(t *testing.T, s string) { fuzzCheck(t, KindHostname, s) })
}

func FuzzParseSosVersion(f *testing.F) {
	f.Add("sosreport: 3.9.1\nnetworking: unversioned\n")
	f.Add("sos report: 4.8.0")
	f.Fuzz(func(t *testing.T, s string) { fuzzCheck(t, KindSosVersion, s) })
}

func FuzzParsePcapSidecar(f *testing.F) {
	f.Add(`{"node": "net1", "interface": "eth2", "namespace": "", "start": "2026-11-22T15:47:56.608243790Z", "end": "2026-11-22T15:48:04.632313745Z", "seconds": 8, "filter": "icmp", "packets": 28, "return_code": 0, "command": "tcpdump"}`)
	f.Add("{\"packets\": null,\n\"x\": 1}")
	f.Add("{")
	f.Fuzz(func(t *testing.T, s string) { fuzzCheck(t, KindPcapSidecar, s) })
}

func FuzzParseSysctl(f *testing.F) {
	f.Add("net.ipv4.conf.all.forwarding = 1\nnet.ipv4.tcp_rmem = 4096\t131072\t6291456\nkernel.domainname = (none)\nfs.x =\n")
	f.Add("sysctl: permission denied on key 'net.ipv6.conf.all.stable_secret'\n# sysctl -a\nnot a line\n= 1\n")
	f.Fuzz(func(t *testing.T, s string) { fuzzCheck(t, KindSysctl, s) })
}
