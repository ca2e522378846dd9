package host

import (
	"io"
	"strings"

	"netxray/parse"
)

// Uname is the output of `uname -a` (sos: uname, sos_commands/kernel/uname_-a).
type Uname struct {
	Pos parse.Pos
	Raw string

	KernelName string // "Linux"
	Nodename   string
	// Release is the kernel release ("5.14.0-362.8.1.el9_3.x86_64",
	// "6.1.0-13-amd64"): which kernel runs, whatever packages are
	// installed.
	Release string
	// Version is the kernel build string, as printed ("#1 SMP
	// PREEMPT_DYNAMIC Debian 6.1.55-1 (2023-09-29)").
	Version string
	// Machine, Processor and Platform are the hardware names; uname -a
	// omits the last two when they are unknown.
	Machine, Processor, Platform string
	// OS is the operating system ("GNU/Linux").
	OS string

	Issues parse.Issues
}

// Records implements parse.Result: 1 once the line is parsed.
func (u *Uname) Records() int {
	if u.Release == "" {
		return 0
	}
	return 1
}

// Problems implements parse.Result.
func (u *Uname) Problems() parse.Issues { return u.Issues }

// unameArches are machine, processor and platform names uname prints.
var unameArches = map[string]bool{
	"x86_64": true, "i386": true, "i486": true, "i586": true, "i686": true, "athlon": true,
	"aarch64": true, "arm64": true, "armv7l": true, "armv6l": true, "ppc64le": true,
	"ppc64": true, "s390x": true, "riscv64": true, "mips64": true, "loongarch64": true,
	"unknown": true,
}

// ParseUname parses the one line of `uname -a`: kernel name, node name,
// release, a build string of several words, then up to three hardware names
// and the operating system:
//
//	Linux net1 6.1.0-13-amd64 #1 SMP PREEMPT_DYNAMIC Debian 6.1.55-1 (2023-09-29) x86_64 GNU/Linux
//	Linux cmp-1 5.14.0-362.8.1.el9_3.x86_64 #1 SMP PREEMPT_DYNAMIC Tue Oct  3 11:12:36 EDT 2023 x86_64 x86_64 x86_64 GNU/Linux
func ParseUname(r io.Reader, file string) (u *Uname, err error) {
	defer parse.Recover(file, &err)
	u = &Uname{}
	sc := parse.NewScanner(r, file, &u.Issues)
	for sc.Scan() {
		l := sc.Line()
		t := strings.TrimSpace(l.Text)
		switch {
		case t == "" || parse.SkipBanner(l, &u.Issues):
		case u.Raw != "":
			u.Issues.Errorf(l.Pos, "unexpected line after uname -a output: %q", t)
		case !u.parseLine(l, t):
			if !parse.SkipFailure(l, &u.Issues, failures) {
				u.Issues.Errorf(l.Pos, "unrecognised uname -a line: %q", t)
			}
		}
	}
	return u, sc.Err()
}

// parseLine fills u from one uname -a line.
func (u *Uname) parseLine(l parse.Line, t string) bool {
	head, rest := cutFields(t, 3)
	tail := fieldStarts(rest)
	if len(head) < 3 || len(tail) < 2 || rest[0] != '#' {
		// The build string starts with "#<build number>".
		return false
	}
	word := func(i int) string { return strings.Fields(rest[tail[i]:])[0] }
	n := len(tail)
	osName := ""
	if !unameArches[word(n-1)] {
		osName = word(n - 1)
		n--
	}
	hw := 0
	for hw < 3 && n-hw > 1 && unameArches[word(n-hw-1)] {
		hw++
	}
	if hw == 0 {
		return false
	}
	names := [3]string{}
	for i := range hw {
		names[i] = word(n - hw + i)
	}
	u.Pos, u.Raw = l.Pos, l.Text
	u.KernelName, u.Nodename, u.Release = head[0], head[1], head[2]
	// The build string keeps its own spacing ("Tue Oct  3").
	u.Version = strings.TrimSpace(rest[:tail[n-hw]])
	u.Machine, u.Processor, u.Platform, u.OS = names[0], names[1], names[2], osName
	return true
}

// fieldStarts returns the offsets where the blank-separated fields of s
// start.
func fieldStarts(s string) []int {
	var out []int
	for i := 0; i < len(s); i++ {
		if s[i] != ' ' && s[i] != '\t' && (i == 0 || s[i-1] == ' ' || s[i-1] == '\t') {
			out = append(out, i)
		}
	}
	return out
}
