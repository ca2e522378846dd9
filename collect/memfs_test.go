package collect

import (
	"io"
	"testing"
	"unsafe"
)

// TestMemFileReadRest: an in-memory member hands the rest of its string to
// a parser without a copy (parse/ovs keeps substrings of it), after any
// partial Read, and is at its end afterwards.
func TestMemFileReadRest(t *testing.T) {
	const data = "NXST_FLOW reply (xid=0x4):\n cookie=0x0, priority=0 actions=drop\n"
	m := newMemFS()
	m.add("sos_commands/openvswitch/flows", &memEntry{mode: 0o644, size: int64(len(data)), data: data})
	f, err := m.Open("sos_commands/openvswitch/flows")
	if err != nil {
		t.Fatal(err)
	}
	rr, ok := f.(interface{ ReadRest() string })
	if !ok {
		t.Fatalf("%T has no ReadRest", f)
	}
	head := make([]byte, 10)
	if n, err := f.Read(head); n != 10 || err != nil {
		t.Fatalf("Read: %d, %v", n, err)
	}
	rest := rr.ReadRest()
	if rest != data[10:] {
		t.Errorf("ReadRest = %q, want %q", rest, data[10:])
	}
	if unsafe.StringData(rest) != unsafe.StringData(data[10:]) {
		t.Error("ReadRest copied the member")
	}
	if n, err := f.Read(head); n != 0 || err != io.EOF {
		t.Errorf("Read after ReadRest: %d, %v; want 0, EOF", n, err)
	}
	if rr.ReadRest() != "" {
		t.Error("second ReadRest is not empty")
	}
}
