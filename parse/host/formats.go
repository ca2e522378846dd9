package host

import (
	"bytes"
	"io"
	"regexp"
	"strings"

	"netxray/parse"
)

// Kinds of the formats this package parses (the names of collect/kinds.go).
const (
	KindDpkgList      parse.Kind = "dpkg-l"
	KindInstalledRPMs parse.Kind = "installed-rpms"
	KindUname         parse.Kind = "uname"
	KindHostname      parse.Kind = "hostname"
	KindSosVersion    parse.Kind = "sos-version"
	KindPcapSidecar   parse.Kind = "pcap-sidecar"
	KindSysctl        parse.Kind = "sysctl"
)

// Formats lists the formats of this package for generic callers.
var Formats = []parse.Format{
	{
		Kind:  KindDpkgList,
		Doc:   "dpkg -l (sos installed-debs)",
		Parse: func(r io.Reader, file string) (parse.Result, error) { return result(ParseDpkgList(r, file)) },
		Sniff: sniffDpkg,
	},
	{
		Kind:  KindInstalledRPMs,
		Doc:   "sos installed-rpms and rpm/package-data (rpm -qa --qf NVRA date)",
		Parse: func(r io.Reader, file string) (parse.Result, error) { return result(ParseInstalledRPMs(r, file)) },
		Sniff: sniffRPMs,
	},
	{
		Kind:  KindUname,
		Doc:   "uname -a",
		Parse: func(r io.Reader, file string) (parse.Result, error) { return result(ParseUname(r, file)) },
		Sniff: sniffUname,
	},
	{
		Kind:  KindHostname,
		Doc:   "hostname, /etc/hostname",
		Parse: func(r io.Reader, file string) (parse.Result, error) { return result(ParseHostname(r, file)) },
		// One word cannot be told from other one-word files.
	},
	{
		Kind:  KindSosVersion,
		Doc:   "version.txt of sos (sosreport: 4.5.6) or netxray-collect",
		Parse: func(r io.Reader, file string) (parse.Result, error) { return result(ParseSosVersion(r, file)) },
		Sniff: sniffSosVersion,
	},
	{
		Kind:  KindPcapSidecar,
		Doc:   "netxray capture sidecar JSON (sos_commands/netxray/pcap/*.json)",
		Parse: func(r io.Reader, file string) (parse.Result, error) { return result(ParsePcapSidecar(r, file)) },
		Sniff: sniffSidecar,
	},
	{
		Kind:  KindSysctl,
		Doc:   "sysctl -a (host, and per namespace)",
		Parse: func(r io.Reader, file string) (parse.Result, error) { return result(ParseSysctl(r, file)) },
		Sniff: sniffSysctl,
	},
}

// result keeps a typed nil pointer out of the parse.Result interface.
func result[T parse.Result](x T, err error) (parse.Result, error) {
	if err != nil {
		return nil, err
	}
	return x, nil
}

var (
	dpkgSniffRE  = regexp.MustCompile(`^[uirph][ncHUFWti][ R] \S+\s+\S+`)
	rpmSniffRE   = regexp.MustCompile(`^[A-Za-z0-9._+~^-]+-[^-\s]+-[^-\s]+(\s|$)`)
	unameSniffRE = regexp.MustCompile(`^Linux \S+ \d\S* #`)
)

func sniffDpkg(head []byte) bool {
	t := parse.FirstData(head)
	return strings.HasPrefix(t, "Desired=") || dpkgSniffRE.MatchString(t)
}

func sniffRPMs(head []byte) bool {
	t := parse.FirstData(head)
	if !rpmSniffRE.MatchString(t) {
		return false
	}
	nvra, _, _ := strings.Cut(strings.Fields(t)[0], "\t")
	i := strings.LastIndexByte(nvra, '.')
	return i > 0 && rpmArches[nvra[i+1:]] || strings.HasPrefix(nvra, "gpg-pubkey-")
}

func sniffUname(head []byte) bool { return unameSniffRE.MatchString(parse.FirstData(head)) }

func sniffSosVersion(head []byte) bool {
	name, _, ok := strings.Cut(parse.FirstData(head), ":")
	return ok && sosTools[name]
}

func sniffSidecar(head []byte) bool {
	head = bytes.TrimSpace(head)
	return bytes.HasPrefix(head, []byte("{")) && bytes.Contains(head, []byte(`"interface"`)) &&
		bytes.Contains(head, []byte(`"start"`))
}
