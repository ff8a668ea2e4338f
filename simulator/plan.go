package simulator

import (
	"errors"
	"fmt"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/wxsim/wxsim/simulator/pacing"
	"github.com/wxsim/wxsim/simulator/wechat"
)

// Plan is everything one run needs: who pushes, to where, how fast, and
// by which rules the deliveries are judged.
type Plan struct {
	Name      string // the attack name in result files (shards use their own)
	URL       string // the callback URL, without query
	Account   wechat.Account
	Mix       *Mix
	Followers Followers
	MsgBase   uint64 // first MsgId (shards use disjoint ranges)

	Pacer      pacing.Pacer
	Duration   time.Duration // 0: the pacer's own length
	Workers    uint64        // initial vegeta workers
	MaxWorkers uint64        // 0: unbounded (open model)

	Transport     TransportConfig
	Retries       int
	MaxReplyBytes int64

	MarkFail MarkFailRule
	Alarm    AlarmRule
	Sinks    []AlarmSink

	Thresholds []Threshold
	Output     vegeta.Encoder // the result stream, nil for none

	Progress      func(p Progress, final bool) // about once a second, and once at the end; nil for none
	ProgressEvery time.Duration
}

// Validate reports the first thing wrong with the plan.
func (p *Plan) Validate() error {
	switch {
	case p.URL == "":
		return errors.New("plan: no URL")
	case p.Mix == nil:
		return errors.New("plan: no mix")
	case p.Pacer == nil:
		return errors.New("plan: no rate")
	case p.Retries < 0:
		return fmt.Errorf("plan: retries %d: must be 0 or more", p.Retries)
	case p.Transport.ConnectTimeout <= 0 || p.Transport.ResponseTimeout <= 0:
		return errors.New("plan: timeouts must be above 0")
	case p.Duration <= 0 && p.Pacer.Duration() <= 0 && p.Pacer.Hits() == 0:
		return errors.New("plan: the run has no end: give a duration")
	}
	return nil
}

// Assumptions are the rules the plan runs by, printed with every run.
func (p *Plan) Assumptions() Assumptions {
	return Assumptions{
		ConnectTimeout:  p.Transport.ConnectTimeout.String(),
		ResponseTimeout: p.Transport.ResponseTimeout.String(),
		Retries:         p.Retries,
		MarkFail:        p.MarkFail.String(),
		AlarmThreshold:  p.Alarm.Threshold,
	}
}
