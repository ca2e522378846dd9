package openflow

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"netxray/parse"
	"netxray/parse/ovs"
)

// realOVS is a private ovsdb-server + ovs-vswitchd started by the test in a
// temporary directory (own database, run directory, sockets and logs) on
// the dummy datapath, so nothing touches the kernel or another OVS on the
// machine. Stop kills exactly the two daemons it started.
type realOVS struct {
	dir  string
	env  []string
	conn net.Conn
	dec  *json.Decoder
	id   int
}

// needOVS skips (or, with CI set, fails) when the real switch cannot run.
func needOVS(t testing.TB) {
	t.Helper()
	why := ""
	if os.Geteuid() != 0 {
		why = "not root"
	}
	for _, tool := range []string{"ovsdb-tool", "ovsdb-server", "ovs-vswitchd", "ovs-vsctl", "ovs-ofctl", "ovs-appctl"} {
		if _, err := exec.LookPath(tool); err != nil && why == "" {
			why = tool + " not installed (run fixtures/ovs/setup.sh)"
		}
	}
	if why == "" {
		return
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("real Open vSwitch needed for the differential test: %s", why)
	}
	t.Skipf("skipping the real-OVS differential test: %s (set CI to make this fatal)", why)
}

func startOVS(t testing.TB) *realOVS {
	t.Helper()
	dir, err := os.MkdirTemp("", "nxsim-ovs-")
	if err != nil {
		t.Fatal(err)
	}
	o := &realOVS{dir: dir}
	o.env = append(os.Environ(), "OVS_RUNDIR="+dir, "OVS_LOGDIR="+dir, "OVS_DBDIR="+dir, "OVS_SYSCONFDIR="+dir)
	schema := "/usr/share/openvswitch/vswitch.ovsschema"
	o.run(t, "ovsdb-tool", "create", o.path("conf.db"), schema)
	o.run(t, "ovsdb-server", o.path("conf.db"), "--remote=punix:"+o.path("db.sock"),
		"--pidfile="+o.path("ovsdb-server.pid"), "--unixctl="+o.path("ovsdb-server.ctl"),
		"--log-file="+o.path("ovsdb-server.log"), "--detach", "--no-chdir")
	o.vsctl(t, "--no-wait", "init")
	o.run(t, "ovs-vswitchd", "unix:"+o.path("db.sock"), "--enable-dummy=override", "--disable-system",
		"--pidfile="+o.path("ovs-vswitchd.pid"), "--unixctl="+o.path("ovs-vswitchd.ctl"),
		"--log-file="+o.path("ovs-vswitchd.log"), "--detach", "--no-chdir")
	t.Cleanup(o.stop)
	for i := 0; i < 100; i++ {
		c, err := net.Dial("unix", o.path("ovs-vswitchd.ctl"))
		if err == nil {
			o.conn, o.dec = c, json.NewDecoder(bufio.NewReader(c))
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if o.conn == nil {
		t.Fatalf("ovs-vswitchd control socket did not appear in %s", dir)
	}
	return o
}

func (o *realOVS) path(name string) string { return filepath.Join(o.dir, name) }

func (o *realOVS) run(t testing.TB, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Env = o.env
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

func (o *realOVS) vsctl(t testing.TB, args ...string) string {
	return o.run(t, "ovs-vsctl", append([]string{"--db=unix:" + o.path("db.sock"), "--timeout=20"}, args...)...)
}

func (o *realOVS) stop() {
	if o.conn != nil {
		o.conn.Close()
	}
	for _, pf := range []string{"ovs-vswitchd.pid", "ovsdb-server.pid"} {
		b, err := os.ReadFile(o.path(pf))
		if err != nil {
			continue
		}
		pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
		if err != nil || pid <= 1 {
			continue
		}
		if p, err := os.FindProcess(pid); err == nil {
			p.Signal(os.Interrupt)
			for i := 0; i < 40; i++ {
				if _, err := os.Stat(fmt.Sprintf("/proc/%d", pid)); err != nil {
					break
				}
				time.Sleep(25 * time.Millisecond)
			}
			p.Kill()
		}
	}
	if os.Getenv("NETXRAY_KEEP_OVS") == "" {
		os.RemoveAll(o.dir)
	}
}

// appctl sends one unixctl command over the JSON-RPC socket (what
// ovs-appctl does, without a process per call).
func (o *realOVS) appctl(method string, params ...string) (string, error) {
	o.id++
	if params == nil {
		params = []string{}
	}
	req := map[string]any{"id": o.id, "method": method, "params": params}
	b, _ := json.Marshal(req)
	if _, err := o.conn.Write(b); err != nil {
		return "", err
	}
	var resp struct {
		ID     int     `json:"id"`
		Result *string `json:"result"`
		Error  any     `json:"error"`
	}
	if err := o.dec.Decode(&resp); err != nil {
		return "", err
	}
	if resp.Error != nil {
		return "", fmt.Errorf("%s: %v", method, resp.Error)
	}
	if resp.Result == nil {
		return "", nil
	}
	return *resp.Result, nil
}

// loadSwitch creates the bridges and ports of sw in the real switch (same
// names, ofport numbers, types and patch peers; tunnels with their remote
// ip) and loads its flows, normalised as ovs-offline does: no counters,
// ages or timeouts, and each flow's cookie replaced by its global index+1 so
// a real trace line names the flow exactly. It returns the flows that OVS
// refused.
func (o *realOVS) loadSwitch(t testing.TB, sw *Switch) (refused []string) {
	t.Helper()
	for _, b := range sw.Bridges {
		args := []string{"--may-exist", "add-br", b.Name, "--", "set", "bridge", b.Name, "datapath_type=dummy", "fail_mode=secure",
			"protocols=OpenFlow10,OpenFlow11,OpenFlow12,OpenFlow13,OpenFlow14,OpenFlow15"}
		for _, p := range b.Ports {
			if p.Name == b.Name || p.OFPort == portLocal {
				continue
			}
			args = append(args, "--", "add-port", b.Name, p.Name)
			if p.Tag != 0 {
				args = append(args, fmt.Sprintf("tag=%d", p.Tag))
			}
			if len(p.Trunks) > 0 {
				var ts []string
				for _, tr := range p.Trunks {
					ts = append(ts, strconv.Itoa(tr))
				}
				args = append(args, "trunks="+strings.Join(ts, ","))
			}
			if p.VLANMode != "" {
				args = append(args, "vlan_mode="+p.VLANMode)
			}
			typ := p.Type
			switch typ {
			case "", "system", "internal", "tap":
				typ = "dummy"
			}
			args = append(args, "--", "set", "interface", p.Name, "type="+typ, fmt.Sprintf("ofport_request=%d", p.OFPort))
			if p.Type == "patch" && p.Peer != "" {
				args = append(args, "options:peer="+p.Peer)
			}
			if p.IsTunnel() {
				keys := make([]string, 0, len(p.Options))
				for k := range p.Options {
					keys = append(keys, k)
				}
				sort.Strings(keys)
				for _, k := range keys {
					args = append(args, fmt.Sprintf("options:%s=%s", k, p.Options[k]))
				}
			}
		}
		o.vsctl(t, args...)
	}
	for _, b := range sw.Bridges {
		o.addGroups(t, b)
	}
	base := 0
	for _, b := range sw.Bridges {
		var lines []string
		for i := range b.Flows {
			lines = append(lines, normaliseFlow(&b.Flows[i], uint64(base+i+1)))
		}
		base += len(b.Flows)
		// Load flow by flow in batches; a batch that fails is retried one
		// flow at a time so only the flows OVS refuses are left out.
		refused = append(refused, o.addFlows(t, b.Name, lines)...)
	}
	return refused
}

// addGroups loads the bridge's groups (before the flows that use them) from
// their dump lines, which add-groups accepts as they are.
func (o *realOVS) addGroups(t testing.TB, b *Bridge) {
	if len(b.Groups) == 0 {
		return
	}
	var lines []string
	for _, g := range b.Groups {
		lines = append(lines, strings.TrimSpace(g.Raw))
	}
	file := o.path("groups-" + b.Name + ".txt")
	if err := os.WriteFile(file, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("ovs-ofctl", "-O", "OpenFlow15", "add-groups", "unix:"+o.path(b.Name+".mgmt"), file)
	cmd.Env = o.env
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("add-groups %s: %v\n%s", b.Name, err, out)
	}
}

func (o *realOVS) addFlows(t testing.TB, bridge string, lines []string) (refused []string) {
	if len(lines) == 0 {
		return nil
	}
	file := o.path("flows-" + bridge + ".txt")
	if err := os.WriteFile(file, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("ovs-ofctl", "-O", "OpenFlow10,OpenFlow11,OpenFlow12,OpenFlow13,OpenFlow14,OpenFlow15", "add-flows", "unix:"+o.path(bridge+".mgmt"), file)
	cmd.Env = o.env
	if out, err := cmd.CombinedOutput(); err == nil {
		return nil
	} else if len(lines) == 1 {
		return []string{fmt.Sprintf("%s: %s", lines[0], strings.TrimSpace(string(out)))}
	}
	mid := len(lines) / 2
	return append(o.addFlows(t, bridge, lines[:mid]), o.addFlows(t, bridge, lines[mid:])...)
}

// normaliseFlow prints f for add-flows with the parser's own String: no
// counters, no timeouts (learned flows would expire mid-test), cookie set
// to the flow's global index+1.
func normaliseFlow(f *flowT, cookie uint64) string {
	g := *f
	g.Cookie, g.IdleTimeout, g.HardTimeout = cookie, 0, 0
	return g.String()
}

// dpPorts maps datapath port numbers to port names (`dpif/show`).
func (o *realOVS) dpPorts(t testing.TB) map[int]string {
	out, err := o.appctl("dpif/show")
	if err != nil {
		t.Fatal(err)
	}
	m := map[int]string{}
	re := regexp.MustCompile(`^\s+(\S+) (\d+)/(\d+):`)
	for _, l := range strings.Split(out, "\n") {
		if s := re.FindStringSubmatch(l); s != nil {
			n, _ := strconv.Atoi(s[3])
			m[n] = s[1]
		}
	}
	return m
}

// realTrace is what the comparison reads from an ofproto/trace output
// (parsed with ovs.ParseTrace): the flows hit (by cookie = global index+1,
// -1-table for a miss), the outputs (port name with VLAN) and whether
// translation failed.
type realTrace struct {
	steps []int
	// bridges names each step's run: section, bridge entry, bridge.
	bridges []string
	passes  []int
	outputs []string
	failed  bool
	text    string
	// problems are the lines ParseTrace did not understand; the rest of
	// the trace is still compared (they are reported, and a mismatch
	// they cause shows up as one).
	problems []parse.Issue
}

func parseRealTrace(text string, dp map[int]string, startVLAN int) (realTrace, error) {
	rt := realTrace{text: text}
	tr, err := ovs.ParseTrace(strings.NewReader(text), "ofproto/trace")
	if err != nil {
		return rt, err
	}
	for _, is := range tr.Issues {
		if is.Severity == parse.SevError {
			rt.problems = append(rt.problems, is)
		}
	}
	for _, sec := range tr.Sections {
		// Each bridge("...") line starts a run of steps (see segments).
		var entries []int
		for _, l := range sec.Other {
			if l.Kind == ovs.LineBridge {
				entries = append(entries, l.Pos.Line)
			}
		}
		for _, st := range sec.Steps {
			for _, l := range st.Lines {
				if l.Kind == ovs.LineBridge {
					entries = append(entries, l.Pos.Line)
				}
			}
		}
		sort.Ints(entries)
		for _, st := range sec.Steps {
			switch st.Kind {
			case ovs.StepRule:
				rt.steps = append(rt.steps, int(st.Cookie))
			default:
				rt.steps = append(rt.steps, -1-st.Table)
			}
			n := sort.SearchInts(entries, st.Pos.Line)
			rt.bridges = append(rt.bridges, fmt.Sprintf("%d/%d %s", len(rt.passes), n, st.Bridge))
		}
		rt.passes = append(rt.passes, len(rt.steps))
		for _, n := range sec.Notes {
			if strings.HasPrefix(n.Text, "Translation failed") {
				rt.failed = true
			}
		}
	}
	if !rt.failed {
		for i, sec := range tr.Sections {
			vlan := startVLAN
			if i > 0 {
				// A recirculation resumes with the packet as it was
				// frozen (a pop_vlan before ct() stays popped).
				vlan = sectionVLAN(sec)
			}
			rt.outputs = append(rt.outputs, dpOutputs(sec.DatapathActions, dp, vlan)...)
		}
	}
	sort.Strings(rt.outputs)
	return rt, nil
}

// sectionVLAN is the 802.1Q VID of a trace section's "Flow:" line, -1 when
// untagged.
func sectionVLAN(sec ovs.TraceSection) int {
	for _, m := range sec.FlowMatch {
		switch m.Key {
		case "dl_vlan":
			v, _ := strconv.Atoi(m.Value)
			return v
		case "vlan_tci":
			if v, err := strconv.ParseUint(m.Value, 0, 16); err == nil && v&vlanCFI != 0 {
				return int(v & vlanVIDM)
			}
			return -1
		}
	}
	return -1
}

// dpOutputs extracts outputs from a datapath action list, tracking the VLAN
// the packet carries at each output.
func dpOutputs(s string, dp map[int]string, vlan int) []string {
	var out []string
	for _, a := range splitTop(s) {
		switch {
		case a == "drop" || a == "":
		case strings.HasPrefix(a, "push_vlan("):
			if m := regexp.MustCompile(`vid=(\d+)`).FindStringSubmatch(a); m != nil {
				vlan, _ = strconv.Atoi(m[1])
			}
		case a == "pop_vlan":
			vlan = -1
		case strings.HasPrefix(a, "userspace(") && strings.Contains(a, "controller("):
			out = append(out, "CONTROLLER")
		case strings.HasPrefix(a, "clone("):
			out = append(out, dpOutputs(a[6:len(a)-1], dp, vlan)...)
		default:
			if n, err := strconv.Atoi(a); err == nil {
				name := dp[n]
				if name == "" {
					name = "dp" + a
				}
				out = append(out, portKey(name, vlan))
			}
		}
	}
	return out
}

func portKey(name string, vlan int) string {
	if vlan < 0 {
		return name
	}
	return fmt.Sprintf("%s.%d", name, vlan)
}
