package trace

import (
	"testing"
)

// BenchmarkAllPairs traces every ordered pair of the healthy lab's VMs
// (ICMP, both directions) on a model built once; it reports traces/s.
func BenchmarkAllPairs(b *testing.B) {
	m := labModel(b, "healthy")
	var vms []string
	for _, n := range m.Nodes {
		for _, vm := range n.VMs {
			for _, nic := range vm.NICs {
				vms = append(vms, nic.MAC)
			}
		}
	}
	tr := New(m)
	traces := 0
	b.ResetTimer()
	for b.Loop() {
		for _, from := range vms {
			for _, to := range vms {
				if from == to {
					continue
				}
				if _, err := tr.Run(from, to, Options{Both: true}); err != nil {
					b.Fatal(err)
				}
				traces++
			}
		}
	}
	b.ReportMetric(float64(traces)/b.Elapsed().Seconds(), "traces/s")
}
