package parse

import (
	"fmt"
	"runtime/debug"
)

// Result is what every parser's result type satisfies, so that generic code
// (the `parse` command, corpus tests, fuzzers, the bundle inventory) can count
// records and list problems without knowing the format.
type Result interface {
	// Records is the number of records (flows, routes, ports, ...) parsed.
	Records() int
	// Problems lists every issue found, with its position.
	Problems() Issues
}

// Recover turns a panic inside a parser into an error naming the file, so a
// bug in one parser can never take the whole analysis down. Use it as
//
//	defer parse.Recover(file, &err)
func Recover(file string, err *error) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("parsing %s: internal parser failure (please report): %v\n%s", file, r, debug.Stack())
	}
}
