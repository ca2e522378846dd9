package libvirt_test

import (
	"bytes"
	"testing"

	"netxray/collect"
	"netxray/collect/collecttest"
	"netxray/parse"
	"netxray/parse/libvirt"
)

func TestKindsAreCollectKinds(t *testing.T) {
	want := map[parse.Kind]bool{collect.KindVirshList: true, collect.KindVirshDomiflist: true, collect.KindLibvirtDomainXML: true}
	for _, f := range libvirt.Formats {
		if !want[f.Kind] {
			t.Errorf("kind %q is not a collect kind of this package", f.Kind)
		}
		delete(want, f.Kind)
	}
	for k := range want {
		t.Errorf("no format for collect kind %q", k)
	}
}

// TestLabBundles parses every libvirt file of every lab bundle, read from
// the tarballs in place. The lab's VMs are namespaces, not libvirt
// domains, so each node has only `virsh -r list --all` with the error
// virsh printed: it must give info issues (command failed) and nothing
// worse.
func TestLabBundles(t *testing.T) {
	if testing.Short() {
		t.Skip("lab bundles are slow to decompress")
	}
	formats := map[parse.Kind]parse.Format{}
	for _, f := range libvirt.Formats {
		formats[f.Kind] = f
	}
	files := 0
	collecttest.EachLabFile(t, func(p string) bool {
		k, _, ok := collect.KindOfPath(p)
		_, mine := formats[k]
		return ok && mine
	}, func(name string, data []byte) {
		k, _, _ := collect.KindOfPath(name[bytes.IndexByte([]byte(name), ':')+1:])
		res, err := formats[k].Parse(bytes.NewReader(data), name)
		if err != nil {
			t.Fatal(err)
		}
		files++
		for _, is := range res.Problems() {
			if is.Severity != parse.SevInfo {
				t.Errorf("%v", is)
			}
		}
	})
	if files == 0 {
		t.Fatal("no libvirt file in the lab bundles")
	}
	t.Logf("%d files", files)
}
