//go:build tools

// This file pins modules the project uses in places `go mod tidy` may not see
// while packages are being built up in parallel; it is never compiled.
package netxray

import (
	_ "github.com/google/go-cmp/cmp"
	_ "github.com/google/gopacket/pcapgo"
	_ "github.com/olekukonko/tablewriter"
	_ "github.com/rogpeppe/go-internal/testscript"
	_ "github.com/sergi/go-diff/diffmatchpatch"
	_ "github.com/spf13/cobra"
	_ "github.com/ulikunitz/xz"
	_ "golang.org/x/term"
	_ "gopkg.in/yaml.v3"
)
