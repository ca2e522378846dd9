// Package trace follows one packet between two endpoints of a Neutron
// cloud, across nodes, from bundles alone: the source VM's tap, the hybrid
// firewall's Linux bridge or the native OVS firewall, br-int and br-tun
// through the OpenFlow simulator, tunnels to the node owning the remote IP,
// and the Linux namespaces of DVR (qrouter, snat, fip) through package
// netstack. Every hop cites the file and line that decided it, and a hop
// that needs data the bundle lacks ends the trace as data-missing rather
// than guessing.
package trace
