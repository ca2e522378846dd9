package host

import (
	"strings"
	"testing"

	"netxray/parse"
)

func TestSniff(t *testing.T) {
	tests := []struct {
		head string
		want parse.Kind // "" for none of this package
	}{
		{dpkgHeader, KindDpkgList},
		{"ii  adduser 3.134 all add users\n", KindDpkgList},
		{"gpg-pubkey-fd431d51-4ae0493b    Thu Jun 15 08:21:00 2023\n", KindInstalledRPMs},
		{"NetworkManager-1.44.0-3.el9.x86_64\tMon\t1\tRed Hat\n", KindInstalledRPMs},
		{"Linux net1 6.1.0-13-amd64 #1 SMP x86_64 GNU/Linux\n", KindUname},
		{"sosreport: 4.5.6\n", KindSosVersion},
		{"sos report: 4.8.0", KindSosVersion},
		{`{"node": "a", "interface": "eth2", "start": "x"}`, KindPcapSidecar},
		{"net1\n", ""},
		{"[DEFAULT]\nhost = a\n", ""},
		{"foo-bar-baz qux\n", ""},
	}
	for _, tt := range tests {
		var got []parse.Kind
		for _, f := range Formats {
			if f.Sniff != nil && f.Sniff([]byte(tt.head)) {
				got = append(got, f.Kind)
			}
		}
		want := []parse.Kind{tt.want}
		if tt.want == "" {
			want = nil
		}
		if strings.Join(kindStrings(got), ",") != strings.Join(kindStrings(want), ",") {
			t.Errorf("Sniff(%q) = %v, want %v", tt.head, got, want)
		}
	}
}

func kindStrings(ks []parse.Kind) []string {
	out := make([]string, len(ks))
	for i, k := range ks {
		out[i] = string(k)
	}
	return out
}

// Every parser returns a result, with no error, for empty input.
func TestFormatsEmptyInput(t *testing.T) {
	for _, f := range Formats {
		res, err := f.Parse(strings.NewReader(""), "f")
		if err != nil || res == nil || res.Records() != 0 {
			t.Errorf("%s: %v, %v", f.Kind, res, err)
		}
	}
}
