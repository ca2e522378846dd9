// Package capture reads packet captures (libpcap .pcap, microsecond or
// nanosecond, either byte order, and pcapng) with gopacket's pure-Go
// pcapgo reader, and decodes every packet into a small summary the
// analyzer can reason about: Ethernet or Linux cooked (SLL/SLL2, tcpdump
// -i any) header, 802.1Q/QinQ tags, ARP, IPv4/IPv6, ICMP/ICMPv6 (with the
// MTU of frag-needed and packet-too-big), TCP (flags, MSS), UDP, DHCP, and
// VXLAN (UDP 4789 or 8472), Geneve and GRE tunnels with the inner frame
// decoded the same way.
//
// A capture is binary, so positions are packet numbers: Pos.Line is the
// 1-based number of the packet in the file (what Wireshark shows as
// "No."), and every issue about a packet is at that number. A packet's Raw
// is its one-line summary (Frame.String), since there is no text to quote.
//
// Captures taken with a short snap length are normal: a packet cut by the
// snap length is marked Truncated and decoded as far as its bytes go,
// without an issue. A file that ends inside a packet (a capture cut short)
// keeps every packet before it and gets one issue at the broken packet.
//
// The JSON sidecar netxray's collector writes next to each capture is
// parsed by package parse/host.
package capture
