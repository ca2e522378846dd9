package rules

import "fmt"

// InterfaceError reports OVS interfaces that OVS could not open
// (neutron-domain.md §5 A2).
var InterfaceError = &Rule{
	Name:     "interface-error",
	Category: "ovs",
	Severity: Error,
	Doc: `an OVS interface has ofport -1 or an error
OVS sets ofport to -1 and fills Interface.error ("could not open network
device tap... (No such device)") when the device behind a port does not
exist or cannot be opened. For a VIF whose VM runs, the plug is broken and
the VM has no network; for one whose VM or router is gone, the port is a
leftover the agent should have removed (bugs 1815989, 1734320, 2155883). Flows
for such a port never match.`,
	Hint:  "if the VM or namespace still exists, re-plug (hard reboot, or restart the agent owning the port); otherwise delete the leftover port with ovs-vsctl del-port",
	Needs: []Need{needOVS},
	Run:   runInterfaceError,
}

func runInterfaceError(p *Pass) {
	for _, n := range p.Nodes() {
		for _, b := range n.Bridges {
			for _, port := range b.Ports {
				if port.OFPort != -1 && port.Error == "" {
					continue
				}
				var e []Evidence
				why := ""
				if port.Error != "" {
					e = append(e, p.ifaceEv(n, port, "error"))
					why = ": " + port.Error
				}
				if port.OFPort == -1 {
					e = append(e, p.ifaceEv(n, port, "ofport"))
				}
				who := "port " + port.Name
				if port.IsVIF() {
					who = what(n, port)
				}
				p.Reportf(n, e, "%s on %s cannot be used by OVS (ofport %s)%s", who, b.Name, ofport(port.OFPort), why)
			}
		}
	}
}

func ofport(n int) string {
	if n == 0 {
		return "unknown"
	}
	return fmt.Sprint(n)
}
