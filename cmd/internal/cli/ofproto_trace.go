package cli

import (
	"strings"

	"github.com/spf13/cobra"

	"netxray/analyze/model"
	"netxray/analyze/openflow"
	"netxray/report"
)

type ofprotoTraceOptions struct {
	io        *IO
	bundles   []string
	node      string
	bridge    string
	microflow string
	ctNext    []string
}

func newOfprotoTraceCmd(o *IO) *cobra.Command {
	opts := &ofprotoTraceOptions{io: o}
	cmd := &cobra.Command{
		Use:   "ofproto-trace BUNDLE... --node N --bridge BR MICROFLOW",
		Short: "Offline ovs-appctl ofproto/trace from a node's flow dumps",
		Long: `Trace a microflow through the OpenFlow tables of one node's bridge, as
'ovs-appctl ofproto/trace BRIDGE MICROFLOW' does on the live switch, from
the flow dumps, group dumps, port tables and MAC tables in the bundle.

MICROFLOW uses the real tool's syntax: "in_port=tap1234,tcp,nw_src=10.0.0.5,
nw_dst=10.0.0.7,tp_dst=22". Each ct(table=...) recirculation resumes with the
next --ct-next state ("trk,est"; repeat the flag for later ones), else with
trk|new. Every step cites the dump's file:line and the flow's counters.`,
		Args: usageArgs(cobra.MinimumNArgs(2)),
		RunE: func(_ *cobra.Command, args []string) error {
			opts.bundles, opts.microflow = args[:len(args)-1], args[len(args)-1]
			if opts.node == "" || opts.bridge == "" {
				return usageErrorf("--node and --bridge are required")
			}
			return ofprotoTraceRun(opts)
		},
	}
	cmd.Flags().StringVar(&opts.node, "node", "", "node whose switch to trace")
	cmd.Flags().StringVar(&opts.bridge, "bridge", "", "bridge the packet enters")
	cmd.Flags().StringArrayVar(&opts.ctNext, "ct-next", nil, "conntrack state for the next recirculation (repeatable)")
	return cmd
}

func ofprotoTraceRun(opts *ofprotoTraceOptions) error {
	return withModel(opts.io, opts.bundles, func(m *model.Model) error { return ofprotoTraceModel(opts, m) })
}

func ofprotoTraceModel(opts *ofprotoTraceOptions, m *model.Model) (err error) {
	o := opts.io
	node := m.Node(opts.node)
	if node == nil {
		var known []string
		for _, n := range m.Nodes {
			known = append(known, n.Name)
		}
		return usageErrorf("--node %q: no such node (known: %s)", opts.node, strings.Join(known, ", "))
	}
	sw := openflow.FromNode(node)
	if sw.Bridge(opts.bridge) == nil {
		return usageErrorf("--bridge %q: no such bridge on %s (known: %s)", opts.bridge, node.Name, strings.Join(sw.BridgeNames(), ", "))
	}
	var ct []uint32
	for _, s := range opts.ctNext {
		v, err := openflow.ParseCTNext(s)
		if err != nil {
			return usageErrorf("--ct-next: %v", err)
		}
		ct = append(ct, v...)
	}
	pkt, err := openflow.ParseMicroflow(opts.microflow, sw, opts.bridge)
	if err != nil {
		return usageErrorf("%v", err)
	}
	res, err := openflow.TracePacket(sw, opts.bridge, pkt, openflow.TraceOptions{CTNext: ct})
	if err != nil { // *openflow.DataMissingError among others: exit 1
		return err
	}
	if o.JSON {
		return report.JSON(o.Out, res)
	}
	return res.WriteText(o.Out)
}
