package cli

import (
	"github.com/spf13/cobra"

	"netxray/analyze/model"
	"netxray/analyze/summary"
	"netxray/report"
)

func newSummaryCmd(o *IO) *cobra.Command {
	return &cobra.Command{
		Use:   "summary BUNDLE...",
		Short: "Nodes, roles, versions, bridges, VMs and data coverage of bundles",
		Long: `Read sosreports or netxray bundles (directories or tarballs, or a directory
holding several) and say what is there: each node's role and versions, OVS
bridges with their ports and flow counts, VMs, namespaces, tunnels and the
nodes they reach, and which sources are missing, failed or capped, and why.`,
		Args: usageArgs(cobra.MinimumNArgs(1)),
		RunE: func(_ *cobra.Command, args []string) error {
			return withModel(o, args, func(m *model.Model) error {
				s := summary.Of(m)
				if o.JSON {
					return report.JSON(o.Out, s)
				}
				return report.SummaryText(o.Out, s)
			})
		},
	}
}
