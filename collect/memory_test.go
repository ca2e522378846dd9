package collect

import (
	"archive/tar"
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// writeBigSosreport streams a sosreport of about size bytes into w: the
// small trees of the era tests, one 96 MiB member the catalog wants (it is
// spilled to disk), and many large members it does not want (logs, /proc
// copies), which are read past without being kept. Nothing of that size is
// ever held in memory.
func writeBigSosreport(w io.Writer, small []byte, top string, size int64) error {
	tw := tar.NewWriter(w)
	tr := tar.NewReader(bytes.NewReader(small))
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		if _, err := io.Copy(tw, tr); err != nil {
			return err
		}
	}
	const flowsSize = 96 << 20
	if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: top + "/sos_commands/openvswitch/ovs-ofctl_dump-flows_br-ex", Size: flowsSize, Mode: 0o644}); err != nil {
		return err
	}
	if _, err := io.CopyN(tw, repeatReader(flows), flowsSize); err != nil {
		return err
	}
	const chunk = 64 << 20
	for i, left := 0, size-flowsSize-int64(len(small)); left > 0; i++ {
		name := fmt.Sprintf("%s/var/log/big-%03d.log", top, i)
		if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: name, Size: chunk, Mode: 0o644}); err != nil {
			return err
		}
		if _, err := io.CopyN(tw, repeatReader("Jan 15 10:00:00 compute-1 kernel: irrelevant log line\n"), chunk); err != nil {
			return err
		}
		left -= chunk
	}
	return tw.Close()
}

// repeatReader repeats s forever.
func repeatReader(s string) io.Reader {
	buf := bytes.Repeat([]byte(s), 64<<10/len(s)+1)
	return &cycle{buf: buf}
}

type cycle struct {
	buf []byte
	off int
}

func (c *cycle) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		k := copy(p[n:], c.buf[c.off:])
		n += k
		c.off = (c.off + k) % len(c.buf)
	}
	return n, nil
}

// TestBigSosreportBoundedMemory opens a 2 GiB sosreport streamed through a
// pipe and checks the heap stays far below its size.
func TestBigSosreportBoundedMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("2 GiB stream: skipped in -short mode")
	}
	const size = 2 << 30
	pr, pw := io.Pipe()
	small := sos45Tree().tarBytes(t, sosTop)
	go func() { pw.CloseWithError(writeBigSosreport(pw, small, sosTop, size)) }()

	// Start from a collected heap: earlier tests leave garbage behind.
	runtime.GC()
	var base runtime.MemStats
	runtime.ReadMemStats(&base)
	var peak atomic.Uint64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > peak.Load() {
				peak.Store(ms.HeapInuse)
			}
			select {
			case <-stop:
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	}()
	var read int64
	start := time.Now()
	b, err := OpenReader(pr, "big.tar", WithTempDir(t.TempDir()), WithProgress(func(done, _ int64) { read = done }))
	close(stop)
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	grew := peak.Load() - min(peak.Load(), base.HeapInuse)
	t.Logf("read %d MiB in %v, heap in use %d MiB before, peak %d MiB", read>>20, time.Since(start).Round(time.Millisecond), base.HeapInuse>>20, peak.Load()>>20)
	if read < size-progressStep {
		t.Errorf("read %d bytes, want the whole %d", read, size)
	}
	if grew > 64<<20 {
		t.Errorf("heap grew by %d MiB for a 2 GiB sosreport, want under 64 MiB", grew>>20)
	}
	n := b.Nodes[0]
	s, _ := n.Source(KindOFCtlDumpFlows, "br-ex")
	if s.Status != StatusPresent {
		t.Fatalf("big member: %+v", s)
	}
	if fi, err := fs.Stat(n.FS, s.Path); err != nil || fi.Size() != 96<<20 {
		t.Errorf("big member: %v, %v", fi, err)
	}
}
