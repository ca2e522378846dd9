package netstack

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"netxray/parse/iptables"
)

func withIPTables(t testing.TB, ns *Namespace, save string) *Namespace {
	t.Helper()
	x, err := iptables.ParseSave(strings.NewReader(dedent(save)), "iptables-save")
	must(t, err, x.Issues)
	ns.IPTables, ns.Have.IPTables = x, true
	return ns
}

// The cmp1 qrouter's nat, mangle and filter tables (lab, healthy).
const qrouterIPTables = `
	*mangle
	:PREROUTING ACCEPT [6594:2306596]
	:INPUT ACCEPT [0:0]
	:FORWARD ACCEPT [6362:2292676]
	:OUTPUT ACCEPT [0:0]
	:POSTROUTING ACCEPT [6362:2292676]
	:neutron-l3-agent-PREROUTING - [0:0]
	:neutron-l3-agent-floatingip - [0:0]
	:neutron-l3-agent-mark - [0:0]
	:neutron-l3-agent-scope - [0:0]
	-A PREROUTING -j neutron-l3-agent-PREROUTING
	-A neutron-l3-agent-PREROUTING -j neutron-l3-agent-mark
	-A neutron-l3-agent-PREROUTING -j neutron-l3-agent-scope
	-A neutron-l3-agent-PREROUTING -m connmark ! --mark 0x0/0xffff0000 -j CONNMARK --restore-mark --nfmask 0xffff0000 --ctmask 0xffff0000
	-A neutron-l3-agent-PREROUTING -j neutron-l3-agent-floatingip
	-A neutron-l3-agent-PREROUTING -d 169.254.169.254/32 -i qr-+ -p tcp -m tcp --dport 80 -j MARK --set-xmark 0x1/0xffff
	-A neutron-l3-agent-scope -i qr-2e3a3302-66 -j MARK --set-xmark 0x4000000/0xffff0000
	-A neutron-l3-agent-scope -i qr-e7ff5f15-09 -j MARK --set-xmark 0x4000000/0xffff0000
	-A neutron-l3-agent-scope -i rfp-907f4d76-d -j MARK --set-xmark 0x4000000/0xffff0000
	COMMIT
	*filter
	:INPUT ACCEPT [0:0]
	:FORWARD ACCEPT [6362:2292676]
	:OUTPUT ACCEPT [0:0]
	:neutron-filter-top - [0:0]
	:neutron-l3-agent-FORWARD - [0:0]
	:neutron-l3-agent-local - [0:0]
	:neutron-l3-agent-scope - [0:0]
	-A FORWARD -j neutron-filter-top
	-A FORWARD -j neutron-l3-agent-FORWARD
	-A neutron-filter-top -j neutron-l3-agent-local
	-A neutron-l3-agent-FORWARD -j neutron-l3-agent-scope
	-A neutron-l3-agent-scope -o qr-2e3a3302-66 -m mark ! --mark 0x4000000/0xffff0000 -j DROP
	-A neutron-l3-agent-scope -o qr-e7ff5f15-09 -m mark ! --mark 0x4000000/0xffff0000 -j DROP
	-A neutron-l3-agent-scope -o rfp-907f4d76-d -m mark ! --mark 0x4000000/0xffff0000 -j DROP
	COMMIT
	*nat
	:PREROUTING ACCEPT [1598:530332]
	:INPUT ACCEPT [0:0]
	:OUTPUT ACCEPT [0:0]
	:POSTROUTING ACCEPT [75:52576]
	:neutron-l3-agent-POSTROUTING - [0:0]
	:neutron-l3-agent-PREROUTING - [0:0]
	:neutron-l3-agent-float-snat - [0:0]
	:neutron-l3-agent-snat - [0:0]
	:neutron-postrouting-bottom - [0:0]
	-A PREROUTING -j neutron-l3-agent-PREROUTING
	-A POSTROUTING -j neutron-l3-agent-POSTROUTING
	-A POSTROUTING -j neutron-postrouting-bottom
	-A neutron-l3-agent-POSTROUTING ! -o rfp-907f4d76-d -m conntrack ! --ctstate DNAT -j ACCEPT
	-A neutron-l3-agent-PREROUTING -d 172.24.4.65/32 -i rfp-907f4d76-d -j DNAT --to-destination 10.10.1.23
	-A neutron-l3-agent-float-snat -s 10.10.1.23/32 -j SNAT --to-source 172.24.4.65 --random-fully
	-A neutron-l3-agent-snat -j neutron-l3-agent-float-snat
	-A neutron-postrouting-bottom -m comment --comment "Perform source NAT on outgoing traffic." -j neutron-l3-agent-snat
	COMMIT
	`

