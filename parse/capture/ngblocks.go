package capture

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// maxCapLen bounds the bytes of one packet (and of one pcapng block). A
// packet is at most 64 KiB, or a few hundred KiB with GRO/BIG TCP; a larger
// length in a record header is corruption, and must not become an
// allocation of gigabytes.
const maxCapLen = 4 << 20

// errCut is the end of a capture inside a record.
var errCut = errors.New("capture cut short")

// blockFilter passes a pcapng stream to pcapgo's NgReader one whole block
// at a time. It stops before a block the file ends in (errCut) or whose
// lengths make no sense, because the NgReader would report a plain io.EOF
// for the first and allocate whatever a corrupt length says for the
// second.
type blockFilter struct {
	r      io.Reader
	block  []byte
	off    int
	big    bool
	offset int64 // file offset of the next block
	end    error // why the stream ended: nil (clean), errCut, or corruption
	done   bool
}

func (f *blockFilter) Read(p []byte) (int, error) {
	for f.off == len(f.block) {
		if f.done {
			return 0, io.EOF
		}
		f.next()
	}
	n := copy(p, f.block[f.off:])
	f.off += n
	return n, nil
}

// next loads the next block, or ends the stream.
func (f *blockFilter) next() {
	f.block, f.off = f.block[:0], 0
	var hdr [12]byte
	n, err := io.ReadFull(f.r, hdr[:8])
	if err != nil {
		f.stop(n, err)
		return
	}
	need := 8
	if binary.LittleEndian.Uint32(hdr[:4]) == magicPcapng {
		need = 12
		if n, err := io.ReadFull(f.r, hdr[8:12]); err != nil {
			f.stop(8+n, err)
			return
		}
		f.big = binary.BigEndian.Uint32(hdr[8:12]) == 0x1a2b3c4d
	}
	order := f.order()
	typ, length := order.Uint32(hdr[:4]), order.Uint32(hdr[4:8])
	if length < 12 || length%4 != 0 || length > maxCapLen {
		f.corrupt("block length %d", length)
		return
	}
	f.block = append(f.block, hdr[:need]...)
	f.block = append(f.block, make([]byte, int(length)-need)...)
	if n, err := io.ReadFull(f.r, f.block[need:]); err != nil {
		f.block = f.block[:0]
		f.stop(need+n, err)
		return
	}
	if err := f.checkPacket(typ); err != nil {
		f.block = f.block[:0]
		f.end, f.done = err, true
		return
	}
	f.offset += int64(length)
}

// checkPacket makes sure a packet block's captured length fits in it.
func (f *blockFilter) checkPacket(typ uint32) error {
	b := f.block
	switch typ {
	case 2, 6: // obsolete packet block, enhanced packet block
		if len(b) >= 32 {
			if c := f.order().Uint32(b[20:24]); int64(c) > int64(len(b)-32) {
				return f.corruptErr("packet block of %d bytes claims %d captured bytes", len(b), c)
			}
		}
	case 3: // simple packet block: the original length, cut to the snap length
		if len(b) >= 16 {
			if o := f.order().Uint32(b[8:12]); o > maxCapLen {
				return f.corruptErr("simple packet block claims %d bytes", o)
			}
		}
	}
	return nil
}

func (f *blockFilter) order() binary.ByteOrder {
	if f.big {
		return binary.BigEndian
	}
	return binary.LittleEndian
}

// stop ends the stream after reading n bytes of a block and then err.
func (f *blockFilter) stop(n int, err error) {
	f.done = true
	switch {
	case n == 0 && errors.Is(err, io.EOF):
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		f.end = errCut
	default:
		f.end = err
	}
}

func (f *blockFilter) corrupt(format string, args ...any) {
	f.end, f.done = f.corruptErr(format, args...), true
}

func (f *blockFilter) corruptErr(format string, args ...any) error {
	return fmt.Errorf("pcapng block at offset %d: %s", f.offset, fmt.Sprintf(format, args...))
}
