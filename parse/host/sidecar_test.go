package host

import (
	"errors"
	"strings"
	"testing"
	"time"

	"netxray/parse"
)

func TestParsePcapSidecar(t *testing.T) {
	const lab = `{"node": "net1", "interface": "any", "namespace": "qrouter-907f4d76", "start": "2026-11-22T15:47:56.635726689Z", "end": "2026-11-22T15:48:04.686292060Z", "seconds": 8, "filter": "icmp or arp", "packets": 13, "return_code": 0, "command": "ip netns exec qrouter-907f4d76 tcpdump -p -n -U -i any -w qrouter-907f4d76_any.pcap icmp or arp"}`
	thirteen := 13
	tests := []struct {
		name       string
		input      string
		want       PcapSidecar
		wantIssues parse.Issues
	}{
		{"lab", lab + "\n", PcapSidecar{Pos: p(1), Raw: lab, Node: "net1", Interface: "any", Namespace: "qrouter-907f4d76",
			Start:   time.Date(2026, 11, 22, 15, 47, 56, 635726689, time.UTC),
			End:     time.Date(2026, 11, 22, 15, 48, 4, 686292060, time.UTC),
			Seconds: 8, Filter: "icmp or arp", Packets: &thirteen,
			Command: "ip netns exec qrouter-907f4d76 tcpdump -p -n -U -i any -w qrouter-907f4d76_any.pcap icmp or arp"}, nil},
		{"no packet count, no fraction, unknown field, bad time",
			"\n{\"interface\": \"eth2\", \"packets\": null, \"start\": \"2026-11-22T15:47:56Z\", \"end\": \"yesterday\",\n \"return_code\": 1, \"x\": [1]}",
			PcapSidecar{Pos: p(2), Raw: "{\"interface\": \"eth2\", \"packets\": null, \"start\": \"2026-11-22T15:47:56Z\", \"end\": \"yesterday\",\n \"return_code\": 1, \"x\": [1]}",
				Interface: "eth2", Start: time.Date(2026, 11, 22, 15, 47, 56, 0, time.UTC), ReturnCode: 1,
				Extra: []Field{{"end", `"yesterday"`}, {"x", "[1]"}}},
			parse.Issues{
				issue(2, parse.SevWarning, `capture sidecar field "end" has an unexpected value "yesterday"`),
				issue(2, parse.SevWarning, `unknown capture sidecar field "x" kept`),
			}},
		{"truncated", "{\"node\": \"a\",\n \"interface\": ", PcapSidecar{Pos: p(1)},
			parse.Issues{issue(2, parse.SevError, "invalid capture sidecar JSON: unexpected end of JSON input")}},
		{"empty", " \n", PcapSidecar{Pos: p(2)}, parse.Issues{issue(2, parse.SevWarning, "empty capture sidecar")}},
		{"no interface", `{"node": "a"}`, PcapSidecar{Pos: p(1), Raw: `{"node": "a"}`, Node: "a"},
			parse.Issues{issue(1, parse.SevWarning, "capture sidecar names no interface")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParsePcapSidecar(strings.NewReader(tt.input), "f")
			issues := got.Issues
			got.Issues = nil
			check(t, *got, tt.want, issues, tt.wantIssues, err)
		})
	}
}

func TestParsePcapSidecarNotJSON(t *testing.T) {
	_, err := ParsePcapSidecar(strings.NewReader("\xd4\xc3\xb2\xa1 pcap"), "f")
	if !errors.Is(err, parse.ErrFormat) {
		t.Fatalf("err = %v, want ErrFormat", err)
	}
}
