package capacity

import (
	"context"
	"testing"
	"time"

	. "github.com/onsi/gomega"

	"github.com/wxsim/wxsim/simulator"
	"github.com/wxsim/wxsim/simulator/pacing"
)

// judgeRig feeds a window judge made-up outcomes of a ramp from 100/s to
// 300/s over 3 s in 1 s windows, complete 0.5 s after their end, the way
// the collector's tee does.
type judgeRig struct {
	j       *windowJudge
	all     *collector
	pacer   pacing.Pacer
	begin   time.Time
	stopped bool
}

func newJudgeRig(t *testing.T, ctx context.Context) *judgeRig {
	p := basePlan("http://127.0.0.1:1/wechat")
	p.Transport.ConnectTimeout, p.Transport.ResponseTimeout = 100*time.Millisecond, 150*time.Millisecond
	p.MarkFail = simulator.MarkFailRule{Window: time.Second, MinFailures: 20, MinRatio: 0.5, Block: time.Minute}
	cfg := &Config{Plan: p, Rates: []float64{100, 300}, Ramp: 3 * time.Second, Window: time.Second,
		Thresholds: thresholds(t)}
	rig := &judgeRig{all: newCollector(p), begin: time.Now()}
	p = cfg.rampPlan(100, 300)
	rig.pacer = p.Pacer
	shape := newRampShape(100, 300, cfg.Ramp, cfg.Window, p.Pacer, rig.begin)
	rig.j = newWindowJudge(ctx, cfg, shape, p, rig.all, func() { rig.stopped = true })
	return rig
}

// feed sends the pushes due from one offset to another, each taking 1 ms
// and ending as class c.
func (r *judgeRig) feed(from, to time.Duration, c simulator.Class) {
	for h := r.j.shape.dueBefore(from); h < r.pacer.Hits() && r.pacer.Due(h) < to; h++ {
		r.add(simulator.Outcome{Class: c, Attempt: 1, Final: true, Kind: "text",
			Start: r.begin.Add(r.pacer.Due(h)), Latency: time.Millisecond})
	}
}

func (r *judgeRig) add(o simulator.Outcome) {
	r.all.agg.Add(&o)
	r.j.add(&o)
}

// TestWindowJudge: a window is judged once the clock, told by the
// outcomes' ends, is the timeouts past its end; a straggler of a window
// judged is dropped; MarkFail is the run's breaker's, not the window's;
// the first window that does not hold stops the run and the judging.
func TestWindowJudge(t *testing.T) {
	g := NewWithT(t)
	rig := newJudgeRig(t, context.Background())
	rig.feed(0, time.Second, simulator.OK)
	rig.feed(time.Second, 1499*time.Millisecond, simulator.ResponseFailure)
	g.Expect(rig.j.steps).To(BeEmpty()) // the clock is at 1.499 + 0.001 s: not 1.5 s yet
	rig.feed(1499*time.Millisecond, 1510*time.Millisecond, simulator.ResponseFailure)
	g.Expect(rig.j.steps).To(HaveLen(1))
	w0 := rig.j.steps[0]
	g.Expect(w0.Verdict).To(Equal(Held), w0.Why)
	g.Expect(w0.Pushes).To(Equal(w0.Expected))
	g.Expect(w0.Expected).To(Equal(uint64(134))) // 133.3 over 1 s, from 100/s to 166.7/s: hits 0 … 133
	g.Expect(w0.Rate).To(BeNumerically("~", 133.33, 0.01))

	rig.add(simulator.Outcome{Class: simulator.OK, Attempt: 1, Start: rig.begin.Add(900 * time.Millisecond), Latency: time.Second})
	g.Expect(rig.j.next).To(Equal(1)) // the straggler went nowhere

	rig.feed(1510*time.Millisecond, 2*time.Second, simulator.ResponseFailure)
	rig.feed(2*time.Second, 2510*time.Millisecond, simulator.OK)
	g.Expect(rig.j.steps).To(HaveLen(2))
	w1 := rig.j.steps[1]
	g.Expect(w1.Verdict).To(Equal(Breached))
	g.Expect(w1.Why).To(ContainSubstring("markfail == 0 (1)"))
	// The run's breaker and the window's own both tripped: the block is
	// counted once.
	g.Expect(w1.Summary.MarkFail).To(HaveLen(1))
	g.Expect(markFailAlarms(w1.Summary)).To(Equal(1))
	g.Expect(rig.stopped).To(BeTrue())
	g.Expect(rig.j.ended).To(BeTrue())

	rig.feed(2510*time.Millisecond, 3*time.Second, simulator.OK)
	rig.j.finish()
	g.Expect(rig.j.steps).To(HaveLen(2)) // nothing after the breach
}

