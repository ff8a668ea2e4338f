package capacity

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/wxsim/wxsim/simulator"
)

// DefaultThresholds are the bounds a step must hold when none are given:
// no MarkFail block, request timeouts and response failures under 0.1 %,
// p99 under 1 s.
var DefaultThresholds = []string{
	"markfail == 0",
	"request_timeout_ratio < 0.001",
	"response_failure_ratio < 0.001",
	"p99 < 1s",
}

// Defaults of the search.
const (
	DefaultStart        = 100  // pushes/s
	DefaultMaxRate      = 5000 // pushes/s: the envelope of one 2-core machine (vegeta-notes §8)
	DefaultStep         = 100  // pushes/s
	DefaultStepDuration = 10 * time.Second
	DefaultPause        = time.Second
	DefaultWindow       = 2 * time.Second // a ramp's windows
)

// The generator's tolerances: below these it did not offer the rate.
const (
	minSentShare = 0.95 // of the step's pushes sent at all
	maxLateShare = 0.10 // of the pushes sent later than due …
	minLate      = 50   // … and at least this many: a short run's one stall is no verdict
	minWorkers   = 100  // the smallest per-step worker cap
)

// Ladder returns the rates of the steps: start, start+step, … up to max
// (included when the steps land on it; float noise is forgiven).
func Ladder(start, maxRate, step float64) ([]float64, error) {
	switch {
	case !(start > 0) || math.IsInf(start, 0):
		return nil, fmt.Errorf("start rate %g: must be above 0", start)
	case !(maxRate >= start) || math.IsInf(maxRate, 0):
		return nil, fmt.Errorf("max rate %g: must be at least the start rate (%g)", maxRate, start)
	case !(step > 0) || math.IsInf(step, 0):
		return nil, fmt.Errorf("step %g: must be above 0", step)
	}
	n := int(math.Floor((maxRate-start)/step+1e-9)) + 1
	if n > 10000 {
		return nil, fmt.Errorf("%d steps from %g to %g by %g: too many (at most 10000)", n, start, maxRate, step)
	}
	rates := make([]float64, n)
	for i := range rates {
		rates[i] = start + float64(i)*step
	}
	return rates, nil
}

// RampEnds returns the rates a ramp climbs between, start and max, as the
// Rates of a Config: a ramp must climb.
func RampEnds(start, maxRate float64) ([]float64, error) {
	switch {
	case !(start > 0) || math.IsInf(start, 0):
		return nil, fmt.Errorf("start rate %g: must be above 0", start)
	case !(maxRate > start) || math.IsInf(maxRate, 0):
		return nil, fmt.Errorf("max rate %g: must be above the start rate (%g) for a ramp", maxRate, start)
	}
	return []float64{start, maxRate}, nil
}

// StepFor returns the step size that makes a ladder of n rates from start
// to max, both included (one rate, start, for n = 1).
func StepFor(start, maxRate float64, n int) (float64, error) {
	switch {
	case n < 1:
		return 0, fmt.Errorf("steps %d: must be at least 1", n)
	case n == 1 || maxRate <= start:
		return math.Max(maxRate-start, 0) + 1, nil
	}
	return (maxRate - start) / float64(n-1), nil
}

// ParseThresholds parses threshold expressions, nil or empty giving
// DefaultThresholds.
func ParseThresholds(exprs []string) ([]simulator.Threshold, error) {
	if len(exprs) == 0 {
		exprs = DefaultThresholds
	}
	ts := make([]simulator.Threshold, 0, len(exprs))
	var errs []error
	for _, e := range exprs {
		t, err := simulator.ParseThreshold(e)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		ts = append(ts, t)
	}
	return ts, errors.Join(errs...)
}

// workerCap is the per-step worker cap: twice what the rate needs when
// every push takes the latency budget, so that an endpoint within its
// bounds never meets the cap, and a generator that falls behind counts
// late pushes instead of spawning ever more workers.
func workerCap(rate float64, budget time.Duration) uint64 {
	return max(minWorkers, uint64(math.Ceil(2*rate*budget.Seconds())))
}

// latencyBudget is the largest latency bound of the thresholds (p50 … max
// with < or <=), or the response timeout when none bounds latency; at
// least a second, so that short bounds still leave the cap some room.
func latencyBudget(ts []simulator.Threshold, responseTimeout time.Duration) time.Duration {
	var budget time.Duration
	for _, t := range ts {
		metric, rest, _ := strings.Cut(t.Expr, " ")
		switch strings.TrimSpace(metric) {
		case "p50", "p90", "p95", "p99", "max":
		default:
			continue
		}
		op, value, _ := strings.Cut(strings.TrimSpace(rest), " ")
		if op != "<" && op != "<=" {
			continue
		}
		if d, err := time.ParseDuration(strings.TrimSpace(value)); err == nil {
			budget = max(budget, d)
		}
	}
	if budget == 0 {
		budget = responseTimeout
	}
	return max(budget, time.Second)
}
