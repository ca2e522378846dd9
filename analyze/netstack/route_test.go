package netstack

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// outcome is the comparable summary of a Decision: the rule by priority,
// the route by its line in the routes input.
type outcome struct {
	Verdict   Verdict
	Rule      int64 // -1: none
	Table     string
	RouteLine int
	Dev       string
	Gateway   string
	NextHop   string
	Src       string
}

func summarize(d Decision) outcome {
	o := outcome{Verdict: d.Verdict, Rule: -1, Table: d.Table, Dev: d.Dev}
	if d.Rule != nil {
		o.Rule = int64(d.Rule.Priority)
	}
	if d.Route != nil {
		o.RouteLine = d.Route.Pos.Line
	}
	if d.Gateway.IsValid() {
		o.Gateway = d.Gateway.String()
	}
	if d.NextHop.IsValid() {
		o.NextHop = d.NextHop.String()
	}
	if d.Src.IsValid() {
		o.Src = d.Src.String()
	}
	return o
}

func steps(d Decision) []string {
	var out []string
	for _, s := range d.Steps {
		out = append(out, fmt.Sprintf("%d: %s", s.Rule.Priority, s.Result))
	}
	return out
}

type routeCase struct {
	name   string
	p      Packet
	want   outcome
	reason string   // substring of Decision.Reason
	steps  []string // prefixes of the steps, when checked
	note   string   // substring of one note, when checked
}

func runRoutes(t *testing.T, ns *Namespace, tests []routeCase) {
	t.Helper()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d, err := ns.Route(tc.p)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, summarize(d)); diff != "" {
				t.Errorf("decision (-want +got):\n%s\nreason: %s\nsteps: %q", diff, d.Reason, steps(d))
			}
			if !strings.Contains(d.Reason, tc.reason) {
				t.Errorf("reason %q does not contain %q", d.Reason, tc.reason)
			}
			if tc.steps != nil {
				got := steps(d)
				if len(got) != len(tc.steps) {
					t.Fatalf("steps %q, want %q", got, tc.steps)
				}
				for i := range got {
					if !strings.HasPrefix(got[i], tc.steps[i]) {
						t.Errorf("step %d: %q, want prefix %q", i, got[i], tc.steps[i])
					}
				}
			}
			if tc.note != "" && !strings.Contains(strings.Join(d.Notes, "\n"), tc.note) {
				t.Errorf("notes %q lack %q", d.Notes, tc.note)
			}
		})
	}
}

