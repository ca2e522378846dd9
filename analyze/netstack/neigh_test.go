package netstack

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestResolve(t *testing.T) {
	const qrE, qrB = "qr-e7ff5f15-09", "qr-2e3a3302-66"
	ns := qrouterNS(t)
	for _, tc := range []struct {
		dev, addr string
		state     NeighState
		mac       string
		line      int // of the entry, 0 none
		reason    string
	}{
		{"rfp-907f4d76-d", "169.254.88.135", Resolved, "22:26:21:ce:55:95", 1, "PERMANENT"},
		{qrE, "10.10.1.58", Resolved, "fa:16:3e:98:b4:93", 3, ""},
		{qrB, "10.10.2.50", Resolved, "fa:16:3e:00:00:50", 6, "STALE"},
		{qrE, "10.10.1.77", Failed, "", 4, "FAILED"},
		{qrE, "10.10.1.78", Failed, "", 5, "INCOMPLETE"},
		{qrE, "10.10.1.99", NoEntry, "", 0, "the kernel would ARP"},
		{qrB, "10.10.1.58", NoEntry, "", 0, "no neighbour entry"}, // right address, wrong device
		{"lo", "127.0.0.1", NoARP, "", 0, ""},
	} {
		r := ns.Resolve(tc.dev, addr(tc.addr))
		line := 0
		if r.Entry != nil {
			line = r.Entry.Pos.Line
		}
		mac := ""
		if r.MAC != nil {
			mac = r.MAC.String()
		}
		if r.State != tc.state || mac != tc.mac || line != tc.line || !strings.Contains(r.Reason, tc.reason) {
			t.Errorf("%s %s: got %s %q line %d (%s), want %s %q line %d (%s)", tc.dev, tc.addr, r.State, mac, line, r.Reason, tc.state, tc.mac, tc.line, tc.reason)
		}
	}
	ns.Have.Neighbors = false
	if r := ns.Resolve(qrE, addr("10.10.1.58")); r.State != NeighMissing {
		t.Errorf("neighbours not collected: %s", r.State)
	}
}

