package capacity

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/wxsim/wxsim/simulator"
	"github.com/wxsim/wxsim/simulator/pacing"
)

// Config is one capacity search.
type Config struct {
	// Plan is the account, endpoint, transport and rules every step runs
	// with. Run sets its Pacer, Duration, Thresholds and (unless
	// MaxWorkers is given) MaxWorkers per step; its Output, if any, gets
	// every step's results; Progress is not used.
	Plan simulator.Plan

	Rates        []float64     // the ladder, ascending (see Ladder); a ramp's ends are the first and the last
	StepDuration time.Duration // how long each step pushes (steps only)
	Pause        time.Duration // quiet time between steps (steps only)

	// Ramp, when above 0, replaces the ladder with one run whose rate
	// climbs linearly from the first rate to the last over Ramp, judged
	// in windows of Window (DefaultWindow when 0), each as a step.
	Ramp   time.Duration
	Window time.Duration

	Thresholds []simulator.Threshold
	MaxWorkers uint64 // a fixed worker cap; 0: per step, from the rate and the latency budget

	// MaxGrowth bounds how much the median latency may climb within a
	// step (from its first third to its last): a queue building up. 0
	// turns the check off, leaving the thresholds alone to judge.
	MaxGrowth time.Duration

	// OnStep, when not nil, is called after each step, for a live table.
	// A ramp calls it from the run's outcome goroutine, as each window is
	// judged: it must be quick, or outcomes queue behind it.
	OnStep func(Step)
}

// Verdict is how a step went.
type Verdict string

// The verdicts.
const (
	Held        Verdict = "held"        // every threshold held, the rate was offered
	Breached    Verdict = "breached"    // the endpoint broke a threshold
	Generator   Verdict = "generator"   // the generator could not offer the rate
	Interrupted Verdict = "interrupted" // stopped before the step's end
)

// Step is one rung of the ladder, measured.
type Step struct {
	Index    int     `json:"step"`     // 1-based
	Rate     float64 `json:"rate"`     // offered: the rate asked for, pushes/s
	Achieved float64 `json:"achieved"` // pushes sent per second of the step
	Expected uint64  `json:"expected"` // pushes the step's schedule offers
	Pushes   uint64  `json:"pushes"`
	Late     uint64  `json:"late"`     // pushes sent later than due
	OKRatio  float64 `json:"ok_ratio"` // ok deliveries / deliveries
	P50MS    float64 `json:"p50_ms"`
	P99MS    float64 `json:"p99_ms"`
	Timeouts uint64  `json:"timeouts"` // connect and request timeouts
	Failures uint64  `json:"failures"` // response failures, refused connects, DNS failures
	MarkFail int     `json:"markfail"` // MarkFail blocks
	// GrowthMS is how much the median latency climbed from the step's
	// first third to its last, in ms (negative when it fell).
	GrowthMS float64   `json:"growth_ms"`
	firstMS  float64   // the median latency of the first third
	lastMS   float64   // … and of the last
	window   bool      // a ramp's window rather than a step
	Workers  uint64    `json:"max_workers"`
	CPU      float64   `json:"cpu"` // share of the machine's CPU busy during the step; -1 unknown
	Verdict  Verdict   `json:"verdict"`
	Why      string    `json:"why,omitempty"` // why it did not hold
	Start    time.Time `json:"start"`
	End      time.Time `json:"end"`

	Thresholds []simulator.ThresholdResult `json:"thresholds"`
	Summary    *simulator.Summary          `json:"-"`
}

// Mode is how a search raises the rate.
type Mode string

// The modes.
const (
	ModeSteps Mode = "steps" // a ladder of constant rates, one run each
	ModeRamp  Mode = "ramp"  // one run, the rate climbing linearly, judged in windows
)

// Result is a whole search.
type Result struct {
	Mode Mode
	// Steps are the steps run, or a ramp's windows judged, in order.
	Steps []Step
	// Knee is the rate of the last step that held, 0 when the first did
	// not. When Limit is Generator or MaxRate it is a lower bound.
	Knee     float64
	KneeStep int // index in Steps, -1 when none held
	// Limit is what ended the search: Breached (the endpoint), Generator,
	// Interrupted, or MaxRate when every step held.
	Limit Verdict
	// Summary and Series cover every step, for the HTML report.
	Summary *simulator.Summary
	Series  []simulator.SecondBucket
}

// MaxRate is Result.Limit when every step up to the maximum rate held.
const MaxRate Verdict = "max_rate"

// Run climbs the ladder, or the ramp when cfg.Ramp is set, until a step
// (a window) does not hold. An error in a step (a plan the engine refuses)
// ends the search with it; an interrupted context ends it with the steps
// done so far and simulator.ErrInterrupted.
func Run(ctx context.Context, cfg Config) (*Result, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	if cfg.Ramp > 0 {
		return runRamp(ctx, cfg)
	}
	all := newCollector(cfg.Plan)
	res := &Result{Mode: ModeSteps, KneeStep: -1, Limit: MaxRate}
	budget := latencyBudget(cfg.Thresholds, cfg.Plan.Transport.ResponseTimeout)
	for i, rate := range cfg.Rates {
		if i > 0 && !sleep(ctx, cfg.Pause) {
			res.Limit = Interrupted
			break
		}
		st, err := cfg.step(ctx, i, rate, budget, all)
		if st == nil {
			return nil, err
		}
		res.Steps = append(res.Steps, *st)
		if cfg.OnStep != nil {
			cfg.OnStep(*st)
		}
		if st.Verdict != Held {
			res.Limit = st.Verdict
			break
		}
		res.Knee, res.KneeStep = rate, i
	}
	res.Summary, res.Series = all.close()
	res.Summary.Rate.Target = res.Knee
	if res.Limit == Interrupted {
		return res, simulator.ErrInterrupted
	}
	return res, nil
}