func TestRouteDVRQRouter(t *testing.T) {
	const qrE, qrB, rfp = "qr-e7ff5f15-09", "qr-2e3a3302-66", "rfp-907f4d76-d"
	runRoutes(t, qrouterNS(t), []routeCase{
		{
			name: "fip VM to the internet takes table 16 via rfp",
			p:    Packet{Src: addr("10.10.1.23"), Dst: addr("8.8.8.8"), IIF: qrE},
			want: outcome{Verdict: Forward, Rule: 57481, Table: "16", RouteLine: 3, Dev: rfp, Gateway: "169.254.88.135", NextHop: "169.254.88.135", Src: "10.10.1.23"},
			steps: []string{"0: no route in table local", "32766: no route in table main", "32767: table default is empty",
				"57481: lookup table 16"},
		},
		{
			name: "VM without fip goes to its subnet's csnat table, next hop the sg- address",
			p:    Packet{Src: addr("10.10.1.156"), Dst: addr("8.8.8.8"), IIF: qrE},
			want: outcome{Verdict: Forward, Rule: 168427777, Table: "168427777", RouteLine: 1, Dev: qrE, Gateway: "10.10.1.58", NextHop: "10.10.1.58", Src: "10.10.1.156"},
		},
		{
			name: "second subnet uses its own csnat table",
			p:    Packet{Src: addr("10.10.2.38"), Dst: addr("1.1.1.1"), IIF: qrB},
			want: outcome{Verdict: Forward, Rule: 168428033, Table: "168428033", RouteLine: 2, Dev: qrB, Gateway: "10.10.2.103", NextHop: "10.10.2.103", Src: "10.10.2.38"},
		},
		{
			name: "east-west stays in main, next hop the destination",
			p:    Packet{Src: addr("10.10.1.156"), Dst: addr("10.10.2.38"), IIF: qrE},
			want: outcome{Verdict: Forward, Rule: 32766, Table: "main", RouteLine: 5, Dev: qrB, NextHop: "10.10.2.38", Src: "10.10.1.156"},
		},
		{
			name: "the fip VM east-west also stays in main (rule 32766 comes first)",
			p:    Packet{Src: addr("10.10.1.23"), Dst: addr("10.10.2.38"), IIF: qrE},
			want: outcome{Verdict: Forward, Rule: 32766, Table: "main", RouteLine: 5, Dev: qrB, NextHop: "10.10.2.38", Src: "10.10.1.23"},
		},
		{
			name: "the router's own address is local",
			p:    Packet{Src: addr("10.10.1.156"), Dst: addr("10.10.1.1"), IIF: qrE},
			want: outcome{Verdict: Local, Rule: 0, Table: "local", RouteLine: 7, Dev: qrE, Src: "10.10.1.156"},
		},
		{
			name:   "a source outside every subnet has no route out",
			p:      Packet{Src: addr("10.99.0.5"), Dst: addr("8.8.8.8"), IIF: qrE},
			want:   outcome{Verdict: NoRoute, Rule: -1, Src: "10.99.0.5"},
			reason: "no rule of qrouter-907f4d76-d5d4-4334-bd29-9eb24e0a20fc gives a route to 8.8.8.8",
		},
		{
			name:   "a packet claiming the router's own address is martian",
			p:      Packet{Src: addr("10.10.1.1"), Dst: addr("8.8.8.8"), IIF: qrE},
			want:   outcome{Verdict: Martian, Rule: -1, Src: "10.10.1.1"},
			reason: "martian source 10.10.1.1",
		},
		{
			name: "locally generated: source from the connected route's src",
			p:    Packet{Dst: addr("10.10.2.38")},
			want: outcome{Verdict: Forward, Rule: 32766, Table: "main", RouteLine: 5, Dev: qrB, NextHop: "10.10.2.38", Src: "10.10.2.1"},
		},
		{
			name:   "locally generated to the internet: no rule matches the router's own sources",
			p:      Packet{Dst: addr("8.8.8.8")},
			want:   outcome{Verdict: NoRoute, Rule: -1},
			reason: "gives a route to 8.8.8.8",
		},
		{
			name:   "locally generated from an address that is not the namespace's",
			p:      Packet{Src: addr("10.10.1.5"), Dst: addr("10.10.2.38")},
			want:   outcome{Verdict: Martian, Rule: -1, Src: "10.10.1.5"},
			reason: "not an address of",
		},
	})
}

func TestRouteDVRFip(t *testing.T) {
	const fg, fpr = "fg-bc530db0-d2", "fpr-907f4d76-d"
	runRoutes(t, fipNS(t), []routeCase{
		{
			name: "inbound to a floating IP goes to the router through fpr",
			p:    Packet{Src: addr("203.0.113.9"), Dst: addr("172.24.4.65"), IIF: fg},
			want: outcome{Verdict: Forward, Rule: 32766, Table: "main", RouteLine: 4, Dev: fpr, Gateway: "169.254.88.134", NextHop: "169.254.88.134", Src: "203.0.113.9"},
		},
		{
			name: "outbound from the router (iif fpr) takes the per-router table to the external gateway",
			p:    Packet{Src: addr("172.24.4.65"), Dst: addr("8.8.8.8"), IIF: fpr},
			want: outcome{Verdict: Forward, Rule: 2852018311, Table: "2852018311", RouteLine: 1, Dev: fg, Gateway: "172.24.4.1", NextHop: "172.24.4.1", Src: "172.24.4.65"},
		},
		{
			name: "the same packet arriving on fg matches no iif rule",
			p:    Packet{Src: addr("172.24.4.66"), Dst: addr("8.8.8.8"), IIF: fg},
			want: outcome{Verdict: NoRoute, Rule: -1, Src: "172.24.4.66"},
		},
		{
			name: "external subnet from the router is connected on fg",
			p:    Packet{Src: addr("172.24.4.65"), Dst: addr("172.24.4.1"), IIF: fpr},
			want: outcome{Verdict: Forward, Rule: 32766, Table: "main", RouteLine: 3, Dev: fg, NextHop: "172.24.4.1", Src: "172.24.4.65"},
		},
		{
			name: "broadcast of the external subnet is local",
			p:    Packet{Src: addr("172.24.4.1"), Dst: addr("172.24.4.255"), IIF: fg},
			want: outcome{Verdict: Local, Rule: 0, Table: "local", RouteLine: 9, Dev: fg, Src: "172.24.4.1"},
		},
	})
}

