package formats

import (
	"regexp"
	"strings"
	"testing"
)

var kindRE = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

func TestFormatsWellFormed(t *testing.T) {
	seen := map[string]bool{}
	for _, f := range All() {
		k := string(f.Kind)
		if !kindRE.MatchString(k) {
			t.Errorf("kind %q is not kebab-case", k)
		}
		if seen[k] {
			t.Errorf("kind %q registered twice", k)
		}
		seen[k] = true
		if f.Parse == nil {
			t.Errorf("kind %q has no Parse", k)
		}
		if strings.TrimSpace(f.Doc) == "" {
			t.Errorf("kind %q has no Doc", k)
		}
	}
}

// Every parser must survive empty input and return a result, not an error.
func TestFormatsEmptyInput(t *testing.T) {
	for _, f := range All() {
		res, err := f.Parse(strings.NewReader(""), "empty")
		if err != nil {
			continue // "not this format" is a fine answer for binary formats
		}
		if res == nil {
			t.Errorf("kind %q returned nil result and nil error", f.Kind)
		}
	}
}
