package simulator

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	. "github.com/onsi/gomega"
)

func TestAggregatorLatencyQuantilesWithinBound(t *testing.T) {
	for _, sub := range []uint{aggregateSubBits, seriesSubBits} {
		g := NewWithT(t)
		rng := rand.New(rand.NewPCG(1, uint64(sub)))
		h := newLatencyHist(sub)
		var all []time.Duration
		for range 100_000 {
			// log-uniform from 1 µs to 10 s: every octave gets exercised
			d := time.Duration(math.Exp(rng.Float64()*math.Log(1e7)) * float64(time.Microsecond))
			h.Add(d)
			all = append(all, d)
		}
		slices.Sort(all)
		bound := 1 / float64(int(1)<<sub)
		for _, q := range []float64{0.5, 0.9, 0.95, 0.99, 0.999} {
			exact := all[int(math.Ceil(q*float64(len(all))))-1]
			got := h.Quantile(q)
			g.Expect(math.Abs(float64(got-exact))/float64(exact)).To(BeNumerically("<=", bound),
				"subBits %d q %v: got %v exact %v", sub, q, got, exact)
		}
		g.Expect(h.Max()).To(Equal(all[len(all)-1]))
		g.Expect(h.Quantile(1)).To(Equal(all[len(all)-1]))
		g.Expect(h.Count()).To(Equal(uint64(len(all))))
	}
}

func TestAggregatorLatencyEdges(t *testing.T) {
	g := NewWithT(t)
	h := newLatencyHist(aggregateSubBits)
	g.Expect(h.Quantile(0.99)).To(BeZero(), "empty")
	h.Add(-time.Second)
	g.Expect(h.Quantile(0.5)).To(BeZero(), "negative counts as zero")
	h.Reset()
	h.Add(42 * time.Nanosecond)
	g.Expect(h.Quantile(0.5)).To(Equal(42*time.Nanosecond), "small values are exact")
	h.Add(time.Hour) // beyond the last bucket
	g.Expect(h.Quantile(1)).To(Equal(time.Hour), "max stays exact")
	g.Expect(h.Quantile(0.5)).To(Equal(42 * time.Nanosecond))

	// Buckets tile the range: every index's bounds map back to it.
	for i := range h.counts {
		lo, w := h.bounds(i)
		g.Expect(h.index(lo)).To(Equal(i))
		g.Expect(h.index(lo + w - 1)).To(Equal(i))
	}

	o := newLatencyHist(aggregateSubBits)
	o.Add(time.Millisecond)
	o.Add(3 * time.Millisecond)
	h.Merge(o)
	g.Expect(h.Count()).To(Equal(uint64(4)))
	g.Expect(h.Quantile(0.75)).To(BeNumerically("~", 3*time.Millisecond, 3*time.Millisecond/64))
}
