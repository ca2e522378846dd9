package testenv

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// FindShared returns the shared corpus directory (the one holding real/ and
// seeds/), found by walking up from the working directory, and whether it
// was found. An error means the search could not be made (no working
// directory), which is not the same as an absent corpus.
func FindShared() (dir string, found bool, err error) {
	wd, err := os.Getwd()
	if err != nil {
		return "", false, fmt.Errorf("looking for the shared corpus: %w", err)
	}
	for d := wd; ; d = filepath.Dir(d) {
		p := filepath.Join(d, "shared")
		if fi, err := os.Stat(filepath.Join(p, "real")); err == nil && fi.IsDir() {
			return p, true, nil
		}
		if filepath.Dir(d) == d {
			return "", false, nil
		}
	}
}

// Shared returns the shared corpus directory. Without it the test is
// skipped with a message saying so, or fails when CI is set: CI always
// runs with the corpus beside the clone.
func Shared(t testing.TB) string {
	t.Helper()
	return shared(t, t.Skip, "test skipped")
}

// SharedIfPresent is Shared for tests that only add cases from the corpus:
// without it they log so and go on with "" (and fail when CI is set).
func SharedIfPresent(t testing.TB) string {
	t.Helper()
	return shared(t, t.Log, "its cases are left out")
}

func shared(t testing.TB, absent func(...any), consequence string) string {
	t.Helper()
	dir, ok, err := FindShared()
	if err != nil {
		t.Fatal(err)
	}
	if ok {
		return dir
	}
	if os.Getenv("CI") != "" {
		t.Fatal("the shared corpus (a directory shared/ with real/ in it, above the package) is missing")
	}
	absent("the shared corpus (shared/real above the package directory) is missing: " + consequence)
	return ""
}

// Root returns the repository's root directory: the nearest directory
// above the working directory that holds go.mod.
func Root(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d
		}
		if filepath.Dir(d) == d {
			t.Fatal("no go.mod above the package directory")
		}
	}
}

// Bundles returns the lab bundles directory, fixtures/bundles.
func Bundles(t testing.TB) string {
	t.Helper()
	return filepath.Join(Root(t), "fixtures", "bundles")
}
