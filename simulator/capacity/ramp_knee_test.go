package capacity

import (
	"context"
	"strings"
	"testing"
	"time"

	. "github.com/onsi/gomega"
)

// TestKneeRamp ramps 100/s → 600/s over 16 s against the reference
// endpoint's capacity=300, judged in 1 s windows, with the default
// thresholds and latency growth bound: the knee must be within 15 % of
// 300, and the run must stop well before the ramp's end. The timeouts are
// short (1 s connect, 2 s response) so that a window is judged 3.25 s
// after it ends rather than 8.25 s. Consecutive windows are 31 pushes/s
// (10 %) apart, so the knee can be no closer than that. A saturated
// machine makes the measurement meaningless rather than wrong, so such an
// attempt is retried, as in TestKnee.
func TestKneeRamp(t *testing.T) {
	const capacity, ramp = 300, 16 * time.Second
	url := serve(t, "capacity="+itoa(capacity))
	for attempt := 1; ; attempt++ {
		r, took := rampSearch(t, url, 100, 600, ramp, time.Second)
		n := float64(capacity)
		if r.Limit == Breached && r.Knee >= 0.85*n && r.Knee <= 1.15*n {
			NewWithT(t).Expect(took).To(BeNumerically("<", ramp), "the breach stops the run")
			return
		}
		if attempt == 3 || !(saturated(r) || r.Limit == Generator) {
			t.Fatalf("capacity=%d: want a knee within 15%%, got %s", capacity, KneeLine(r))
		}
		t.Logf("attempt %d: the machine was too busy to measure, retrying", attempt)
		time.Sleep(time.Second)
	}
}

// rampSearch runs one ramp with short timeouts, logs its table and
// returns it with the time it took.
func rampSearch(t *testing.T, url string, from, to float64, ramp, window time.Duration) (*Result, time.Duration) {
	t.Helper()
	p := basePlan(url)
	p.Transport.ConnectTimeout, p.Transport.ResponseTimeout = time.Second, 2*time.Second
	var table strings.Builder
	_ = WriteHeader(&table)
	began := time.Now()
	r, err := Run(context.Background(), Config{Plan: p, Rates: []float64{from, to}, Ramp: ramp, Window: window,
		Thresholds: thresholds(t), MaxGrowth: DefaultMaxGrowth,
		OnStep: func(st Step) { _ = WriteStep(&table, st) }})
	NewWithT(t).Expect(err).NotTo(HaveOccurred())
	took := time.Since(began)
	t.Logf("\n%s%s (%s)", table.String(), KneeLine(r), took.Round(time.Millisecond))
	return r, took
}
