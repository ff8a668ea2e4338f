package simulator

import (
	"math/rand/v2"
	"testing"

	. "github.com/onsi/gomega"
)

// A pool of a million followers costs what a pool of a thousand does:
// openids are derived from their index, never stored. Not parallel:
// allocation counts are process-wide.
func TestFollowersCostNoMemory(t *testing.T) {
	g := NewWithT(t)
	g.Expect(testing.AllocsPerRun(100, func() { _ = NewFollowers(0, 1_000_000, 7) })).To(BeZero())

	big, small := NewFollowers(0, 1_000_000, 7), NewFollowers(0, 1_000, 7)
	r := rand.New(rand.NewPCG(3, 4))
	perBig := testing.AllocsPerRun(1000, func() { _ = big.Pick(r) })
	perSmall := testing.AllocsPerRun(1000, func() { _ = small.Pick(r) })
	g.Expect(perBig).To(Equal(perSmall))
	g.Expect(perBig).To(BeNumerically("<=", 1)) // the openid string itself
}

// The million openids are distinct: their first twelve characters already
// tell them apart.
func TestFollowersMillionDistinct(t *testing.T) {
	g := NewWithT(t)
	f := NewFollowers(0, 1_000_000, 7)
	seen := make(map[[12]byte]struct{}, f.Len())
	for i := range f.Len() {
		var k [12]byte
		copy(k[:], f.OpenID(i))
		seen[k] = struct{}{}
	}
	g.Expect(seen).To(HaveLen(1_000_000))
}
