package libvirt

import (
	"io"

	"netxray/parse"
)

// Kinds of the formats this package parses (the names collect/kinds.go
// uses).
const (
	KindList      parse.Kind = "virsh-list"
	KindDomIfList parse.Kind = "virsh-domiflist"
	KindDomainXML parse.Kind = "libvirt-domain-xml"
)

// Formats lists the formats of this package for generic callers.
var Formats = []parse.Format{
	{
		Kind:  KindList,
		Doc:   "virsh list --all",
		Parse: func(r io.Reader, file string) (parse.Result, error) { return result(ParseList(r, file)) },
		Sniff: sniffList,
	},
	{
		Kind:  KindDomIfList,
		Doc:   "virsh domiflist DOMAIN",
		Parse: func(r io.Reader, file string) (parse.Result, error) { return result(ParseDomIfList(r, file)) },
		Sniff: sniffDomIfList,
	},
	{
		Kind:  KindDomainXML,
		Doc:   "virsh dumpxml DOMAIN, /etc/libvirt/qemu/*.xml, /run/libvirt/qemu/*.xml (also <interface> fragments)",
		Parse: func(r io.Reader, file string) (parse.Result, error) { return result(ParseDomainXML(r, file)) },
		Sniff: sniffDomainXML,
	},
}

// result keeps a typed nil pointer out of the parse.Result interface.
func result[T parse.Result](x T, err error) (parse.Result, error) {
	if err != nil {
		return nil, err
	}
	return x, nil
}