// transitOutcome is the comparable summary of a Transit.
type transitOutcome struct {
	Verdict  Verdict
	Src, Dst string
	Dev      string
	NAT      []string // "SNAT a→b (line)"
	Decider  string   // "table CHAIN verdict: line" of the filter step (else the last)
	Mark     uint32
}

func summarizeTransit(tr Transit) transitOutcome {
	o := transitOutcome{Verdict: tr.Verdict, Src: tr.Out.Src.String(), Dst: tr.Out.Dst.String(), Mark: tr.Out.Mark}
	if tr.Route != nil {
		o.Dev = tr.Route.Dev
	}
	for _, n := range tr.NAT {
		o.NAT = append(o.NAT, fmt.Sprintf("%s %s→%s (%d)", n.Kind, n.From, n.To, n.Rule.Pos.Line))
	}
	if k := len(tr.Netfilter); k > 0 {
		s := tr.Netfilter[k-1]
		for _, f := range tr.Netfilter {
			if f.Table == "filter" {
				s = f
			}
		}
		line := 0
		switch {
		case s.Rule != nil:
			line = s.Rule.Pos.Line
		case s.Policy != nil:
			line = s.Policy.Pos.Line
		}
		o.Decider = fmt.Sprintf("%s %s %s: %d", s.Table, s.Chain, s.Verdict, line)
	}
	return o
}

type transitCase struct {
	name   string
	p      Packet
	ct     Conntrack
	want   transitOutcome
	reason string
}

func runTransits(t *testing.T, ns *Namespace, tests []transitCase) {
	t.Helper()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tr, err := ns.Transit(tc.p, tc.ct)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, summarizeTransit(tr)); diff != "" {
				t.Errorf("transit (-want +got):\n%s\nreason: %s\nnotes: %q", diff, tr.Reason, tr.Notes)
			}
			if !strings.Contains(tr.Reason, tc.reason) {
				t.Errorf("reason %q lacks %q", tr.Reason, tc.reason)
			}
		})
	}
}

func TestTransitDVRQRouter(t *testing.T) {
	const qrE, qrB, rfp = "qr-e7ff5f15-09", "qr-2e3a3302-66", "rfp-907f4d76-d"
	ns := withIPTables(t, qrouterNS(t), qrouterIPTables)
	scope := uint32(0x4000000)
	out := Packet{Src: addr("10.10.1.23"), Dst: addr("8.8.8.8"), IIF: qrE, Proto: 1, ICMPType: 8}
	in := Packet{Src: addr("8.8.8.8"), Dst: addr("172.24.4.65"), IIF: rfp, Proto: 1, ICMPType: 8}
	tr, _ := ns.Transit(out, Conntrack{})
	snat := tr.NAT
	tr, _ = ns.Transit(in, Conntrack{})
	dnat := tr.NAT
	runTransits(t, ns, []transitCase{
		{name: "floating IP outbound: table 16, float-snat", p: out,
			want: transitOutcome{Verdict: Forward, Src: "172.24.4.65", Dst: "8.8.8.8", Dev: rfp, Mark: scope,
				NAT: []string{"SNAT 10.10.1.23→172.24.4.65 (52)"}, Decider: "filter FORWARD accept: 23"}},
		{name: "floating IP inbound: DNAT, then main to the VM's subnet", p: in,
			want: transitOutcome{Verdict: Forward, Src: "8.8.8.8", Dst: "10.10.1.23", Dev: qrE, Mark: scope,
				NAT: []string{"DNAT 172.24.4.65→10.10.1.23 (51)"}, Decider: "filter FORWARD accept: 23"}},
		{name: "reply to the outbound connection: conntrack undoes the SNAT", ct: Conntrack{State: "ESTABLISHED", Undo: snat},
			p:    Packet{Src: addr("8.8.8.8"), Dst: addr("172.24.4.65"), IIF: rfp, Proto: 1},
			want: transitOutcome{Verdict: Forward, Src: "8.8.8.8", Dst: "10.10.1.23", Dev: qrE, Mark: scope, Decider: "filter FORWARD accept: 23"}},
		{name: "reply to the inbound connection: conntrack undoes the DNAT", ct: Conntrack{State: "ESTABLISHED", Undo: dnat},
			p:    Packet{Src: addr("10.10.1.23"), Dst: addr("8.8.8.8"), IIF: qrE, Proto: 1},
			want: transitOutcome{Verdict: Forward, Src: "172.24.4.65", Dst: "8.8.8.8", Dev: rfp, Mark: scope, Decider: "filter FORWARD accept: 23"}},
		{name: "east-west: no NAT", p: Packet{Src: addr("10.10.1.156"), Dst: addr("10.10.2.38"), IIF: qrE, Proto: 6, DstPort: 22},
			want: transitOutcome{Verdict: Forward, Src: "10.10.1.156", Dst: "10.10.2.38", Dev: qrB, Mark: scope, Decider: "filter FORWARD accept: 23"}},
		{name: "no floating IP: to the csnat next hop, no NAT here", p: Packet{Src: addr("10.10.1.156"), Dst: addr("8.8.8.8"), IIF: qrE},
			want: transitOutcome{Verdict: Forward, Src: "10.10.1.156", Dst: "8.8.8.8", Dev: qrE, Mark: scope, Decider: "filter FORWARD accept: 23"}},
		{name: "routing failure ends the transit", p: Packet{Src: addr("10.99.0.1"), Dst: addr("8.8.8.8"), IIF: qrE},
			want: transitOutcome{Verdict: NoRoute, Src: "10.99.0.1", Dst: "8.8.8.8", Mark: scope, Decider: "nat PREROUTING accept: 38"}},
	})
	ns.IPTables, ns.Have.IPTables = nil, false
	if tr, _ := ns.Transit(out, Conntrack{}); tr.Verdict != DataMissing || !strings.Contains(tr.Reason, "iptables-save") {
		t.Errorf("iptables not collected: %s %s", tr.Verdict, tr.Reason)
	}
}

