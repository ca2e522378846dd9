package rules

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"netxray/analyze/model"
	"netxray/collect"
	"netxray/parse/bridge"
	"netxray/parse/ovs"
)

// Lab bundles are opened once per test binary (decompressing them is the
// slow part) and a fresh model is built from them for every test, which
// may then change it.
var (
	bundleMu sync.Mutex
	bundles  = map[string]*collect.Bundle{}
)

func TestMain(m *testing.M) {
	code := m.Run()
	for _, b := range bundles {
		b.Close()
	}
	os.Exit(code)
}

func labBundle(t testing.TB, scenario string) *collect.Bundle {
	t.Helper()
	bundleMu.Lock()
	defer bundleMu.Unlock()
	if b, ok := bundles[scenario]; ok {
		return b
	}
	b, err := collect.Open(filepath.Join("..", "..", "fixtures", "bundles", filepath.FromSlash(scenario)))
	if err != nil {
		t.Fatalf("opening lab scenario %s: %v", scenario, err)
	}
	bundles[scenario] = b
	return b
}

// labModel builds a fresh model of a lab scenario.
func labModel(t testing.TB, scenario string) *model.Model {
	t.Helper()
	return model.Build(labBundle(t, scenario))
}

// check runs one rule over m with the default configuration.
func check(m *model.Model, r *Rule) *Result { return Run(m, []*Rule{r}, nil) }

// worse returns the findings of warning or error severity.
func worse(res *Result) []Finding {
	var out []Finding
	for _, f := range res.Findings {
		if f.Severity >= Warning {
			out = append(out, f)
		}
	}
	return out
}

// node returns the node named name of m.
func node(t testing.TB, m *model.Model, name string) *model.Node {
	t.Helper()
	n := m.Node(name)
	if n == nil {
		t.Fatalf("no node %s", name)
	}
	return n
}

// editFlows rewrites the flows of bridge br on n through edit (the raw
// line in, the new line out, "" to delete the flow) and parses them again,
// keeping each flow's position. Call model.Assemble afterwards so derived
// views see the change.
func editFlows(t testing.TB, n *model.Node, br string, edit func(raw string) string) {
	t.Helper()
	b := n.Bridge(br)
	if b == nil || b.Flows == nil {
		t.Fatalf("%s has no flows of %s", n.Name, br)
	}
	var lines []string
	var keep []ovs.Flow
	for _, f := range b.Flows.Flows {
		if s := edit(f.Raw); s != "" {
			lines = append(lines, s)
			keep = append(keep, f)
		}
	}
	d, err := ovs.ParseFlows(strings.NewReader(strings.Join(lines, "\n")+"\n"), "edited")
	if err != nil || len(d.Flows) != len(keep) {
		t.Fatalf("re-parsing edited flows of %s: %v (%d of %d flows)", br, err, len(d.Flows), len(keep))
	}
	for i := range d.Flows {
		d.Flows[i].Pos = keep[i].Pos
	}
	b.Flows = d
}

// addFlows appends flows (raw dump lines) to bridge br of n.
func addFlows(t testing.TB, n *model.Node, br string, raws ...string) {
	t.Helper()
	b := n.Bridge(br)
	d, err := ovs.ParseFlows(strings.NewReader(strings.Join(raws, "\n")+"\n"), "added")
	if err != nil || len(d.Flows) != len(raws) || len(d.Issues) > 0 {
		t.Fatalf("parsing added flows: %v %v", err, d.Issues)
	}
	b.Flows.Flows = append(b.Flows.Flows, d.Flows...)
}

// port returns the port named name on any bridge of n.
func port(t testing.TB, n *model.Node, name string) *model.Port {
	t.Helper()
	if p := portOnAnyBridge(n, name); p != nil {
		return p
	}
	t.Fatalf("%s has no port %s", n.Name, name)
	return nil
}

// fires asserts r reports at least one warning or error on node and that
// its message contains want; quiet asserts it reports none.
func fires(t *testing.T, m *model.Model, r *Rule, nodeName, want string) Finding {
	t.Helper()
	res := check(m, r)
	for _, f := range worse(res) {
		if f.Node == nodeName && strings.Contains(f.Message, want) {
			if len(f.Evidence) == 0 {
				t.Errorf("%s: finding without evidence: %s", r.Name, f.Message)
			}
			return f
		}
	}
	t.Fatalf("%s: no finding on %s containing %q; got %+v (skipped %+v)", r.Name, nodeName, want, res.Findings, res.Skipped)
	return Finding{}
}

func quiet(t *testing.T, m *model.Model, r *Rule) {
	t.Helper()
	res := check(m, r)
	if w := worse(res); len(w) > 0 {
		t.Errorf("%s: want no warning or error, got %+v", r.Name, w)
	}
}

func bridgeFDB(text, name string) (*bridge.FDB, error) {
	return bridge.ParseFDB(strings.NewReader(text), name+"/bridge_fdb")
}
