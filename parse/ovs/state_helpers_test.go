package ovs

import (
	"crypto/sha1" //nolint:gosec // OVSDB record checksums
	"encoding/hex"
	"strconv"
)

func itoa(n int) string { return strconv.Itoa(n) }

func sha1hex(s string) string {
	sum := sha1.Sum([]byte(s)) //nolint:gosec // format checksum
	return hex.EncodeToString(sum[:])
}
