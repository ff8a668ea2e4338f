package capacity

import (
	"context"
	"time"

	"github.com/wxsim/wxsim/simulator"
)

// closeSlack is added to the connect plus response timeout a window waits
// for its last outcomes: a timeout's timer, the delivering goroutine and
// the outcome sink take a moment beyond the limits themselves.
const closeSlack = 250 * time.Millisecond

// windowJudge cuts a ramp's outcomes into windows by when each push was
// due and judges each window as a step once none of its outcomes can
// still come: a connect plus a response timeout after the window's end.
// The collector's tee feeds it on the engine's one outcome goroutine, so
// it takes no lock; it stops the run through a context's cancel, which is
// safe from anywhere.
type windowJudge struct {
	ctx     context.Context // the caller's: once it ends, no window is judged
	cfg     *Config
	shape   rampShape
	workers uint64        // the run's worker cap, reported with each window
	lag     time.Duration // how long after its end a window is complete
	aggCfg  simulator.AggregatorConfig
	all     *collector
	stop    context.CancelFunc // stops the run

	open  []*window // windows next, next+1, …: those outcomes came for
	next  int       // the index of the next window to judge
	cpu   cpuTicks
	steps []Step // the windows judged, in order

	done  bool // no more judging: a window did not hold, or the caller's interrupt
	ended bool // a window did not hold, and the run was stopped for it
}

func newWindowJudge(ctx context.Context, cfg *Config, shape rampShape, p simulator.Plan, all *collector, stop context.CancelFunc) *windowJudge {
	bounds := make([]time.Time, shape.n+1)
	for k := range bounds {
		bounds[k] = shape.at(k)
	}
	return &windowJudge{ctx: ctx, cfg: cfg, shape: shape, workers: p.MaxWorkers,
		lag:    p.Transport.ConnectTimeout + p.Transport.ResponseTimeout + closeSlack,
		aggCfg: aggregatorConfig(cfg.Plan), all: all, stop: stop, cpu: newCPUTicks(bounds)}
}

// add files an outcome in the window it was due in, and judges the
// windows it shows complete. The outcome's end (when it was due, plus its
// latency) is when it came, which tells the time: an attempt ends at most
// a connect plus a response timeout after it began, so once the clock is
// that far past a window's end, every outcome of the window is in.
func (j *windowJudge) add(o *simulator.Outcome) {
	now := o.Start.Add(o.Latency)
	j.cpu.observe(now)
	if j.done {
		return
	}
	if i := j.shape.index(o.Start); i >= j.next && i < j.shape.n {
		j.window(i).add(o)
	}
	for j.next < j.shape.n && !now.Before(j.shape.at(j.next+1).Add(j.lag)) {
		if !j.judgeNext() {
			return
		}
	}
}

// finish judges the windows still open once every outcome is in, until
// one does not hold.
func (j *windowJudge) finish() {
	j.cpu.finish()
	for j.next < j.shape.n && j.judgeNext() {
	}
}

// window returns window i, opening it (and any before it that no outcome
// came for yet) when needed.
func (j *windowJudge) window(i int) *window {
	for j.next+len(j.open) <= i {
		k := j.next + len(j.open)
		j.open = append(j.open, newWindow(k, j.shape.at(k), j.shape.at(k+1), j.aggCfg))
	}
	return j.open[i-j.next]
}

// judgeNext judges the oldest open window and reports whether judging
// goes on: a window that does not hold stops the run.
func (j *windowJudge) judgeNext() bool {
	if j.done || j.ctx.Err() != nil { // what is left after an interrupt is not judged
		j.done = true
		return false
	}
	w := j.window(j.next)
	j.open[0] = nil // let the window's aggregator go
	j.open, j.next = j.open[1:], j.next+1
	st := j.judge(w)
	j.steps = append(j.steps, st)
	if j.cfg.OnStep != nil {
		j.cfg.OnStep(st)
	}
	if st.Verdict != Held {
		j.done, j.ended = true, true
		j.stop()
	}
	return !j.done
}

