// Package libvirt parses what libvirt tells about the VMs of a compute node:
// `virsh list --all` (ParseList), `virsh domiflist DOM` (ParseDomIfList)
// and the domain XML (ParseDomainXML: `virsh dumpxml DOM`,
// /etc/libvirt/qemu/*.xml, /run/libvirt/qemu/*.xml, and bare <interface>
// fragments cut out of one, as write-ups quote them).
//
// The domain XML is where a VM's tap device, MAC, source bridge (qbr… for
// hybrid plug, br-int with an openvswitch virtualport, brq… for the Linux
// bridge agent) and Neutron port id (virtualport interfaceid, Nova
// metadata) are joined, which is how the analyzer maps VMs to ports.
//
// Output virsh printed instead of data ("error: failed to connect to the
// hypervisor") is reported as an info issue; lines the parsers cannot read
// are error issues at their position.
package libvirt