// kernelNS is a namespace exercising the rest of the routing semantics.
func kernelNS(t testing.TB, rules string) *Namespace {
	ns := nsText(t, "lab", `
	1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000
	    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00
	    inet 127.0.0.1/8 scope host lo
	    inet 192.0.2.200/32 scope global lo
	2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc mq state UP group default qlen 1000
	    link/ether 52:54:00:00:00:01 brd ff:ff:ff:ff:ff:ff
	    inet 192.168.1.10/24 brd 192.168.1.255 scope global eth0
	    inet 192.168.1.11/24 brd 192.168.1.255 scope global secondary eth0
	    inet 198.51.100.10/24 brd 198.51.100.255 scope global eth0
	3: eth1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc mq state UP group default qlen 1000
	    link/ether 52:54:00:00:00:02 brd ff:ff:ff:ff:ff:ff
	    inet 10.0.0.1/24 brd 10.0.0.255 scope global eth1
	4: eth2: <BROADCAST,MULTICAST> mtu 1500 qdisc mq state DOWN group default qlen 1000
	    link/ether 52:54:00:00:00:03 brd ff:ff:ff:ff:ff:ff
	5: eth3: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500 qdisc mq state DOWN group default qlen 1000
	    link/ether 52:54:00:00:00:04 brd ff:ff:ff:ff:ff:ff
	6: eth4: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc mq state UP group default qlen 1000
	    link/ether 52:54:00:00:00:05 brd ff:ff:ff:ff:ff:ff
	`, `
	default via 192.168.1.1 dev eth0 metric 100
	default via 10.0.0.254 dev eth1 metric 50
	172.16.0.0/12 via 192.168.1.2 dev eth0
	172.16.5.0/24 via 192.168.1.3 dev eth0
	172.16.5.128/25 via 192.168.1.4 dev eth0 dead
	172.16.6.0/24 via 10.0.0.9 dev eth1 linkdown
	blackhole 203.0.113.0/26
	unreachable 203.0.113.64/26
	prohibit 203.0.113.128/26
	192.168.1.0/24 dev eth0 proto kernel scope link src 192.168.1.10
	10.0.0.0/24 dev eth1 proto kernel scope link src 10.0.0.1
	198.51.100.0/24 dev eth0 proto kernel scope link src 198.51.100.10
	default via 10.0.0.2 dev eth1 table 100
	throw 10.20.0.0/16 table 100
	10.20.0.0/16 via 10.0.0.3 dev eth1
	default via 10.0.0.4 dev eth1 table 200
	default via 10.0.0.5 dev eth1 table 300
	default via 10.0.0.6 dev eth1 table 400
	default via 192.0.2.1 dev eth4 table 500 onlink
	default via 192.0.2.1 dev eth4 table 501
	default dev eth2 table 600
	default via 10.0.0.7 dev eth3 table 601
	default table 700 proto static
		nexthop via 10.0.0.11 dev eth1 weight 1
		nexthop via 192.168.1.12 dev eth0 weight 1
	10.30.0.0/16 via 10.0.0.12 dev eth1 table 800 tos 0x10
	10.30.0.0/16 via 10.0.0.13 dev eth1 table 800
	local 127.0.0.0/8 dev lo table local proto kernel scope host src 127.0.0.1
	local 192.0.2.200 dev lo table local proto kernel scope host src 192.0.2.200
	local 192.168.1.10 dev eth0 table local proto kernel scope host src 192.168.1.10
	local 10.0.0.1 dev eth1 table local proto kernel scope host src 10.0.0.1
	203.0.113.192/26 via 198.51.100.1 dev eth0
	`, rules, "-")
	ns.Sysctl = map[string]string{}
	for _, ifc := range ns.Interfaces {
		ns.Sysctl["net.ipv4.conf."+ifc.Name+".forwarding"] = "1"
	}
	return ns
}

const defaultRules = `
	0:	from all lookup local
	32766:	from all lookup main
	32767:	from all lookup default
	`

