package openflow

import (
	"os/exec"
	"testing"
	"time"
)

// TestSpeedVsRealOVS measures, in the same run, the real `ovs-appctl
// ofproto/trace` per microflow (the command an engineer runs, and the bare
// JSON-RPC call) and netxray per microflow on the same Neutron-shaped
// br-int+br-tun, and logs both figures and the ratios.
func TestSpeedVsRealOVS(t *testing.T) {
	needOVS(t)
	sw := neutronNode(t, 40, 4, 8)
	probes := neutronProbes(40, 4, 8)
	o := startOVS(t)
	if refused := o.loadSwitch(t, sw); len(refused) > 0 {
		t.Fatalf("OVS refused flows: %v", refused)
	}
	n := 40
	t0 := time.Now()
	for i := 0; i < n; i++ {
		cmd := exec.Command("ovs-appctl", "-t", o.path("ovs-vswitchd.ctl"), "ofproto/trace", "br-int", probes[i%len(probes)])
		cmd.Env = o.env
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("ovs-appctl: %v\n%s", err, out)
		}
	}
	cli := time.Since(t0) / time.Duration(n)
	t1 := time.Now()
	for i := 0; i < 10*n; i++ {
		if _, err := o.appctl("ofproto/trace", "br-int", probes[i%len(probes)]); err != nil {
			t.Fatal(err)
		}
	}
	rpc := time.Since(t1) / time.Duration(10*n)
	sw.compile()
	m := 5000
	t2 := time.Now()
	for i := 0; i < m; i++ {
		if _, err := Trace(sw, "br-int", probes[i%len(probes)], TraceOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	ours := time.Since(t2) / time.Duration(m)
	t.Logf("per microflow: ovs-appctl ofproto/trace %v, unixctl JSON-RPC %v, netxray %v; ratio %.0fx (vs ovs-appctl), %.0fx (vs RPC)",
		cli, rpc, ours, float64(cli)/float64(ours), float64(rpc)/float64(ours))
}
