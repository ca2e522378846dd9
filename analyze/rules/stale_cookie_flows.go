package rules

import (
	"fmt"
	"sort"
	"strings"

	"netxray/parse/ovs"
)

// StaleCookieFlows reports flows duplicated under different cookies: flows
// of an earlier agent run that cleanup did not remove (neutron-domain.md
// §1.6, §5 A6).
var StaleCookieFlows = &Rule{
	Name:     "stale-cookie-flows",
	Category: "ovs",
	Severity: Warning,
	Doc: `same flow under two cookies (stale agent flows)
Each OVS agent run stamps its flows with a random cookie per bridge and, after
its first full sync, deletes the flows of other cookies. Extensions (QoS,
logging, the firewall's update cookie) use their own cookies, so several
cookies on a bridge are normal; the same table, priority and match under two
cookies is not: the older copy survived a restart because cleanup did not
run (the agent died during its first loop, bug 1864822), and it may hold
outdated actions (old ports, old VLANs) that shadow or race the new ones.`,
	Hint:  "restart the OVS agent and let it complete a full sync (cleanup_stale_flows), or delete the flows of the stale cookie (ovs-ofctl del-flows BR cookie=0x.../-1)",
	Needs: []Need{needOVS},
	Run:   runStaleCookieFlows,
}

func runStaleCookieFlows(p *Pass) {
	for _, n := range p.Nodes() {
		for _, b := range n.Bridges {
			if b.Flows == nil {
				continue
			}
			byKey := map[string][]*ovs.Flow{}
			var keys []string
			for i := range b.Flows.Flows {
				f := &b.Flows.Flows[i]
				if f.HardTimeout > 0 || f.IdleTimeout > 0 {
					continue // learned or temporary flows
				}
				k := flowKey(f)
				if byKey[k] == nil {
					keys = append(keys, k)
				}
				byKey[k] = append(byKey[k], f)
			}
			sort.Strings(keys)
			dups := 0
			var e []Evidence
			var cookies []string
			for _, k := range keys {
				fl := byKey[k]
				cs := map[uint64]bool{}
				for _, f := range fl {
					cs[f.Cookie] = true
				}
				if len(cs) < 2 {
					continue
				}
				dups++
				if len(e) < 4 {
					for _, f := range fl {
						e = append(e, flowEv(n, f))
					}
				}
				for c := range cs {
					cookies = append(cookies, fmt.Sprintf("%#x", c))
				}
			}
			if dups > 0 {
				p.Reportf(n, e, "%s of %s exist under several cookies (%s): flows of an earlier agent run were not cleaned up",
					plural(dups, "flow", "flows"), b.Name, strings.Join(dedupe(sortStrings(cookies)), ", "))
			}
		}
	}
}

// flowKey is a flow's identity: table, priority and match, as printed.
func flowKey(f *ovs.Flow) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d|%s|%d|", f.Table, f.TableName, f.Priority)
	for _, m := range f.Match {
		b.WriteString(m.Key + "=" + m.Value + ",")
	}
	return b.String()
}