func TestRouteTables(t *testing.T) {
	runRoutes(t, kernelNS(t, defaultRules), []routeCase{
		{name: "lowest metric default wins", p: Packet{Src: addr("10.0.0.50"), Dst: addr("8.8.8.8"), IIF: "eth1"},
			want: outcome{Verdict: Forward, Rule: 32766, Table: "main", RouteLine: 2, Dev: "eth1", Gateway: "10.0.0.254", NextHop: "10.0.0.254", Src: "10.0.0.50"}},
		{name: "longest prefix: /24 beats /12", p: Packet{Src: addr("10.0.0.50"), Dst: addr("172.16.5.9"), IIF: "eth1"},
			want: outcome{Verdict: Forward, Rule: 32766, Table: "main", RouteLine: 4, Dev: "eth0", Gateway: "192.168.1.3", NextHop: "192.168.1.3", Src: "10.0.0.50"}},
		{name: "/12 when no longer prefix covers", p: Packet{Src: addr("10.0.0.50"), Dst: addr("172.17.0.1"), IIF: "eth1"},
			want: outcome{Verdict: Forward, Rule: 32766, Table: "main", RouteLine: 3, Dev: "eth0", Gateway: "192.168.1.2", NextHop: "192.168.1.2", Src: "10.0.0.50"}},
		{name: "a dead route is skipped for the next shorter prefix", p: Packet{Src: addr("10.0.0.50"), Dst: addr("172.16.5.200"), IIF: "eth1"},
			want: outcome{Verdict: Forward, Rule: 32766, Table: "main", RouteLine: 4, Dev: "eth0", Gateway: "192.168.1.3", NextHop: "192.168.1.3", Src: "10.0.0.50"}},
		{name: "linkdown next hop is still used", p: Packet{Src: addr("192.168.1.50"), Dst: addr("172.16.6.1"), IIF: "eth0"},
			want: outcome{Verdict: Forward, Rule: 32766, Table: "main", RouteLine: 6, Dev: "eth1", Gateway: "10.0.0.9", NextHop: "10.0.0.9", Src: "192.168.1.50"},
			note: "linkdown"},
		{name: "blackhole route", p: Packet{Src: addr("10.0.0.50"), Dst: addr("203.0.113.5"), IIF: "eth1"},
			want: outcome{Verdict: Blackhole, Rule: 32766, Table: "main", RouteLine: 7, Src: "10.0.0.50"}, reason: "is a blackhole"},
		{name: "unreachable route", p: Packet{Src: addr("10.0.0.50"), Dst: addr("203.0.113.70"), IIF: "eth1"},
			want: outcome{Verdict: Unreachable, Rule: 32766, Table: "main", RouteLine: 8, Src: "10.0.0.50"}},
		{name: "prohibit route", p: Packet{Src: addr("10.0.0.50"), Dst: addr("203.0.113.130"), IIF: "eth1"},
			want: outcome{Verdict: Prohibit, Rule: 32766, Table: "main", RouteLine: 9, Src: "10.0.0.50"}},
		{name: "local address on lo", p: Packet{Src: addr("10.0.0.50"), Dst: addr("192.0.2.200"), IIF: "eth1"},
			want: outcome{Verdict: Local, Rule: 0, Table: "local", RouteLine: 29, Dev: "lo", Src: "10.0.0.50"}},
		{name: "martian loopback destination", p: Packet{Src: addr("10.0.0.50"), Dst: addr("127.0.0.1"), IIF: "eth1"},
			want: outcome{Verdict: Martian, Rule: -1, Src: "10.0.0.50"}, reason: "loopback"},
		{name: "limited broadcast is local", p: Packet{Src: addr("10.0.0.50"), Dst: addr("255.255.255.255"), IIF: "eth1"},
			want: outcome{Verdict: Local, Rule: -1, Src: "10.0.0.50"}},
		{name: "local output: the route's src", p: Packet{Dst: addr("198.51.100.77")},
			want: outcome{Verdict: Forward, Rule: 32766, Table: "main", RouteLine: 12, Dev: "eth0", NextHop: "198.51.100.77", Src: "198.51.100.10"}},
		{name: "local output: the primary address on the gateway's subnet", p: Packet{Dst: addr("203.0.113.200")},
			want: outcome{Verdict: Forward, Rule: 32766, Table: "main", RouteLine: 32, Dev: "eth0", Gateway: "198.51.100.1", NextHop: "198.51.100.1", Src: "198.51.100.10"}},
		{name: "local output: unknown destination, default via eth1", p: Packet{Dst: addr("9.9.9.9")},
			want: outcome{Verdict: Forward, Rule: 32766, Table: "main", RouteLine: 2, Dev: "eth1", Gateway: "10.0.0.254", NextHop: "10.0.0.254", Src: "10.0.0.1"}},
		{name: "local output bound to eth0 skips the eth1 default", p: Packet{Dst: addr("9.9.9.9"), OIF: "eth0"},
			want: outcome{Verdict: Forward, Rule: 32766, Table: "main", RouteLine: 1, Dev: "eth0", Gateway: "192.168.1.1", NextHop: "192.168.1.1", Src: "192.168.1.10"}},
	})
}

