package capacity

import (
	"testing"
	"time"

	. "github.com/onsi/gomega"

	"github.com/wxsim/wxsim/simulator"
)

// TestJudge: the verdict of a step from its figures. A generator that fell
// behind cannot be told from a slow endpoint by latency, so latency
// breaches are then the generator's; outcome breaches stay the endpoint's.
func TestJudge(t *testing.T) {
	ts := thresholds(t, "request_timeout_ratio < 0.001", "p99 < 1s")
	for _, tc := range []struct {
		name         string
		pushes, late uint64
		timeouts     uint64
		p99          float64 // ms
		growth       float64 // ms
		verdict      Verdict
		why          string
	}{
		{"on time, every bound held", 1000, 0, 0, 20, 0, Held, ""},
		{"a few late pushes are noise", 1000, 90, 0, 20, 0, Held, ""},
		{"many late pushes, bounds held", 1000, 200, 0, 20, 0, Generator,
			"the generator could not offer the rate: 20% of pushes late, the machine's CPU 97% busy"},
		{"too few pushes sent", 900, 0, 0, 20, 0, Generator,
			"the generator could not offer the rate: sent 900 of 1000 pushes (200ms behind at the end), the machine's CPU 97% busy"},
		{"on time, p99 broken", 1000, 0, 0, 1500, 0, Breached, "p99 < 1s (1.5s)"},
		{"behind, only latency broken", 900, 100, 0, 1500, 0, Generator,
			"the generator could not offer the rate: sent 900 of 1000 pushes (200ms behind at the end), 11% of pushes late, the machine's CPU 97% busy"},
		{"behind, timeouts: the endpoint's", 900, 0, 10, 1500, 0, Breached,
			"request_timeout_ratio < 0.001 (0.01111), p99 < 1s (1.5s)"},
		{"on time, latency climbing", 1000, 0, 0, 300, 120, Breached,
			"latency grew within the step, p50 10ms → 130ms (more than 50ms): a queue is building up"},
		{"behind, latency climbing", 900, 0, 0, 300, 120, Generator,
			"the generator could not offer the rate: sent 900 of 1000 pushes (200ms behind at the end), the machine's CPU 97% busy"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := NewWithT(t)
			s := &simulator.Summary{Pushes: tc.pushes, Deliveries: tc.pushes, Late: tc.late,
				Outcomes:  map[string]uint64{"ok": tc.pushes - tc.timeouts, "request_timeout": tc.timeouts},
				LatencyMS: simulator.LatencySummary{P50: 10, P99: tc.p99}}
			s.Thresholds, _ = simulator.EvalThresholds(ts, s)
			st := measure(s, 500, 1000, 2*time.Second)
			st.CPU, st.GrowthMS, st.firstMS, st.lastMS = 0.97, tc.growth, 10, 10+tc.growth
			judge(&st, DefaultMaxGrowth)
			g.Expect(st.Verdict).To(Equal(tc.verdict))
			g.Expect(st.Why).To(Equal(tc.why))
		})
	}
}

// TestKneeLine: what the search concludes, for each way it can end.
func TestKneeLine(t *testing.T) {
	held := Step{Rate: 300, Verdict: Held}
	for _, tc := range []struct {
		r    Result
		want string
	}{
		{Result{Steps: []Step{held, {Rate: 330, Verdict: Breached, Why: "p99 < 1s (1.2s)"}}, Knee: 300, KneeStep: 0, Limit: Breached},
			"knee: 300/s, the highest rate at which every threshold held; at 330/s: p99 < 1s (1.2s)"},
		{Result{Steps: []Step{held, {Rate: 330, Verdict: Generator, Why: "the generator could not offer the rate: 20% of pushes late"}}, Knee: 300, KneeStep: 0, Limit: Generator},
			"knee: 300/s, the highest rate at which every threshold held; a lower bound: at 330/s the generator could not offer the rate: 20% of pushes late"},
		{Result{Steps: []Step{held}, Knee: 300, KneeStep: 0, Limit: MaxRate},
			"knee: 300/s, the highest rate at which every threshold held; a lower bound: every step held up to the maximum rate"},
		{Result{Steps: []Step{{Rate: 100, Verdict: Breached, Why: "markfail == 0 (1)"}}, KneeStep: -1, Limit: Breached},
			"knee: none: the first step, 100/s, did not hold: markfail == 0 (1)"},
		{Result{Steps: []Step{{Rate: 100, Verdict: Generator, Why: "the generator could not offer the rate: sent 5 of 100 pushes"}}, KneeStep: -1, Limit: Generator},
			"knee: none: the generator could not offer even 100/s (the generator could not offer the rate: sent 5 of 100 pushes)"},
		{Result{KneeStep: -1, Limit: Interrupted}, "knee: none: no step ran"},
		{Result{Mode: ModeRamp, Steps: []Step{held}, Knee: 300, KneeStep: 0, Limit: MaxRate},
			"knee: 300/s, the highest rate at which every threshold held; a lower bound: every window of the ramp held"},
		{Result{Mode: ModeRamp, Steps: []Step{held}, Knee: 300, KneeStep: 0, Limit: Interrupted},
			"knee: 300/s, the highest rate at which every threshold held; a lower bound: the ramp was interrupted"},
		{Result{Mode: ModeRamp, Steps: []Step{{Rate: 100, Verdict: Breached, Why: "markfail == 0 (1)"}}, KneeStep: -1, Limit: Breached},
			"knee: none: the first window, 100/s, did not hold: markfail == 0 (1)"},
		{Result{Mode: ModeRamp, KneeStep: -1, Limit: Interrupted}, "knee: none: interrupted before the first window was judged"},
	} {
		NewWithT(t).Expect(KneeLine(&tc.r)).To(Equal(tc.want))
	}
}

// TestJudgeWindow: a ramp's window is judged as a step, and named so.
func TestJudgeWindow(t *testing.T) {
	st := Step{Rate: 300, Expected: 300, Pushes: 300, GrowthMS: 80, firstMS: 10, lastMS: 90, window: true}
	judge(&st, DefaultMaxGrowth)
	NewWithT(t).Expect(st.Why).To(Equal("latency grew within the window, p50 10ms → 90ms (more than 50ms): a queue is building up"))
}
