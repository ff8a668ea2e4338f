package capacity

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/wxsim/wxsim/simulator"
	"github.com/wxsim/wxsim/simulator/pacing"
)

// TestRampEveryWindowHolds: a correct endpoint holds the whole ramp; the
// knee is the last window's rate, a lower bound. Every push is in one
// window, and the windows are judged after the run when it ends first.
func TestRampEveryWindowHolds(t *testing.T) {
	g := NewWithT(t)
	p := basePlan(serve(t, "correct"))
	var results int
	p.Output = func(*vegeta.Result) error { results++; return nil }
	cfg := Config{Plan: p, Rates: []float64{40, 120}, Ramp: 2 * time.Second, Window: 500 * time.Millisecond,
		Thresholds: thresholds(t), MaxGrowth: DefaultMaxGrowth}
	var seen []Step
	cfg.OnStep = func(st Step) { seen = append(seen, st) }
	r, err := Run(context.Background(), cfg)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(r.Mode).To(Equal(ModeRamp))
	g.Expect(r.Limit).To(Equal(MaxRate))
	g.Expect(r.Knee).To(Equal(110.0))
	g.Expect(r.KneeStep).To(Equal(3))
	g.Expect(seen).To(HaveLen(4))
	var pushes uint64
	for i, st := range r.Steps {
		g.Expect(st.Index).To(Equal(i + 1))
		g.Expect(st.Rate).To(Equal(50 + 20*float64(i)))
		g.Expect(st.Verdict).To(Equal(Held), st.Why)
		g.Expect(st.Pushes).To(Equal(st.Expected))
		g.Expect(st.OKRatio).To(Equal(1.0))
		g.Expect(st.Workers).To(Equal(workerCap(120, time.Second)))
		g.Expect(st.End.Sub(st.Start)).To(Equal(500 * time.Millisecond))
		pushes += st.Pushes
	}
	g.Expect(pushes).To(Equal(uint64(160))) // (40+120)/2 · 2 s
	g.Expect(r.Summary.Pushes).To(Equal(pushes))
	g.Expect(results).To(Equal(160))
	g.Expect(r.Series).NotTo(BeEmpty())
	g.Expect(KneeLine(r)).To(Equal("knee: 110/s, the highest rate at which every threshold held; a lower bound: every window of the ramp held"))

	var out bytes.Buffer
	g.Expect(WriteJSON(&out, r, cfg)).To(Succeed())
	var doc struct {
		Mode, Limit, Ramp string
		StepDuration      string `json:"step_duration"`
		Knee, From, To    float64
		Steps             []struct{ Step int }
	}
	g.Expect(json.Unmarshal(out.Bytes(), &doc)).To(Succeed())
	g.Expect(doc.Mode).To(Equal("ramp"))
	g.Expect(doc.Limit).To(Equal("max_rate"))
	g.Expect(doc.Knee).To(Equal(110.0))
	g.Expect([]any{doc.Ramp, doc.StepDuration, doc.From, doc.To}).To(Equal([]any{"2s", "500ms", 40.0, 120.0}))
	g.Expect(doc.Steps).To(HaveLen(4))

	out.Reset()
	g.Expect(WriteHTML(&out, r, "capacity")).To(Succeed())
	g.Expect(out.String()).To(ContainSubstring("knee 110/s"))
}

// TestRampBreachStopsEarly: the first window that does not hold stops
// the run, long before the ramp's end; nothing after it is judged.
func TestRampBreachStopsEarly(t *testing.T) {
	g := NewWithT(t)
	p := shortTimeouts(basePlan(serve(t, "error500")))
	cfg := Config{Plan: p, Rates: []float64{40, 80}, Ramp: 10 * time.Second, Window: 500 * time.Millisecond,
		Thresholds: thresholds(t)}
	began := time.Now()
	r, err := Run(context.Background(), cfg)
	took := time.Since(began)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(took).To(BeNumerically("<", 3*time.Second)) // judged 0.5 + 0.75 s in
	g.Expect(r.Limit).To(Equal(Breached))
	g.Expect(r.KneeStep).To(Equal(-1))
	g.Expect(r.Steps).To(HaveLen(1))
	g.Expect(r.Steps[0].Failures).To(Equal(r.Steps[0].Expected))
	g.Expect(r.Summary.Pushes).To(BeNumerically("<", 200)) // of 600
	g.Expect(KneeLine(r)).To(Equal("knee: none: the first window, 41/s, did not hold: response_failure_ratio < 0.001 (1)"))
}

