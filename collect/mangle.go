package collect

import (
	"strings"
	"unicode"
)

// nameMax is the file-name length sos cuts mangled names to (the usual
// PC_NAME_MAX of Linux file systems). sos counts characters, not bytes.
const nameMax = 255

// MangleCommand returns the file name sos gives the output of cmd (sos
// report/plugins/__init__.py _mangle_command): a leading /bin/, /sbin/,
// /usr/bin/ or /usr/sbin/ is dropped, every run of characters other than
// letters, digits, '_', '-', '.' and '/' becomes one '_', '/' becomes '.',
// leading and trailing " ._-" are stripped, and the result is cut to 255
// characters. netxray's collector names its extra files the same way, so
// one rule finds both.
//
//	ovs-appctl dpctl/dump-conntrack -m system@ovs-system
//	  -> ovs-appctl_dpctl.dump-conntrack_-m_system_ovs-system
func MangleCommand(cmd string) string {
	for _, p := range []string{"/usr/bin/", "/usr/sbin/", "/bin/", "/sbin/"} {
		if strings.HasPrefix(cmd, p) {
			cmd = cmd[len(p):]
			break
		}
	}
	var b strings.Builder
	inRun := false
	for _, r := range cmd {
		// Python's \w on str: Unicode letters and numbers, plus '_'.
		if unicode.IsLetter(r) || unicode.IsNumber(r) || r == '_' || r == '-' || r == '.' || r == '/' {
			if r == '/' {
				r = '.'
			}
			b.WriteRune(r)
			inRun = false
			continue
		}
		if !inRun {
			b.WriteByte('_')
			inRun = true
		}
	}
	name := strings.Trim(b.String(), " ._-")
	if n := 0; len(name) > nameMax {
		for i := range name {
			if n == nameMax {
				return name[:i]
			}
			n++
		}
	}
	return name
}
