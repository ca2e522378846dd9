package model

import (
	"testing"
	"testing/fstest"

	"netxray/collect"
)

// A VM known only from libvirt's domain XML (no OVS tables in the bundle)
// still appears, named as Nova names it, with its tap and Neutron port.
func TestVMFromDomainXML(t *testing.T) {
	const xml = `<domain type='kvm' id='3'>
  <name>instance-0000001a</name>
  <uuid>62a48d1d-4bcd-43d9-8616-579eef6c3696</uuid>
  <metadata>
    <nova:instance xmlns:nova="http://openstack.org/xmlns/libvirt/nova/1.1">
      <nova:name>web-1</nova:name>
    </nova:instance>
  </metadata>
  <devices>
    <interface type='bridge'>
      <mac address='fa:16:3e:fd:f0:40'/>
      <source bridge='br-int'/>
      <virtualport type='openvswitch'>
        <parameters interfaceid='fb09e538-8712-4a43-9a4c-4f3e0b3c2a11'/>
      </virtualport>
      <target dev='tapfb09e538-87'/>
      <model type='virtio'/>
    </interface>
  </devices>
</domain>
`
	fsys := fstest.MapFS{
		"hostname": {Data: []byte("cmp9\n")},
		"sos_commands/virsh/virsh_-r_dumpxml_instance-0000001a": {Data: []byte(xml)},
	}
	b, err := collect.OpenFS(fsys, "t")
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	m := Build(b)
	n := m.Nodes[0]
	if len(n.VMs) != 1 {
		t.Fatalf("%d VMs, want 1", len(n.VMs))
	}
	vm := n.VMs[0]
	if vm.Name() != "web-1" || vm.Domain != "instance-0000001a" || len(vm.NICs) != 1 {
		t.Fatalf("VM %+v", vm)
	}
	nic := vm.NICs[0]
	if nic.Tap != "tapfb09e538-87" || nic.MAC != "fa:16:3e:fd:f0:40" || nic.PortID != "fb09e538-8712-4a43-9a4c-4f3e0b3c2a11" || nic.Pos.Line == 0 {
		t.Errorf("NIC %+v", nic)
	}
}
