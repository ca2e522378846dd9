package rules

import "fmt"

// CanaryMissing reports an integration bridge without its table 23 canary
// flow (neutron-domain.md §5 A5).
var CanaryMissing = &Rule{
	Name:     "canary-missing",
	Category: "ovs",
	Severity: Error,
	Doc: `br-int lost its flows: the table 23 canary is gone
The OVS agent installs a single drop flow in br-int table 23 (the canary)
and checks it every loop: when it disappears, OVS was restarted or its
flows were wiped, and the agent must reprogram every bridge. A bundle
without the canary shows a node whose agent did not (or could not) resync:
br-int and br-tun run in fail_mode secure, so without flows nothing is
forwarded, or only what a stale default flow lets through.`,
	Hint:  "check that neutron-openvswitch-agent is running and connected (agent log, openstack network agent list); restart it to reprogram the flows",
	Needs: []Need{needIntFlows},
	Run:   runCanaryMissing,
}

func runCanaryMissing(p *Pass) {
	for _, n := range p.Nodes() {
		b := n.IntegrationBridge()
		if b == nil || b.Flows == nil || !isOVSAgent(n) || canary(b) != nil {
			continue
		}
		count := len(b.Flows.Flows)
		msg := fmt.Sprintf("%s has no table 23 canary flow (%s): OVS restarted or its flows were wiped and the OVS agent has not reprogrammed them", b.Name, plural(count, "flow", "flows"))
		e := []Evidence{absent(n, flowsFile(n, b), fmt.Sprintf("no table=23 flow among %s", plural(count, "flow", "flows"))), p.column(n, b.Pos, "name", "Bridge "+b.Name)}
		for i := range b.Flows.Flows {
			if i == 3 {
				break
			}
			e = append(e, flowEv(n, &b.Flows.Flows[i]))
		}
		p.Reportf(n, e, "%s", msg)
	}
}
