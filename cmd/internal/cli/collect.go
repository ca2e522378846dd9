package cli

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/spf13/cobra"

	"netxray/collect"
)

func newCollectCmd(o *IO) *cobra.Command {
	var printScript bool
	cmd := &cobra.Command{
		Use:   "collect [-- COLLECTOR-OPTIONS...]",
		Short: "Collect a read-only network bundle of this node",
		Long: `Run the embedded collector (netxray-collect.sh) on this node. It only reads
the system and writes one sos-compatible tarball. Options after -- go to the
script (see --print-script | sh -s -- --help), e.g.

  netxray collect -- --out /tmp --ovs-exec 'docker exec openvswitch_vswitchd'

--print-script prints the script, to copy it to a node without netxray.`,
		RunE: func(_ *cobra.Command, args []string) error {
			if printScript {
				_, err := fmt.Fprint(o.Out, collect.Script)
				return err
			}
			return runCollector(o, args)
		},
	}
	cmd.Flags().BoolVar(&printScript, "print-script", false, "print the collector script and exit")
	return cmd
}

// runCollector writes the script to a private temporary file (the script
// reads its own usage text from $0) and runs it with sh.
func runCollector(o *IO, args []string) error {
	dir, err := os.MkdirTemp("", "netxray-collect-")
	if err != nil {
		return fmt.Errorf("collect: %w", err)
	}
	defer os.RemoveAll(dir)
	script := filepath.Join(dir, "netxray-collect.sh")
	if err := os.WriteFile(script, []byte(collect.Script), 0o700); err != nil {
		return fmt.Errorf("collect: writing the script: %w", err)
	}
	c := exec.Command("sh", append([]string{script}, args...)...)
	c.Stdin, c.Stdout, c.Stderr = o.In, o.Out, o.ErrOut
	if err := c.Run(); err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			fmt.Fprintf(o.ErrOut, "netxray: collector failed: %v\n", ee)
			return &SilentError{Code: ExitError}
		}
		return fmt.Errorf("collect: running sh: %w", err)
	}
	return nil
}
