// Package testenv finds the real data that tests of many packages read in
// place: the public corpus beside the repository (../shared, never copied
// into it) and the lab bundles under fixtures/bundles. It is imported by
// tests only; what needs collect to read bundles is in collect/collecttest.
package testenv
