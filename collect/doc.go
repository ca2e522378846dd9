// Package collect reads diagnostic bundles: sosreports of every era and
// netxray's own bundles, as directories or tarballs (.tar, .tar.gz/.tgz,
// .tar.xz, .tar.bz2), or a directory holding several of them (one per
// node).
//
// Open returns a Bundle of Nodes. Each Node exposes its files as an fs.FS and
// an Inventory that says, for every logical source the analyzer may need
// ("flows of bridge br-int", "ip rule in namespace qrouter-X"), which file
// holds it, or why there is none: absent, failed (non-zero return code in
// the sos manifest, or an error message printed into the file), empty,
// truncated, or capped (a namespace listed by `ip netns` whose per-namespace
// files were not collected).
//
// The mapping from logical sources to file names lives in one table, Catalog
// (catalog.go), with every file-name variant of sos 3.x to 4.x and of
// netxray's collector. Command-output names are derived from the exact
// command with sos's own mangling rule (MangleCommand), so the table reads
// like the collectors' source.
//
// Tarballs are read in one streaming pass without extracting them: only the
// members the catalog wants are kept, in memory up to a budget and spilled
// to a private temporary directory beyond it (removed by Bundle.Close).
// Unsafe members (".." or absolute names, links leaving the bundle, device
// files, oversize members) are skipped and reported as Problems, and a
// stream that inflates more than 1000:1 is refused as a decompression bomb.
//
// The package knows file layouts, not formats: parsing file contents is the
// job of the parse packages. The only contents it looks at are the sos
// manifest, the version and hostname files, the namespace list (to detect
// capped namespaces) and the first bytes of each source file (to tell empty
// and failed outputs from data).
package collect
