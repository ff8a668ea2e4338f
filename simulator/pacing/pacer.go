package pacing

import (
	"math"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// Pacer is a vegeta.Pacer that also knows the intended schedule, so latency
// can be measured from the moment a hit was due rather than from the moment
// a worker got round to it.
type Pacer interface {
	vegeta.Pacer // Pace(elapsed, hits) (wait, stop); Rate(elapsed) in hits/s

	// Due returns the offset from the attack start at which hit number hit
	// (0-based) was due, or Never for a hit the schedule does not offer.
	Due(hit uint64) time.Duration
	// Duration returns the total length of the schedule; 0 means unbounded.
	Duration() time.Duration
	// Hits returns the number of hits the schedule offers; 0 means
	// unbounded (or a schedule that offers none).
	Hits() uint64
}

// Never is what Due returns for a hit the schedule never offers: past the
// end of a bounded schedule, or after which the rate stays 0 forever.
const Never = time.Duration(math.MaxInt64)

// The pacers satisfy vegeta's interface and ours.
var (
	_ vegeta.Pacer = (*schedule)(nil)
	_ vegeta.Pacer = closed{}
	_ Pacer        = (*schedule)(nil)
	_ Pacer        = closed{}
)

// Constant offers rate hits per second (fractions allowed: 0.5 is one hit
// every 2s) for d; d == 0 runs until the attack is stopped. A rate of 0 is
// a pause with no hits, so the attack stops at once. Invalid arguments
// (negative or non-finite rate, negative d) give a pacer that stops at once;
// validate user input with Staged, whose errors say what is wrong.
func Constant(rate float64, d time.Duration) Pacer {
	return single(Stage{Kind: StageHold, Target: rate}, d)
}

// Linear ramps the rate from `from` to `to` hits per second over d. A ramp
// needs a length, so d must be > 0; invalid arguments give a pacer that
// stops at once (see Constant).
func Linear(from, to float64, d time.Duration) Pacer {
	if d == 0 {
		return &schedule{}
	}
	return single(Stage{Kind: StageRamp, From: from, Target: to}, d)
}

// Sine offers a rate of mean + amp·sin(2πt/period) hits per second for d
// (0 = unbounded), starting at the mean and rising, like vegeta's SinePacer
// with StartAt MeanUp. It needs 0 <= amp < mean and period > 0; invalid
// arguments give a pacer that stops at once (see Constant).
func Sine(mean, amp float64, period time.Duration, d time.Duration) Pacer {
	return single(Stage{Kind: StageSine, Target: mean, Amp: amp, Period: period}, d)
}

// single builds a one-stage schedule; d == 0 makes the stage unbounded.
func single(st Stage, d time.Duration) Pacer {
	st.Duration = d
	if d == 0 {
		// Validate as a bounded stage of any length (no law here depends
		// on it), then make the segment unbounded.
		st.Duration = time.Second
	}
	if st.validate(0) != nil {
		return &schedule{}
	}
	seg := st.segment(0)
	if d == 0 {
		seg.setUnbounded()
	}
	return newSchedule([]segment{seg})
}

// Closed is the closed loop at full speed (`--rate 0 --workers N`): like
// vegeta's zero ConstantPacer it never waits, so the worker cap alone sets
// the pace. Nothing is ever late: Due returns 0, Rate returns +Inf, and
// Duration and Hits return 0 (the attack's own duration bounds it).
func Closed() Pacer { return closed{} }

// closed implements Closed.
type closed struct{}

// Pace never waits and never stops.
func (closed) Pace(time.Duration, uint64) (time.Duration, bool) { return 0, false }

// Rate is infinite: there is no target rate in a closed loop.
func (closed) Rate(time.Duration) float64 { return math.Inf(1) }

// Due is 0: in a closed loop every hit is due as soon as a worker is free.
func (closed) Due(uint64) time.Duration { return 0 }

// Duration is 0: unbounded.
func (closed) Duration() time.Duration { return 0 }

// Hits is 0: unbounded.
func (closed) Hits() uint64 { return 0 }

// String describes the pacer for run headers.
func (closed) String() string { return "closed loop" }
