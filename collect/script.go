package collect

import _ "embed"

// Script is netxray-collect.sh, the read-only collector, as shipped inside
// the netxray binary so that `netxray collect` needs nothing else.
//
//go:embed netxray-collect.sh
var Script string
