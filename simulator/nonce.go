package simulator

import (
	"math/rand/v2"
	"strconv"
)

// appendNonce appends a fresh nonce: decimal digits, 9 or 10 of them, as
// observed in WeChat's pushes.
func appendNonce(dst []byte) []byte {
	return strconv.AppendUint(dst, 100_000_000+rand.Uint64N(9_900_000_000), 10)
}
