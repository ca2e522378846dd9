package cli

import (
	"github.com/spf13/cobra"

	"netxray/analyze/model"
	"netxray/report"
)

func newTopologyCmd(o *IO) *cobra.Command {
	format := "text"
	cmd := &cobra.Command{
		Use:   "topology BUNDLE... [--format text|json|dot]",
		Short: "Per-node wiring (VM → tap → bridges → tunnels) and the cross-node mesh",
		Long: `Print how each node is wired: every OVS bridge with its ports and what is
behind them (VMs with their taps and hybrid Linux bridges, patch peers, router
and DHCP namespaces, external NICs, tunnels with the node owning their remote
IP), the Neutron namespaces, and the tunnel mesh. --format dot writes Graphviz.`,
		Args: usageArgs(cobra.MinimumNArgs(1)),
		RunE: func(_ *cobra.Command, args []string) error {
			if o.JSON {
				format = "json"
			}
			if format != "text" && format != "json" && format != "dot" {
				return usageErrorf("--format %q: want text, json or dot", format)
			}
			return withModel(o, args, func(m *model.Model) error {
				t := m.Topology()
				switch format {
				case "json":
					return report.JSON(o.Out, t)
				case "dot":
					return report.TopologyDOT(o.Out, t)
				}
				return report.TopologyText(o.Out, t)
			})
		},
	}
	cmd.Flags().StringVar(&format, "format", format, "text, json or dot")
	return cmd
}
