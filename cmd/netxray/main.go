// Command netxray analyzes network diagnostic bundles of OpenStack Neutron
// clouds offline. All of it lives in cmd/internal/cli and the libraries.
package main

import (
	"os"

	"netxray/cmd/internal/cli"
)

func main() { os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) }
