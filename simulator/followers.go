package simulator

import "math/rand/v2"

// Followers is a pool of distinct openids that costs no memory whatever its
// size: openid i is derived from i, so millions of followers are free.
type Followers struct {
	first, n uint64 // this shard's slice of the follower space
	salt     uint64
}

// NewFollowers returns a pool of n followers starting at index first (shards
// take disjoint slices); salt varies the openids between accounts.
func NewFollowers(first, n, salt uint64) Followers {
	if n == 0 {
		n = 1
	}
	return Followers{first: first, n: n, salt: salt}
}

// Len is the number of followers in the pool.
func (f Followers) Len() uint64 { return f.n }

// Pick draws a follower's openid; the zero Followers is a pool of one.
func (f Followers) Pick(r *rand.Rand) string {
	if f.n <= 1 {
		return f.OpenID(f.first)
	}
	return f.OpenID(f.first + r.Uint64N(f.n))
}

// openidAlphabet is the URL-safe Base64 alphabet real openids use.
const openidAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

// OpenID renders follower i as a 28-character openid like WeChat's
// ("o" and 27 characters), distinct for distinct i: the first eleven
// characters spell a bijective mix of i whole, the rest only dress it up.
func (f Followers) OpenID(i uint64) string {
	var out [28]byte
	out[0] = 'o'
	x := mix64(i ^ f.salt)
	words := [3]uint64{x, mix64(x ^ 0x9e3779b97f4a7c15), mix64(x ^ 0xc2b2ae3d27d4eb4f)}
	j := 1
	for _, w := range words {
		for k := 0; k < 11 && j < len(out); k++ {
			out[j] = openidAlphabet[w&63]
			w >>= 6
			j++
		}
	}
	return string(out[:])
}

// mix64 is splitmix64's finaliser: a bijection on uint64.
func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}
