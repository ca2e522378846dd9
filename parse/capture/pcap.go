package capture

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"
	"github.com/google/gopacket/pcapgo"

	"netxray/parse"
)

// Capture is one capture file.
type Capture struct {
	// Format is "pcap" or "pcapng".
	Format string `json:"format"`
	// LinkType is the link type of the file (pcap) or of its first
	// interface (pcapng): "Ethernet", "Linux SLL", "Linux SLL2", ...;
	// LinkTypeNum is its number (1, 113, 276).
	LinkType    string `json:"link_type"`
	LinkTypeNum int    `json:"link_type_num"`
	// Snaplen is the snapshot length: longer packets were cut.
	Snaplen uint32 `json:"snaplen"`
	// Nanosecond is set when timestamps have nanosecond resolution.
	Nanosecond bool `json:"nanosecond,omitempty"`
	// Interfaces lists a pcapng file's interfaces (empty for pcap).
	Interfaces []Interface `json:"interfaces,omitempty"`

	Packets []Packet     `json:"packets"`
	Issues  parse.Issues `json:"issues,omitempty"`
}

// Interface is one pcapng interface description.
type Interface struct {
	Name        string `json:"name,omitempty"`
	LinkType    string `json:"link_type"`
	LinkTypeNum int    `json:"link_type_num"`
	Snaplen     uint32 `json:"snaplen"`
}

// Packet is one captured packet.
type Packet struct {
	// Pos.Line is the packet's 1-based number in the file.
	Pos parse.Pos `json:"pos"`
	// Raw is the packet's one-line summary (Frame.String).
	Raw  string    `json:"raw"`
	Time time.Time `json:"time"`
	// Length is the packet's length on the wire, CapLen the bytes kept.
	Length int `json:"length"`
	CapLen int `json:"cap_len"`
	// Truncated is set when the snap length cut the packet (CapLen <
	// Length); decoding stopped where the bytes did.
	Truncated bool `json:"truncated,omitempty"`
	// Interface is the pcapng interface index (0 for pcap).
	Interface int `json:"interface,omitempty"`

	Frame
}

// Records implements parse.Result: the number of packets.
func (c *Capture) Records() int { return len(c.Packets) }

// Problems implements parse.Result.
func (c *Capture) Problems() parse.Issues { return c.Issues }

// Magic numbers of the capture formats, as the first four bytes read
// little-endian.
const (
	magicPcapMicro   = 0xa1b2c3d4
	magicPcapNano    = 0xa1b23c4d
	magicPcapMicroBE = 0xd4c3b2a1
	magicPcapNanoBE  = 0x4d3cb2a1
	magicPcapng      = 0x0a0d0d0a
)

// linkTypeSLL2 is LINKTYPE_LINUX_SLL2, which tcpdump ≥ 4.99 writes for
// "-i any" and gopacket v1.1.19 does not know.
const linkTypeSLL2 = 276

// ParsePcap reads a capture written by tcpdump -w (or dumpcap, or any
// libpcap/pcapng writer). Its first bytes are the magic number:
//
//	d4 c3 b2 a1  pcap, microseconds, little-endian
//	4d 3c b2 a1  pcap, nanoseconds, little-endian
//	0a 0d 0d 0a  pcapng section header block
//
// A file holding text instead (tcpdump's error when the capture could not
// start) is reported as a failed command; any other content is not a
// capture and returns an error wrapping parse.ErrFormat.
func ParsePcap(r io.Reader, file string) (c *Capture, err error) {
	defer parse.Recover(file, &err)
	c = &Capture{}
	br := bufio.NewReaderSize(r, 64<<10)
	head, err := br.Peek(4)
	if len(head) < 4 {
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("reading %s: %w", file, err)
		}
		if len(head) > 0 {
			return nil, fmt.Errorf("%s: %d bytes are not a capture: %w", file, len(head), parse.ErrFormat)
		}
		c.Issues.Addf(parse.Pos{File: file}, parse.SevInfo, "empty file: no capture header")
		return c, nil
	}
	switch binary.LittleEndian.Uint32(head) {
	case magicPcapng:
		c.Format = "pcapng"
		bf := &blockFilter{r: br}
		return c, c.readNg(bf, file)
	case magicPcapMicro, magicPcapNano, magicPcapMicroBE, magicPcapNanoBE:
		c.Format = "pcap"
		return c, c.readPcap(br, file)
	}
	if text, ok := printable(br); ok {
		c.failed(text, file)
		return c, nil
	}
	return nil, fmt.Errorf("%s: magic %x is not a pcap or pcapng capture: %w", file, head, parse.ErrFormat)
}

