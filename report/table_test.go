package report

import (
	"bytes"
	"testing"
)

func TestTableRender(t *testing.T) {
	tab := &Table{Title: "nodes", Header: []string{"node", "role"}}
	tab.Add("cmp1", "compute")
	tab.Add("net1", "network")
	var b bytes.Buffer
	if err := tab.Render(&b); err != nil {
		t.Fatal(err)
	}
	want := `nodes
+------+---------+
| node | role    |
+------+---------+
| cmp1 | compute |
| net1 | network |
+------+---------+
`
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}
