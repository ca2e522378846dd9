package openflow

import "fmt"

// Get returns field name of p as ofproto/trace prints it ("fa:16:3e:…",
// "10.0.0.5", "0x3ed"), for callers that follow a packet out of one
// switch and into the next hop.
func (p *Packet) Get(name string) (string, error) {
	f := fields[name]
	if f == nil {
		return "", fmt.Errorf("unknown field %s", name)
	}
	return f.formatValue(f.get(p), ones(f.Bits)), nil
}
