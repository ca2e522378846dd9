package openflow

import (
	"encoding/json"
	"strings"
	"testing"
)

// What the simulator does not model is said in the trace at the step where
// it matters, marks the result uncertain and lists it in Notes; nothing is
// skipped silently.
func TestUnsupportedSaidAtStep(t *testing.T) {
	for _, tc := range []struct {
		name, flows, flow string
		// want is the exact text block expected in the trace (step line
		// without its [file:line] citation, then the lines under it).
		want string
		note string // "": the trace must stay certain
	}{
		{
			name:  "unknown action",
			flows: "table=0 actions=push_mpls:0x8847,output:2",
			flow:  "in_port=1",
			want:  "    push_mpls:0x8847\n     >> unsupported action push_mpls:0x8847, trace result uncertain\n    output:2\n",
			note:  "unsupported action push_mpls:0x8847, trace result uncertain",
		},
		{
			name:  "unreadable action argument",
			flows: "table=0 actions=mod_vlan_vid:5000,output:2",
			flow:  "in_port=1",
			want:  "    mod_vlan_vid:5000\n     >> unsupported action mod_vlan_vid:5000 (bad VLAN id \"5000\"), trace result uncertain\n",
			note:  `unsupported action mod_vlan_vid:5000 (bad VLAN id "5000"), trace result uncertain`,
		},
		{
			name:  "unsupported ct argument",
			flows: "table=0 actions=ct(commit,zone=1,frob=3),output:2",
			flow:  "ip,in_port=1",
			want:  "    ct(commit,zone=1,frob=3)\n     >> unsupported action ct(commit,zone=1,frob=3) (unsupported ct argument \"frob=3\"), trace result uncertain\n",
			note:  "unsupported ct argument",
		},
		{
			name:  "nested in clone",
			flows: "table=0 actions=clone(push_mpls:0x8847,output:2)",
			flow:  "in_port=1",
			want:  "        push_mpls:0x8847\n         >> unsupported action push_mpls:0x8847, trace result uncertain\n",
			note:  "unsupported action push_mpls:0x8847",
		},
		{
			name:  "select group bucket choice",
			flows: "table=0 actions=group:1",
			flow:  "in_port=1",
			want:  " >> group 1 of type select: the bucket OVS picks depends on a hash; taking bucket 0, trace result uncertain\n",
			note:  "group 1 of type select",
		},
		{
			name:  "unknown match field that might win",
			flows: "table=0,priority=5,tun_metadata3=0x1 actions=output:1\ntable=0,priority=1 actions=output:2",
			flow:  "in_port=3",
			want:  " 0. priority 1 [br0.txt:2]\n     >> flow at br0.txt:1 (priority 5) might match instead: unsupported match field tun_metadata3, trace result uncertain\n    output:2\n",
			note:  "might match instead",
		},
		{
			name:  "unknown match field on a table miss",
			flows: "table=0,priority=5,ip,frobnicate=1 actions=output:1",
			flow:  "ip,in_port=3",
			want:  " 0. No match.\n    drop\n     >> flow at br0.txt:1 (priority 5) might match instead: unknown match field frobnicate, trace result uncertain\n",
			note:  "unknown match field frobnicate",
		},
		{
			// The evaluable part (ip) rules the flow out: nothing to say.
			name:  "unknown match field ruled out",
			flows: "table=0,priority=5,ip,frobnicate=1 actions=output:1\ntable=0,priority=1 actions=output:2",
			flow:  "arp,in_port=3",
			want:  " 0. priority 1 [br0.txt:2]\n    output:2\n",
		},
		{
			// A lower-priority unknown flow cannot beat the match.
			name:  "unknown match field outranked",
			flows: "table=0,priority=1,frobnicate=1 actions=output:1\ntable=0,priority=5 actions=output:2",
			flow:  "in_port=3",
			want:  " 0. priority 5 [br0.txt:2]\n    output:2\n",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sw := sw1(t, basicPorts, tc.flows)
			sw.Bridges[0].Groups = []Group{{ID: 1, Type: "select", Buckets: []Bucket{{ID: 0, WatchPort: -1}, {ID: 1, WatchPort: -1}}}}
			r := mustTrace(t, sw, "br0", tc.flow, TraceOptions{})
			var b strings.Builder
			if err := r.WriteText(&b); err != nil {
				t.Fatal(err)
			}
			text := b.String()
			if !strings.Contains(text, tc.want) {
				t.Errorf("trace lacks\n%s\ngot:\n%s", tc.want, text)
			}
			if tc.note == "" {
				if r.Uncertain || len(r.Notes) > 0 || strings.Contains(text, "uncertain") {
					t.Errorf("trace is uncertain (%v) but should not be:\n%s", r.Notes, text)
				}
				return
			}
			if !r.Uncertain || !strings.Contains(strings.Join(r.Notes, "\n"), tc.note) {
				t.Errorf("Uncertain=%v Notes=%q, want a note with %q", r.Uncertain, r.Notes, tc.note)
			}
			if !strings.Contains(text, "\nTrace result uncertain:\n") {
				t.Errorf("no uncertainty summary:\n%s", text)
			}
			js, err := json.Marshal(r)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(js), `"uncertain":true`) || !strings.Contains(string(js), `"notes":[`) {
				t.Errorf("JSON lacks uncertain/notes: %s", js)
			}
		})
	}
}