const filterIPTables = `
	*raw
	:PREROUTING ACCEPT [0:0]
	:OUTPUT ACCEPT [0:0]
	-A PREROUTING -s 10.0.0.99/32 -j CT --notrack
	COMMIT
	*mangle
	:PREROUTING ACCEPT [0:0]
	-A PREROUTING -i eth4 -j MARK --set-xmark 0x1/0xffffffff
	COMMIT
	*filter
	:INPUT ACCEPT [0:0]
	:FORWARD DROP [0:0]
	:OUTPUT ACCEPT [0:0]
	:chk - [0:0]
	:web - [0:0]
	-A FORWARD -m state --state RELATED,ESTABLISHED -j ACCEPT
	-A FORWARD -m state --state UNTRACKED -j ACCEPT
	-A FORWARD -i eth1 -j chk
	-A FORWARD -s 192.168.1.0/24 -g web
	-A FORWARD -i eth4 -j ACCEPT
	-A chk -p tcp -m tcp --dport 22 -j ACCEPT
	-A chk -p icmp -m icmp --icmp-type 8 -j ACCEPT
	-A chk -s 10.0.0.66/32 -j DROP
	-A chk -m conntrack --ctstate DNAT -j ACCEPT
	-A chk -j RETURN
	-A web -p tcp -m multiport --dports 80,443 -j ACCEPT
	-A web -p udp -m set --match-set allowed src -j ACCEPT
	COMMIT
	*nat
	:PREROUTING ACCEPT [0:0]
	:POSTROUTING ACCEPT [0:0]
	:OUTPUT ACCEPT [0:0]
	-A PREROUTING -d 10.0.0.1/32 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 192.168.1.50:80
	-A POSTROUTING -o eth0 -j MASQUERADE
	-A OUTPUT -d 10.9.9.9/32 -j DNAT --to-destination 192.168.1.60
	COMMIT
	`

