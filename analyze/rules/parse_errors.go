package rules

import (
	"netxray/parse"
)

// ParseErrors reports files with lines netxray did not understand.
var ParseErrors = &Rule{
	Name:     "parse-errors",
	Category: "data",
	Severity: Warning,
	Doc: `lines of a source file were not understood
Parsers keep every line they read or report it: a line they could not
understand at all is an error-level parse problem, and its data is not in
the model. One or two such lines usually come from a copy artifact or a
truncated write; many mean an unexpected format version. Either way,
findings about that file may miss what those lines said. ` + "`netxray parse FILE`" + ` shows
every problem with its line.`,
	Hint: "run netxray parse on the file to see the lines; report unknown formats with a sample",
	Run:  runParseErrors,
}

func runParseErrors(p *Pass) {
	for _, n := range p.Model.Nodes {
		for _, f := range n.Files {
			probs := f.Problems()
			var errs []parse.Issue
			for _, i := range probs {
				if i.Severity == parse.SevError {
					errs = append(errs, i)
				}
			}
			if len(errs) == 0 {
				continue
			}
			var e []Evidence
			for i, is := range errs {
				if i == 3 {
					break
				}
				e = append(e, Evidence{Node: n.Name, File: is.Pos.File, Line: is.Pos.Line, Text: is.Msg})
			}
			p.Reportf(n, e, "%s of %s (%s) not understood: their data is not in the model", plural(len(errs), "line", "lines"), f.Source.Path, f.Source.Kind)
		}
	}
}
