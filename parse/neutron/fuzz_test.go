package neutron

import (
	"strings"
	"testing"

	"netxray/parse"
)

func FuzzParseConfig(f *testing.F) {
	f.Add("# netxray: network-relevant keys of /etc/neutron/neutron.conf only\n[DEFAULT]\nhost = cmp1\nglobal_physnet_mtu = 1500\n[agent]\n")
	f.Add("[ovs]\nlocal_ip = 10.0.0.1\n  cont\n\n[OVS]\nlocal_ip: x\n[database]\nconnection = mysql://u:p@h/db\n#password = x\n")
	f.Add("  orphan\nk = v\n[broken\n[]\nwords\n= v\n; c\n[ml2_type_vxlan]\nvni_ranges = 1:2,x\n")
	f.Fuzz(func(t *testing.T, in string) {
		c, err := ParseConfig(strings.NewReader(in), "f")
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		lines := map[int]bool{}
		for _, s := range c.Sections {
			lines[s.Pos.Line] = true
		}
		for _, e := range c.Entries {
			for i := range strings.Count(e.Raw, "\n") + 1 {
				lines[e.Pos.Line+i] = true
			}
			if e.Redacted {
				for i, l := range strings.Split(e.Raw, "\n") {
					if !strings.HasSuffix(l, Redacted) || (i > 0 && strings.TrimSpace(l) != Redacted) {
						t.Fatalf("redacted entry shows its value: %q", e.Raw)
					}
				}
			}
		}
		for _, cm := range c.Comments {
			lines[cm.Pos.Line] = true
		}
		for _, is := range c.Issues {
			lines[is.Pos.Line] = true
		}
		sc := parse.NewScanner(strings.NewReader(in), "f", nil)
		for sc.Scan() {
			if strings.TrimSpace(sc.Text()) != "" && !lines[sc.Pos().Line] {
				t.Fatalf("line %d %q neither parsed nor reported", sc.Pos().Line, sc.Text())
			}
		}
		_ = gather(c) // the typed accessors must not panic on anything
	})
}