// TestSourceFallback checks inet_select_addr's fallback: an egress device
// without addresses borrows one from the others, lo first, skipping host
// and link scope.
func TestSourceFallback(t *testing.T) {
	runRoutes(t, kernelNS(t, defaultRules+"50:\tfrom all iif lo lookup 500\n"), []routeCase{
		{name: "address of lo", p: Packet{Dst: addr("8.8.8.8")},
			want: outcome{Verdict: Forward, Rule: 50, Table: "500", RouteLine: 19, Dev: "eth4", Gateway: "192.0.2.1", NextHop: "192.0.2.1", Src: "192.0.2.200"}},
	})
}

func TestRouteRules(t *testing.T) {
	rules := `
	0:	from all lookup local
	90:	from all to 10.20.0.0/16 lookup 100
	100:	from all fwmark 0x1 goto 300
	150:	from all fwmark 0x10/0xf0 lookup 200
	200:	from 192.168.1.0/24 lookup 200
	220:	from all iif lo lookup 400
	230:	from all oif eth1 lookup 300
	250:	from 10.0.0.66 blackhole
	251:	from 10.0.0.67 unreachable
	252:	from 10.0.0.68 prohibit
	260:	from all tos 0x10 lookup 800
	270:	from 10.0.0.69 nop
	275:	from all iif eth0 to 203.0.113.0/24 lookup main suppress_prefixlength 26
	280:	from all iif eth0 lookup main suppress_prefixlength 0
	290:	from all iif eth0 lookup 100
	300:	from all fwmark 0x1 lookup 300
	310:	from 10.0.0.70 lookup 500
	311:	from 10.0.0.71 lookup 501
	312:	from 10.0.0.72 lookup 600
	313:	from 10.0.0.73 lookup 601
	314:	from 10.0.0.74 lookup 700
	315:	from 10.0.0.75 ipproto tcp dport 80-90 lookup 300
	316:	from 10.0.0.76 lookup 999
	32000:	not from 10.0.0.0/8 lookup 400
	32766:	from all lookup main
	`
	runRoutes(t, kernelNS(t, rules), []routeCase{
		{name: "to selector; throw falls through to main", p: Packet{Src: addr("10.0.0.50"), Dst: addr("10.20.1.1"), IIF: "eth1"},
			want:  outcome{Verdict: Forward, Rule: 32766, Table: "main", RouteLine: 15, Dev: "eth1", Gateway: "10.0.0.3", NextHop: "10.0.0.3", Src: "10.0.0.50"},
			steps: []string{"0: no route in table local", "90: throw at", "32766: lookup table main"}},
		{name: "goto skips the rules in between", p: Packet{Src: addr("192.168.1.50"), Dst: addr("8.8.8.8"), IIF: "eth0", Mark: 1},
			want:  outcome{Verdict: Forward, Rule: 300, Table: "300", RouteLine: 17, Dev: "eth1", Gateway: "10.0.0.5", NextHop: "10.0.0.5", Src: "192.168.1.50"},
			steps: []string{"0: no route", "100: goto 300", "300: lookup table 300"}},
		{name: "fwmark with mask", p: Packet{Src: addr("10.0.0.50"), Dst: addr("8.8.8.8"), IIF: "eth1", Mark: 0x1f},
			want: outcome{Verdict: Forward, Rule: 150, Table: "200", RouteLine: 16, Dev: "eth1", Gateway: "10.0.0.4", NextHop: "10.0.0.4", Src: "10.0.0.50"}},
		{name: "fwmark outside the mask does not match", p: Packet{Src: addr("10.0.0.50"), Dst: addr("8.8.8.8"), IIF: "eth1", Mark: 0x20},
			want: outcome{Verdict: Forward, Rule: 32766, Table: "main", RouteLine: 2, Dev: "eth1", Gateway: "10.0.0.254", NextHop: "10.0.0.254", Src: "10.0.0.50"}},
		{name: "from prefix", p: Packet{Src: addr("192.168.1.50"), Dst: addr("8.8.8.8"), IIF: "eth0"},
			want: outcome{Verdict: Forward, Rule: 200, Table: "200", RouteLine: 16, Dev: "eth1", Gateway: "10.0.0.4", NextHop: "10.0.0.4", Src: "192.168.1.50"}},
		{name: "not from: matches a source outside 10/8", p: Packet{Src: addr("172.31.0.1"), Dst: addr("8.8.8.8"), IIF: "eth4"},
			want: outcome{Verdict: Forward, Rule: 32000, Table: "400", RouteLine: 18, Dev: "eth1", Gateway: "10.0.0.6", NextHop: "10.0.0.6", Src: "172.31.0.1"}},
		{name: "not from: a 10/8 source falls through", p: Packet{Src: addr("10.9.0.1"), Dst: addr("8.8.8.8"), IIF: "eth4"},
			want: outcome{Verdict: Forward, Rule: 32766, Table: "main", RouteLine: 2, Dev: "eth1", Gateway: "10.0.0.254", NextHop: "10.0.0.254", Src: "10.9.0.1"}},
		{name: "iif lo matches locally generated packets", p: Packet{Src: addr("10.0.0.1"), Dst: addr("8.8.8.8")},
			want: outcome{Verdict: Forward, Rule: 220, Table: "400", RouteLine: 18, Dev: "eth1", Gateway: "10.0.0.6", NextHop: "10.0.0.6", Src: "10.0.0.1"}},
		{name: "oif rule never matches a forwarded packet", p: Packet{Src: addr("10.0.0.50"), Dst: addr("8.8.8.8"), IIF: "eth1"},
			want: outcome{Verdict: Forward, Rule: 32766, Table: "main", RouteLine: 2, Dev: "eth1", Gateway: "10.0.0.254", NextHop: "10.0.0.254", Src: "10.0.0.50"}},
		{name: "blackhole rule", p: Packet{Src: addr("10.0.0.66"), Dst: addr("8.8.8.8"), IIF: "eth1"},
			want: outcome{Verdict: Blackhole, Rule: 250, Src: "10.0.0.66"}, reason: "rule 250 is blackhole"},
		{name: "unreachable rule", p: Packet{Src: addr("10.0.0.67"), Dst: addr("8.8.8.8"), IIF: "eth1"},
			want: outcome{Verdict: Unreachable, Rule: 251, Src: "10.0.0.67"}},
		{name: "prohibit rule", p: Packet{Src: addr("10.0.0.68"), Dst: addr("8.8.8.8"), IIF: "eth1"},
			want: outcome{Verdict: Prohibit, Rule: 252, Src: "10.0.0.68"}},
		{name: "tos rule and tos route", p: Packet{Src: addr("10.0.0.50"), Dst: addr("10.30.1.1"), IIF: "eth1", TOS: 0x10},
			want: outcome{Verdict: Forward, Rule: 260, Table: "800", RouteLine: 26, Dev: "eth1", Gateway: "10.0.0.12", NextHop: "10.0.0.12", Src: "10.0.0.50"}},
		{name: "nop continues", p: Packet{Src: addr("10.0.0.69"), Dst: addr("8.8.8.8"), IIF: "eth1"},
			want:  outcome{Verdict: Forward, Rule: 32766, Table: "main", RouteLine: 2, Dev: "eth1", Gateway: "10.0.0.254", NextHop: "10.0.0.254", Src: "10.0.0.69"},
			steps: []string{"0: no route", "270: nop", "32766: lookup"}},
		{name: "suppress_prefixlength 0 ignores main's default", p: Packet{Src: addr("172.31.0.9"), Dst: addr("8.8.8.8"), IIF: "eth0"},
			want:  outcome{Verdict: Forward, Rule: 290, Table: "100", RouteLine: 13, Dev: "eth1", Gateway: "10.0.0.2", NextHop: "10.0.0.2", Src: "172.31.0.9"},
			steps: []string{"0: no route", "280: suppressed", "290: lookup table 100"}},
		{name: "suppress_prefixlength 0 keeps longer prefixes", p: Packet{Src: addr("172.31.0.9"), Dst: addr("10.0.0.99"), IIF: "eth0"},
			want: outcome{Verdict: Forward, Rule: 280, Table: "main", RouteLine: 11, Dev: "eth1", NextHop: "10.0.0.99", Src: "172.31.0.9"}},
		{name: "suppress_prefixlength does not apply to a blackhole", p: Packet{Src: addr("172.31.0.9"), Dst: addr("203.0.113.5"), IIF: "eth0"},
			want: outcome{Verdict: Blackhole, Rule: 275, Table: "main", RouteLine: 7, Src: "172.31.0.9"}},
		{name: "onlink gateway off-subnet is fine", p: Packet{Src: addr("10.0.0.70"), Dst: addr("8.8.8.8"), IIF: "eth1"},
			want: outcome{Verdict: Forward, Rule: 310, Table: "500", RouteLine: 19, Dev: "eth4", Gateway: "192.0.2.1", NextHop: "192.0.2.1", Src: "10.0.0.70"}},
		{name: "off-subnet gateway without onlink is noted", p: Packet{Src: addr("10.0.0.71"), Dst: addr("8.8.8.8"), IIF: "eth1"},
			want: outcome{Verdict: Forward, Rule: 311, Table: "501", RouteLine: 20, Dev: "eth4", Gateway: "192.0.2.1", NextHop: "192.0.2.1", Src: "10.0.0.71"},
			note: "not onlink"},
		{name: "egress device administratively down", p: Packet{Src: addr("10.0.0.72"), Dst: addr("8.8.8.8"), IIF: "eth1"},
			want: outcome{Verdict: LinkDown, Rule: 312, Table: "600", RouteLine: 21, Dev: "eth2", NextHop: "8.8.8.8", Src: "10.0.0.72"}, reason: "administratively down"},
		{name: "egress device without carrier", p: Packet{Src: addr("10.0.0.73"), Dst: addr("8.8.8.8"), IIF: "eth1"},
			want: outcome{Verdict: LinkDown, Rule: 313, Table: "601", RouteLine: 22, Dev: "eth3", Gateway: "10.0.0.7", NextHop: "10.0.0.7", Src: "10.0.0.73"}, reason: "no carrier"},
		{name: "multipath route: first path, the rest listed", p: Packet{Src: addr("10.0.0.74"), Dst: addr("8.8.8.8"), IIF: "eth1"},
			want: outcome{Verdict: Forward, Rule: 314, Table: "700", RouteLine: 23, Dev: "eth1", Gateway: "10.0.0.11", NextHop: "10.0.0.11", Src: "10.0.0.74"},
			note: "one of 2 paths"},
		{name: "ipproto and dport selectors match", p: Packet{Src: addr("10.0.0.75"), Dst: addr("8.8.8.8"), IIF: "eth1", Proto: 6, DstPort: 85},
			want: outcome{Verdict: Forward, Rule: 315, Table: "300", RouteLine: 17, Dev: "eth1", Gateway: "10.0.0.5", NextHop: "10.0.0.5", Src: "10.0.0.75"}},
		{name: "ipproto and dport selectors miss", p: Packet{Src: addr("10.0.0.75"), Dst: addr("8.8.8.8"), IIF: "eth1", Proto: 17, DstPort: 85},
			want: outcome{Verdict: Forward, Rule: 32766, Table: "main", RouteLine: 2, Dev: "eth1", Gateway: "10.0.0.254", NextHop: "10.0.0.254", Src: "10.0.0.75"}},
		{name: "a table without routes is skipped", p: Packet{Src: addr("10.0.0.76"), Dst: addr("8.8.8.8"), IIF: "eth1"},
			want:  outcome{Verdict: Forward, Rule: 32766, Table: "main", RouteLine: 2, Dev: "eth1", Gateway: "10.0.0.254", NextHop: "10.0.0.254", Src: "10.0.0.76"},
			steps: []string{"0: no route", "316: table 999 is empty", "32766: lookup"}},
	})
}

