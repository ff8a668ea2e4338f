package capacity

import (
	"context"
	"errors"
	"fmt"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/wxsim/wxsim/simulator"
	"github.com/wxsim/wxsim/simulator/pacing"
)

// MinWindow is the shortest ramp window. Every window still open (a
// connect plus a response timeout's worth of them) keeps an aggregator of
// its own, about 100 KiB, and each judged window costs a summary on the
// engine's result goroutine: millisecond windows would cost gigabytes and
// put that goroutine behind the run.
const MinWindow = 250 * time.Millisecond

// validateRamp checks a ramp's length and window.
func (cfg *Config) validateRamp() error {
	switch w := cfg.window(); {
	case w < MinWindow:
		return fmt.Errorf("capacity: window %s: must be at least %s", w, MinWindow)
	case w > cfg.Ramp:
		return fmt.Errorf("capacity: window %s: longer than the ramp (%s)", w, cfg.Ramp)
	}
	return nil
}

// window is the length of a ramp's windows.
func (cfg *Config) window() time.Duration {
	if cfg.Window == 0 {
		return DefaultWindow
	}
	return cfg.Window
}

// runRamp is Run for a ramp: one simulator.Run whose rate climbs from the
// first rate to the last, its outcomes judged window by window as they
// come, the run stopped at the first window that does not hold.
func runRamp(ctx context.Context, cfg Config) (*Result, error) {
	from, to := cfg.Rates[0], cfg.Rates[len(cfg.Rates)-1]
	p := cfg.rampPlan(from, to)
	if p.Pacer.Hits() == 0 {
		return nil, fmt.Errorf("capacity: a ramp from %g/s to %g/s over %s offers no pushes", from, to, cfg.Ramp)
	}
	all := newCollector(cfg.Plan)
	// The judge stops the run through runCtx; ctx ending is the caller's
	// interrupt, told apart from it afterwards.
	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	// The engine takes its own start a moment later; its offset from this
	// one (well under a millisecond) is lost in a window of seconds.
	begin := time.Now()
	shape := newRampShape(from, to, cfg.Ramp, cfg.window(), p.Pacer, begin)
	j := newWindowJudge(ctx, &cfg, shape, p, all, stop)
	p.Output = all.tee(j, cfg.Plan.Output)
	s, err := simulator.Run(runCtx, p)
	if s == nil {
		return nil, fmt.Errorf("capacity: ramp from %g/s to %g/s: %w", from, to, err)
	}
	interrupted := false
	switch {
	case j.ended: // a window did not hold: the search is over
	case ctx.Err() != nil:
		interrupted = true
	case err != nil && !errors.Is(err, simulator.ErrInterrupted):
		return nil, fmt.Errorf("capacity: ramp from %g/s to %g/s: %w", from, to, err)
	default:
		j.finish() // every outcome is in: judge the windows still open
	}
	res := rampResult(j.steps, interrupted)
	res.Summary, res.Series = all.close()
	res.Summary.Rate.Target = res.Knee
	if interrupted {
		return res, simulator.ErrInterrupted
	}
	return res, nil
}

// rampPlan is the plan of a ramp from one rate to another.
func (cfg *Config) rampPlan(from, to float64) simulator.Plan {
	p := cfg.Plan
	p.Pacer = pacing.Linear(from, to, cfg.Ramp)
	p.Duration = cfg.Ramp
	p.Thresholds = cfg.Thresholds
	p.Progress = nil
	p.MaxWorkers = cfg.MaxWorkers
	if p.MaxWorkers == 0 {
		p.MaxWorkers = workerCap(to, latencyBudget(cfg.Thresholds, cfg.Plan.Transport.ResponseTimeout))
	}
	if p.Workers == 0 {
		p.Workers = vegeta.DefaultWorkers
	}
	p.Workers = min(p.Workers, p.MaxWorkers)
	return p
}

// rampResult finds the knee among the windows judged, in order: the rate
// of the last that held before the first that did not.
func rampResult(steps []Step, interrupted bool) *Result {
	res := &Result{Mode: ModeRamp, Steps: steps, KneeStep: -1, Limit: MaxRate}
	for i, st := range steps {
		if st.Verdict != Held {
			res.Limit = st.Verdict
			return res
		}
		res.Knee, res.KneeStep = st.Rate, i
	}
	if interrupted {
		res.Limit = Interrupted
	}
	return res
}

// rampShape is a ramp's schedule and its cut into windows: window i
// holds the pushes due from begin + i·w to begin + (i+1)·w, the last one
// cut at the ramp's end. A last piece shorter than half a window is not a
// window: too few pushes to judge.
type rampShape struct {
	from, to  float64
	length, w time.Duration
	n         int // windows
	pacer     pacing.Pacer
	begin     time.Time
}

func newRampShape(from, to float64, length, w time.Duration, pacer pacing.Pacer, begin time.Time) rampShape {
	n := int(length / w)
	if rest := length - time.Duration(n)*w; 2*rest >= w {
		n++
	}
	return rampShape{from: from, to: to, length: length, w: w, n: n, pacer: pacer, begin: begin}
}

// offset is where window k begins (the end of window k-1), from the start.
func (r *rampShape) offset(k int) time.Duration { return min(time.Duration(k)*r.w, r.length) }

// at is when window k begins.
func (r *rampShape) at(k int) time.Time { return r.begin.Add(r.offset(k)) }

// index is the window a push due at t belongs to (n or more: none).
func (r *rampShape) index(t time.Time) int {
	switch d := t.Sub(r.begin); {
	case d < 0:
		return 0
	case d >= r.length: // a retry after the ramp's end
		return r.n
	default:
		return int(min(d/r.w, time.Duration(r.n)))
	}
}

// rate is the rate the ramp offers over window i on average: its rate
// at the window's middle, the ramp being linear.
func (r *rampShape) rate(i int) float64 {
	mid := (r.offset(i) + r.offset(i+1)) / 2
	return r.from + (r.to-r.from)*mid.Seconds()/r.length.Seconds()
}

// expected is the number of pushes the schedule makes due in window i.
func (r *rampShape) expected(i int) uint64 {
	return r.dueBefore(r.offset(i+1)) - r.dueBefore(r.offset(i))
}

// dueBefore is the number of pushes due before offset d: hits are due in
// increasing order, so the first due at or after d, found by bisection.
func (r *rampShape) dueBefore(d time.Duration) uint64 {
	lo, hi := uint64(0), r.pacer.Hits()
	for lo < hi {
		mid := lo + (hi-lo)/2
		if r.pacer.Due(mid) < d {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo
}
