// Package cli is netxray's thin cobra layer: one file per command, each
// validating its flags and calling a library. Main is the one place that maps
// errors to exit codes (0 ok, 1 error, 2 usage, 3 findings at or above
// --fail-on) and prints them.
package cli
