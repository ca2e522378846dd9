package trace

import (
	"strings"
	"testing"
)

// A trace that needs what the bundle lacks ends in data-missing naming
// it, never in a confident verdict.
func TestDataMissing(t *testing.T) {
	for _, tc := range []struct {
		name   string
		remove func(t *testing.T, tr *Tracer)
		want   string
	}{
		{"flow dump of br-tun on cmp2", func(t *testing.T, tr *Tracer) {
			tr.m.Node("cmp2").Bridge("br-tun").Flows = nil
		}, "no flow dump of br-tun"},
		{"routes of cmp1's qrouter", func(t *testing.T, tr *Tracer) {
			for _, ns := range tr.m.Node("cmp1").Namespaces {
				if ns.Kind == "qrouter" {
					ns.Capped = true
				}
			}
		}, "was not collected"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := labModel(t, "healthy")
			tr := New(m)
			tc.remove(t, tr)
			// vm1 (cmp1) → vm6 (cmp2, other subnet): routed on cmp1,
			// tunnelled to cmp2.
			res, err := tr.Run("10.10.1.23", "10.10.2.128", Options{})
			if err != nil {
				t.Fatal(err)
			}
			if res.Verdict != DataMissing || !strings.Contains(res.Reason, tc.want) {
				t.Errorf("verdict %s (%s), want data-missing naming %q", res.Verdict, res.Reason, tc.want)
			}
		})
	}
}
