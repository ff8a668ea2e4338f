package capacity

import (
	"testing"
	"time"

	. "github.com/onsi/gomega"

	"github.com/wxsim/wxsim/simulator"
)

// TestGrowthMeter: a queue building up raises the median from the first
// third of the step to the last; a level latency with a stall does not.
func TestGrowthMeter(t *testing.T) {
	g := NewWithT(t)
	start := time.Now()
	feed := func(latency func(at time.Duration) time.Duration) *growthMeter {
		m := newGrowthMeter(start, 3*time.Second)
		for i := range 600 { // 200/s for 3 s
			at := time.Duration(i) * 5 * time.Millisecond
			m.add(&simulator.Outcome{Start: start.Add(at), Latency: latency(at), Attempt: 1})
		}
		m.add(&simulator.Outcome{Start: start.Add(2900 * time.Millisecond), Latency: time.Hour, Attempt: 2}) // retries do not count
		m.add(&simulator.Outcome{Start: start.Add(2900 * time.Millisecond), Class: simulator.Blocked})       // nor blocked pushes
		return m
	}

	queue := feed(func(at time.Duration) time.Duration { return at / 10 }) // 0.1 s of backlog per second
	first, last, ok := queue.medians()
	g.Expect(ok).To(BeTrue())
	g.Expect(first).To(BeNumerically("~", 50, 1))
	g.Expect(last).To(BeNumerically("~", 250, 1))

	stall := feed(func(at time.Duration) time.Duration {
		if at > 2500*time.Millisecond && at < 2700*time.Millisecond {
			return 300 * time.Millisecond // a 200 ms stall of the machine
		}
		return 2 * time.Millisecond
	})
	first, last, ok = stall.medians()
	g.Expect(ok).To(BeTrue())
	g.Expect(last - first).To(BeNumerically("<", 1))

	few := newGrowthMeter(start, time.Second)
	few.add(&simulator.Outcome{Start: start, Latency: time.Millisecond, Attempt: 1})
	_, _, ok = few.medians()
	g.Expect(ok).To(BeFalse())
}
