package ovs

import (
	"strings"
	"testing"

	"netxray/parse"
)

func TestParseListBr(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     []string
		issues   map[parse.Severity]int
	}{
		{"bridges", "br-ex\nbr-int\nbr-tun\n", []string{"br-ex", "br-int", "br-tun"}, nil},
		{"banner and blank", "# ovs-vsctl list-br\n\nbr-int\r\n", []string{"br-int"}, map[parse.Severity]int{parse.SevInfo: 1}},
		{"ovs-vsctl failed", "ovs-vsctl: unix:/var/run/openvswitch/db.sock: database connection failed (No such file or directory)\n", nil, map[parse.Severity]int{parse.SevInfo: 1}},
		{"not a name", "br-int\nthis is not a bridge\n", []string{"br-int"}, map[parse.Severity]int{parse.SevError: 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l, err := ParseListBr(strings.NewReader(tc.in), "f")
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, b := range l.Bridges {
				got = append(got, b.Name)
				if b.Pos.Line == 0 || b.Raw == "" {
					t.Errorf("bridge %+v lacks its position or text", b)
				}
			}
			if strings.Join(got, ",") != strings.Join(tc.want, ",") {
				t.Errorf("bridges %v, want %v", got, tc.want)
			}
			for _, sev := range []parse.Severity{parse.SevError, parse.SevWarning, parse.SevInfo} {
				if n := l.Issues.Count(sev); n != tc.issues[sev] {
					t.Errorf("%d %v issues, want %d: %v", n, sev, tc.issues[sev], l.Issues)
				}
			}
		})
	}
}

func FuzzParseListBr(f *testing.F) {
	for _, s := range []string{"br-ex\nbr-int\n", "# x\n\nbr-int\n", "ovs-vsctl: failed\n", "a b c\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		l, err := ParseListBr(strings.NewReader(in), "f")
		if err != nil {
			return
		}
		// Every non-blank line is a bridge or named in an issue.
		named := map[int]bool{}
		for _, b := range l.Bridges {
			named[b.Pos.Line] = true
		}
		for _, is := range l.Issues {
			named[is.Pos.Line] = true
		}
		sc := parse.NewScanner(strings.NewReader(in), "f", nil)
		for sc.Scan() {
			if strings.TrimSpace(sc.Text()) != "" && !named[sc.Line().Pos.Line] {
				t.Fatalf("line %d %q neither a bridge nor an issue", sc.Line().Pos.Line, sc.Text())
			}
		}
	})
}
