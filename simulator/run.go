package simulator

import (
	"context"
	"errors"
	"fmt"
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
	loads := p.loads()
	codecs := make([]*wechat.Codec, len(loads))
	infos := make([]AccountInfo, len(loads))
	dests := make(map[string]destination, len(loads))
	var target float64
	var due uint64
	for i, l := range loads {
		c, err := wechat.NewCodec(l.Account)
		if err != nil {
			return nil, fmt.Errorf("account %s: %w", l.Account.AppID, err)
		}
		codecs[i] = c
		infos[i] = AccountInfo{AppID: l.Account.AppID, Nickname: l.Account.Nickname}
		if _, dup := dests[l.Account.AppID]; !dup {
			dests[l.Account.AppID] = destination{name: l.Name, url: l.URL}
		}
		target += meanRate(l.Pacer, p.Duration)
		n, _ := dueHits(l.Pacer, p.Duration)
		due += n
	}
	aggCfg := AggregatorConfig{
		MarkFail: p.MarkFail, Alarm: p.Alarm, Retries: p.Retries, KeepAlive: p.Transport.KeepAlive, Sinks: p.Sinks,
		Limits:     Limits{ConnectTimeout: p.Transport.ConnectTimeout, ResponseTimeout: p.Transport.ResponseTimeout},
		Accounts:   infos,
		TargetRate: target,
	}
	agg := NewAggregator(aggCfg)
	sink := newOutcomeSink(agg, p, dests, runInfoOf(aggCfg))
	d := NewDeliverer(p.Transport, p.Retries, p.MaxReplyBytes, sink.emit)
	stopProgress := startProgress(agg, p)

	// One vegeta attack per account (an Attacker is single-use and has one
	// pacer); all share the transport, the sink and the aggregator.
	attackers := make([]*vegeta.Attacker, len(loads))
	var wg sync.WaitGroup
	began := time.Now()
	for i, l := range loads {
		var schedule Schedule
		if !math.IsInf(l.Pacer.Rate(0), 1) {
			schedule = l.Pacer
		}
		tr := NewTargeter(l.URL, codecs[i], l.Mix, l.Followers, agg.Breaker(l.Account.AppID), d, schedule, l.MsgBase)
		attackers[i] = vegeta.NewAttacker(attackerOptions(p, tr)...)
		duration := p.Duration
		if duration <= 0 {
			duration = l.Pacer.Duration()
		}
		tr.Begin(began)
		pacer, attackFor := withTailGrace(l.Pacer, duration)
		results := attackers[i].Attack(vegeta.Targeter(tr.Target), pacer, attackFor, l.Name)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range results { // every push's outcomes were already emitted by the Deliverer
			}
		}()
	}
	drained := make(chan struct{})
	go func() { wg.Wait(); close(drained) }()
	select {
	case <-drained:
	case <-ctx.Done():
		d.StopRetrying()
		for _, atk := range attackers {
			atk.Stop()
		}
		// In-flight deliveries end within one connect plus response timeout;
		// vegeta may still be asleep in a long pause of the schedule, so the
		// wait is bounded rather than for the results channels to close.
		select {
		case <-drained:
		case <-time.After(p.Transport.ConnectTimeout + p.Transport.ResponseTimeout + time.Second):
		}
	}
	encErr := sink.close()
	stopProgress()
	agg.Close(time.Now())

	s := agg.Summary()
	for _, err := range agg.SinkErrors() {
		s.SinkErrors = append(s.SinkErrors, err.Error())
	}
	if ctx.Err() != nil {
		s.Thresholds, _ = EvalThresholds(p.Thresholds, s)
		return s, ErrInterrupted
	}
	// Pushes the schedule made due but the generator never sent before the
	// end (vegeta drops them silently) are a generator falling behind too.
	if due > s.Pushes {
		s.Unsent = due - s.Pushes
	}
	s.Thresholds, _ = EvalThresholds(p.Thresholds, s)
	return s, encErr
}

// attackerOptions configures vegeta to send through rt, the account's
// Targeter. Client must come first: it replaces the client wholesale, and
// options after it that assert vegeta's own *http.Transport would panic on
// ours, so only transport-free options follow.
func attackerOptions(p Plan, rt http.RoundTripper) []func(*vegeta.Attacker) {
	workers := p.Workers
	if workers == 0 {
		workers = vegeta.DefaultWorkers
	}
	opts := []func(*vegeta.Attacker){
		vegeta.Client(&http.Client{Transport: rt}),
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

// destination names an account's attack and URL in the result stream.
type destination struct{ name, url string }

func newOutcomeSink(agg *Aggregator, p Plan, dests map[string]destination, info RunInfo) *outcomeSink {
	s := &outcomeSink{ch: make(chan *Outcome, 8192), stop: make(chan struct{}), done: make(chan error, 1)}
	go s.consume(agg, p, dests, info)
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

func (s *outcomeSink) consume(agg *Aggregator, p Plan, dests map[string]destination, info RunInfo) {
	var seq uint64
	var encErr error
	add := func(o *Outcome) {
		agg.Add(o)
		if p.Output != nil && encErr == nil {
			d := dests[o.Account]
			r := ResultOf(o, d.name, d.url, seq)
			if seq == 0 {
				info.Record(&r) // the stream's first result records the run
			}
			encErr = p.Output(&r)
		}
		if p.Observer != nil {
			p.Observer(o)
		}
		seq++
	}
	for {
		select {
		case o := <-s.ch:
			add(o)
			if s.drain(add) > 0 {
				// Outcomes are queueing: the run is busy. Let them queue a
				// moment longer, so that senders find this goroutine awake
				// (or asleep on a timer) rather than each having to wake it.
				time.Sleep(sinkPause)
			}
		case <-s.stop:
			s.drain(add)
			s.done <- encErr
			return
		}
	}
}

// sinkPause is how long the consumer lets outcomes queue when they come
// faster than one at a time: at 20 000 outcomes/s, 20 per wake-up instead
// of one. The channel holds 8192, so senders never wait for it.
const sinkPause = time.Millisecond

// drain counts every outcome already queued, without waiting for more.
func (s *outcomeSink) drain(add func(*Outcome)) int {
	for n := 0; ; n++ {
		select {
		case o := <-s.ch:
			add(o)
		default:
			return n
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

// meanRate is the rate a pacer asks for, averaged over the run (0: a
// closed loop).
func meanRate(pacer Schedule, runFor time.Duration) float64 {
	hits, d := dueHits(pacer, runFor)
	if d <= 0 {
		return 0
	}
	return float64(hits) / d.Seconds()
}

// dueHits is the number of pushes a pacer's schedule makes due before the
// run ends, and the run's length (0 for a closed loop or an endless run).
func dueHits(pacer Schedule, runFor time.Duration) (uint64, time.Duration) {
	pc, ok := pacer.(interface {
		Rate(time.Duration) float64
		Duration() time.Duration
	})
	if !ok || math.IsInf(pc.Rate(0), 1) {
		return 0, 0
	}
	d := pc.Duration()
	if runFor > 0 && (d <= 0 || runFor < d) {
		d = runFor
	}
	if d <= 0 {
		return 0, 0
	}
	// Hits are due in increasing order: find the first one due at or after
	// the end by doubling, then bisecting.
	hi := uint64(1)
	for pacer.Due(hi) < d && hi < 1<<40 {
		hi *= 2
	}
	lo := hi / 2
	for lo < hi {
		mid := lo + (hi-lo)/2
		if pacer.Due(mid) < d {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo, d
}