// TestRouteMissingRules checks that absent default rules are not invented.
func TestRouteMissingRules(t *testing.T) {
	runRoutes(t, kernelNS(t, "32766:\tfrom all lookup main\n"), []routeCase{
		{name: "no local rule: an own address is routed by main, not delivered",
			p:    Packet{Src: addr("10.0.0.50"), Dst: addr("192.168.1.10"), IIF: "eth1"},
			want: outcome{Verdict: Forward, Rule: 32766, Table: "main", RouteLine: 10, Dev: "eth0", NextHop: "192.168.1.10", Src: "10.0.0.50"}},
		{name: "no local rule: an address on lo has no route at all",
			p:    Packet{Src: addr("10.0.0.50"), Dst: addr("192.0.2.200"), IIF: "eth1"},
			want: outcome{Verdict: Forward, Rule: 32766, Table: "main", RouteLine: 2, Dev: "eth1", Gateway: "10.0.0.254", NextHop: "10.0.0.254", Src: "10.0.0.50"}},
	})
	runRoutes(t, kernelNS(t, "-"), []routeCase{
		{name: "collected but empty", p: Packet{Src: addr("10.0.0.50"), Dst: addr("8.8.8.8"), IIF: "eth1"},
			want: outcome{Verdict: NoRoute, Rule: -1, Src: "10.0.0.50"}, reason: "its ip rule list is empty"},
	})
	runRoutes(t, kernelNS(t, ""), []routeCase{
		{name: "not collected", p: Packet{Src: addr("10.0.0.50"), Dst: addr("8.8.8.8"), IIF: "eth1"},
			want: outcome{Verdict: DataMissing, Rule: -1, Src: "10.0.0.50"}, reason: "`ip -4 rule` of lab was not collected"},
		{name: "IPv6 rules never collected", p: Packet{Src: addr("2001:db8::1"), Dst: addr("2001:db8::2"), IIF: "eth1"},
			want: outcome{Verdict: DataMissing, Rule: -1, Src: "2001:db8::1"}, reason: "`ip -6 rule`"},
	})
	ns := kernelNS(t, defaultRules)
	ns.Have.Routes = false
	d, _ := ns.Route(Packet{Src: addr("10.0.0.50"), Dst: addr("8.8.8.8"), IIF: "eth1"})
	if d.Verdict != DataMissing || !strings.Contains(d.Reason, "`ip route`") {
		t.Errorf("routes not collected: %+v %s", summarize(d), d.Reason)
	}
}

