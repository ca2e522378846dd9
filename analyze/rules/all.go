package rules

// All returns every rule, in listing order: OVS structure, tunnels, l2pop,
// DVR, MTU, firewall, data quality.
func All() []*Rule {
	return []*Rule{
		// ovs
		VIFDeadVLAN,
		VIFUntagged,
		InterfaceError,
		PatchPeerBroken,
		CanaryMissing,
		BrTunUnprogrammed,
		LocalVLANConflict,
		ProviderVLANMissing,
		FlowPortMissing,
		PhysicalPatchDrop,
		StaleCookieFlows,
		// tunnel
		TunFlowMissing,
		TunnelMissing,
		TunnelRemoteUnknown,
		LocalIPMismatch,
		TunnelOptionsMismatch,
		VXLANPortMismatch,
		// l2pop
		L2popFloodMissing,
		L2popUnicastMissing,
		L2popUnicastStale,
		L2popWrongVNI,
		ARPResponderEntry,
		DuplicateMAC,
		DuplicateIP,
		LBFDBMissing,
		LBARPEntry,
		// dvr
		DVRMACMissing,
		DVRMACDuplicate,
		QRouterMissing,
		QRMismatch,
		DVRARPEntry,
		DVRPortFlowMissing,
		RouterSysctl,
		NSDeviceOrphan,
		OVSPortOrphan,
		NamespaceEmpty,
		SNATRedirect,
		SNATMultiple,
		FIPRuleRoute,
		FIPNamespaceIncomplete,
		ExternalIPDuplicate,
		// mtu
		UnderlayMTU,
		MTUMismatch,
		// firewall
		OVSFWZoneMismatch,
		OVSFWPortUnfiltered,
		SpoofingFlows,
		HybridPlumbing,
		CTZoneCollision,
		CTMarkInvalid,
		// data
		SourceMissing,
		SourceFailed,
		SourceTruncated,
		NamespaceCapped,
		ParseErrors,
		ObfuscationMixed,
	}
}
