package pacing

import (
	"errors"
	"fmt"
	"math"
	"time"
)

// StageKind is the rate law of one stage.
type StageKind uint8

// The stage kinds. The zero value is a ramp, so a k6-style stage written as
// just {Duration, Target} ramps from where the previous stage ended.
const (
	StageRamp StageKind = iota // linear from From (default: the previous stage's end) to Target
	StageHold                  // constant at Target; at 0 it is a pause
	StageSine                  // Target + Amp·sin(2πu/Period), u from the stage's start
	StageStep                  // an instant jump to Target, then a hold: the same as StageHold
	numStageKinds
)

var stageKindNames = [numStageKinds]string{"ramp", "hold", "sine", "step"}

// String returns the kind's scenario spelling.
func (k StageKind) String() string {
	if k < numStageKinds {
		return stageKindNames[k]
	}
	return fmt.Sprintf("StageKind(%d)", uint8(k))
}

// ParseStageKind reads a kind's scenario spelling: ramp, hold, sine or step.
func ParseStageKind(s string) (StageKind, error) {
	for i, n := range stageKindNames {
		if n == s {
			return StageKind(i), nil
		}
	}
	return 0, fmt.Errorf("unknown stage kind %q (want ramp, hold, sine or step)", s)
}

// MarshalText implements encoding.TextMarshaler for scenario files.
func (k StageKind) MarshalText() ([]byte, error) {
	if k >= numStageKinds {
		return nil, fmt.Errorf("unknown stage kind %d", uint8(k))
	}
	return []byte(k.String()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler for scenario files.
func (k *StageKind) UnmarshalText(b []byte) error {
	v, err := ParseStageKind(string(b))
	if err != nil {
		return err
	}
	*k = v
	return nil
}

// Stage is one step of a Staged schedule. Rates are in hits per second.
type Stage struct {
	Kind     StageKind
	Duration time.Duration // > 0
	From     float64       // ramp only; 0 = start where the previous stage ended (0 for the first)
	Target   float64       // hold, step, ramp: the rate; sine: the mean
	Amp      float64       // sine only: 0 <= Amp < Target
	Period   time.Duration // sine only: > 0
}

// StageError says which stage of a Staged schedule is invalid, and in which
// field (named as in scenario files: kind, duration, from, target, amp,
// period).
type StageError struct {
	Index   int    // 0-based position in the stages
	Field   string // the offending field
	Problem string // what is wrong with it
}

// Error renders the error as "stages[2].amp: must be < target (50), got 60".
func (e *StageError) Error() string {
	return fmt.Sprintf("stages[%d].%s: %s", e.Index, e.Field, e.Problem)
}

// ErrNoStages is returned by Staged when given no stages.
var ErrNoStages = errors.New("no stages")

// Staged runs stages one after another, k6-style: for example a ramp from 0
// to 200/s over 1m, a hold at 200/s for 10m, a step to 1000/s for 30s and a
// ramp down to 0 over 1m. It reports the first invalid stage as a
// *StageError.
func Staged(stages ...Stage) (Pacer, error) {
	if len(stages) == 0 {
		return nil, ErrNoStages
	}
	segs := make([]segment, len(stages))
	var prev float64 // the rate at the previous stage's end
	var total int64  // nanoseconds so far
	for i, st := range stages {
		if err := st.validate(i); err != nil {
			return nil, err
		}
		if int64(st.Duration) > math.MaxInt64-total {
			return nil, &StageError{i, "duration", "the stages add up to more than " + time.Duration(math.MaxInt64).String()}
		}
		total += int64(st.Duration)
		segs[i] = st.segment(prev)
		prev = st.endRate(prev)
	}
	return newSchedule(segs), nil
}

// validate checks one stage; i is its index, for the error.
func (st Stage) validate(i int) error {
	bad := func(field, format string, args ...any) error {
		return &StageError{Index: i, Field: field, Problem: fmt.Sprintf(format, args...)}
	}
	switch {
	case st.Kind >= numStageKinds:
		return bad("kind", "unknown kind %d", uint8(st.Kind))
	case st.Duration <= 0:
		return bad("duration", "must be > 0, got %s", st.Duration)
	case !isRate(st.Target):
		return bad("target", "must be a finite rate >= 0, got %g", st.Target)
	case st.Kind != StageRamp && st.From != 0:
		return bad("from", "a %s stage has no from (only a ramp does)", st.Kind)
	case st.Kind != StageSine && st.Amp != 0:
		return bad("amp", "a %s stage has no amp (only a sine does)", st.Kind)
	case st.Kind != StageSine && st.Period != 0:
		return bad("period", "a %s stage has no period (only a sine does)", st.Kind)
	case st.Kind == StageRamp && !isRate(st.From):
		return bad("from", "must be a finite rate >= 0, got %g", st.From)
	case st.Kind == StageSine:
		return st.validateSine(bad)
	}
	return nil
}

// validateSine checks the sine fields: the rate must stay positive, which
// also keeps the inverse of its hits curve well defined.
func (st Stage) validateSine(bad func(field, format string, args ...any) error) error {
	switch {
	case st.Target == 0:
		return bad("target", "must be > 0 for a sine (it is the mean rate), got 0")
	case !isRate(st.Amp):
		return bad("amp", "must be a finite rate >= 0, got %g", st.Amp)
	case st.Amp >= st.Target:
		return bad("amp", "must be < target (%g), got %g", st.Target, st.Amp)
	case st.Period <= 0:
		return bad("period", "must be > 0, got %s", st.Period)
	}
	return nil
}

// isRate reports whether r is a usable rate: finite and not negative.
func isRate(r float64) bool { return r >= 0 && !math.IsInf(r, 1) } // NaN fails r >= 0

// segment turns a validated stage into closed form; prev is the rate at the
// previous stage's end, where a ramp without From starts.
func (st Stage) segment(prev float64) segment {
	dur := st.Duration.Seconds()
	g := segment{shape: flat, a: st.Target, dur: dur}
	switch st.Kind {
	case StageRamp:
		from := st.From
		if from == 0 {
			from = prev
		}
		g.shape, g.a, g.b = linear, from, (st.Target-from)/dur
	case StageSine:
		g.shape, g.b, g.w = wave, st.Amp, 2*math.Pi/st.Period.Seconds()
	}
	return g
}

// endRate returns the rate at the stage's end, where the next ramp without
// From starts.
func (st Stage) endRate(prev float64) float64 {
	if st.Kind == StageSine {
		g := st.segment(prev)
		return g.rate(g.dur)
	}
	return st.Target
}