// packetSource is what pcapgo's two readers have in common.
type packetSource interface {
	ReadPacketData() ([]byte, gopacket.CaptureInfo, error)
}

func (c *Capture) readPcap(r *bufio.Reader, file string) error {
	// gopacket keeps the link type in a byte; read the header's 32 bits.
	hdrLinkType, nano := -1, false
	if h, err := r.Peek(24); err == nil {
		m := binary.LittleEndian.Uint32(h)
		nano = m == magicPcapNano || m == magicPcapNanoBE
		order := binary.ByteOrder(binary.LittleEndian)
		if m == magicPcapMicroBE || m == magicPcapNanoBE {
			order = binary.BigEndian
		}
		hdrLinkType = int(order.Uint32(h[20:24]) & 0x0fffffff) // the top bits are FCS flags
	}
	pr, err := pcapgo.NewReader(r)
	if err != nil {
		c.Issues.Errorf(parse.Pos{File: file}, "unreadable pcap file header: %v", err)
		return nil
	}
	lt := fullLinkType(pr.LinkType(), hdrLinkType)
	c.LinkType, c.LinkTypeNum = linkTypeName(lt), lt
	c.Snaplen = pr.Snaplen()
	// pcapgo v1.1.19's Resolution is inverted: trust the magic.
	c.Nanosecond = nano
	if s := pr.Snaplen(); s == 0 || s > maxCapLen {
		pr.SetSnaplen(maxCapLen) // pcapgo allocates what a record claims, up to the snap length
	}
	return c.readPackets(pr, func() error { return nil }, file, func(int) int { return lt })
}

// fullLinkType undoes gopacket's uint8 LinkType: hdr is the link type as
// the file holds it (-1 when unknown, for pcapng, whose only link type
// above 255 in practice is SLL2).
func fullLinkType(lt layers.LinkType, hdr int) int {
	switch {
	case hdr >= 0:
		return hdr
	case int(lt) == linkTypeSLL2&0xff:
		return linkTypeSLL2
	}
	return int(lt)
}

func (c *Capture) readNg(bf *blockFilter, file string) error {
	nr, err := pcapgo.NewNgReader(bf, pcapgo.NgReaderOptions{WantMixedLinkType: true})
	if err != nil {
		if bf.end != nil && !errors.Is(bf.end, errCut) {
			c.Issues.Errorf(parse.Pos{File: file}, "unreadable pcapng header: %v", bf.end)
			return nil
		}
		if isEOF(err) || errors.Is(err, io.EOF) {
			c.Issues.Warnf(parse.Pos{File: file}, "pcapng file ends before its first interface: no packets")
			return nil
		}
		c.Issues.Errorf(parse.Pos{File: file}, "unreadable pcapng header: %v", err)
		return nil
	}
	lt := fullLinkType(nr.LinkType(), -1)
	c.LinkType, c.LinkTypeNum = linkTypeName(lt), lt
	c.addNgInterfaces(nr)
	if len(c.Interfaces) > 0 {
		c.Snaplen = c.Interfaces[0].Snaplen
		res, _ := nr.Interface(0)
		c.Nanosecond = !res.TimestampResolution.Binary() && res.TimestampResolution.Exponent() == 9
	}
	return c.readPackets(nr, func() error { return bf.end }, file, func(i int) int {
		if iface, err := nr.Interface(i); err == nil {
			return fullLinkType(iface.LinkType, -1)
		}
		return lt
	})
}

