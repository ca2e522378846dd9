package report

import (
	"encoding/json"
	"fmt"
	"io"
)

// JSON writes v as indented JSON followed by a newline. Field names and
// shapes are the contracts of DESIGN.md; keep them stable.
func JSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("writing JSON: %w", err)
	}
	return nil
}
