package capture

import (
	"io"

	"netxray/parse"
)

// KindPcap is the kind of capture files (the name collect/kinds.go uses).
const KindPcap parse.Kind = "pcap"

// Formats lists the formats of this package for generic callers.
var Formats = []parse.Format{
	{
		Kind: KindPcap,
		Doc:  "packet capture, pcap or pcapng (tcpdump -w, sos_commands/netxray/pcap/*.pcap)",
		Parse: func(r io.Reader, file string) (parse.Result, error) {
			c, err := ParsePcap(r, file)
			if err != nil {
				return nil, err
			}
			return c, nil
		},
		Sniff: sniffPcap,
	},
}
