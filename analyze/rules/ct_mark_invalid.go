package rules

import (
	"netxray/collect"
	"netxray/parse/conntrack"
	"netxray/parse/ovs"
)

// CTMarkInvalid reports conntrack entries pinned as invalid by the OVS
// firewall (neutron-domain.md §1.7, §5 E3).
var CTMarkInvalid = &Rule{
	Name:     "ct-mark-invalid",
	Category: "firewall",
	Severity: Warning,
	Doc: `conntrack entries marked invalid (ct_mark=1)
When a security-group rule is removed, the OVS firewall does not delete the
connections it allowed: it marks them ct_mark=0x1 (CT_MARK_INVALID), and
table 72/82 drop every later packet of a marked connection until the entry
times out or the agent deletes it. Entries with mark=1 in a conntrack dump
of the OVS datapath (or of the kernel, in an OVS-firewall zone) are
connections being dropped now; many of them for traffic that is allowed
again point at stuck entries (bugs 1549370, 1915530, 2122495, 2154561). The
threshold (thresholds.ct_mark_invalid) sets how many are tolerated.`,
	Hint: "if the traffic should be allowed, delete the marked entries (conntrack -D -m 1, or ovs-appctl dpctl/flush-conntrack zone=N) and check the agent's conntrack cleanup",
	Run:  runCTMarkInvalid,
}

func runCTMarkInvalid(p *Pass) {
	for _, n := range p.Model.Nodes {
		var e []Evidence
		count, dumps := 0, 0
		for _, f := range n.Files {
			switch res := f.Result.(type) {
			case *ovs.CTDump:
				dumps++
				for _, c := range res.Entries {
					if c.Mark == 1 {
						count++
						if len(e) < 3 {
							e = append(e, ev(n, c.Pos, c.Raw))
						}
					}
				}
			case *conntrack.Table:
				if f.Source.Kind != collect.KindConntrack || f.Source.Key != "" {
					continue
				}
				dumps++
				for _, c := range res.Entries {
					if c.HasMark && c.Mark == 1 && c.Zone > 0 && c.Zone <= 4094 {
						count++
						if len(e) < 3 {
							e = append(e, ev(n, c.Pos, c.Raw))
						}
					}
				}
			}
		}
		if dumps == 0 {
			p.Skipf(n, "no conntrack dump (ovs-appctl dpctl/dump-conntrack, conntrack -L) in the bundle")
			continue
		}
		if count > p.Config.Thresholds.CTMarkInvalid {
			p.Reportf(n, e, "%s marked invalid (ct_mark=1) by the OVS firewall: their packets are dropped until the entries expire or are deleted", plural(count, "conntrack entry is", "conntrack entries are"))
		}
	}
}
