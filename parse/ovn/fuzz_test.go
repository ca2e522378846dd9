package ovn

import (
	"path/filepath"
	"strings"
	"testing"

	"netxray/parse"
)

// fuzzSeeds adds the corpus blocks of kind k (when ../shared is there)
// and the inline inputs.
func fuzzSeeds(f *testing.F, k parse.Kind, extra ...string) {
	for _, dir := range []string{"../../../shared", "../../../../shared"} {
		if !fileExists(filepath.Join(dir, "seeds")) {
			continue
		}
		for _, c := range corpusCases {
			if c.kind == k {
				f.Add(string(readCase(f, dir, c)))
			}
		}
		break
	}
	for _, s := range extra {
		f.Add(s)
	}
}

// fuzzCheck runs the parser of kind k on input and checks the properties:
// no panic (a recovered one is an error), no error for in-memory input,
// and every non-blank line is in a record or named by an issue.
func fuzzCheck(t *testing.T, k parse.Kind, input string) {
	res, err := formatOf(t, k).Parse(strings.NewReader(input), "t")
	if err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
	if miss := uncovered(input, res); len(miss) > 0 {
		t.Fatalf("lines neither parsed nor reported: %v", miss)
	}
}

func FuzzParseNBShow(f *testing.F) {
	fuzzSeeds(f, KindNBShow, nbSample,
		"# x\nswitch 11111111-2222-3333-4444-555555555555 ()\n port p (aka a)\n  addresses: [\"x y\", \"router\"]\n  tag: z\n"+
			"router 11111111-2222-3333-4444-555555555555 (r)\n port q\n  gateway chassis: [a b]\n"+
			" nat 11111111-2222-3333-4444-555555555555\n  external port(s): \"1-2\"\novn-nbctl: failed\n")
	f.Fuzz(func(t *testing.T, s string) { fuzzCheck(t, KindNBShow, s) })
}

func FuzzParseSBShow(f *testing.F) {
	fuzzSeeds(f, KindSBShow,
		"Chassis \"2f1e0d9c-8b7a-4c6d-9e5f-4a3b2c1d0e9f\"\n    hostname: net1\n    Encap geneve\n        ip: \"10.0.0.10\"\n"+
			"        options: {csum=\"true\"}\n    Port_Binding cr-lrp-x\nEncap y\nfoo: {\n")
	f.Fuzz(func(t *testing.T, s string) { fuzzCheck(t, KindSBShow, s) })
}

// BenchmarkParseNBShow measures a large Northbound (the sample's switch
// and router repeated 2000 times: about 36k lines).
func BenchmarkParseNBShow(b *testing.B) {
	data := strings.Repeat(nbSample, 2000)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := ParseNBShow(strings.NewReader(data), "b"); err != nil {
			b.Fatal(err)
		}
	}
}
