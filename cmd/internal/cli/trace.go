package cli

import (
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"netxray/analyze/model"
	"netxray/analyze/trace"
	"netxray/report"
)

type traceOptions struct {
	from, to, proto string
	size            int
	both            bool
}

func newTraceCmd(o *IO) *cobra.Command {
	opts := &traceOptions{}
	cmd := &cobra.Command{
		Use:   "trace BUNDLE... --from X --to Y [--proto icmp|tcp:P|udp:P]",
		Short: "Follow a packet between two endpoints across nodes, hop by hop",
		Long: `Follow one packet from X to Y through the bundles: the VM's tap, the firewall,
br-int and br-tun (OpenFlow simulated from the flow dumps), tunnels to the node
owning the remote IP, and DVR's router namespaces. Every hop cites the file and
line that decided it. X and Y are a VM name or UUID, a Neutron port UUID or a
prefix of it, a MAC, or an IP (a VM's, else an external address).
Verdicts: delivered, dropped, no-route, arp-unresolved, missing-tunnel,
mtu-exceeded, filtered, data-missing, loop. Exit status 3 when not delivered.`,
		Args: usageArgs(cobra.MinimumNArgs(1)),
		RunE: func(_ *cobra.Command, args []string) error {
			topts, err := opts.parse()
			if err != nil {
				return err
			}
			return withModel(o, args, func(m *model.Model) error {
				res, err := trace.Run(m, opts.from, opts.to, topts)
				if err != nil {
					return usageErrorf("%v", err)
				}
				if o.JSON {
					err = report.JSON(o.Out, res)
				} else {
					err = res.WriteText(o.Out)
				}
				if err == nil && res.Verdict != trace.Delivered {
					return &SilentError{Code: ExitFindings}
				}
				return err
			})
		},
	}
	cmd.Flags().StringVar(&opts.from, "from", "", "source endpoint (required)")
	cmd.Flags().StringVar(&opts.to, "to", "", "destination endpoint (required)")
	cmd.Flags().StringVar(&opts.proto, "proto", "icmp", "icmp, tcp:PORT or udp:PORT")
	cmd.Flags().IntVar(&opts.size, "size", 0, "IP packet size in bytes, to check MTUs on the path")
	cmd.Flags().BoolVar(&opts.both, "both", false, "trace the reply too (a ping or TCP handshake needs both ways)")
	return cmd
}

func (opts *traceOptions) parse() (trace.Options, error) {
	if opts.from == "" || opts.to == "" {
		return trace.Options{}, usageErrorf("--from and --to are required")
	}
	proto, port, hasPort := strings.Cut(opts.proto, ":")
	t := trace.Options{Proto: proto, Size: opts.size, Both: opts.both}
	if hasPort {
		p, err := strconv.Atoi(port)
		if err != nil {
			return t, usageErrorf("--proto %q: bad port", opts.proto)
		}
		t.Port = p
	}
	return t, nil
}
