package host

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"netxray/parse"
)

// PcapSidecar is the JSON file netxray's collector writes next to each
// capture (sos_commands/netxray/pcap/<name>.json): where and when it ran.
type PcapSidecar struct {
	Pos parse.Pos
	// Raw is the JSON text.
	Raw string

	Node      string
	Interface string // "eth2", "tap1234", "any"
	Namespace string // "" for the host's namespace
	// Start and End bound the capture (UTC); zero when missing or not
	// RFC 3339.
	Start, End time.Time
	// Seconds is the requested duration.
	Seconds float64
	// Filter is the tcpdump filter expression, "" for none.
	Filter string
	// Packets is what tcpdump reported capturing; nil when it did not say.
	Packets *int
	// ReturnCode is tcpdump's exit status (the collector maps timeout's
	// 124 to 0).
	ReturnCode int
	// Command is the command line that ran.
	Command string
	// Extra keeps fields this parser does not know, as JSON text, sorted by
	// key.
	Extra []Field

	Issues parse.Issues
}

// Field is one unknown JSON field of a sidecar.
type Field struct {
	Key   string
	Value string
}

// Records implements parse.Result: 1 once the object is read.
func (s *PcapSidecar) Records() int {
	if s.Raw == "" {
		return 0
	}
	return 1
}

// Problems implements parse.Result.
func (s *PcapSidecar) Problems() parse.Issues { return s.Issues }

// ParsePcapSidecar parses a capture sidecar, one JSON object:
//
//	{"node": "net1", "interface": "any", "namespace": "qrouter-907f4d76-...",
//	 "start": "2026-11-22T15:47:56.635726689Z", "end": "2026-11-22T15:48:04.686292060Z",
//	 "seconds": 8, "filter": "icmp or arp", "packets": 13, "return_code": 0,
//	 "command": "ip netns exec qrouter-907f4d76-... tcpdump -p -n -U -i any -w ..."}
//
// It returns an error wrapping parse.ErrFormat when the file is not a JSON
// object at all.
func ParsePcapSidecar(r io.Reader, file string) (s *PcapSidecar, err error) {
	defer parse.Recover(file, &err)
	data, err := io.ReadAll(io.LimitReader(r, parse.MaxLine+1))
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", file, err)
	}
	s = &PcapSidecar{Pos: parse.Pos{File: file, Line: 1}}
	start := len(data) - len(bytes.TrimLeft(data, " \t\r\n"))
	s.Pos.Line += bytes.Count(data[:start], []byte("\n"))
	trimmed := bytes.TrimSpace(data)
	switch {
	case len(data) > parse.MaxLine:
		s.Issues.Errorf(s.Pos, "sidecar longer than %d bytes skipped", parse.MaxLine)
		return s, nil
	case len(trimmed) == 0:
		s.Issues.Warnf(s.Pos, "empty capture sidecar")
		return s, nil
	case trimmed[0] != '{':
		return nil, fmt.Errorf("%s: %w: capture sidecar is not a JSON object", file, parse.ErrFormat)
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(trimmed, &fields); err != nil {
		pos := s.Pos
		var se *json.SyntaxError
		if errors.As(err, &se) {
			pos.Line += bytes.Count(trimmed[:min(int(se.Offset), len(trimmed))], []byte("\n"))
		}
		s.Issues.Errorf(pos, "invalid capture sidecar JSON: %v", err)
		return s, nil
	}
	s.Raw = string(bytes.ReplaceAll(trimmed, []byte("\r\n"), []byte("\n")))
	s.fill(fields)
	return s, nil
}

// fill assigns the known fields and keeps the others in Extra.
func (s *PcapSidecar) fill(fields map[string]json.RawMessage) {
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v := fields[k]
		var ok bool
		switch k {
		case "node":
			ok = decode(v, &s.Node)
		case "interface":
			ok = decode(v, &s.Interface)
		case "namespace":
			ok = decode(v, &s.Namespace)
		case "filter":
			ok = decode(v, &s.Filter)
		case "command":
			ok = decode(v, &s.Command)
		case "seconds":
			ok = decode(v, &s.Seconds)
		case "return_code":
			ok = decode(v, &s.ReturnCode)
		case "packets":
			ok = decode(v, &s.Packets)
		case "start", "end":
			ok = s.decodeTime(k, v)
		default:
			s.Extra = append(s.Extra, Field{k, string(v)})
			s.Issues.Warnf(s.Pos, "unknown capture sidecar field %q kept", k)
			continue
		}
		if !ok {
			s.Extra = append(s.Extra, Field{k, string(v)})
			s.Issues.Warnf(s.Pos, "capture sidecar field %q has an unexpected value %s", k, v)
		}
	}
	if s.Interface == "" {
		s.Issues.Warnf(s.Pos, "capture sidecar names no interface")
	}
}

// decode unmarshals v into dst, accepting null as "not given".
func decode[T any](v json.RawMessage, dst *T) bool {
	return json.Unmarshal(v, dst) == nil
}

func (s *PcapSidecar) decodeTime(k string, v json.RawMessage) bool {
	var txt string
	if json.Unmarshal(v, &txt) != nil {
		return false
	}
	if strings.TrimSpace(txt) == "" {
		return true
	}
	t, err := time.Parse(time.RFC3339Nano, txt)
	if err != nil {
		return false
	}
	if k == "start" {
		s.Start = t
	} else {
		s.End = t
	}
	return true
}
