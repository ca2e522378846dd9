package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/term"
)

// Exit codes, the contract of DESIGN.md.
const (
	ExitOK       = 0
	ExitError    = 1
	ExitUsage    = 2
	ExitFindings = 3
)

// IO carries the streams and the global output flags to every command.
type IO struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer
	// ErrTTY is true when ErrOut is a terminal: progress bars go there.
	ErrTTY bool

	JSON    bool
	NoColor bool
	Quiet   bool
}

// Progress reports whether a progress bar may be drawn.
func (o *IO) Progress() bool { return o.ErrTTY && !o.Quiet && !o.JSON }

// Main runs netxray with args and returns the process exit code. It never
// calls os.Exit, so tests can run it in-process.
func Main(args []string, in io.Reader, out, errOut io.Writer) int {
	o := &IO{In: in, Out: out, ErrOut: errOut}
	if f, ok := errOut.(*os.File); ok {
		o.ErrTTY = term.IsTerminal(int(f.Fd()))
	}
	root := newRootCmd(o)
	root.SetArgs(args)
	root.SetIn(in)
	root.SetOut(out)
	root.SetErr(errOut)
	err := root.Execute()
	return exitCode(o, root, err)
}

func newRootCmd(o *IO) *cobra.Command {
	root := &cobra.Command{
		Use:   "netxray",
		Short: "Offline analyzer for OpenStack Neutron network diagnostic bundles",
		Long: `netxray reads sosreports and netxray bundles from many nodes of a Neutron
cloud, rebuilds what the network looks like and explains where packets go.`,
		SilenceErrors: true,
		SilenceUsage:  true,
	}
	root.PersistentFlags().BoolVar(&o.JSON, "json", false, "print machine-readable JSON")
	root.PersistentFlags().BoolVar(&o.NoColor, "no-color", false, "never colour the output")
	root.PersistentFlags().BoolVarP(&o.Quiet, "quiet", "q", false, "print only results, no progress or notes")
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return &UsageError{Err: err} })
	root.AddCommand(
		newParseCmd(o),
		newSummaryCmd(o),
		newCollectCmd(o),
		newTraceCmd(o),
		newTopologyCmd(o),
		newOfprotoTraceCmd(o),
		newCheckCmd(o),
		newRulesCmd(o),
		newExplainCmd(o),
	)
	return root
}

// UsageError is a bad command line: exit 2, with the usage hint.
type UsageError struct{ Err error }

func (e *UsageError) Error() string { return e.Err.Error() }
func (e *UsageError) Unwrap() error { return e.Err }

func usageErrorf(format string, args ...any) error {
	return &UsageError{Err: fmt.Errorf(format, args...)}
}

// SilentError has already been reported to the user (e.g. parse problems
// printed with the records); it only sets the exit code.
type SilentError struct{ Code int }

func (e *SilentError) Error() string { return fmt.Sprintf("exit status %d", e.Code) }

// exitCode is the one place errors become exit codes and messages.
func exitCode(o *IO, root *cobra.Command, err error) int {
	if err == nil {
		return ExitOK
	}
	var silent *SilentError
	if errors.As(err, &silent) {
		return silent.Code
	}
	var usage *UsageError
	if errors.As(err, &usage) || isCobraUsage(err) {
		fmt.Fprintf(o.ErrOut, "netxray: %v\nRun 'netxray --help' for usage.\n", err)
		return ExitUsage
	}
	fmt.Fprintf(o.ErrOut, "netxray: %v\n", err)
	return ExitError
}

// isCobraUsage recognises cobra's own untyped error for an unknown
// subcommand; argument-count errors are typed through usageArgs.
func isCobraUsage(err error) bool {
	return strings.HasPrefix(err.Error(), "unknown command ")
}

// usageArgs makes a cobra argument validator's error a UsageError.
func usageArgs(v cobra.PositionalArgs) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if err := v(cmd, args); err != nil {
			return &UsageError{Err: err}
		}
		return nil
	}
}
