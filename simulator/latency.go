package simulator

import (
	"math"
	"math/bits"
	"time"
)

// latencyHist is a fixed log-linear histogram of durations (HDR-histogram
// style): values below 2^subBits ns are counted exactly, above that every
// power of two is split into 2^subBits equal buckets. Its memory is fixed at
// construction, an Add is a few instructions, and two histograms with the
// same shape merge exactly (unlike a t-digest), which is why the aggregator
// uses it rather than github.com/influxdata/tdigest.
//
// The relative error of a quantile is at most 2^-subBits (half of it on
// average, since a quantile reports its bucket's midpoint): 6 sub-bucket bits
// give under 1.6 %, 4 give under 6.3 %.
type latencyHist struct {
	subBits uint
	counts  []uint64
	total   uint64
	min     time.Duration
	max     time.Duration
}

// latencyMaxBits bounds the histogram: values of 2^40 ns (about 18 min) and
// more land in the last bucket. No delivery waits that long; Max stays exact.
const latencyMaxBits = 40

// newLatencyHist returns an empty histogram with 2^subBits buckets per octave.
func newLatencyHist(subBits uint) *latencyHist {
	n := (latencyMaxBits - subBits + 2) << subBits
	return &latencyHist{subBits: subBits, counts: make([]uint64, n)}
}

// index returns the bucket of v (ns); see latencyHist for the layout.
func (h *latencyHist) index(v uint64) int {
	msb := uint(bits.Len64(v)) // 0 for v == 0
	if msb <= h.subBits {
		return int(v)
	}
	shift := msb - 1 - h.subBits
	i := int((shift+1)<<h.subBits + uint(v>>shift) - 1<<h.subBits)
	return min(i, len(h.counts)-1)
}

// bounds returns the lowest value of bucket i and its width.
func (h *latencyHist) bounds(i int) (lo, width uint64) {
	sub := 1 << h.subBits
	if i < sub {
		return uint64(i), 1
	}
	shift := uint(i>>h.subBits) - 1
	mantissa := uint64(i&(sub-1) + sub)
	return mantissa << shift, 1 << shift
}

// Add counts one latency; negative ones count as zero.
func (h *latencyHist) Add(d time.Duration) {
	d = max(d, 0)
	if h.total == 0 || d < h.min {
		h.min = d
	}
	h.max = max(h.max, d)
	h.total++
	h.counts[h.index(uint64(d))]++
}

// Count returns how many latencies were added.
func (h *latencyHist) Count() uint64 { return h.total }

// Max returns the largest latency added (exact).
func (h *latencyHist) Max() time.Duration { return h.max }

// Quantile returns the q-quantile (0 < q <= 1): the midpoint of the bucket
// holding the ceil(q*total)-th smallest value, clamped to the exact min and
// max (the largest value itself for the last rank). It returns 0 for an
// empty histogram.
func (h *latencyHist) Quantile(q float64) time.Duration {
	if h.total == 0 {
		return 0
	}
	rank := uint64(math.Ceil(q * float64(h.total)))
	rank = min(max(rank, 1), h.total)
	if rank == h.total {
		return h.max // the largest is known exactly
	}
	var seen uint64
	for i, c := range h.counts {
		if seen += c; seen >= rank {
			lo, w := h.bounds(i)
			v := time.Duration(lo + w/2)
			return min(max(v, h.min), h.max)
		}
	}
	return h.max
}

// Reset empties the histogram, keeping its memory.
func (h *latencyHist) Reset() {
	clear(h.counts)
	h.total, h.min, h.max = 0, 0, 0
}

// Merge adds o's counts; both must have the same shape.
func (h *latencyHist) Merge(o *latencyHist) {
	if o.total == 0 {
		return
	}
	for i, c := range o.counts {
		h.counts[i] += c
	}
	if h.total == 0 || o.min < h.min {
		h.min = o.min
	}
	h.max = max(h.max, o.max)
	h.total += o.total
}

// durationMS converts a duration to float milliseconds for the summary.
func durationMS(d time.Duration) float64 {
	return float64(d) / float64(time.Millisecond)
}
