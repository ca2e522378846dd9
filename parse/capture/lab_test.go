package capture_test

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"

	"netxray/collect"
	"netxray/parse/capture"
)

func TestKindIsCollectKind(t *testing.T) {
	if capture.KindPcap != collect.KindPcap {
		t.Fatalf("KindPcap %q != collect.KindPcap %q", capture.KindPcap, collect.KindPcap)
	}
}

// TestLabBundles parses every capture of every lab bundle (tcpdump on the
// VM taps, the underlay NICs and -i any in the router namespaces; see
// fixtures/bundles/README.md), read from the tarballs in place: none may
// give a problem, every packet must decode to IP or ARP, and the results
// must encode as JSON (netxray parse --records).
func TestLabBundles(t *testing.T) {
	if testing.Short() {
		t.Skip("lab bundles are slow to decompress")
	}
	var files, packets, vxlan int
	linkTypes := map[string]int{}
	eachLabFile(t, func(p string) bool { return strings.HasSuffix(p, ".pcap") || strings.HasSuffix(p, ".pcapng") },
		func(name string, data []byte) {
			c, err := capture.ParsePcap(bytes.NewReader(data), name)
			if err != nil {
				t.Fatal(err)
			}
			if len(c.Issues) > 0 {
				t.Errorf("%s: %v", name, c.Issues)
			}
			if !capture.Formats[0].Sniff(data) {
				t.Errorf("%s: Sniff = false", name)
			}
			files++
			linkTypes[c.LinkType]++
			for _, p := range c.Packets {
				packets++
				if p.IP == nil && p.ARP == nil {
					t.Errorf("%s: packet %d neither IP nor ARP: %s", name, p.Pos.Line, p.Raw)
				}
				if p.Tunnel != nil && p.Tunnel.Kind == "vxlan" {
					vxlan++
					if in := p.Tunnel.Inner; in.Eth == nil || (in.IP == nil && in.ARP == nil) {
						t.Errorf("%s: packet %d: inner frame not decoded: %s", name, p.Pos.Line, p.Raw)
					}
				}
			}
			if _, err := json.Marshal(c); err != nil {
				t.Errorf("%s: %v", name, err)
			}
		})
	if files == 0 {
		t.Fatal("no capture in the lab bundles")
	}
	t.Logf("%d files %v, %d packets, %d VXLAN", files, linkTypes, packets, vxlan)
}

// eachLabFile calls fn with the contents of every file of every lab
// bundle tarball (fixtures/bundles/*/netxray-*.tar.xz, read in place) whose
// path in its node matches want. A tarball collect cannot open (one being
// written by the lab) is logged and skipped.
func eachLabFile(t *testing.T, want func(p string) bool, fn func(name string, data []byte)) {
	t.Helper()
	root := filepath.Join("..", "..", "fixtures", "bundles")
	var tarballs []string
	for _, pat := range []string{"*/netxray-*.tar.xz", "*/*/netxray-*.tar.xz"} {
		m, _ := filepath.Glob(filepath.Join(root, pat))
		tarballs = append(tarballs, m...)
	}
	if len(tarballs) == 0 {
		t.Skip("no lab bundle under fixtures/bundles")
	}
	for _, tb := range tarballs {
		b, err := collect.Open(tb)
		if err != nil {
			t.Logf("skipping %s: %v", tb, err)
			continue
		}
		rel, _ := filepath.Rel(root, tb)
		for _, n := range b.Nodes {
			err := fs.WalkDir(n.FS, ".", func(p string, d fs.DirEntry, err error) error {
				if err != nil || d.IsDir() || !want(p) {
					return err
				}
				data, err := fs.ReadFile(n.FS, p)
				if err != nil {
					return err
				}
				fn(rel+":"+p, data)
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		b.Close()
	}
}
