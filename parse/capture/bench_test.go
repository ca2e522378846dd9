package capture

import (
	"bytes"
	"testing"
)

// BenchmarkParsePcap reads 10,000 VXLAN-encapsulated ICMP packets (an
// underlay capture).
func BenchmarkParsePcap(b *testing.B) {
	vx := outer(b, 4789, append([]byte{0x08, 0, 0, 0, 0, 0x03, 0xe9, 0}, echo(b)...))
	recs := make([]rec, 10000)
	for i := range recs {
		recs[i] = full(vx)
	}
	in := eth1(recs...)
	b.SetBytes(int64(len(in)))
	for b.Loop() {
		c, err := ParsePcap(bytes.NewReader(in), "f")
		if err != nil || len(c.Packets) != len(recs) {
			b.Fatal(err)
		}
	}
}
