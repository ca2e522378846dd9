package trace

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"

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
