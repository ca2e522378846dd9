// Package rules turns netxray's model into findings a support engineer can
// act on: what is wrong, on which node, with the bundle lines that show it,
// how bad it is, and how it is usually fixed.
//
// A Rule is a value (name, category, severity, doc, the sources it needs,
// a Run function); All lists them explicitly, one file per rule, and
// Validate checks the list. Run executes rules over a model: each rule sees
// a Pass with the nodes whose needed sources are there, and a node lacking
// a source (absent, failed, capped, truncated) is reported as skipped for
// that rule, with why, never as clean. Config (netxray.yaml) selects rules,
// overrides severities and sets thresholds the bundles cannot tell.
//
// The catalog the rules implement is neutron-domain.md §5; a rule's Doc is
// what `netxray explain` prints.
package rules
