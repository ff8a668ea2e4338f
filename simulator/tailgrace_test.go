package simulator

import (
	"testing"
	"time"

	. "github.com/onsi/gomega"

	"github.com/wxsim/wxsim/simulator/pacing"
)

// A generator behind schedule at the end still sends the pushes due before
// it, within the grace; the schedule's own clock-based stop does not cut
// them off, and nothing due at or after the end is sent.
func TestTailGraceSendsWhatFellDueBeforeTheEnd(t *testing.T) {
	g := NewWithT(t)
	p, d := withTailGrace(pacing.Constant(150, 2*time.Second), 2*time.Second)
	g.Expect(d).To(Equal(2*time.Second + TailGrace))
	late := 2*time.Second + 20*time.Millisecond // 20 ms behind at the end
	for hit := uint64(297); hit < 300; hit++ {
		wait, stop := p.Pace(late, hit)
		g.Expect(stop).To(BeFalse(), "hit %d fell due before the end", hit)
		g.Expect(wait).To(BeZero(), "behind: at once")
	}
	_, stop := p.Pace(late, 300)
	g.Expect(stop).To(BeTrue(), "hit 300 is due at the end itself")
	wait, stop := p.Pace(time.Second, 160)
	g.Expect(stop).To(BeFalse())
	g.Expect(wait).To(BeNumerically("~", 66666667*time.Nanosecond, time.Microsecond), "on time: waits for its due time")

	p, d = withTailGrace(pacing.Closed(), 2*time.Second)
	g.Expect(d).To(Equal(2*time.Second), "a closed loop runs for its duration, no grace")
	g.Expect(p).To(Equal(pacing.Closed()))
}
