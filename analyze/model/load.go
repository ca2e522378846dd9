package model

import (
	"fmt"
	"sort"

	"netxray/collect"
	"netxray/parse"
	"netxray/parse/formats"
)

// Parsed is one source file of a node after parsing.
type Parsed struct {
	Source collect.SourceFile
	// Result is nil when the file could not be read or is not a format
	// netxray parses (Err says why for the former).
	Result parse.Result
	Err    error
}

// Problems returns the parse problems of the file, plus its read error.
func (p *Parsed) Problems() parse.Issues {
	var out parse.Issues
	if p.Result != nil {
		out = append(out, p.Result.Problems()...)
	}
	if p.Err != nil {
		out.Errorf(parse.Pos{File: p.Source.Path}, "%v", p.Err)
	}
	return out
}

// load parses every usable source of n that has a parser, once.
func load(n *collect.Node) []*Parsed {
	var out []*Parsed
	for _, sf := range n.Inventory {
		if !sf.Status.Usable() || sf.Path == "" {
			continue
		}
		f, ok := formats.Lookup(sf.Kind)
		if !ok {
			continue
		}
		p := &Parsed{Source: sf}
		p.Result, p.Err = parseFile(n, f, sf.Path)
		out = append(out, p)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Source.Path < out[j].Source.Path })
	return out
}

func parseFile(n *collect.Node, f parse.Format, path string) (parse.Result, error) {
	rc, err := n.Open(path)
	if err != nil {
		return nil, fmt.Errorf("opening %s: %w", path, err)
	}
	defer rc.Close()
	res, err := f.Parse(rc, path)
	if err != nil {
		return nil, fmt.Errorf("parsing %s as %s: %w", path, f.Kind, err)
	}
	return res, nil
}

// inputs indexes a node's parsed files by kind and key.
type inputs struct {
	byKind map[parse.Kind][]*Parsed
}

func index(files []*Parsed) inputs {
	in := inputs{byKind: map[parse.Kind][]*Parsed{}}
	for _, p := range files {
		if p.Result != nil {
			in.byKind[p.Source.Kind] = append(in.byKind[p.Source.Kind], p)
		}
	}
	return in
}

// one returns the result of the source of kind k with key key, or nil.
func one[T parse.Result](in inputs, k parse.Kind, key string) T {
	var zero T
	for _, p := range in.byKind[k] {
		if p.Source.Key == key {
			if v, ok := p.Result.(T); ok {
				return v
			}
		}
	}
	return zero
}

// each calls fn for every parsed source of kind k whose result is a T.
func each[T parse.Result](in inputs, k parse.Kind, fn func(key string, v T)) {
	for _, p := range in.byKind[k] {
		if v, ok := p.Result.(T); ok {
			fn(p.Source.Key, v)
		}
	}
}
