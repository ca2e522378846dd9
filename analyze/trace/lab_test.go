package trace

import (
	"bufio"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"netxray/analyze/model"
	"netxray/collect"
)

func labModel(t testing.TB, scenario string) *model.Model {
	t.Helper()
	b, err := collect.Open(filepath.Join("..", "..", "fixtures", "bundles", scenario))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return model.Build(b)
}

// matrixRow is one live measurement of the lab (fixtures/bundles/*/matrix.tsv).
type matrixRow struct{ src, dst, addr, test, result string }

func readMatrix(t testing.TB, path string) []matrixRow {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var rows []matrixRow
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		c := strings.Split(sc.Text(), "\t")
		if len(c) != 5 || c[0] == "src" {
			continue
		}
		rows = append(rows, matrixRow{c[0], c[1], c[2], c[3], c[4]})
	}
	return rows
}

// labIPs maps the lab's VM names to their fixed IPs, read from the matrix
// itself (the address a VM is pinged at by another VM), and "ext" to the
// external host.
func labIPs(rows []matrixRow) map[string]string {
	ips := map[string]string{}
	for _, r := range rows {
		if r.src != "ext" {
			ips[r.dst] = r.addr
		}
	}
	return ips
}

// pending says the trace did not decide: it needs a part of netxray that
// is not written yet, and says so.
func pending(r *Result) bool {
	if r.Reply != nil && pending(r.Reply) {
		return true
	}
	if strings.Contains(r.Reason, "not evaluated yet") {
		return true
	}
	for _, a := range r.Assumptions {
		if strings.Contains(a, "not evaluated yet") {
			return true
		}
	}
	return false
}

type expectFile struct {
	Injected struct {
		Node  string `yaml:"node"`
		Where string `yaml:"where"`
	} `yaml:"injected"`
}

// TestLabMatrix traces every pair and test of every scenario's live
// connectivity matrix and compares the verdict with what the lab measured.
// Results that depend on parts not written yet (and say so) are counted as
// pending; every other disagreement fails.
func TestLabMatrix(t *testing.T) {
	dirs, _ := filepath.Glob(filepath.Join("..", "..", "fixtures", "bundles", "*", "expect.yaml"))
	if len(dirs) == 0 {
		t.Fatal("no lab scenarios under fixtures/bundles")
	}
	total := map[string]int{}
	for _, exp := range dirs {
		dir := filepath.Dir(exp)
		name := filepath.Base(dir)
		if _, err := os.Stat(filepath.Join(dir, "matrix.tsv")); err != nil {
			continue
		}
		t.Run(name, func(t *testing.T) {
			var ex expectFile
			if data, err := os.ReadFile(exp); err == nil {
				_ = yaml.Unmarshal(data, &ex)
			}
			for k, v := range checkMatrix(t, name, labModel(t, name), filepath.Join(dir, "matrix.tsv"), ex.Injected.Node) {
				total[k] += v
			}
		})
	}
	t.Logf("all scenarios: %d agree, %d pending, %d mismatch", total["agree"], total["pending"], total["mismatch"])
}

// TestFreshLabMatrix does the same for bundles the CI lab job has just
// collected from a lab built from scratch (new UUIDs, MACs and addresses),
// with the matrix that lab measured: $NETXRAY_FRESH_LAB names a directory
// holding the nodes' tarballs and matrix.tsv.
func TestFreshLabMatrix(t *testing.T) {
	dir := os.Getenv("NETXRAY_FRESH_LAB")
	if dir == "" {
		t.Skip("NETXRAY_FRESH_LAB is not set (the CI lab job sets it)")
	}
	b, err := collect.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	c := checkMatrix(t, "fresh lab", model.Build(b), filepath.Join(dir, "matrix.tsv"), "")
	if c["agree"] == 0 || c["pending"]+c["mismatch"] > 0 {
		t.Errorf("fresh lab: %v", c)
	}
}

// checkMatrix traces every row of a live matrix on m and counts agree,
// pending and mismatch; a mismatch fails the test, and so does an agreed
// failure whose reason does not name node (when node is set).
func checkMatrix(t *testing.T, name string, m *model.Model, matrix, node string) map[string]int {
	t.Helper()
	tr := New(m)
	rows := readMatrix(t, matrix)
	ips := labIPs(rows)
	count := map[string]int{}
	for _, r := range rows {
		from := ips[r.src]
		if r.src == "ext" {
			from = "172.24.4.1"
		}
		opts := Options{Proto: "icmp", Both: true}
		switch r.test {
		case "ping-mtu":
			opts.Size = networkMTU(m, from)
		case "tcp22":
			opts = Options{Proto: "tcp", Port: 22, Both: true}
		case "tcp80":
			opts = Options{Proto: "tcp", Port: 80, Both: true}
		}
		res, err := tr.Run(from, r.addr, opts)
		if err != nil {
			t.Errorf("%s→%s %s: %v", r.src, r.dst, r.test, err)
			continue
		}
		live := r.result == "ok"
		got := res.Verdict == Delivered
		switch {
		case pending(res) && (live != got || !got):
			count["pending"]++
		case live == got:
			count["agree"]++
			if !live && r.test != "tcp80" && node != "" && node != "all" && !strings.Contains(res.Reason, node) {
				t.Errorf("%s→%s %s: failure agreed but the reason does not name %s: %s", r.src, r.dst, r.test, node, res.Reason)
			}
		default:
			count["mismatch"]++
			t.Errorf("%s→%s (%s) %s: live %s, trace %s: %s", r.src, r.dst, r.addr, r.test, r.result, res.Verdict, res.Reason)
		}
	}
	t.Logf("%s: %d rows: %d agree, %d pending, %d mismatch", name, len(rows), count["agree"], count["pending"], count["mismatch"])
	return count
}

// networkMTU is the MTU of the router port of ip's subnet: the network's
// MTU, which the lab's ping-mtu test fills.
func networkMTU(m *model.Model, ip string) int {
	addr, err := netip.ParseAddr(ip)
	if err != nil {
		return 0
	}
	for _, n := range m.Nodes {
		for _, ns := range n.Namespaces {
			for _, ifc := range ns.Interfaces {
				for _, a := range ifc.Addrs {
					if strings.HasPrefix(ifc.Name, "qr-") && a.Prefix.Masked().Contains(addr) {
						return ifc.MTU
					}
				}
			}
		}
	}
	return 0
}
