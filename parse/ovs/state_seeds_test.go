package ovs

import (
	"testing"

	"netxray/parse"
)

// stSeeds are the outputs of this package's formats quoted in the seed
// write-ups (../shared/seeds), by line range. Pasted copies lost their
// indentation (001, 002) or were abridged by their authors (001 "...",
// 003 "(略)" and elided Interface lines): those lines are the expected
// issues.
var stSeeds = []struct {
	block  ofSeedBlock
	kind   parse.Kind
	issues []string
}{
	{ofSeedBlock{"000_a9f12e0c83de08d8.txt", 198, 199, 2}, "ovs-dpctl-dump-conntrack", nil},
	{ofSeedBlock{"000_a9f12e0c83de08d8.txt", 295, 295, 1}, "ovs-dpctl-dump-conntrack", nil},
	{ofSeedBlock{"000_a9f12e0c83de08d8.txt", 274, 280, 3}, "ovs-ofctl-dump-ports", nil},
	{ofSeedBlock{"001_a2c8ad67aaf93afb.txt", 186, 198, 5}, "ovs-vsctl-show", []string{"194:error:not an ovs-vsctl show line"}},
	{ofSeedBlock{"002_bc297f9a21ffb248.txt", 86, 97, 5}, "ovs-vsctl-show", nil},
	{ofSeedBlock{"002_bc297f9a21ffb248.txt", 99, 110, 5}, "ovs-vsctl-show", nil},
	{ofSeedBlock{"002_bc297f9a21ffb248.txt", 132, 145, 7}, "ovs-vsctl-show", nil},
	{ofSeedBlock{"002_bc297f9a21ffb248.txt", 147, 160, 7}, "ovs-vsctl-show", nil},
	{ofSeedBlock{"002_bc297f9a21ffb248.txt", 232, 239, 5}, "ovs-vsctl-show", nil},
	{ofSeedBlock{"002_bc297f9a21ffb248.txt", 241, 258, 1}, "ovs-vsctl-list", nil},
	{ofSeedBlock{"003_92e59aed2b28e724.txt", 95, 115, 17}, "ovs-vsctl-show", []string{
		"97:warning:value kept as text", "97:warning:unexpected column options",
		"99:warning:unexpected column options",
		"102:warning:value kept as text", "102:warning:unexpected column options",
		"114:warning:unexpected column options",
	}},
}

func TestStateSeeds(t *testing.T) {
	for _, s := range stSeeds {
		b := s.block
		text := ofSeedText(t, b)
		res := stParse(t, s.kind, []byte(text), b.file)
		if res.Records() != b.records {
			t.Errorf("%s:%d-%d: %d records, want %d", b.file, b.first, b.last, res.Records(), b.records)
		}
		ofCheckIssues(t, res.Problems(), s.issues)
		stCheckCoverage(t, text, res.Problems(), stUnderstood(res))
	}
}
