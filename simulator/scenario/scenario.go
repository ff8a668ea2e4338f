package scenario

import (
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/wxsim/wxsim/simulator"
	"github.com/wxsim/wxsim/simulator/pacing"
	"github.com/wxsim/wxsim/simulator/wechat"
)

// Scenario is a loaded, validated scenario file: everything one attack
// needs. Its fields are plain values, so a caller can override some of
// them (the command line does) before calling Plan.
type Scenario struct {
	File        string // where it was loaded from, for messages
	Name        string // the attack's name in result streams
	Description string

	// Accounts push concurrently in one run; there is at least one. Their
	// MarkFail breakers and alarm windows are separate (by appid).
	Accounts []Account

	// Duration is the run's length; 0 means the longest account schedule.
	// A constant rate or an interval (Pace.Rate, Pace.Every) needs it.
	Duration time.Duration

	Workers       uint64 // initial vegeta workers
	MaxWorkers    uint64 // 0: unbounded, the open model
	Transport     simulator.TransportConfig
	Retries       int
	MaxReplyBytes int64
	MarkFail      simulator.MarkFailRule
	Alarm         simulator.AlarmRule
	Thresholds    []simulator.Threshold
}

// Account is one account's traffic: who pushes, to where, what and how fast.
type Account struct {
	Name      string // unique within the scenario ("main" for a single account)
	URL       string
	Account   wechat.Account
	Mix       *simulator.Mix
	Followers uint64
	Pace      Pace
}

// Pace is an account's rate over time. Exactly one of Rate, Every, Stages
// and Closed is set.
type Pace struct {
	Rate   float64        // a constant rate in pushes/s, for the run's duration
	Every  time.Duration  // one push every Every, for the run's duration (scaled with time)
	Stages []pacing.Stage // k6-style stages run one after another
	Closed bool           // a closed loop at full speed with Scenario.Workers pushes in flight
}

// Defaults shared with the command line's flags, so that a scenario and the
// equivalent flags run the same attack.
const (
	DefaultFollowers = 10000
	DefaultWorkers   = 10
	DefaultRetries   = 2
)

// ErrTimeScale is returned by Plan for a time scale outside (0, 1].
var ErrTimeScale = errors.New("time scale must be above 0 and at most 1")

// Plan turns the scenario into a simulator.Plan whose schedule is
// compressed by timeScale in (0, 1] (0 means 1): every stage, period,
// interval and the duration are multiplied by it, rates are not. So a
// scenario of a day at 200/s runs in 86.4 s at timeScale 0.001, still at
// 200/s, and a ticket due every 10 minutes comes every 0.6 s. WeChat's rules
// (timeouts, MarkFail and alarm windows) keep their lengths: a compressed run
// is judged as a real one would be. Sinks, Output and Progress are left for
// the caller.
func (s *Scenario) Plan(timeScale float64) (simulator.Plan, error) {
	if timeScale == 0 {
		timeScale = 1
	}
	if !(timeScale > 0 && timeScale <= 1) { // also rejects NaN
		return simulator.Plan{}, fmt.Errorf("scenario %s: %w, got %g", s.Name, ErrTimeScale, timeScale)
	}
	if len(s.Accounts) == 0 {
		return simulator.Plan{}, fmt.Errorf("scenario %s: no accounts", s.Name)
	}
	run := scale(s.Duration, timeScale)
	if run == 0 {
		run = s.longest(timeScale)
	}
	loads := make([]simulator.AccountLoad, len(s.Accounts))
	base := uint64(time.Now().Unix()) << 20
	for i, a := range s.Accounts {
		pacer, err := a.Pace.Pacer(timeScale, run)
		if err != nil {
			return simulator.Plan{}, fmt.Errorf("scenario %s: account %s: %w", s.Name, a.Name, err)
		}
		loads[i] = simulator.AccountLoad{Name: s.Name + "-" + a.Name, URL: a.URL, Account: a.Account, Mix: a.Mix,
			Followers: simulator.NewFollowers(0, a.Followers, uint64(i)),
			MsgBase:   base + uint64(i)<<52, Pacer: pacer}
	}
	first := loads[0]
	p := simulator.Plan{
		Name: s.Name, URL: first.URL, Account: first.Account, Mix: first.Mix,
		Followers: first.Followers, MsgBase: first.MsgBase, Pacer: first.Pacer,
		Accounts: loads[1:], Duration: run, Workers: s.Workers, MaxWorkers: s.MaxWorkers,
		Transport: s.Transport, Retries: s.Retries, MaxReplyBytes: s.MaxReplyBytes,
		MarkFail: s.MarkFail, Alarm: s.Alarm, Thresholds: s.Thresholds,
	}
	if s.Accounts[0].Pace.Closed {
		p.MaxWorkers = p.Workers // the closed loop's concurrency, as --rate 0 does
	}
	return p, nil
}

// Length is how long the scenario runs at time scale 1: its Duration, or
// else its longest account schedule.
func (s *Scenario) Length() time.Duration {
	if s.Duration > 0 {
		return s.Duration
	}
	return s.longest(1)
}

// longest is the length of the longest account schedule, scaled.
func (s *Scenario) longest(timeScale float64) time.Duration {
	var d time.Duration
	for _, a := range s.Accounts {
		var l time.Duration
		for _, st := range a.Pace.Stages {
			l += scale(st.Duration, timeScale)
		}
		d = max(d, l)
	}
	return d
}

// Pacer builds the schedule, compressed by timeScale; run is the
// run's length, which a constant rate or an interval lasts.
func (l Pace) Pacer(timeScale float64, run time.Duration) (pacing.Pacer, error) {
	switch {
	case l.Closed:
		return pacing.Closed(), nil
	case len(l.Stages) > 0:
		stages := make([]pacing.Stage, len(l.Stages))
		for i, st := range l.Stages {
			st.Duration, st.Period = scale(st.Duration, timeScale), scale(st.Period, timeScale)
			stages[i] = st
		}
		return pacing.Staged(stages...)
	case run <= 0:
		return nil, errors.New("a constant rate needs a duration")
	case l.Every > 0:
		return pacing.Constant(1/scale(l.Every, timeScale).Seconds(), run), nil
	case l.Rate > 0 && !math.IsInf(l.Rate, 0):
		return pacing.Constant(l.Rate, run), nil
	}
	return nil, errors.New("no rate: give rate, every or stages")
}

// String describes the pace for run headers, unscaled.
func (l Pace) String() string {
	switch {
	case l.Closed:
		return "closed loop"
	case len(l.Stages) > 0:
		p, err := pacing.Staged(l.Stages...)
		if err != nil {
			return "invalid stages"
		}
		return fmt.Sprint(p)
	case l.Every > 0:
		return "one push every " + l.Every.String()
	}
	return fmt.Sprintf("%g/s", l.Rate)
}

// scale multiplies d by f, rounding to the nanosecond but never to 0 from
// a positive d (a stage must keep a length).
func scale(d time.Duration, f float64) time.Duration {
	if f == 1 || d <= 0 {
		return d
	}
	return max(time.Duration(math.Round(float64(d)*f)), 1)
}