func TestRouteForwardingSysctl(t *testing.T) {
	ns := kernelNS(t, defaultRules)
	ns.Sysctl = nil
	p := Packet{Src: addr("10.0.0.50"), Dst: addr("8.8.8.8"), IIF: "eth1"}
	d, _ := ns.Route(p)
	if d.Verdict != Disabled || len(d.Assumed) != 1 || !strings.Contains(d.Assumed[0], "kernel default") {
		// kernelNS is Kind "other": no sysctl, kernel default forwarding=0.
		t.Fatalf("got %s %q, want forwarding-disabled with the kernel default assumed", d.Verdict, d.Assumed)
	}
	ns = kernelNS(t, defaultRules)
	ns.Sysctl = map[string]string{"net.ipv4.conf.eth1.forwarding": "1", "net.ipv4.conf.all.forwarding": "0"}
	if d, _ := ns.Route(p); d.Verdict != Forward || len(d.Assumed) != 0 {
		t.Errorf("per-device forwarding=1: got %s %q", d.Verdict, d.Assumed)
	}
	q := qrouterNS(t)
	d, _ = q.Route(Packet{Src: addr("10.10.1.156"), Dst: addr("8.8.8.8"), IIF: "qr-e7ff5f15-09"})
	if d.Verdict != Forward || len(d.Assumed) != 1 || !strings.Contains(d.Assumed[0], "Neutron's setting for qrouter") {
		t.Errorf("qrouter: got %s %q", d.Verdict, d.Assumed)
	}
}