// validate checks the configuration.
func (cfg *Config) validate() error {
	switch {
	case len(cfg.Rates) == 0:
		return errors.New("capacity: no rates to step through")
	case cfg.Ramp < 0:
		return fmt.Errorf("capacity: ramp %s: must be 0 (steps) or above", cfg.Ramp)
	case cfg.Ramp > 0:
		if err := cfg.validateRamp(); err != nil {
			return err
		}
	case cfg.StepDuration <= 0:
		return fmt.Errorf("capacity: step duration %s: must be above 0", cfg.StepDuration)
	case cfg.Pause < 0:
		return fmt.Errorf("capacity: pause %s: must be 0 or more", cfg.Pause)
	}
	for i := 1; i < len(cfg.Rates); i++ {
		if cfg.Rates[i] <= cfg.Rates[i-1] {
			return fmt.Errorf("capacity: rates must ascend, got %g after %g", cfg.Rates[i], cfg.Rates[i-1])
		}
	}
	return nil
}

// step runs one rung at rate and judges it; a nil Step comes with the
// error that prevented the run.
func (cfg *Config) step(ctx context.Context, i int, rate float64, budget time.Duration, all *collector) (*Step, error) {
	p := cfg.Plan
	p.Pacer = pacing.Constant(rate, cfg.StepDuration)
	p.Duration = cfg.StepDuration
	p.Thresholds = cfg.Thresholds
	p.Progress = nil
	p.MaxWorkers = cfg.MaxWorkers
	if p.MaxWorkers == 0 {
		p.MaxWorkers = workerCap(rate, budget)
	}
	if p.Workers == 0 {
		p.Workers = vegeta.DefaultWorkers
	}
	p.Workers = min(p.Workers, p.MaxWorkers)
	before, start := sampleCPU(), time.Now()
	growth := newGrowthMeter(start, cfg.StepDuration)
	p.Output = all.tee(growth, cfg.Plan.Output)
	s, err := simulator.Run(ctx, p)
	if s == nil {
		return nil, fmt.Errorf("capacity: step %d (%g/s): %w", i+1, rate, err)
	}
	st := measure(s, rate, p.Pacer.Hits(), cfg.StepDuration)
	st.Index, st.Workers, st.Start, st.End = i+1, p.MaxWorkers, start, time.Now()
	st.CPU = round3(busyBetween(before, sampleCPU()))
	if first, last, ok := growth.medians(); ok {
		st.GrowthMS, st.firstMS, st.lastMS = round3(last-first), first, last
	}
	switch {
	case errors.Is(err, simulator.ErrInterrupted):
		st.Verdict, st.Why = Interrupted, "interrupted"
	case err != nil:
		return nil, fmt.Errorf("capacity: step %d (%g/s): %w", i+1, rate, err)
	default:
		judge(&st, cfg.MaxGrowth)
	}
	return &st, nil
}

// sleep waits d unless ctx ends first; it reports whether it waited.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// collector folds every step's results into one aggregator for the HTML
// report's series, passing them on to the caller's result stream too.
type collector struct {
	agg      *simulator.Aggregator
	end      time.Time
	seen     bool
	recorded bool // the stream's run record is written
}

func newCollector(p simulator.Plan) *collector {
	return &collector{agg: simulator.NewAggregator(aggregatorConfig(p))}
}

// aggregatorConfig counts by the plan's rules, without sinks: the engine's
// own aggregator sends the alarms.
func aggregatorConfig(p simulator.Plan) simulator.AggregatorConfig {
	return simulator.AggregatorConfig{
		MarkFail: p.MarkFail, Alarm: p.Alarm, Retries: p.Retries,
		Limits:   simulator.Limits{ConnectTimeout: p.Transport.ConnectTimeout, ResponseTimeout: p.Transport.ResponseTimeout},
		Accounts: []simulator.AccountInfo{{AppID: p.Account.AppID, Nickname: p.Account.Nickname}},
	}
}

// outcomeAdder is what watches a step's outcomes besides the collector: a
// step's growth meter, a ramp's window judge.
type outcomeAdder interface{ add(o *simulator.Outcome) }

// tee returns the result stream of one step (or a ramp): into the
// collector and g, then into next when there is one. The engine calls it
// from one goroutine, and steps run one after another, so neither needs
// locking.
func (c *collector) tee(g outcomeAdder, next vegeta.Encoder) vegeta.Encoder {
	return func(r *vegeta.Result) error {
		o, _ := simulator.OutcomeOf(r)
		c.agg.Add(&o)
		g.add(&o)
		if e := r.End(); !c.seen || e.After(c.end) {
			c.end, c.seen = e, true
		}
		if next != nil {
			c.recordOnce(r)
			return next(r)
		}
		return nil
	}
}

// recordOnce keeps one run record in the search's stream, on its first
// result: each step's run records itself, and a reader takes a stream's
// first record for the whole, which would make the first step's rate the
// target. A search has no single target rate: the record says 0.
func (c *collector) recordOnce(r *vegeta.Result) {
	ri, ok := simulator.RunInfoOf(r)
	if !ok {
		return
	}
	if c.recorded {
		simulator.DropRunInfo(r)
		return
	}
	ri.TargetRate = 0
	ri.Record(r)
	c.recorded = true
}

// close ends the collection at the last result.
func (c *collector) close() (*simulator.Summary, []simulator.SecondBucket) {
	end := c.end
	if !c.seen {
		end = time.Now()
	}
	c.agg.Close(end)
	return c.agg.Summary(), c.agg.Series()
}

// round3 rounds to three decimals, for figures that print.
func round3(v float64) float64 { return math.Round(v*1000) / 1000 }