func TestTransitFilter(t *testing.T) {
	ns := withIPTables(t, kernelNS(t, defaultRules+"100:\tfrom all fwmark 0x1 lookup 300\n"), filterIPTables)
	tcp := func(src, dst string, iif string, port uint16) Packet {
		return Packet{Src: addr(src), Dst: addr(dst), IIF: iif, Proto: 6, SrcPort: 40000, DstPort: port}
	}
	runTransits(t, ns, []transitCase{
		{name: "jump, accept in the user chain", p: tcp("10.0.0.50", "8.8.8.8", "eth1", 22),
			want: transitOutcome{Verdict: Forward, Src: "10.0.0.50", Dst: "8.8.8.8", Dev: "eth1", Decider: "filter FORWARD accept: 21"}},
		{name: "RETURN to FORWARD, then its DROP policy", p: tcp("10.0.0.50", "8.8.8.8", "eth1", 80),
			want:   transitOutcome{Verdict: Filtered, Src: "10.0.0.50", Dst: "8.8.8.8", Dev: "eth1", Decider: "filter FORWARD drop: 12"},
			reason: "filter FORWARD: policy DROP of FORWARD (iptables-save:12)"},
		{name: "icmp echo request accepted", p: Packet{Src: addr("10.0.0.50"), Dst: addr("8.8.8.8"), IIF: "eth1", Proto: 1, ICMPType: 8},
			want: transitOutcome{Verdict: Forward, Src: "10.0.0.50", Dst: "8.8.8.8", Dev: "eth1", Decider: "filter FORWARD accept: 22"}},
		{name: "icmp echo reply, NEW: dropped", p: Packet{Src: addr("10.0.0.50"), Dst: addr("8.8.8.8"), IIF: "eth1", Proto: 1},
			want: transitOutcome{Verdict: Filtered, Src: "10.0.0.50", Dst: "8.8.8.8", Dev: "eth1", Decider: "filter FORWARD drop: 12"}},
		{name: "established is accepted first", p: tcp("10.0.0.50", "8.8.8.8", "eth1", 80), ct: Conntrack{State: "ESTABLISHED"},
			want: transitOutcome{Verdict: Forward, Src: "10.0.0.50", Dst: "8.8.8.8", Dev: "eth1", Decider: "filter FORWARD accept: 16"}},
		{name: "explicit DROP rule", p: tcp("10.0.0.66", "8.8.8.8", "eth1", 80),
			want:   transitOutcome{Verdict: Filtered, Src: "10.0.0.66", Dst: "8.8.8.8", Dev: "eth1", Decider: "filter FORWARD drop: 23"},
			reason: "DROP by -A chk -s 10.0.0.66/32 -j DROP (iptables-save:23)"},
		{name: "goto: multiport accept", p: tcp("192.168.1.50", "8.8.8.8", "eth0", 443),
			want: transitOutcome{Verdict: Forward, Src: "192.168.1.50", Dst: "8.8.8.8", Dev: "eth1", Decider: "filter FORWARD accept: 26"}},
		{name: "goto: end of the chain is the policy", p: tcp("192.168.1.50", "8.8.8.8", "eth0", 25),
			want: transitOutcome{Verdict: Filtered, Src: "192.168.1.50", Dst: "8.8.8.8", Dev: "eth1", Decider: "filter FORWARD drop: 12"}},
		{name: "an ipset match is not evaluated", p: Packet{Src: addr("192.168.1.50"), Dst: addr("8.8.8.8"), IIF: "eth0", Proto: 17},
			want:   transitOutcome{Verdict: Unsupported, Src: "192.168.1.50", Dst: "8.8.8.8", Dev: "eth1", Decider: "filter FORWARD unsupported: 27"},
			reason: "ipset contents are not collected"},
		{name: "DNAT, ctstate DNAT accepted, MASQUERADE out eth0", p: tcp("10.0.0.50", "10.0.0.1", "eth1", 8080),
			want: transitOutcome{Verdict: Forward, Src: "192.168.1.10", Dst: "192.168.1.50", Dev: "eth0", Decider: "filter FORWARD accept: 24",
				NAT: []string{"DNAT 10.0.0.1→192.168.1.50 (33)", "SNAT 10.0.0.50→192.168.1.10 (34)"}}},
		{name: "untracked: no NAT, the address is local", p: tcp("10.0.0.99", "10.0.0.1", "eth1", 8080),
			want: transitOutcome{Verdict: Local, Src: "10.0.0.99", Dst: "10.0.0.1", Dev: "eth1", Decider: "filter INPUT accept: 11"}},
		{name: "the mangle mark picks the routing table", p: tcp("172.31.0.1", "8.8.8.8", "eth4", 80),
			want: transitOutcome{Verdict: Forward, Src: "172.31.0.1", Dst: "8.8.8.8", Dev: "eth1", Mark: 1, Decider: "filter FORWARD accept: 20"}},
		{name: "locally generated, DNAT in OUTPUT routes it again", p: Packet{Dst: addr("10.9.9.9"), Proto: 6, DstPort: 80},
			want: transitOutcome{Verdict: Forward, Src: "192.168.1.10", Dst: "192.168.1.60", Dev: "eth0", Decider: "filter OUTPUT accept: 13",
				NAT: []string{"DNAT 10.9.9.9→192.168.1.60 (35)", "SNAT 10.0.0.1→192.168.1.10 (34)"}}},
		{name: "locally generated, masqueraded", p: Packet{Dst: addr("192.168.1.77"), Proto: 6, DstPort: 80},
			want: transitOutcome{Verdict: Forward, Src: "192.168.1.10", Dst: "192.168.1.77", Dev: "eth0", Decider: "filter OUTPUT accept: 13",
				NAT: []string{"SNAT 192.168.1.10→192.168.1.10 (34)"}}},
	})
	dn, _ := ns.Transit(tcp("10.0.0.50", "10.0.0.1", "eth1", 8080), Conntrack{})
	if dn.Out.DstPort != 80 || dn.NAT[0].FromPort != 8080 || dn.NAT[0].ToPort != 80 {
		t.Errorf("DNAT port: out %d, NAT %+v", dn.Out.DstPort, dn.NAT[0])
	}
	reply := Packet{Src: addr("192.168.1.50"), Dst: addr("192.168.1.10"), IIF: "eth0", Proto: 6, SrcPort: 80, DstPort: 40000}
	back, _ := ns.Transit(reply, Conntrack{State: "ESTABLISHED", Undo: dn.NAT})
	if back.Verdict != Forward || back.Out.Src != addr("10.0.0.1") || back.Out.SrcPort != 8080 || back.Out.Dst != addr("10.0.0.50") || back.Route.Dev != "eth1" {
		t.Errorf("reply through both NATs: %s %+v (%s)", back.Verdict, back.Out, back.Reason)
	}
	d, _ := ns.Transit(tcp("172.31.0.1", "8.8.8.8", "eth4", 80), Conntrack{})
	if d.Route == nil || d.Route.Rule.Priority != 100 || d.Route.Gateway != addr("10.0.0.5") {
		t.Errorf("mark routing: %+v", d.Route)
	}
	var ev []string
	for _, p := range d.Evidence() {
		ev = append(ev, p.String())
	}
	want := []string{"iptables-save:8", "iptables-save:20", "lab/ip_rule:1", "lab/ip_rule:4", "lab/ip_route:17"}
	if diff := cmp.Diff(want, ev); diff != "" {
		t.Errorf("evidence (-want +got):\n%s", diff)
	}
	d, _ = ns.Transit(tcp("10.0.0.50", "8.8.8.8", "eth1", 80), Conntrack{})
	if ev := d.Evidence(); len(ev) < 3 || ev[0].Line != 18 || ev[1].Line != 25 || ev[2].Line != 12 {
		t.Errorf("evidence of a policy drop: %v, want the jump (18), the RETURN (25), the policy (12)", ev)
	}
}

func TestMarkOps(t *testing.T) {
	for _, tc := range []struct {
		target string
		mark   uint32
		want   uint32
	}{
		{"-j MARK --set-xmark 0x4000000/0xffff0000", 0x12, 0x4000012},
		{"-j MARK --set-mark 0x5", 0x12, 0x5},
		{"-j MARK --and-mark 0xf0", 0x1f, 0x10},
		{"-j MARK --or-mark 0x100", 0x1f, 0x11f},
		{"-j MARK --xor-mark 0x1", 0x1f, 0x1e},
		{"-j CONNMARK --restore-mark --nfmask 0xffff0000 --ctmask 0xffff0000", 0x12, 0x30000012},
	} {
		save := withIPTables(t, kernelNS(t, defaultRules), "*mangle\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING "+tc.target+"\nCOMMIT\n")
		tr, err := save.Transit(Packet{Src: addr("10.0.0.50"), Dst: addr("10.0.0.1"), IIF: "eth1", Mark: tc.mark}, Conntrack{Mark: 0x30000000})
		if err != nil || tr.Out.Mark != tc.want {
			t.Errorf("%s on %#x: %#x, want %#x (%v)", tc.target, tc.mark, tr.Out.Mark, tc.want, err)
		}
	}
}
