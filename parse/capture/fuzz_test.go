package capture

import (
	"bytes"
	"errors"
	"testing"

	"netxray/parse"
)

func FuzzParsePcap(f *testing.F) {
	e := echo(f)
	f.Add(eth1(full(e), rec{e[:30], len(e)}))
	f.Add(pcapFile(276, 96, true, true, full(append([]byte{0x08, 0, 0, 0, 0, 0, 0, 3, 0, 1, 4, 6, 1, 2, 3, 4, 5, 6, 0, 0}, e[14:]...))))
	f.Add(pcapFile(113, 262144, false, false, full(append([]byte{0, 4, 0, 1, 0, 6, 1, 2, 3, 4, 5, 6, 0, 0, 0x86, 0xdd}, 0x60, 0, 0))))
	f.Add(eth1(full(outer(f, 8472, append([]byte{0x08, 0, 0, 0, 0, 0x03, 0xe9, 0}, e...)))))
	f.Add([]byte("tcpdump: no such device\n"))
	f.Add([]byte("\x0a\x0d\x0d\x0a\x1c\x00\x00\x00\x4d\x3c\x2b\x1a\x01\x00\x00\x00\xff\xff\xff\xff\xff\xff\xff\xff\x1c\x00\x00\x00"))
	f.Fuzz(func(t *testing.T, in []byte) {
		c, err := ParsePcap(bytes.NewReader(in), "f")
		if err != nil {
			if !errors.Is(err, parse.ErrFormat) {
				t.Fatalf("unexpected error: %v", err)
			}
			return
		}
		for i, p := range c.Packets {
			if p.Pos.Line != i+1 {
				t.Fatalf("packet %d numbered %d", i+1, p.Pos.Line)
			}
			if p.Raw == "" && p.CapLen > 0 {
				t.Fatalf("packet %d has no summary", i+1)
			}
		}
		for _, is := range c.Issues {
			if is.Pos.Line > len(c.Packets)+1 {
				t.Fatalf("issue beyond the last packet: %v", is)
			}
		}
	})
}

// FuzzDecode feeds arbitrary bytes to every link type's decoder.
func FuzzDecode(f *testing.F) {
	f.Add(echo(f), 1)
	f.Add(outer(f, 4789, append([]byte{0x08, 0, 0, 0, 0, 0x03, 0xe9, 0}, echo(f)...)), 1)
	f.Add(outer(f, 6081, []byte{0, 0, 0x65, 0x58, 0, 0x04, 0x4c, 0, 1, 2}), 1)
	f.Add([]byte{0x08, 0x00, 0, 0, 0, 0, 0, 14, 0, 1, 4, 6, 1, 2, 3, 4, 5, 6, 0, 0, 0x45}, 276)
	f.Fuzz(func(t *testing.T, data []byte, lt int) {
		for _, l := range []int{lt, 0, 1, 101, 113, 228, 229, 276} {
			fr := decode(data, l)
			_ = fr.String()
		}
	})
}
