package capacity

import (
	"fmt"
	"strings"
	"time"

	"github.com/wxsim/wxsim/simulator"
)

// measure takes a step's figures from its summary; expected is the number
// of pushes its schedule offers over d.
func measure(s *simulator.Summary, rate float64, expected uint64, d time.Duration) Step {
	o := s.Outcomes
	st := Step{Rate: rate, Expected: expected, Pushes: s.Pushes, Late: s.Late,
		P50MS: s.LatencyMS.P50, P99MS: s.LatencyMS.P99,
		Timeouts:   o[simulator.ConnectTimeout.String()] + o[simulator.RequestTimeout.String()],
		Failures:   o[simulator.ResponseFailure.String()] + o[simulator.ConnectFailure.String()] + o[simulator.DNSFailure.String()],
		MarkFail:   len(s.MarkFail),
		Thresholds: s.Thresholds, Summary: s}
	if d > 0 {
		st.Achieved = float64(s.Pushes) / d.Seconds()
	}
	if s.Deliveries > 0 {
		st.OKRatio = float64(o[simulator.OK.String()]) / float64(s.Deliveries)
	}
	return st
}

// judge gives a measured step its verdict; maxGrowth bounds how much its
// median latency may climb within it (0: no bound).
//
// Latency is measured from when each push was due, so a generator that
// falls behind inflates it; a step whose generator fell behind cannot tell
// a slow endpoint from a late generator by latency. Its verdict is then the
// generator's, unless a threshold that lateness cannot break failed: a
// ratio of timeouts or failures, MarkFail, alarms, lost pushes. The worker
// cap is set high enough (twice the rate times the latency budget) that an
// endpoint within its bounds does not make pushes late by holding every
// worker.
func judge(st *Step, maxGrowth time.Duration) {
	behind, shortfall := generatorBehind(st)
	var failed []string
	endpointFault := false
	for _, t := range st.Thresholds {
		if !t.OK {
			failed = append(failed, fmt.Sprintf("%s (%s)", t.Expr, t.Value))
			endpointFault = endpointFault || !lateSensitive(t.Expr)
		}
	}
	if growth := time.Duration(st.GrowthMS * float64(time.Millisecond)); maxGrowth > 0 && growth > maxGrowth {
		// Lateness grows latency too, so this is a latency test.
		span := "step"
		if st.window {
			span = "window"
		}
		failed = append(failed, fmt.Sprintf("latency grew within the %s, p50 %s → %s (more than %s): a queue is building up",
			span, formatMS(st.firstMS), formatMS(st.lastMS), maxGrowth))
	}
	switch {
	case behind && !endpointFault:
		st.Verdict, st.Why = Generator, "the generator could not offer the rate: "+shortfall
	case len(failed) > 0:
		st.Verdict, st.Why = Breached, strings.Join(failed, ", ")
	default:
		st.Verdict = Held
	}
}

// lateSensitive reports whether a threshold's metric moves when the
// generator is late: the latencies (measured from due times), the late
// count and the achieved rate.
func lateSensitive(expr string) bool {
	metric, _, _ := strings.Cut(strings.TrimSpace(expr), " ")
	switch strings.TrimRight(metric, "<>=!") {
	case "p50", "p90", "p95", "p99", "max", "late", "achieved_rate":
		return true
	}
	return false
}

// lag is how far behind schedule the generator ended the step: the pushes
// it never sent, over the rate.
func (st *Step) lag() time.Duration {
	if st.Pushes >= st.Expected || st.Rate <= 0 {
		return 0
	}
	return time.Duration(float64(st.Expected-st.Pushes) / st.Rate * float64(time.Second))
}

// generatorBehind reports whether the step's pushes went out short or late,
// and says how.
func generatorBehind(st *Step) (bool, string) {
	var parts []string
	if float64(st.Pushes) < minSentShare*float64(st.Expected) {
		parts = append(parts, fmt.Sprintf("sent %d of %d pushes (%s behind at the end)",
			st.Pushes, st.Expected, st.lag().Round(time.Millisecond)))
	}
	if st.Late >= minLate && float64(st.Late) > maxLateShare*float64(st.Pushes) {
		parts = append(parts, fmt.Sprintf("%.0f%% of pushes late", 100*float64(st.Late)/float64(st.Pushes)))
	}
	if len(parts) == 0 {
		return false, ""
	}
	if st.CPU >= 0 {
		parts = append(parts, fmt.Sprintf("the machine's CPU %.0f%% busy", 100*st.CPU))
	}
	return true, strings.Join(parts, ", ")
}
