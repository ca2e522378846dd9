package cli

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files of fixtures/golden")

// TestGolden runs commands on the lab's bundles and compares their output
// with fixtures/golden (go test ./cmd/internal/cli -update rewrites them).
func TestGolden(t *testing.T) {
	healthy := filepath.Join("..", "..", "..", "fixtures", "bundles", "healthy")
	tunFlow := filepath.Join("..", "..", "..", "fixtures", "bundles", "tun-flow-missing")
	for _, tc := range []struct {
		golden string
		args   []string
		code   int
	}{
		{"summary-healthy.txt", []string{"summary", healthy}, ExitOK},
		{"summary-healthy.json", []string{"summary", "--json", healthy}, ExitOK},
		{"topology-healthy.txt", []string{"topology", healthy}, ExitOK},
		{"topology-healthy.dot", []string{"topology", "--format", "dot", healthy}, ExitOK},
		{"trace-healthy-vm1-vm4.txt", []string{"trace", healthy, "--from", "10.10.1.23", "--to", "10.10.1.132"}, ExitOK},
		{"trace-healthy-vm1-vm3-routed-both.txt", []string{"trace", healthy, "--both", "--from", "10.10.1.23", "--to", "10.10.2.240"}, ExitOK},
		{"trace-healthy-vm2-ext-snat-both.txt", []string{"trace", healthy, "--both", "--from", "10.10.1.156", "--to", "172.24.4.1", "--proto", "tcp:22"}, ExitOK},
		{"trace-healthy-ext-vm4-fip-tcp80.json", []string{"trace", "--json", healthy, "--both", "--from", "172.24.4.1", "--to", "172.24.4.41", "--proto", "tcp:80"}, ExitFindings},
		{"check-healthy.txt", []string{"check", healthy}, ExitOK},
		{"check-tun-flow-missing.json", []string{"check", "--json", "--fail-on", "error", tunFlow}, ExitFindings},
		{"trace-tun-flow-missing-vm4-vm1.txt", []string{"trace", tunFlow, "--from", "10.10.1.132", "--to", "10.10.1.23"}, ExitFindings},
	} {
		t.Run(tc.golden, func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := Main(tc.args, nil, &out, &errOut)
			if code != tc.code {
				t.Fatalf("exit %d, want %d; stderr:\n%s", code, tc.code, errOut.String())
			}
			path := filepath.Join("..", "..", "..", "fixtures", "golden", tc.golden)
			got := bytes.ReplaceAll(out.Bytes(), []byte(healthy), []byte("HEALTHY"))
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./cmd/internal/cli -run TestGolden -update)", err)
			}
			if diff := cmp.Diff(string(want), string(got)); diff != "" {
				t.Errorf("%s differs (-want +got):\n%s", tc.golden, diff)
			}
		})
	}
}
