package simulator

import (
	"math"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/wxsim/wxsim/simulator/pacing"
)

// TailGrace is how late a push that fell due before the end of the run may
// still be sent. vegeta stops the moment the duration has passed, so a
// generator a few milliseconds behind at the end (a GC pause, a busy CI
// runner) silently drops the last pushes of the schedule: 150/s for 2 s
// gives 297 pushes instead of 300. Within the grace they are sent (and
// counted late if they are); a generator further behind than that is
// overloaded, and what it never sent is reported as unsent.
const TailGrace = time.Second

// withTailGrace returns the pacer and duration to hand vegeta for a run of
// d: the pacer stops at the first push due at or after d, and vegeta's own
// cut-off moves TailGrace later. A closed loop or an unbounded run is left
// as it is.
func withTailGrace(p pacing.Pacer, d time.Duration) (vegeta.Pacer, time.Duration) {
	if d <= 0 || math.IsInf(p.Rate(0), 1) {
		return p, d
	}
	return endAt{Pacer: p, end: d}, d + TailGrace
}

// endAt ends a schedule at a fixed offset, by the pushes' due times rather
// than by the clock: it paces from Due alone, because the schedule's own
// Pace also stops once its duration has elapsed, which is the drop this
// exists to avoid.
type endAt struct {
	pacing.Pacer
	end time.Duration
}

func (e endAt) Pace(elapsed time.Duration, hits uint64) (time.Duration, bool) {
	due := e.Due(hits) // Never past the schedule's last hit
	switch {
	case due >= e.end:
		return 0, true
	case due <= elapsed:
		return 0, false // behind: send now
	}
	return due - elapsed, false
}
