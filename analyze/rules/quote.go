package rules

import (
	"bufio"
	"regexp"
	"strings"

	"netxray/analyze/model"
	"netxray/collect"
	"netxray/parse"
	"netxray/parse/ovs"
)

// quoter reads the lines findings cite that the model keeps only as a
// position (OVSDB rows), once per file and only for findings.
type quoter struct {
	files map[string][]string
	// rows indexes list files: row name → line of the row's first line.
	rows map[string]map[string]int
	res  map[string]*regexp.Regexp
}

// columnRE matches the line of column col in a list row or show block.
func (q *quoter) columnRE(col string) *regexp.Regexp {
	if re, ok := q.res[col]; ok {
		return re
	}
	if q.res == nil {
		q.res = map[string]*regexp.Regexp{}
	}
	re := regexp.MustCompile(`^\s*"?` + regexp.QuoteMeta(col) + `"?\s*:`)
	q.res[col] = re
	return re
}

var nameColumn = regexp.MustCompile(`^name\s*:\s*"?([^"]*)"?\s*$`)

// rowStart returns the first line (1-based) of the list row named name in
// file, 0 when there is none.
func (q *quoter) rowStart(n *model.Node, file, name string) int {
	key := n.Name + "\x00" + file
	idx, ok := q.rows[key]
	if !ok {
		idx = map[string]int{}
		start := 0
		for i, l := range q.lines(n, file) {
			if strings.TrimSpace(l) == "" {
				start = i + 1
				continue
			}
			if m := nameColumn.FindStringSubmatch(l); m != nil {
				if _, dup := idx[m[1]]; !dup {
					idx[m[1]] = start + 1
				}
			}
		}
		if q.rows == nil {
			q.rows = map[string]map[string]int{}
		}
		q.rows[key] = idx
	}
	return idx[name]
}

func (q *quoter) lines(n *model.Node, file string) []string {
	key := n.Name + "\x00" + file
	if l, ok := q.files[key]; ok {
		return l
	}
	var out []string
	if n.Bundle != nil && file != "" {
		if rc, err := n.Bundle.Open(file); err == nil {
			sc := bufio.NewScanner(rc)
			sc.Buffer(make([]byte, 64<<10), 16<<20)
			for sc.Scan() {
				out = append(out, strings.TrimRight(sc.Text(), "\r"))
			}
			rc.Close()
		}
	}
	if q.files == nil {
		q.files = map[string][]string{}
	}
	q.files[key] = out
	return out
}

// maxQuote bounds a quoted line: conf.db transactions are one long JSON
// line.
const maxQuote = 240

func clip(s string) string {
	s = strings.TrimSpace(s)
	if len(s) > maxQuote {
		return s[:maxQuote] + "…"
	}
	return s
}

// column cites the line of column col in the record that starts at pos
// (an `ovs-vsctl list` row or an `ovs-vsctl show` Port block); the
// record's first line when col is not found. fallback is the text used
// when the file cannot be read.
func (q *quoter) column(n *model.Node, pos parse.Pos, col, fallback string) Evidence {
	lines := q.lines(n, pos.File)
	if pos.Line < 1 || pos.Line > len(lines) {
		return ev(n, pos, fallback)
	}
	start := lines[pos.Line-1]
	indent := len(start) - len(strings.TrimLeft(start, " \t"))
	re := q.columnRE(col)
	for i := pos.Line; i < len(lines) && col != ""; i++ {
		l := lines[i]
		t := strings.TrimSpace(l)
		if t == "" || (indent > 0 && len(l)-len(strings.TrimLeft(l, " \t")) <= indent) {
			break
		}
		if re.MatchString(l) {
			return Evidence{Node: n.Name, File: pos.File, Line: i + 1, Text: clip(l)}
		}
	}
	return Evidence{Node: n.Name, File: pos.File, Line: pos.Line, Text: clip(start)}
}

// portEv cites a port's column col (tag, other_config, name...).
func (q *quoter) portEv(n *model.Node, p *model.Port, col string) Evidence {
	return q.column(n, p.Pos, col, "Port "+p.Name)
}

// ifaceEv cites column col of the port's Interface: in the Interface
// list when the port came from one, else inside the port's show block.
func (q *quoter) ifaceEv(n *model.Node, p *model.Port, col string) Evidence {
	if n.Bundle != nil && strings.Contains(p.Pos.File, "list_Port") {
		if sf, ok := n.Bundle.Source(collect.KindOVSVsctlList, "Interface"); ok && sf.Path != "" {
			if line := q.rowStart(n, sf.Path, p.Name); line > 0 {
				return q.column(n, parse.Pos{File: sf.Path, Line: line}, col, "Interface "+p.Name)
			}
		}
	}
	return q.column(n, p.Pos, col, "Interface "+p.Name)
}

// flowEv cites a flow.
func flowEv(n *model.Node, f *ovs.Flow) Evidence { return ev(n, f.Pos, f.Raw) }
