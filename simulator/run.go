package simulator

import (
	"context"
	"errors"
	"math"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/wxsim/wxsim/simulator/wechat"
)

// ErrInterrupted is returned with the summary of a run that was stopped
// before its end; everything measured until then is in the summary and
// the result stream.
var ErrInterrupted = errors.New("run interrupted")

// Run plays the plan against its endpoint and returns the summary. It
// stops early when ctx ends: no new pushes, in-flight deliveries finish
// (bounded by the response timeout), results are flushed, and the summary
// comes back with ErrInterrupted.
func Run(ctx context.Context, p Plan) (*Summary, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	codec, err := wechat.NewCodec(p.Account)
	if err != nil {
		return nil, err
	}
	agg := NewAggregator(AggregatorConfig{
		MarkFail: p.MarkFail, Alarm: p.Alarm, Retries: p.Retries, Sinks: p.Sinks,
		Limits:     Limits{ConnectTimeout: p.Transport.ConnectTimeout, ResponseTimeout: p.Transport.ResponseTimeout},
		Accounts:   []AccountInfo{{AppID: p.Account.AppID, Nickname: p.Account.Nickname}},
		TargetRate: meanRate(p),
	})
	sink := newOutcomeSink(agg, p)
	d := NewDeliverer(p.Transport, p.Retries, p.MaxReplyBytes, sink.emit)
	var schedule Schedule
	if !math.IsInf(p.Pacer.Rate(0), 1) {
		schedule = p.Pacer
	}
	tr := NewTargeter(p.URL, codec, p.Mix, p.Followers, agg.Breaker(p.Account.AppID), d, schedule, p.MsgBase)
	atk := vegeta.NewAttacker(attackerOptions(p, d)...)
	stopProgress := startProgress(agg, p)

	duration := p.Duration
	if duration <= 0 {
		duration = p.Pacer.Duration()
	}
	tr.Begin(time.Now())
	results := atk.Attack(vegeta.Targeter(tr.Target), p.Pacer, duration, p.Name)
	drained := make(chan struct{})
	go func() {
		for range results { // every push's outcomes were already emitted by the Deliverer
		}
		close(drained)
	}()
	select {
	case <-drained:
	case <-ctx.Done():
		d.StopRetrying()
		atk.Stop()
		// In-flight deliveries end within one connect plus response timeout;
		// vegeta may still be asleep in a long pause of the schedule, so the
		// wait is bounded rather than for the results channel to close.
		select {
		case <-drained:
		case <-time.After(p.Transport.ConnectTimeout + p.Transport.ResponseTimeout + time.Second):
		}
	}
	encErr := sink.close()
	stopProgress()
	agg.Close(time.Now())

	s := agg.Summary()
	s.Assumption = p.Assumptions()
	s.Thresholds, _ = EvalThresholds(p.Thresholds, s)
	if ctx.Err() != nil {
		return s, ErrInterrupted
	}
	return s, encErr
}

// attackerOptions configures vegeta. Client must come first: it replaces
// the client wholesale, and options after it that assert vegeta's own
// *http.Transport would panic on ours, so only transport-free options follow.
func attackerOptions(p Plan, d *Deliverer) []func(*vegeta.Attacker) {
	workers := p.Workers
	if workers == 0 {
		workers = vegeta.DefaultWorkers
	}
	opts := []func(*vegeta.Attacker){
		vegeta.Client(&http.Client{Transport: d}),
		vegeta.Workers(workers),
		vegeta.MaxBody(0),
		vegeta.Redirects(vegeta.NoFollow),
	}
	if p.MaxWorkers > 0 {
		opts = append(opts, vegeta.MaxWorkers(p.MaxWorkers))
	}
	return opts
}

// outcomeSink carries every outcome from the delivering goroutines to the
// aggregator and the result stream, which one goroutine feeds, so neither
// needs locks on the hot path. Outcomes emitted after close are dropped.
type outcomeSink struct {
	ch      chan *Outcome
	stop    chan struct{}
	done    chan error
	once    sync.Once
	stopped atomic.Bool
}

func newOutcomeSink(agg *Aggregator, p Plan) *outcomeSink {
	s := &outcomeSink{ch: make(chan *Outcome, 8192), stop: make(chan struct{}), done: make(chan error, 1)}
	go s.consume(agg, p)
	return s
}

func (s *outcomeSink) emit(o *Outcome) {
	if s.stopped.Load() {
		return
	}
	select {
	case s.ch <- o:
	case <-s.stop:
	}
}

func (s *outcomeSink) consume(agg *Aggregator, p Plan) {
	var seq uint64
	var encErr error
	add := func(o *Outcome) {
		agg.Add(o)
		if p.Output != nil && encErr == nil {
			r := ResultOf(o, p.Name, p.URL, seq)
			encErr = p.Output(&r)
		}
		seq++
	}
	for {
		select {
		case o := <-s.ch:
			add(o)
		case <-s.stop:
			for {
				select {
				case o := <-s.ch:
					add(o)
				default:
					s.done <- encErr
					return
				}
			}
		}
	}
}

// close stops taking outcomes, counts those already queued and returns
// the result stream's first error.
func (s *outcomeSink) close() error {
	s.once.Do(func() {
		s.stopped.Store(true)
		close(s.stop)
	})
	return <-s.done
}

// startProgress calls the plan's progress callback about once a second
// until the returned stop is called (which makes one last call).
func startProgress(agg *Aggregator, p Plan) (stop func()) {
	if p.Progress == nil {
		return func() {}
	}
	every := p.ProgressEvery
	if every <= 0 {
		every = time.Second
	}
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				p.Progress(agg.Snapshot(), false)
			case <-done:
				return
			}
		}
	}()
	return func() {
		close(done)
		<-finished
		p.Progress(agg.Snapshot(), true)
	}
}

// meanRate is the rate asked for, averaged over the run (0: closed loop).
func meanRate(p Plan) float64 {
	d := p.Pacer.Duration()
	if p.Duration > 0 && (d <= 0 || p.Duration < d) {
		d = p.Duration
	}
	if math.IsInf(p.Pacer.Rate(0), 1) || d <= 0 {
		return 0
	}
	// The schedule's hit count over the run, divided by its length.
	var hits uint64
	lo, hi := uint64(0), uint64(1)
	for p.Pacer.Due(hi) < d && hi < 1<<40 {
		hi *= 2
	}
	for lo < hi {
		mid := (lo + hi) / 2
		if p.Pacer.Due(mid) < d {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	hits = lo
	return float64(hits) / d.Seconds()
}