// TestWindowJudgeFinish: windows still open when the run ends are judged
// then, in order.
func TestWindowJudgeFinish(t *testing.T) {
	g := NewWithT(t)
	rig := newJudgeRig(t, context.Background())
	rig.feed(0, 3*time.Second, simulator.OK)
	g.Expect(rig.j.steps).To(HaveLen(2)) // the clock reached 3 s: 2.5 s, not 3.5
	rig.j.finish()
	g.Expect(rig.j.steps).To(HaveLen(3))
	for i, st := range rig.j.steps {
		g.Expect(st.Index).To(Equal(i + 1))
		g.Expect(st.Verdict).To(Equal(Held), st.Why)
		g.Expect(st.Pushes).To(Equal(st.Expected))
		g.Expect(st.Start).To(Equal(rig.begin.Add(time.Duration(i) * time.Second)))
	}
	g.Expect(rig.stopped).To(BeFalse())
}

// TestWindowJudgeInterrupted: once the caller's context ends, no window
// is judged, and the run is not stopped by the judge.
func TestWindowJudgeInterrupted(t *testing.T) {
	g := NewWithT(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	rig := newJudgeRig(t, ctx)
	rig.feed(0, 3*time.Second, simulator.OK)
	g.Expect(rig.j.steps).To(BeEmpty())
	g.Expect(rig.j.done).To(BeTrue())
	g.Expect(rig.j.ended).To(BeFalse())
	g.Expect(rig.stopped).To(BeFalse())
}

// TestWindowJudgeRunBreaker: a window's MarkFail is the run's breaker's:
// a window whose own breaker would trip, seeing its failures alone, has no
// block when the run's deliveries, as the engine's breaker counts them,
// were mostly fine.
func TestWindowJudgeRunBreaker(t *testing.T) {
	g := NewWithT(t)
	rig := newJudgeRig(t, context.Background())
	rig.feed(0, time.Second, simulator.OK)
	for i := range 1000 { // deliveries no window holds, e.g. another account's
		o := simulator.Outcome{Class: simulator.OK, Attempt: 1, Kind: "text",
			Start: rig.begin.Add(time.Second + time.Duration(i)*time.Millisecond), Latency: time.Millisecond}
		rig.all.agg.Add(&o)
	}
	rig.feed(time.Second, 2510*time.Millisecond, simulator.ResponseFailure)
	g.Expect(rig.j.steps).To(HaveLen(2))
	w1 := rig.j.steps[1]
	g.Expect(w1.Verdict).To(Equal(Breached))
	g.Expect(w1.Why).To(ContainSubstring("response_failure_ratio"))
	g.Expect(w1.Why).NotTo(ContainSubstring("markfail"))
	g.Expect(w1.Summary.MarkFail).To(BeEmpty())
	g.Expect(markFailAlarms(w1.Summary)).To(BeZero())
}

// markFailAlarms counts a summary's MarkFail alarms.
func markFailAlarms(s *simulator.Summary) int {
	n := 0
	for _, a := range s.Alarms {
		if a.Type == simulator.AlarmMarkFail {
			n++
		}
	}
	return n
}