// judge measures a complete window and gives it its verdict, as a step.
func (j *windowJudge) judge(w *window) Step {
	w.agg.Close(w.end)
	s := w.agg.Summary()
	rate, expected := j.shape.rate(w.i), j.shape.expected(w.i)
	s.Rate.Target = rate
	if expected > s.Pushes {
		s.Unsent = expected - s.Pushes
	}
	j.all.markFail(s, w.start, w.end)
	s.Thresholds, _ = simulator.EvalThresholds(j.cfg.Thresholds, s)
	st := measure(s, rate, expected, w.end.Sub(w.start))
	st.Index, st.Workers, st.Start, st.End, st.window = w.i+1, j.workers, w.start, w.end, true
	st.CPU = round3(j.cpu.busy(w.i))
	if first, last, ok := w.growth.medians(); ok {
		st.GrowthMS, st.firstMS, st.lastMS = round3(last-first), first, last
	}
	judge(&st, j.cfg.MaxGrowth)
	return st
}

// window is one window of a ramp, counting the outcomes due in it.
type window struct {
	i          int
	start, end time.Time
	agg        *simulator.Aggregator
	growth     *growthMeter
}

func newWindow(i int, start, end time.Time, cfg simulator.AggregatorConfig) *window {
	return &window{i: i, start: start, end: end, agg: simulator.NewAggregator(cfg),
		growth: newGrowthMeter(start, end.Sub(start))}
}

func (w *window) add(o *simulator.Outcome) {
	w.agg.Add(o)
	w.growth.add(o)
}

// markFail puts into a window's summary the MarkFail blocks the run's
// breaker started during the window, and their alarms, in place of the
// window's own: the engine's breaker sees the whole stream, as the
// collector's does, and its blocks are what happened, while a window's
// own breaker sees only a slice of it.
func (c *collector) markFail(s *simulator.Summary, from, to time.Time) {
	all := c.agg.Summary()
	in := func(t time.Time) bool { return !t.Before(from) && t.Before(to) }
	s.MarkFail = s.MarkFail[:0]
	for _, b := range all.MarkFail {
		if in(b.Start) {
			s.MarkFail = append(s.MarkFail, b)
		}
	}
	alarms := s.Alarms[:0]
	for _, a := range s.Alarms {
		if a.Type != simulator.AlarmMarkFail {
			alarms = append(alarms, a)
		}
	}
	for _, a := range all.Alarms {
		if a.Type == simulator.AlarmMarkFail && in(a.Time) {
			alarms = append(alarms, a)
		}
	}
	s.Alarms = alarms
}

// cpuTicks samples the machine's CPU as the clock passes each window's
// boundary. The outcome goroutine has no clock of its own: an outcome's
// end (its due time plus its latency) is when it came, near enough.
type cpuTicks struct {
	bounds []time.Time // window k begins at bounds[k]; the last is the ramp's end
	at     []cpuSample // taken as the clock passed each bound
	next   int         // the next bound to pass
}

func newCPUTicks(bounds []time.Time) cpuTicks {
	c := cpuTicks{bounds: bounds, at: make([]cpuSample, len(bounds)), next: 1}
	c.at[0] = sampleCPU()
	return c
}

// observe samples the CPU when now has passed the next bound (once for
// every bound passed: a quiet spell takes one sample late).
func (c *cpuTicks) observe(now time.Time) {
	if c.next >= len(c.bounds) || now.Before(c.bounds[c.next]) {
		return
	}
	s := sampleCPU()
	for c.next < len(c.bounds) && !now.Before(c.bounds[c.next]) {
		c.at[c.next] = s
		c.next++
	}
}

// finish samples the bounds not passed yet, at the run's end.
func (c *cpuTicks) finish() {
	s := sampleCPU()
	for ; c.next < len(c.bounds); c.next++ {
		c.at[c.next] = s
	}
}

// busy is the share of CPU busy during window i, -1 when unknown.
func (c *cpuTicks) busy(i int) float64 {
	if i+1 >= len(c.at) {
		return -1
	}
	return busyBetween(c.at[i], c.at[i+1])
}
