package cli

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"netxray/collect"
	"netxray/parse"
	"netxray/parse/formats"
	"netxray/report"
)

type parseOptions struct {
	io      *IO
	files   []string
	as      string
	records bool
}

func newParseCmd(o *IO) *cobra.Command {
	opts := &parseOptions{io: o}
	cmd := &cobra.Command{
		Use:   "parse FILE...",
		Short: "Parse raw command outputs and report records and problems",
		Long: `Parse command outputs (ovs-ofctl dump-flows, ip route, bridge fdb, ...).
The kind of each file is detected from its sos or netxray file name, else from
its content; --as forces it. Every problem is printed with file:line. The exit
status is 1 when any line was not understood.`,
		Args: usageArgs(cobra.MinimumNArgs(1)),
		RunE: func(_ *cobra.Command, args []string) error {
			opts.files = args
			if opts.as != "" {
				if _, ok := formats.Lookup(parse.Kind(opts.as)); !ok {
					return usageErrorf("--as %q: unknown kind (known: %s)", opts.as, strings.Join(kindNames(), ", "))
				}
			}
			return parseRun(opts)
		},
	}
	cmd.Flags().StringVar(&opts.as, "as", "", "parse every file as this kind")
	cmd.Flags().BoolVar(&opts.records, "records", false, "also print the parsed records")
	return cmd
}

func kindNames() []string {
	var names []string
	for _, f := range formats.All() {
		names = append(names, string(f.Kind))
	}
	return names
}

// parsedFile is the per-file line of `parse --json` (DESIGN.md contract).
type parsedFile struct {
	File     string        `json:"file"`
	Kind     parse.Kind    `json:"kind"`
	Records  int           `json:"records"`
	Problems []problemJSON `json:"problems"`
	Data     parse.Result  `json:"data,omitempty"`
	Error    string        `json:"error,omitempty"`
	issues   parse.Issues
}

type problemJSON struct {
	Line     int    `json:"line"`
	Severity string `json:"severity"`
	Msg      string `json:"msg"`
}

func parseRun(opts *parseOptions) error {
	var results []parsedFile
	failed := false
	for _, file := range opts.files {
		pf := parseOne(file, parse.Kind(opts.as))
		if !opts.records {
			pf.Data = nil
		}
		if pf.Error != "" || pf.issues.Count(parse.SevError) > 0 {
			failed = true
		}
		results = append(results, pf)
	}
	if opts.io.JSON {
		if err := report.JSON(opts.io.Out, results); err != nil {
			return err
		}
	} else if err := writeParseText(opts.io.Out, results, opts.records); err != nil {
		return err
	}
	if failed {
		return &SilentError{Code: ExitError}
	}
	return nil
}

func parseOne(file string, as parse.Kind) parsedFile {
	pf := parsedFile{File: file, Kind: as, Problems: []problemJSON{}}
	f, err := os.Open(file)
	if err != nil {
		pf.Error = err.Error()
		return pf
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, formats.SniffSize)
	if pf.Kind == "" {
		head, _ := br.Peek(formats.SniffSize)
		pf.Kind, err = detectKind(file, head)
		if err != nil {
			pf.Error = err.Error()
			return pf
		}
	}
	res, err := formats.Parse(pf.Kind, br, file)
	if err != nil {
		pf.Error = err.Error()
		return pf
	}
	pf.Records = res.Records()
	pf.issues = res.Problems()
	pf.issues.Sort()
	for _, is := range pf.issues {
		pf.Problems = append(pf.Problems, problemJSON{Line: is.Pos.Line, Severity: is.Severity.String(), Msg: is.Msg})
	}
	pf.Data = res
	return pf
}

// detectKind tells a file's kind from its sos/netxray name, else from its
// content; several content matches are ambiguous and need --as.
func detectKind(file string, head []byte) (parse.Kind, error) {
	if k, _, ok := collect.KindOfPath(filepath.ToSlash(file)); ok {
		return k, nil
	}
	kinds := formats.Sniff(head)
	switch len(kinds) {
	case 1:
		return kinds[0], nil
	case 0:
		return "", fmt.Errorf("cannot tell what command produced %s; use --as KIND", file)
	}
	names := make([]string, len(kinds))
	for i, k := range kinds {
		names[i] = string(k)
	}
	sort.Strings(names)
	return "", fmt.Errorf("%s could be any of %s; use --as KIND", file, strings.Join(names, ", "))
}

func writeParseText(w io.Writer, results []parsedFile, records bool) error {
	for _, pf := range results {
		if pf.Error != "" {
			fmt.Fprintf(w, "%s: error: %s\n", pf.File, pf.Error)
			continue
		}
		fmt.Fprintf(w, "%s: %s, %d records, %d problems\n", pf.File, pf.Kind, pf.Records, len(pf.issues))
		for _, is := range pf.issues {
			fmt.Fprintf(w, "  %s\n", is)
		}
		if records && pf.Data != nil {
			if err := report.JSON(w, pf.Data); err != nil {
				return err
			}
		}
	}
	return nil
}
