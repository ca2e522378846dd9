// Package formats lists every parser of netxray in one place, so generic
// code (the parse command, corpus tests, fuzzers, the inventory) can look a
// format up by kind or recognise it from a file's content.
package formats
