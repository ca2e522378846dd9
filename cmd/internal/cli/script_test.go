package cli

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"netxray": func() { os.Exit(Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) },
	})
}

// TestScripts runs the end-to-end CLI scripts of fixtures/cli/*.txtar;
// $BUNDLES is fixtures/bundles.
func TestScripts(t *testing.T) {
	bundles, err := filepath.Abs(filepath.Join("..", "..", "..", "fixtures", "bundles"))
	if err != nil {
		t.Fatal(err)
	}
	testscript.Run(t, testscript.Params{
		Dir: filepath.Join("..", "..", "..", "fixtures", "cli"),
		Setup: func(e *testscript.Env) error {
			e.Setenv("BUNDLES", bundles)
			return nil
		},
	})
}
