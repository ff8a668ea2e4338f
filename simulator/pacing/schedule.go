package pacing

import (
	"math"
	"strings"
	"time"
)

// schedule is a sequence of segments run one after another: the single
// implementation behind Constant, Linear, Sine and Staged. It is immutable
// after construction, so one value may pace several attacks at once.
type schedule struct {
	segs  []segment
	dur   time.Duration // 0 = unbounded
	total uint64        // hits offered; 0 = unbounded or none
}

// snapTolerance absorbs float rounding in cumulative hit counts, so that a
// hold at 100/s for 1s ends at exactly 100 hits rather than 100.0000000001
// (which would offer a 101st hit at its very end).
const snapTolerance = 1e-6

// snap rounds x to the nearest integer when it is within snapTolerance.
func snap(x float64) float64 {
	if r := math.Round(x); math.Abs(x-r) < snapTolerance {
		return r
	}
	return x
}

// newSchedule lays segs end to end, filling in their starts and cumulative
// hit counts. The caller has validated them and checked that the total
// length fits in a time.Duration.
func newSchedule(segs []segment) *schedule {
	s := &schedule{segs: segs}
	var start int64
	var h float64
	for i := range segs {
		g := &segs[i]
		g.start, g.h0 = start, h
		if g.end != math.MaxInt64 { // bounded: setUnbounded marks the others
			g.end = start + int64(math.Round(g.dur*1e9))
		}
		g.h1 = snap(h + g.total())
		start, h = g.end, g.h1
	}
	if start != math.MaxInt64 {
		s.dur = time.Duration(start)
	}
	if h < math.MaxUint64 { // beyond (or +Inf): unbounded for all purposes
		s.total = uint64(math.Ceil(h)) // hit n is offered while n < H(end)
	}
	return s
}

// Pace implements vegeta.Pacer: it waits until the next hit is due (not at
// all when the attack is already behind) and stops when the schedule is
// over or offers no further hit.
func (s *schedule) Pace(elapsed time.Duration, hits uint64) (time.Duration, bool) {
	if (s.total > 0 && hits >= s.total) || (s.dur > 0 && elapsed >= s.dur) {
		return 0, true
	}
	due := s.Due(hits)
	switch {
	case due == Never:
		return 0, true
	case due <= elapsed:
		return 0, false // behind schedule: send now
	}
	return due - elapsed, false
}

// Due returns H⁻¹(hit): the first offset at which the schedule has offered
// more than hit hits. It finds the segment by binary search over the
// cumulative counts, then inverts that segment's curve.
func (s *schedule) Due(hit uint64) time.Duration {
	if s.total > 0 && hit >= s.total {
		return Never
	}
	x := float64(hit)
	lo, hi := 0, len(s.segs) // first segment whose cumulative end exceeds x
	for lo < hi {
		if m := int(uint(lo+hi) >> 1); s.segs[m].h1 > x {
			hi = m
		} else {
			lo = m + 1
		}
	}
	if lo == len(s.segs) {
		return Never
	}
	g := &s.segs[lo]
	ns := math.Round(g.inverse(x-g.h0) * 1e9)
	if ns >= float64(g.end-g.start) || ns >= math.MaxInt64-float64(g.start) {
		// Rounding put the hit on its segment's end (or the offset does not
		// fit in a Duration); it belongs just inside.
		return capDue(g.end-1, g.end)
	}
	return time.Duration(g.start + int64(max(ns, 0)))
}

// capDue returns at, or Never when the segment is unbounded (its end is the
// far future, so the hit can never be scheduled).
func capDue(at, end int64) time.Duration {
	if end == math.MaxInt64 {
		return Never
	}
	return time.Duration(at)
}

// Rate implements vegeta.Pacer: the rate in hits/s at elapsed; 0 after a
// bounded schedule's end.
func (s *schedule) Rate(elapsed time.Duration) float64 {
	t := max(int64(elapsed), 0)
	lo, hi := 0, len(s.segs) // first segment ending after t
	for lo < hi {
		if m := int(uint(lo+hi) >> 1); s.segs[m].end > t {
			hi = m
		} else {
			lo = m + 1
		}
	}
	if lo == len(s.segs) {
		return 0
	}
	g := &s.segs[lo]
	return g.rate(float64(t-g.start) / 1e9)
}

// Duration returns the schedule's length; 0 when it is unbounded.
func (s *schedule) Duration() time.Duration { return s.dur }

// Hits returns the number of hits offered; 0 when unbounded or none.
func (s *schedule) Hits() uint64 { return s.total }

// String describes the schedule for run headers, e.g.
// "ramp 0→100/s 10s, hold 100/s 30s".
func (s *schedule) String() string {
	if len(s.segs) == 0 {
		return "no hits"
	}
	parts := make([]string, len(s.segs))
	for i := range s.segs {
		parts[i] = s.segs[i].String()
	}
	return strings.Join(parts, ", ")
}
