package dnsmasq_test

import (
	"testing"

	"netxray/collect"
	"netxray/parse"
	"netxray/parse/dnsmasq"
)

// The kinds must be the catalog's, or collect's files would never reach
// these parsers.
func TestKindsAreCollectKinds(t *testing.T) {
	want := map[parse.Kind]bool{
		collect.KindDnsmasqHosts: true, collect.KindDnsmasqLeases: true, collect.KindDnsmasqAddnHosts: true,
	}
	for _, f := range dnsmasq.Formats {
		if !want[f.Kind] {
			t.Errorf("kind %q is not a collect kind of this package", f.Kind)
		}
		delete(want, f.Kind)
	}
	for k := range want {
		t.Errorf("no format for collect kind %q", k)
	}
}
