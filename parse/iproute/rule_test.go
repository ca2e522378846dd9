package iproute

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// rule returns a Rule with the defaults every parsed rule has.
func rule(line int, prio uint32, set func(*Rule)) Rule {
	r := Rule{Pos: pos(line), Priority: prio, FwMask: 0xffffffff, SuppressPrefixLen: -1}
	set(&r)
	return r
}

func TestParseRule(t *testing.T) {
	tests := []tableCase[Rule]{
		{
			name: "dvr qrouter, old iproute2 (tab, trailing space)",
			input: "0:\tfrom all lookup local \n" +
				"57483:\tfrom 192.168.100.5 lookup 16 \n" +
				"3232261121:\tfrom 192.168.100.1/24 lookup 3232261121\n" +
				"2852022899:      from all iif fpr-61eaacf9-d lookup 2852022899\n",
			want: []Rule{
				rule(1, 0, func(r *Rule) { r.FromAll, r.Table = true, "local" }),
				rule(2, 57483, func(r *Rule) { r.From, r.Table = pfx("192.168.100.5/32"), "16" }),
				rule(3, 3232261121, func(r *Rule) { r.From, r.Table = pfx("192.168.100.1/24"), "3232261121" }),
				rule(4, 2852022899, func(r *Rule) { r.FromAll, r.IIF, r.Table = true, "fpr-61eaacf9-d", "2852022899" }),
			},
		},
		{
			name: "selectors and actions",
			input: `1000:	not from 10.0.0.0/8 to 172.16.0.0/12 fwmark 0x10/0xff lookup 100
1001:	from all oif nonexistent0 [detached] lookup main
1002:	from all goto 32766
1003:	from all nop
1004:	from 10.66.0.0/16 blackhole
1005:	from all tos 0x10 unreachable
1006:	from all lookup main suppress_prefixlength 0
1007:	from all uidrange 1000-2000 lookup 100 proto static
1008:	from all ipproto tcp dport 80 lookup [l3mdev-table]
1009:	from all iif eth9 [detached] fwmark 0x1 lookup 7
1010:	from ::/0 to 2001:db8::/32 lookup 200
`,
			want: []Rule{
				rule(1, 1000, func(r *Rule) {
					r.Not, r.From, r.To, r.HasFwMark, r.FwMark, r.FwMask, r.Table = true, pfx("10.0.0.0/8"), pfx("172.16.0.0/12"), true, 0x10, 0xff, "100"
				}),
				rule(2, 1001, func(r *Rule) { r.FromAll, r.OIF, r.OIFDetached, r.Table = true, "nonexistent0", true, "main" }),
				rule(3, 1002, func(r *Rule) { r.FromAll, r.Action, r.Goto, r.HasGoto = true, "goto", 32766, true }),
				rule(4, 1003, func(r *Rule) { r.FromAll, r.Action = true, "nop" }),
				rule(5, 1004, func(r *Rule) { r.From, r.Action = pfx("10.66.0.0/16"), "blackhole" }),
				rule(6, 1005, func(r *Rule) { r.FromAll, r.Tos, r.Action = true, "0x10", "unreachable" }),
				rule(7, 1006, func(r *Rule) { r.FromAll, r.Table, r.SuppressPrefixLen = true, "main", 0 }),
				rule(8, 1007, func(r *Rule) { r.FromAll, r.UIDRange, r.Table, r.Proto = true, "1000-2000", "100", "static" }),
				rule(9, 1008, func(r *Rule) {
					r.FromAll, r.L3MDev, r.Other = true, true, Params{{"ipproto", "tcp"}, {"dport", "80"}}
				}),
				rule(10, 1009, func(r *Rule) {
					r.FromAll, r.IIF, r.IIFDetached, r.HasFwMark, r.FwMark, r.Table = true, "eth9", true, true, 1, "7"
				}),
				rule(11, 1010, func(r *Rule) { r.From, r.To, r.Table = pfx("::/0"), pfx("2001:db8::/32"), "200" }),
			},
		},
		{
			name:  "bad lines",
			input: "# ip rule\nlookup main\n42:\tfrom all sparkle 3 lookup main\n43:\tfrom nowhere lookup main\n",
			want: []Rule{
				rule(3, 42, func(r *Rule) { r.FromAll, r.Table, r.Extra = true, "main", Params{{"sparkle", "3"}} }),
				rule(4, 43, func(r *Rule) { r.Table, r.Extra = "main", Params{{"from", "nowhere"}} }),
			},
			wantIssues: []string{
				"1: info: collector banner skipped",
				"2: error: not a rule",
				"3: warning: unknown rule keyword(s) kept in Extra: sparkle",
				"4: warning: unknown rule keyword(s) kept in Extra: from nowhere",
			},
		},
	}
	runTable(t, tests, ParseRule, func(x *Rules) []Rule { return x.Rules }, cmpopts.IgnoreFields(Rule{}, "Raw"))
}

func TestParseRuleJSON(t *testing.T) {
	in := `[{"priority":0,"src":"all","table":"local"},{"priority":1000,"not":null,"src":"10.0.0.0","srclen":8,"dst":"172.16.0.0","dstlen":12,"fwmark":"0x10","fwmask":"0xff","table":"100"},
{"priority":1001,"src":"all","oif":"nonexistent0","oif_detached":null,"table":"main"},{"priority":1002,"src":"all","goto":32766},
{"priority":1004,"src":"10.66.0.0","srclen":16,"action":"blackhole"},{"priority":1008,"src":"all","uid_start":1000,"uid_end":2000,"table":"100"},
{"priority":3232238081,"src":"192.168.10.1","srclen":24,"table":"3232238081","sparkle":true}]`
	got, err := ParseRule(strings.NewReader(in), "t")
	if err != nil {
		t.Fatal(err)
	}
	want := []Rule{
		rule(1, 0, func(r *Rule) { r.FromAll, r.Table = true, "local" }),
		rule(1, 1000, func(r *Rule) {
			r.Not, r.From, r.To, r.HasFwMark, r.FwMark, r.FwMask, r.Table = true, pfx("10.0.0.0/8"), pfx("172.16.0.0/12"), true, 0x10, 0xff, "100"
		}),
		rule(2, 1001, func(r *Rule) { r.FromAll, r.OIF, r.OIFDetached, r.Table = true, "nonexistent0", true, "main" }),
		rule(2, 1002, func(r *Rule) { r.FromAll, r.Action, r.Goto, r.HasGoto = true, "goto", 32766, true }),
		rule(3, 1004, func(r *Rule) { r.From, r.Action = pfx("10.66.0.0/16"), "blackhole" }),
		rule(3, 1008, func(r *Rule) { r.FromAll, r.UIDRange, r.Table = true, "1000-2000", "100" }),
		rule(4, 3232238081, func(r *Rule) {
			r.From, r.Table, r.Extra = pfx("192.168.10.1/24"), "3232238081", Params{{"sparkle", "true"}}
		}),
	}
	opts := append([]cmp.Option{cmpopts.IgnoreFields(Rule{}, "Raw")}, cmpOpts...)
	if diff := cmp.Diff(want, got.Rules, opts...); diff != "" {
		t.Errorf("rules (-want +got):\n%s", diff)
	}
	matchIssues(t, got.Issues, []string{"4: warning: unknown rule JSON keyword(s) kept in Extra: sparkle"})
}
