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
)

// TestRunEveryStepHolds: a correct endpoint holds every step; the knee is
// the top of the ladder, a lower bound. The reports carry every step, and
// the caller's result stream gets every step's results.
func TestRunEveryStepHolds(t *testing.T) {
	g := NewWithT(t)
	p := basePlan(serve(t, "correct"))
	var results, records int
	var record simulator.RunInfo
	p.Output = func(r *vegeta.Result) error {
		if ri, ok := simulator.RunInfoOf(r); ok {
			records, record = records+1, ri
		}
		results++
		return nil
	}
	cfg := Config{Plan: p, Rates: []float64{40, 80}, StepDuration: 500 * time.Millisecond,
		Pause: 50 * time.Millisecond, Thresholds: thresholds(t), MaxGrowth: DefaultMaxGrowth}
	var seen []Step
	cfg.OnStep = func(st Step) { seen = append(seen, st) }
	r, err := Run(context.Background(), cfg)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(r.Limit).To(Equal(MaxRate))
	g.Expect(r.Knee).To(Equal(80.0))
	g.Expect(r.KneeStep).To(Equal(1))
	g.Expect(seen).To(HaveLen(2))
	for i, st := range r.Steps {
		g.Expect(st.Index).To(Equal(i + 1))
		g.Expect(st.Verdict).To(Equal(Held), st.Why)
		g.Expect(st.Pushes).To(Equal(st.Expected))
		g.Expect(st.OKRatio).To(Equal(1.0))
		g.Expect(st.Workers).To(Equal(workerCap(st.Rate, time.Second)))
	}
	g.Expect(r.Steps[0].Expected).To(Equal(uint64(20)))
	g.Expect(r.Steps[1].Expected).To(Equal(uint64(40)))
	g.Expect(r.Summary.Pushes).To(Equal(uint64(60)))
	g.Expect(results).To(Equal(60))
	// One record for the search's stream, not one per step (a reader takes
	// the first for the whole); a search of several rates has no target.
	g.Expect(records).To(Equal(1))
	g.Expect(record.TargetRate).To(BeZero())
	g.Expect(record.Accounts).NotTo(BeEmpty())
	g.Expect(r.Series).NotTo(BeEmpty())

	var out bytes.Buffer
	g.Expect(WriteJSON(&out, r, cfg)).To(Succeed())
	var doc struct {
		Knee       float64
		Limit      string
		Thresholds []string
		Steps      []struct {
			Rate    float64
			Verdict string
			Pushes  uint64
		}
	}
	g.Expect(json.Unmarshal(out.Bytes(), &doc)).To(Succeed())
	g.Expect(doc.Knee).To(Equal(80.0))
	g.Expect(doc.Limit).To(Equal("max_rate"))
	g.Expect(doc.Thresholds).To(Equal(DefaultThresholds))
	g.Expect(doc.Steps).To(HaveLen(2))
	g.Expect(out.String()).To(ContainSubstring(`"p99 < 1s"`))

	out.Reset()
	g.Expect(WriteHTML(&out, r, "capacity")).To(Succeed())
	g.Expect(out.String()).To(ContainSubstring("knee 80/s"))
	g.Expect(out.String()).To(ContainSubstring("40/s"))
}

// TestRunFirstStepBreaks: an endpoint that fails every push gives no knee.
func TestRunFirstStepBreaks(t *testing.T) {
	g := NewWithT(t)
	r, err := Run(context.Background(), Config{Plan: basePlan(serve(t, "error500")), Rates: []float64{40, 80},
		StepDuration: 500 * time.Millisecond, Thresholds: thresholds(t)})
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(r.KneeStep).To(Equal(-1))
	g.Expect(r.Knee).To(BeZero())
	g.Expect(r.Limit).To(Equal(Breached))
	g.Expect(r.Steps).To(HaveLen(1))
	g.Expect(r.Steps[0].Failures).To(Equal(uint64(20)))
	g.Expect(KneeLine(r)).To(Equal("knee: none: the first step, 40/s, did not hold: response_failure_ratio < 0.001 (1)"))
}

// TestRunInterrupted: a cancelled search ends with the steps done so far.
func TestRunInterrupted(t *testing.T) {
	g := NewWithT(t)
	ctx, cancel := context.WithCancel(context.Background())
	cfg := Config{Plan: basePlan(serve(t, "correct")), Rates: []float64{40, 80, 120},
		StepDuration: 300 * time.Millisecond, Pause: 10 * time.Second, Thresholds: thresholds(t)}
	cfg.OnStep = func(Step) { cancel() }
	began := time.Now()
	r, err := Run(ctx, cfg)
	g.Expect(errors.Is(err, simulator.ErrInterrupted)).To(BeTrue())
	g.Expect(time.Since(began)).To(BeNumerically("<", 5*time.Second))
	g.Expect(r.Steps).To(HaveLen(1))
	g.Expect(r.Limit).To(Equal(Interrupted))
	g.Expect(r.Knee).To(Equal(40.0))
}

func TestConfigErrors(t *testing.T) {
	g := NewWithT(t)
	p := basePlan("http://127.0.0.1:1/wechat")
	for cfg, want := range map[*Config]string{
		{Plan: p, StepDuration: time.Second}:                                 "capacity: no rates to step through",
		{Plan: p, Rates: []float64{1}}:                                       "capacity: step duration 0s: must be above 0",
		{Plan: p, Rates: []float64{2, 1}, StepDuration: time.Second}:         "capacity: rates must ascend, got 1 after 2",
		{Plan: p, Rates: []float64{1}, StepDuration: time.Second, Pause: -1}: "capacity: pause -1ns: must be 0 or more",
	} {
		_, err := Run(context.Background(), *cfg)
		g.Expect(err).To(MatchError(want))
	}
}
