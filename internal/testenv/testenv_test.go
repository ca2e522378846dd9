package testenv

import (
	"os"
	"path/filepath"
	"testing"
)

// recorder is a testing.TB that records how a helper gave up (the first
// way: a real Fatal or Skip would have stopped there) instead of ending the
// test.
type recorder struct {
	testing.TB
	how string
}

func (r *recorder) Helper()           {}
func (r *recorder) Fatal(args ...any) { r.gave("fatal") }
func (r *recorder) Skip(args ...any)  { r.gave("skip") }
func (r *recorder) Log(args ...any)   { r.gave("log") }

func (r *recorder) gave(how string) {
	if r.how == "" {
		r.how = how
	}
}

func TestSharedMissing(t *testing.T) {
	t.Chdir(t.TempDir())
	dir, ok, err := FindShared()
	if err != nil {
		t.Fatal(err)
	}
	if ok {
		t.Skipf("a shared corpus lies above the temporary directory (%s): its absence cannot be tested here", dir)
	}
	for _, c := range []struct {
		ci   string
		fn   func(testing.TB) string
		want string
	}{
		{"", Shared, "skip"},
		{"true", Shared, "fatal"},
		{"", SharedIfPresent, "log"},
		{"true", SharedIfPresent, "fatal"},
	} {
		t.Setenv("CI", c.ci)
		r := &recorder{TB: t}
		if got := c.fn(r); got != "" || r.how != c.want {
			t.Errorf("CI=%q: %q and %s, want \"\" and %s", c.ci, got, r.how, c.want)
		}
	}
}

func TestSharedFound(t *testing.T) {
	dir := t.TempDir()
	pkg := filepath.Join(dir, "repo", "a", "b")
	for _, d := range []string{filepath.Join(dir, "shared", "real"), pkg} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(pkg)
	r := &recorder{TB: t}
	if got, want := Shared(r), filepath.Join(dir, "shared"); got != want || r.how != "" {
		t.Errorf("Shared = %q (%s), want %q", got, r.how, want)
	}
}

func TestRoot(t *testing.T) {
	if _, err := os.Stat(filepath.Join(Root(t), "go.mod")); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(Bundles(t)); err != nil {
		t.Fatal(err)
	}
}