func TestAnswersARP(t *testing.T) {
	const fg, fpr = "fg-bc530db0-d2", "fpr-907f4d76-d"
	type want struct {
		Answers, Proxy bool
		RouteLine      int
		Assumed        int
	}
	tests := []struct {
		name           string
		sysctl         map[string]string
		dev            string
		target, sender string
		want           want
		reason         string
	}{
		{name: "fg answers for a floating IP routed to fpr (proxy_arp assumed from Neutron)", dev: fg, target: "172.24.4.65", sender: "172.24.4.1",
			want: want{Answers: true, Proxy: true, RouteLine: 4, Assumed: 2}, reason: "proxy ARP: fg-bc530db0-d2 answers for 172.24.4.65"},
		{name: "proxy_arp off in the collected sysctls", dev: fg, target: "172.24.4.65", sender: "172.24.4.1",
			sysctl: map[string]string{"net.ipv4.conf." + fg + ".forwarding": "1", "net.ipv4.conf." + fg + ".proxy_arp": "0", "net.ipv4.conf.all.proxy_arp": "0"},
			want:   want{RouteLine: 4}, reason: "proxy_arp is off"},
		{name: "proxy_arp on only in all", dev: fg, target: "172.24.4.65", sender: "172.24.4.1",
			sysctl: map[string]string{"net.ipv4.conf." + fg + ".forwarding": "1", "net.ipv4.conf." + fg + ".proxy_arp": "0", "net.ipv4.conf.all.proxy_arp": "1"},
			want:   want{Answers: true, Proxy: true, RouteLine: 4}},
		{name: "forwarding off: no proxy ARP", dev: fg, target: "172.24.4.65", sender: "172.24.4.1",
			sysctl: map[string]string{"net.ipv4.conf." + fg + ".forwarding": "0"},
			want:   want{RouteLine: 4}, reason: "forwarding is off"},
		{name: "own address of fg", dev: fg, target: "172.24.4.34", sender: "172.24.4.1",
			want: want{Answers: true, RouteLine: 8, Assumed: 1}, reason: "arp_ignore=1"},
		{name: "fpr's address asked on fg: arp_ignore=1 keeps quiet", dev: fg, target: "169.254.88.135", sender: "172.24.4.1",
			want: want{RouteLine: 7, Assumed: 1}, reason: "not one fg-bc530db0-d2 may answer for"},
		{name: "fpr's address asked on fg with arp_ignore=0", dev: fg, target: "169.254.88.135", sender: "172.24.4.1",
			sysctl: map[string]string{"net.ipv4.conf." + fg + ".arp_ignore": "0", "net.ipv4.conf.all.arp_ignore": "0"},
			want:   want{Answers: true, RouteLine: 7}},
		{name: "another host of the external subnet: its route leaves by fg itself", dev: fg, target: "172.24.4.99", sender: "172.24.4.1",
			want: want{RouteLine: 3, Assumed: 1}, reason: "leaves by fg-bc530db0-d2 itself"},
		{name: "fpr has no proxy_arp", dev: fpr, target: "8.8.8.8", sender: "169.254.88.134",
			want: want{RouteLine: 1, Assumed: 2}, reason: "proxy_arp is off on fpr-907f4d76-d"},
		{name: "address probe for an own address", dev: fg, target: "172.24.4.34", sender: "",
			want: want{Answers: true}, reason: "address probe"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ns := fipNS(t)
			ns.Sysctl = tc.sysctl
			a, err := ns.AnswersARP(tc.dev, addr(tc.target), addr(tc.sender))
			if err != nil {
				t.Fatal(err)
			}
			got := want{Answers: a.Answers, Proxy: a.Proxy, Assumed: len(a.Assumed)}
			if a.Route != nil {
				got.RouteLine = a.Route.Pos.Line
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s\nreason: %s\nassumed: %q", diff, a.Reason, a.Assumed)
			}
			if !strings.Contains(a.Reason, tc.reason) {
				t.Errorf("reason %q lacks %q", a.Reason, tc.reason)
			}
			if a.Answers && a.MAC.String() != "fa:16:3e:22:a1:5f" && tc.dev == fg {
				t.Errorf("reply MAC %s, want fg's own", a.MAC)
			}
		})
	}
}

// TestAnswersARPProxyEntry checks `ip neigh add proxy` entries.
func TestAnswersARPProxyEntry(t *testing.T) {
	ns := nsText(t, "qrouter-x", `
	1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000
	    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00
	2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc mq state UP group default qlen 1000
	    link/ether 52:54:00:00:00:01 brd ff:ff:ff:ff:ff:ff
	    inet 192.168.1.10/24 brd 192.168.1.255 scope global eth0
	3: eth1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc mq state UP group default qlen 1000
	    link/ether 52:54:00:00:00:02 brd ff:ff:ff:ff:ff:ff
	    inet 10.0.0.1/24 brd 10.0.0.255 scope global eth1
	`, `
	192.168.1.0/24 dev eth0 proto kernel scope link src 192.168.1.10
	10.0.0.0/24 dev eth1 proto kernel scope link src 10.0.0.1
	192.168.1.77 dev eth1
	`, defaultRules, `
	192.168.1.77 dev eth0  proxy
	`)
	ns.Sysctl = map[string]string{"net.ipv4.conf.eth0.proxy_arp": "0", "net.ipv4.conf.all.proxy_arp": "0"}
	a, err := ns.AnswersARP("eth0", addr("192.168.1.77"), addr("192.168.1.5"))
	if err != nil {
		t.Fatal(err)
	}
	if !a.Answers || !a.Proxy || a.Entry == nil || a.Entry.Pos.Line != 1 {
		t.Errorf("proxy entry: %+v", a)
	}
	if r := ns.Resolve("eth0", addr("192.168.1.77")); r.State != NoEntry {
		t.Errorf("a proxy entry is not a cache entry: %s", r.State)
	}
	if _, err := ns.AnswersARP("eth0", addr("2001:db8::1"), addr("2001:db8::2")); err == nil {
		t.Error("IPv6 ARP target accepted")
	}
}
