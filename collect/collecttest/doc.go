// Package collecttest helps tests read the lab bundles through collect, as
// netxray itself reads bundles. It is imported by tests only.
package collecttest
