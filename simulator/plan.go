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

	// Observer, when set, sees every outcome once the aggregator has
	// counted it, from the one goroutine that counts them (so never two
	// at a time), e.g. the live Prometheus metrics of --metrics-addr. It
	// is on the run's outcome path: it must be quick and not keep o.
	Observer func(o *Outcome)

	// Accounts are more accounts pushed in the same run, each as its own
	// vegeta attack at its own rate, sharing the rules, sinks and output;
	// MarkFail and alarms are per account.
	Accounts []AccountLoad
}

// AccountLoad is one more account of a run: who it is, where its pushes go,
// and what and how fast it pushes.
type AccountLoad struct {
	Name      string // attack name in the result stream (default: the plan's name and the appid)
	URL       string
	Account   wechat.Account
	Mix       *Mix
	Followers Followers
	MsgBase   uint64
	Pacer     pacing.Pacer
}

// loads lists every account of the plan, the plan's own first.
func (p *Plan) loads() []AccountLoad {
	own := AccountLoad{Name: p.Name, URL: p.URL, Account: p.Account, Mix: p.Mix,
		Followers: p.Followers, MsgBase: p.MsgBase, Pacer: p.Pacer}
	all := append([]AccountLoad{own}, p.Accounts...)
	for i := range all[1:] {
		if all[i+1].Name == "" {
			all[i+1].Name = p.Name + "-" + all[i+1].Account.AppID
		}
	}
	return all
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
	seen := map[string]wechat.Account{}
	for i, l := range p.loads() {
		switch {
		case l.URL == "":
			return fmt.Errorf("plan: account %d (%s): no URL", i+1, l.Account.AppID)
		case l.Mix == nil:
			return fmt.Errorf("plan: account %d (%s): no mix", i+1, l.Account.AppID)
		case l.Pacer == nil:
			return fmt.Errorf("plan: account %d (%s): no rate", i+1, l.Account.AppID)
		}
		// Several loads may push for one account (a platform's tickets and
		// its authorization events, each on its own schedule); they share
		// its breaker and alarms, so they must be the same account.
		if prev, dup := seen[l.Account.AppID]; dup && prev != l.Account {
			return fmt.Errorf("plan: account %d: appid %s appears twice with different settings (token, key, mode or ids)", i+1, l.Account.AppID)
		}
		seen[l.Account.AppID] = l.Account
	}
	return nil
}

// Assumptions are the rules the plan runs by, printed with every run.
func (p *Plan) Assumptions() Assumptions {
	return assumptionsFor(Limits{ConnectTimeout: p.Transport.ConnectTimeout, ResponseTimeout: p.Transport.ResponseTimeout},
		p.Retries, p.MarkFail, p.Alarm, p.Transport.KeepAlive)
}