// addNgInterfaces records the interfaces the pcapng reader has seen so
// far (interface blocks may come after packets).
func (c *Capture) addNgInterfaces(nr *pcapgo.NgReader) {
	for i := len(c.Interfaces); i < nr.NInterfaces(); i++ {
		iface, err := nr.Interface(i)
		if err != nil {
			break
		}
		lt := fullLinkType(iface.LinkType, -1)
		c.Interfaces = append(c.Interfaces, Interface{
			Name: iface.Name, LinkType: linkTypeName(lt), LinkTypeNum: lt, Snaplen: iface.SnapLength,
		})
	}
}

// readPackets reads and decodes packets until EOF or a broken record.
// end tells why a plain io.EOF came: nil for the end of the file, errCut
// inside a record, another error for a corrupt record.
func (c *Capture) readPackets(src packetSource, end func() error, file string, linkOf func(iface int) int) error {
	for n := 1; ; n++ {
		data, ci, err := src.ReadPacketData()
		pos := parse.Pos{File: file, Line: n}
		if err != nil {
			why := end()
			switch {
			case errors.Is(err, io.EOF) && why == nil:
			case isEOF(err) || errors.Is(why, errCut):
				c.Issues.Warnf(pos, "file ends inside packet %d (capture cut short); the %d packets before it are kept", n, n-1)
			case why != nil:
				c.Issues.Errorf(pos, "packet %d unreadable, rest of the file skipped: %v", n, why)
			default:
				c.Issues.Errorf(pos, "packet %d unreadable, rest of the file skipped: %v", n, err)
			}
			return nil
		}
		if nr, ok := src.(*pcapgo.NgReader); ok {
			c.addNgInterfaces(nr)
		}
		pk := Packet{
			Pos: pos, Time: ci.Timestamp.UTC(), Length: ci.Length, CapLen: ci.CaptureLength,
			Truncated: ci.CaptureLength < ci.Length, Interface: ci.InterfaceIndex,
		}
		pk.Frame = decode(data, linkOf(ci.InterfaceIndex))
		if bad := pk.Frame.malformed(); bad != nil {
			if pk.Truncated {
				bad.Cut, bad.Malformed = bad.Malformed, ""
			} else {
				c.Issues.Warnf(pos, "packet %d: %s", n, bad.Malformed)
			}
		}
		pk.Raw = pk.Frame.String()
		c.Packets = append(c.Packets, pk)
	}
}

// isEOF reports an end of file in the middle of a record.
func isEOF(err error) bool {
	return errors.Is(err, io.ErrUnexpectedEOF) || (err != nil && strings.Contains(err.Error(), "unexpected EOF"))
}

// printable returns the first line of r when r starts with text.
func printable(br *bufio.Reader) (string, bool) {
	head, _ := br.Peek(512)
	if !utf8.Valid(head) && !utf8.Valid(head[:max(0, len(head)-3)]) {
		return "", false
	}
	for _, b := range head {
		if b < 0x20 && b != '\n' && b != '\r' && b != '\t' {
			return "", false
		}
	}
	line, _, _ := bytes.Cut(head, []byte("\n"))
	return strings.TrimSpace(string(line)), true
}

// failed records the text a failed capture command left in the file.
func (c *Capture) failed(text, file string) {
	c.Issues.Addf(parse.Pos{File: file, Line: 1}, parse.SevInfo, "command failed, no capture: %s", text)
}

var linkTypeNames = map[int]string{
	0: "BSD loopback", 1: "Ethernet", 12: "Raw IP", 14: "Raw IP", 101: "Raw IP",
	108: "OpenBSD loopback", 113: "Linux SLL", 228: "IPv4", 229: "IPv6", linkTypeSLL2: "Linux SLL2",
}

// linkTypeName names a link type as tcpdump does.
func linkTypeName(lt int) string {
	if n, ok := linkTypeNames[lt]; ok {
		return n
	}
	return fmt.Sprintf("link type %d", lt)
}

func sniffPcap(head []byte) bool {
	if len(head) < 4 {
		return false
	}
	switch binary.LittleEndian.Uint32(head) {
	case magicPcapng, magicPcapMicro, magicPcapNano, magicPcapMicroBE, magicPcapNanoBE:
		return true
	}
	return false
}