// TestRampInterrupted: the caller's interrupt ends the ramp with the
// windows judged so far, as Interrupted with simulator.ErrInterrupted,
// whether a window was judged yet or not.
func TestRampInterrupted(t *testing.T) {
	url := serve(t, "correct")
	for _, tc := range []struct {
		name    string
		after   time.Duration // the interrupt, 0: as the first window is judged
		windows int
		line    string
	}{
		{"after a window", 0, 1, "knee: 41/s, the highest rate at which every threshold held; a lower bound: the ramp was interrupted"},
		{"before a window", 300 * time.Millisecond, 0, "knee: none: interrupted before the first window was judged"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := NewWithT(t)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			cfg := Config{Plan: shortTimeouts(basePlan(url)), Rates: []float64{40, 80}, Ramp: 10 * time.Second,
				Window: 500 * time.Millisecond, Thresholds: thresholds(t)}
			if tc.after == 0 {
				cfg.OnStep = func(Step) { cancel() }
			} else {
				time.AfterFunc(tc.after, cancel)
			}
			began := time.Now()
			r, err := Run(ctx, cfg)
			g.Expect(errors.Is(err, simulator.ErrInterrupted)).To(BeTrue(), "%v", err)
			g.Expect(time.Since(began)).To(BeNumerically("<", 4*time.Second))
			g.Expect(r.Limit).To(Equal(Interrupted))
			g.Expect(r.Steps).To(HaveLen(tc.windows))
			g.Expect(KneeLine(r)).To(Equal(tc.line))
		})
	}
}

// TestRampShape: the windows' bounds, rates and pushes.
func TestRampShape(t *testing.T) {
	g := NewWithT(t)
	begin := time.Now()
	for _, tc := range []struct {
		length, w time.Duration
		n         int
		last      time.Duration // the last window's length
	}{
		{4 * time.Second, time.Second, 4, time.Second},
		{4500 * time.Millisecond, time.Second, 5, 500 * time.Millisecond}, // half a window is one
		{4400 * time.Millisecond, time.Second, 4, time.Second},            // less is not
		{2 * time.Second, 2 * time.Second, 1, 2 * time.Second},
	} {
		pacer := pacing.Linear(100, 300, tc.length)
		r := newRampShape(100, 300, tc.length, tc.w, pacer, begin)
		g.Expect(r.n).To(Equal(tc.n), tc.length.String())
		g.Expect(r.at(r.n).Sub(r.at(r.n - 1))).To(Equal(tc.last))
		var sum uint64
		for i := range r.n {
			sum += r.expected(i)
		}
		g.Expect(sum).To(Equal(r.dueBefore(r.offset(r.n))))
		if r.offset(r.n) == tc.length {
			g.Expect(sum).To(Equal(pacer.Hits()))
		}
	}
	r := newRampShape(100, 300, 4*time.Second, time.Second, pacing.Linear(100, 300, 4*time.Second), begin)
	g.Expect([]float64{r.rate(0), r.rate(3)}).To(Equal([]float64{125, 275}))
	g.Expect(r.expected(0)).To(Equal(uint64(125)))
	g.Expect(r.expected(3)).To(Equal(uint64(275)))
	for at, want := range map[time.Duration]int{-time.Second: 0, 0: 0, 999 * time.Millisecond: 0,
		time.Second: 1, 3999 * time.Millisecond: 3, 4 * time.Second: 4, time.Hour: 4} {
		g.Expect(r.index(begin.Add(at))).To(Equal(want), at.String())
	}
}

func TestRampConfigErrors(t *testing.T) {
	g := NewWithT(t)
	p := basePlan("http://127.0.0.1:1/wechat")
	for cfg, want := range map[*Config]string{
		{Plan: p, Rates: []float64{1, 2}, Ramp: -time.Second}:                       "capacity: ramp -1s: must be 0 (steps) or above",
		{Plan: p, Rates: []float64{1, 2}, Ramp: time.Second}:                        "capacity: window 2s: longer than the ramp (1s)",
		{Plan: p, Rates: []float64{1, 2}, Ramp: time.Second, Window: -1}:            "capacity: window -1ns: must be at least 250ms",
		{Plan: p, Rates: []float64{2, 1}, Ramp: time.Second, Window: time.Second}:   "capacity: rates must ascend, got 1 after 2",
		{Plan: p, Rates: []float64{-2, -1}, Ramp: time.Second, Window: time.Second}: "capacity: a ramp from -2/s to -1/s over 1s offers no pushes",
	} {
		_, err := Run(context.Background(), *cfg)
		g.Expect(err).To(MatchError(want))
	}
	_, err := RampEnds(100, 100)
	g.Expect(err).To(MatchError("max rate 100: must be above the start rate (100) for a ramp"))
	_, err = RampEnds(0, 100)
	g.Expect(err).To(MatchError("start rate 0: must be above 0"))
	g.Expect(RampEnds(100, 600)).To(Equal([]float64{100, 600}))
}

// shortTimeouts makes a window complete 0.75 s after its end.
func shortTimeouts(p simulator.Plan) simulator.Plan {
	p.Transport.ConnectTimeout, p.Transport.ResponseTimeout = 200*time.Millisecond, 300*time.Millisecond
	return p
}
