package simulator

import (
	"math"
	"time"
)

// SecondBucket is one second of a run, for the HTML report's charts: the
// attempts due in that second (by Start) by class, and their latency.
type SecondBucket struct {
	Time     time.Time          `json:"time"`     // the second's start
	Pushes   uint32             `json:"pushes"`   // first attempts due in the second, blocked ones included
	Outcomes [numClasses]uint32 `json:"outcomes"` // attempts due in the second, indexed by Class
	P50MS    float64            `json:"p50_ms"`   // median latency of its deliveries, ms
	P99MS    float64            `json:"p99_ms"`   // 99th percentile latency of its deliveries, ms
}

// Count returns the attempts of class c due in the second.
func (b SecondBucket) Count(c Class) uint32 {
	if c < numClasses {
		return b.Outcomes[c]
	}
	return 0
}

// Bounds on how far the series stretches for one outcome, so that a stray
// Start (a zero time, a clock jump) cannot allocate millions of buckets: an
// outcome that far from the run is left out of the series (not the totals).
const (
	seriesMaxBack    = int64(time.Hour / time.Second)
	seriesMaxForward = int64(24 * time.Hour / time.Second)
)

// series keeps the per-second buckets of a run. Outcomes arrive in the order
// their deliveries end, not in the order they were due: a timeout due at t
// arrives after a quick reply due at t+4s. So latency histograms stay open
// for a horizon of recent seconds (a ring, reused), and a second's quantiles
// are fixed when its slot is needed by a second one horizon later. Latencies
// arriving later than that are left out of the per-second quantiles (never
// out of the run's). Memory grows with the seconds of the run, not with
// pushes.
type series struct {
	base    int64 // unix second of buckets[0]
	buckets []SecondBucket
	ring    []*latencyHist
	ringSec []int64 // the second each ring slot holds, MinInt64 when none
}

// seriesSubBits gives per-second quantiles within about 6 %: plenty for a
// chart, and 5 KB per open second.
const seriesSubBits = 4

// newSeries returns a series whose latency histograms stay open for horizon.
func newSeries(horizon time.Duration) *series {
	n := max(int((horizon+time.Second-1)/time.Second), 2)
	s := &series{ring: make([]*latencyHist, n), ringSec: make([]int64, n)}
	for i := range s.ring {
		s.ring[i] = newLatencyHist(seriesSubBits)
		s.ringSec[i] = math.MinInt64
	}
	return s
}

// add counts o, due at start (unix ns), in the bucket of its second.
func (s *series) add(o *Outcome, start int64) {
	sec := floorDiv(start, int64(time.Second))
	b := s.bucket(sec)
	if b == nil {
		return
	}
	if o.Attempt == 1 {
		b.Pushes++
	}
	if o.Class < numClasses {
		b.Outcomes[o.Class]++
	}
	if o.Class == Blocked {
		return
	}
	slot := ringIndex(sec, int64(len(s.ring)))
	switch held := s.ringSec[slot]; {
	case held > sec:
		return // too late for this second's quantiles
	case held < sec:
		s.fix(slot)
		s.ringSec[slot] = sec
	}
	s.ring[slot].Add(o.Latency)
}

// bucket returns the bucket of unix second sec, growing the series to it,
// or nil when sec is implausibly far from the run.
func (s *series) bucket(sec int64) *SecondBucket {
	if len(s.buckets) == 0 {
		s.base = sec
	}
	switch last := s.base + int64(len(s.buckets)) - 1; {
	case sec < s.base-seriesMaxBack || sec > last+seriesMaxForward:
		return nil
	case sec < s.base:
		grown := make([]SecondBucket, s.base-sec, int64(len(s.buckets))+s.base-sec)
		s.buckets = append(grown, s.buckets...)
		s.base = sec
		s.stamp(0, len(grown))
	case sec > last:
		from := len(s.buckets)
		s.buckets = append(s.buckets, make([]SecondBucket, sec-last)...)
		s.stamp(from, len(s.buckets))
	}
	return &s.buckets[sec-s.base]
}

// stamp sets the Time of buckets [from, to).
func (s *series) stamp(from, to int) {
	for i := from; i < to; i++ {
		s.buckets[i].Time = time.Unix(s.base+int64(i), 0)
	}
}

// fix writes ring slot's quantiles into its second's bucket and empties it.
func (s *series) fix(slot int64) {
	if s.ringSec[slot] == math.MinInt64 {
		return
	}
	s.quantiles(slot, s.buckets)
	s.ring[slot].Reset()
	s.ringSec[slot] = math.MinInt64
}

// quantiles writes ring slot's quantiles into its second's bucket of bs.
func (s *series) quantiles(slot int64, bs []SecondBucket) {
	i := s.ringSec[slot] - s.base
	if i < 0 || i >= int64(len(bs)) || s.ring[slot].Count() == 0 {
		return
	}
	bs[i].P50MS = durationMS(s.ring[slot].Quantile(0.50))
	bs[i].P99MS = durationMS(s.ring[slot].Quantile(0.99))
}

// snapshot returns a copy of the buckets, the still-open seconds' quantiles
// included.
func (s *series) snapshot() []SecondBucket {
	bs := append([]SecondBucket(nil), s.buckets...)
	for slot := range s.ring {
		if s.ringSec[slot] != math.MinInt64 {
			s.quantiles(int64(slot), bs)
		}
	}
	return bs
}

// floorDiv divides rounding down, so that instants before 1970 (zero times
// in tests) fall in the right second.
func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b < 0 {
		q--
	}
	return q
}