func TestRouteErrors(t *testing.T) {
	ns := qrouterNS(t)
	for _, p := range []Packet{
		{},
		{Src: addr("10.0.0.1"), Dst: addr("2001:db8::1")},
		{Src: addr("10.10.1.5"), Dst: addr("8.8.8.8"), IIF: "eth9"},
	} {
		if _, err := ns.Route(p); !errors.Is(err, ErrPacket) {
			t.Errorf("%+v: err %v, want ErrPacket", p, err)
		}
	}
}

func TestDecisionEvidence(t *testing.T) {
	d, _ := qrouterNS(t).Route(Packet{Src: addr("10.10.1.23"), Dst: addr("8.8.8.8"), IIF: "qr-e7ff5f15-09"})
	var got []string
	for _, p := range d.Evidence() {
		got = append(got, p.String())
	}
	const q = "qrouter-907f4d76-d5d4-4334-bd29-9eb24e0a20fc"
	want := []string{q + "/ip_rule:1", q + "/ip_rule:2", q + "/ip_rule:3", q + "/ip_rule:4", q + "/ip_route:3", q + "/ip_neigh:1"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("evidence (-want +got):\n%s", diff)
	}
	if d.Neighbor == nil || d.Neighbor.State != Resolved || d.Neighbor.MAC.String() != "22:26:21:ce:55:95" {
		t.Errorf("neighbour of the fpr address: %+v", d.Neighbor)
	}
}
