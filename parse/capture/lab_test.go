package capture_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"netxray/collect"
	"netxray/collect/collecttest"
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
	collecttest.EachLabFile(t, func(p string) bool { return strings.HasSuffix(p, ".pcap") || strings.HasSuffix(p, ".pcapng") },
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
