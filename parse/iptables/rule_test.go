package iptables

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"netxray/parse"
)

// parseOne parses one rule line inside a filter table whose chain X is
// declared; the rule is on line 3.
func parseOne(t *testing.T, line string) (*Rule, parse.Issues) {
	t.Helper()
	s, err := ParseSave(strings.NewReader("*filter\n:X - [0:0]\n"+line+"\nCOMMIT\n"), "f")
	if err != nil {
		t.Fatal(err)
	}
	var r *Rule
	for _, c := range s.Tables[0].Chains {
		if len(c.Rules) > 0 {
			r = c.Rules[0]
		}
	}
	if r != nil {
		r.Pos, r.Raw, r.Table, r.Chain, r.Num = parse.Pos{}, "", "", "", 0
	}
	return r, s.Issues
}

func opt(name string, args ...string) Option    { return Option{Name: name, Args: args} }
func notOpt(name string, args ...string) Option { return Option{Name: name, Not: true, Args: args} }

var prefixEq = cmp.Comparer(func(a, b netip.Prefix) bool { return a == b })

func TestParseRule(t *testing.T) {
	tests := []struct {
		name       string
		line       string
		want       *Rule
		wantIssues parse.Issues
	}{
		{"hybrid sg-chain jump (quoted comment)",
			`-A X -m physdev --physdev-out tap0778ad0d-cb --physdev-is-bridged -m comment --comment "Jump to the VM specific chain." -j neutron-openvswi-i0778ad0d-c`,
			&Rule{
				Matches: []*Match{
					{Module: "physdev", Options: []Option{opt("--physdev-out", "tap0778ad0d-cb"), opt("--physdev-is-bridged")}},
					{Module: "comment", Options: []Option{opt("--comment", "Jump to the VM specific chain.")}},
				},
				Target: &Target{Name: "neutron-openvswi-i0778ad0d-c"},
			},
			parse.Issues{warn(3, "target neutron-openvswi-i0778ad0d-c is neither a chain of table filter nor a known target")}},
		{"negations (modern)",
			`-A X ! -o rfp-907f4d76-d -m conntrack ! --ctstate DNAT -j ACCEPT`,
			&Rule{
				Criteria: []Option{notOpt("-o", "rfp-907f4d76-d")},
				Out:      &IfaceMatch{Not: true, Name: "rfp-907f4d76-d"},
				Matches:  []*Match{{Module: "conntrack", Options: []Option{notOpt("--ctstate", "DNAT")}}},
				Target:   &Target{Name: "ACCEPT"},
			}, nil},
		{"negations (iptables < 1.4.3)",
			`-A X -s ! 10.0.0.0/8 -p tcp -m state --state ! INVALID -j DROP`,
			&Rule{
				Criteria: []Option{notOpt("-s", "10.0.0.0/8"), opt("-p", "tcp")},
				Src:      &AddrMatch{Not: true, Text: "10.0.0.0/8", Prefix: netip.MustParsePrefix("10.0.0.0/8")},
				Proto:    &ProtoMatch{Name: "tcp"},
				Matches:  []*Match{{Module: "state", Options: []Option{notOpt("--state", "INVALID")}}},
				Target:   &Target{Name: "DROP"},
			}, nil},
		{"tcp dport, MARK",
			`-A X -d 169.254.169.254/32 -i qr-+ -p tcp -m tcp --dport 80 -j MARK --set-xmark 0x1/0xffff`,
			&Rule{
				Criteria: []Option{opt("-d", "169.254.169.254/32"), opt("-i", "qr-+"), opt("-p", "tcp")},
				Dst:      &AddrMatch{Text: "169.254.169.254/32", Prefix: netip.MustParsePrefix("169.254.169.254/32")},
				In:       &IfaceMatch{Name: "qr-+"},
				Proto:    &ProtoMatch{Name: "tcp"},
				Matches:  []*Match{{Module: "tcp", Options: []Option{opt("--dport", "80")}}},
				Target:   &Target{Name: "MARK", Options: []Option{opt("--set-xmark", "0x1/0xffff")}},
			}, nil},
		{"long option names are stored short",
			`-A X --source 10.0.0.1 --protocol udp -m udp --destination-port 53 --jump ACCEPT`,
			&Rule{
				Criteria: []Option{opt("-s", "10.0.0.1"), opt("-p", "udp")},
				Src:      &AddrMatch{Text: "10.0.0.1", Prefix: netip.MustParsePrefix("10.0.0.1/32")},
				Proto:    &ProtoMatch{Name: "udp"},
				Matches:  []*Match{{Module: "udp", Options: []Option{opt("--dport", "53")}}},
				Target:   &Target{Name: "ACCEPT"},
			}, nil},
		{"implicit protocol match (old output)",
			`-A X -p tcp --dport 22 -j ACCEPT`,
			&Rule{
				Criteria: []Option{opt("-p", "tcp")},
				Proto:    &ProtoMatch{Name: "tcp"},
				Matches:  []*Match{{Module: "tcp", Implicit: true, Options: []Option{opt("--dport", "22")}}},
				Target:   &Target{Name: "ACCEPT"},
			}, nil},
		{"ipset, multiport, goto",
			`-A X -p tcp -m multiport --dports 22,80,1000:2000 -m set ! --match-set NIPv4abc src -g X`,
			&Rule{
				Criteria: []Option{opt("-p", "tcp")},
				Proto:    &ProtoMatch{Name: "tcp"},
				Matches: []*Match{
					{Module: "multiport", Options: []Option{opt("--dports", "22,80,1000:2000")}},
					{Module: "set", Options: []Option{notOpt("--match-set", "NIPv4abc", "src")}},
				},
				Target: &Target{Name: "X", Goto: true},
			}, nil},
		{"CT zone, escaped quotes, value that looks like an option",
			`-A X -m comment --comment "say \"hi\" it's" -j LOG --log-prefix -x --log-level 4`,
			&Rule{
				Matches: []*Match{{Module: "comment", Options: []Option{opt("--comment", `say "hi" it's`)}}},
				Target:  &Target{Name: "LOG", Options: []Option{opt("--log-prefix", "-x"), opt("--log-level", "4")}},
			}, nil},
		{"counter-only rule", `-A X -i eth0`,
			&Rule{Criteria: []Option{opt("-i", "eth0")}, In: &IfaceMatch{Name: "eth0"}}, nil},
		{"fragment", `-A X ! -f -j ACCEPT`,
			&Rule{Criteria: []Option{notOpt("-f")}, Fragment: &Flag{Not: true}, Target: &Target{Name: "ACCEPT"}}, nil},
		{"unknown module, option and target option are kept",
			`-A X -m foo --bar baz qux -m tcp --weird 1 -j ACCEPT --extra`,
			&Rule{
				Matches: []*Match{
					{Module: "foo", Options: []Option{opt("--bar", "baz", "qux")}},
					{Module: "tcp", Options: []Option{opt("--weird", "1")}},
				},
				Target: &Target{Name: "ACCEPT", Options: []Option{opt("--extra")}},
			},
			parse.Issues{warn(3, `unknown match module "foo"; its options are kept`),
				warn(3, "unknown option --weird of match tcp kept"),
				warn(3, "option --extra of target ACCEPT, which takes none, kept")}},
		{"unknown target with options, unknown single-dash option",
			`-A X -z 3 -j FOO --a b`,
			&Rule{Criteria: []Option{opt("-z", "3")}, Target: &Target{Name: "FOO", Options: []Option{opt("--a", "b")}}},
			parse.Issues{warn(3, "unknown option -z kept"),
				warn(3, "option --a of target FOO (a chain or an unknown target) kept"),
				warn(3, "target FOO is neither a chain of table filter nor a known target")}},
		{"option outside a match, stray words, second target",
			`-A X --dport 1 word -j ACCEPT -j DROP`,
			&Rule{
				Criteria: []Option{opt("--dport", "1", "word"), opt("-j", "DROP")},
				Target:   &Target{Name: "ACCEPT"},
			},
			parse.Issues{warn(3, "option --dport outside any match kept as a criterion"),
				warn(3, "second target -j DROP kept as a criterion")}},
		{"stray word after target", `-A X -j DNAT --to-destination 1.2.3.4 5.6.7.8`,
			&Rule{Target: &Target{Name: "DNAT", Options: []Option{opt("--to-destination", "1.2.3.4", "5.6.7.8")}}},
			parse.Issues{warn(3, `stray argument "5.6.7.8" kept with the option before it`)}},
		{"missing arguments and trailing !", `-A X -m set --match-set onlyname -j ACCEPT !`,
			&Rule{
				Matches: []*Match{{Module: "set", Options: []Option{opt("--match-set", "onlyname")}}},
				Target:  &Target{Name: "ACCEPT"},
			},
			parse.Issues{warn(3, "option --match-set needs 2 argument(s)"), warn(3, `trailing "!" ignored`)}},
		{"unterminated quote", `-A X -m comment --comment "open -j DROP`,
			&Rule{Matches: []*Match{{Module: "comment", Options: []Option{opt("--comment", "open -j DROP")}}}},
			parse.Issues{warn(3, "unterminated quote; the rest of the line is taken as one argument")}},
		{"bad address kept as text", `-A X -d 10.0.0.0/255.0.255.0 -j ACCEPT`,
			&Rule{Criteria: []Option{opt("-d", "10.0.0.0/255.0.255.0")}, Dst: &AddrMatch{Text: "10.0.0.0/255.0.255.0"}, Target: &Target{Name: "ACCEPT"}},
			parse.Issues{warn(3, `address "10.0.0.0/255.0.255.0" of -d is not an address/length; kept as text`)}},
		{"match after target, ! before -m and -j, empty -m",
			`-A X ! -m tcp ! -j ACCEPT -m comment --comment c -m`,
			&Rule{
				Matches: []*Match{{Module: "tcp"}, {Module: "comment", Options: []Option{opt("--comment", "c")}}},
				Target:  &Target{Name: "ACCEPT"},
			},
			parse.Issues{warn(3, `"!" before -m ignored`), warn(3, `"!" before -j ignored`),
				warn(3, "match -m comment after the target"), warn(3, "-m without a module name")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, issues := parseOne(t, tt.line)
			if diff := cmp.Diff(tt.want, got, prefixEq); diff != "" {
				t.Errorf("rule (-want +got):\n%s", diff)
			}
			checkIssues(t, tt.wantIssues, issues)
		})
	}
}

func TestTokenize(t *testing.T) {
	for in, want := range map[string][]string{
		`a  b	c`:            {"a", "b", "c"},
		`--comment "x y" z`: {"--comment", "x y", "z"},
		`"a\"b\\c\'d"`:      {`a"b\c'd`},
		`""`:                {""},
		`x"y z"`:            {"xy z"},
		``:                  nil,
	} {
		got, open := tokenize(in)
		if open || !cmp.Equal(want, got, cmpopts.EquateEmpty()) {
			t.Errorf("tokenize(%q) = %q, %v; want %q", in, got, open, want)
		}
	}
}
