package dnsmasq

import (
	"strings"
	"testing"

	"netxray/parse"
)

// fuzzCheck runs the parser of kind k on input and checks the properties:
// no panic (a recovered one is an error), no error for in-memory input,
// and every non-blank line is a record or named by an issue.
func fuzzCheck(t *testing.T, k parse.Kind, input string) {
	res, err := formatOf(t, k).Parse(strings.NewReader(input), "t")
	if err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
	if miss := uncovered(input, res); len(miss) > 0 {
		t.Fatalf("lines neither parsed nor reported: %v", miss)
	}
}

func FuzzParseHosts(f *testing.F) {
	for _, s := range []string{
		"fa:16:3e:98:b4:93,host-10-10-1-58.openstacklocal,10.10.1.58\n",
		"fa:16:3e:7d:01:ac,id:ff:00:00:00:01,host-10-0-0-9.openstacklocal,10.0.0.9,set:port-x\n",
		"fa:16:3e:00:00:01,tag:dhcpv6,h.example,[2001:db8::5],[2001:db8::6]\r\n# c\n11:22:33:*:*:*,10.0.0.3,12h,ignore\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { fuzzCheck(t, KindHosts, s) })
}

func FuzzParseLeases(f *testing.F) {
	for _, s := range []string{
		"1795452340 fa:16:3e:fd:f0:40 10.10.1.23 host-10-10-1-23 *\n",
		"0 20-00:11 10.0.0.1 * 01:02\nduid 00:01\n5 T7 [2001:db8::6] * *\n5 x\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { fuzzCheck(t, KindLeases, s) })
}

func FuzzParseAddnHosts(f *testing.F) {
	for _, s := range []string{
		"10.10.2.1\thost-10-10-2-1.openstacklocal host-10-10-2-1\n",
		"# c\r\n  2001:db8::5   a b # t\nbad\n10.0.0.2\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { fuzzCheck(t, KindAddnHosts, s) })
}

// BenchmarkParseHosts measures a 10k-port network's hosts file.
func BenchmarkParseHosts(b *testing.B) {
	data := strings.Repeat("fa:16:3e:7d:01:ac,host-10-0-0-9.openstacklocal,10.0.0.9,set:port-6e0f2f3a-2b8c-4c55-9f0e-5d4c3b2a1908\n", 10000)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := ParseHosts(strings.NewReader(data), "b"); err != nil {
			b.Fatal(err)
		}
	}
}
