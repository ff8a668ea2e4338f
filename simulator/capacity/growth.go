package capacity

import (
	"slices"
	"time"

	"github.com/wxsim/wxsim/simulator"
)

// DefaultMaxGrowth is how much a step's median latency may grow from its
// first third to its last before the step counts as not sustained.
const DefaultMaxGrowth = 50 * time.Millisecond

// growthMeter watches whether latency climbs during a step: a queue that
// builds up (an endpoint offered more than it serves) raises latency
// steadily, long before it reaches a p99 bound, while a healthy endpoint's
// latency stays level. It compares the median latency of the deliveries
// due in the step's first third with those due in its last third; medians
// of thousands of deliveries shrug off a stall of the machine.
type growthMeter struct {
	start       time.Time
	d           time.Duration
	first, last []float32 // latencies in ms
}

func newGrowthMeter(start time.Time, d time.Duration) *growthMeter {
	return &growthMeter{start: start, d: d}
}

// add counts a first delivery attempt by the third of the step it was due in.
func (g *growthMeter) add(o *simulator.Outcome) {
	if o.Class == simulator.Blocked || o.Attempt > 1 {
		return
	}
	ms := float32(o.Latency) / float32(time.Millisecond)
	switch at := o.Start.Sub(g.start); {
	case at < g.d/3:
		g.first = append(g.first, ms)
	case at >= g.d-g.d/3:
		g.last = append(g.last, ms)
	}
}

// medians returns the median latency of the first and the last third, in
// ms; ok is false when either third has too few deliveries to tell.
func (g *growthMeter) medians() (first, last float64, ok bool) {
	const minSample = 50 // fewer, and one stall of the machine moves the median
	if len(g.first) < minSample || len(g.last) < minSample {
		return 0, 0, false
	}
	return median(g.first), median(g.last), true
}

// median sorts xs and returns its middle value.
func median(xs []float32) float64 {
	slices.Sort(xs)
	return float64(xs[len(xs)/2])
}
