// Package summary condenses a model into what `netxray summary` shows per
// node: identity, versions, role guess, OVS and namespace inventory,
// tunnels with the peer node they reach, and data coverage per source.
package summary
