package capacity

import (
	"testing"
	"time"

	. "github.com/onsi/gomega"
)

func TestLadder(t *testing.T) {
	g := NewWithT(t)
	rates, err := Ladder(100, 500, 100)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(rates).To(Equal([]float64{100, 200, 300, 400, 500}))

	rates, err = Ladder(0.1, 0.3, 0.1) // float noise must not drop the last rung
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(rates).To(HaveLen(3))

	rates, err = Ladder(100, 450, 100) // the top is not on the ladder
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(rates).To(Equal([]float64{100, 200, 300, 400}))

	for _, bad := range [][3]float64{{0, 100, 10}, {100, 50, 10}, {100, 200, 0}, {1, 1e9, 1}} {
		_, err := Ladder(bad[0], bad[1], bad[2])
		g.Expect(err).To(HaveOccurred(), "%v", bad)
	}
}

func TestStepFor(t *testing.T) {
	g := NewWithT(t)
	step, err := StepFor(100, 1000, 10)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(step).To(Equal(100.0))
	rates, _ := Ladder(100, 1000, step)
	g.Expect(rates).To(HaveLen(10))

	step, err = StepFor(100, 1000, 1)
	g.Expect(err).NotTo(HaveOccurred())
	rates, _ = Ladder(100, 1000, step)
	g.Expect(rates).To(Equal([]float64{100}))

	_, err = StepFor(100, 1000, 0)
	g.Expect(err).To(MatchError("steps 0: must be at least 1"))
}

func TestParseThresholds(t *testing.T) {
	g := NewWithT(t)
	ts, err := ParseThresholds(nil)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(ts).To(HaveLen(len(DefaultThresholds)))

	_, err = ParseThresholds([]string{"p99 < 1s", "p98 < 1s", "ok_ratio >= 2"})
	g.Expect(err).To(MatchError(ContainSubstring(`threshold "p98 < 1s": unknown metric "p98"`)))
	g.Expect(err).To(MatchError(ContainSubstring(`threshold "ok_ratio >= 2"`)))
}

// TestWorkerCap: the cap leaves room for twice the rate at the latency
// budget, which is the largest latency bound (at least a second).
func TestWorkerCap(t *testing.T) {
	g := NewWithT(t)
	ts := thresholds(t, "p50 < 200ms", "p99 <= 3s", "max > 10s", "ok_ratio >= 0.99")
	g.Expect(latencyBudget(ts, 5*time.Second)).To(Equal(3 * time.Second))
	g.Expect(latencyBudget(thresholds(t, "ok_ratio >= 0.99"), 5*time.Second)).To(Equal(5 * time.Second))
	g.Expect(latencyBudget(thresholds(t, "p99 < 100ms"), 5*time.Second)).To(Equal(time.Second))
	g.Expect(workerCap(1000, 3*time.Second)).To(Equal(uint64(6000)))
	g.Expect(workerCap(10, time.Second)).To(Equal(uint64(minWorkers)))
}
