package main

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/wxsim/wxsim/simulator"
	"github.com/wxsim/wxsim/simulator/endpoint"
	"github.com/wxsim/wxsim/simulator/pacing"
	"github.com/wxsim/wxsim/simulator/report"
	"github.com/wxsim/wxsim/simulator/wechat"
)

// The demo account: made up, used only between wxsim and its own
// reference endpoint on loopback.
var demoAccount = wechat.Account{
	AppID: defaultAppID, Nickname: defaultNickname, OriginalID: defaultOriginalID,
	Token: "wxsimDemoToken", EncodingAESKey: "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", Mode: wechat.Safe,
}

// demoPhase is one act of the demo.
type demoPhase struct {
	title     string
	behaviour string
	rate      float64
	duration  time.Duration
}

func (a *app) demoCommand() *cobra.Command {
	var scale float64
	var lang string
	c := &cobra.Command{
		Use:   "demo",
		Short: "the reference endpoint on loopback, attacked cleanly, then failing: alarms and MarkFail as WeChat sends them",
		Args:  noArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			if scale <= 0 || scale > 1 {
				return usageErr("--time-scale %g: want a factor in (0, 1]", scale)
			}
			if lang != "en" && lang != "zh" {
				return usageErr("--alarm-lang %q: want en or zh", lang)
			}
			phases := []demoPhase{
				{"1. a correct endpoint (safe mode): 200 mixed pushes/s for 10 s", "correct", 200, 10 * time.Second},
				{"2. a failing endpoint (flaky=0.6: 60% answered with HTTP 500) at 50/s for 20 s", "flaky=0.6", 50, 20 * time.Second},
			}
			for _, ph := range phases {
				ph.duration = time.Duration(float64(ph.duration) * scale)
				if err := a.demoPhase(c.Context(), ph, lang); err != nil {
					return err
				}
			}
			return nil
		},
	}
	c.Flags().Float64Var(&scale, "time-scale", 1, "shorten every phase by this factor (tests use 0.1)")
	c.Flags().StringVar(&lang, "alarm-lang", "en", "alarm language: en or zh")
	return c
}

func (a *app) demoPhase(ctx context.Context, ph demoPhase, lang string) error {
	fmt.Fprintf(a.stdout, "\n=== %s\n", ph.title)
	b, err := endpoint.ParseBehaviour(ph.behaviour)
	if err != nil {
		return err
	}
	e, err := endpoint.Start("127.0.0.1:0", endpoint.Config{Account: demoAccount, Behaviour: b, Seed: 1})
	if err != nil {
		return err
	}
	defer e.Stop()

	mix, _ := simulator.ParseMix(simulator.DefaultMix)
	p := simulator.Plan{
		Name: "demo", URL: e.URL, Account: demoAccount, Mix: mix,
		Followers: simulator.NewFollowers(0, 10000, 0), MsgBase: uint64(time.Now().Unix()) << 20,
		Pacer: pacing.Constant(ph.rate, ph.duration), Duration: ph.duration,
		Transport: simulator.TransportConfig{ConnectTimeout: 3 * time.Second, ResponseTimeout: 5 * time.Second},
		Retries:   2, MarkFail: simulator.DefaultMarkFailRule(), Alarm: simulator.DefaultAlarmRule(),
		Sinks: []simulator.AlarmSink{simulator.NewConsoleSink(a.stdout, lang)},
	}
	fmt.Fprintf(a.stdout, "endpoint %s (behaviour %s)\n%s\n\n", p.URL, b, assumptionsLine(p.Assumptions()))
	s, err := simulator.Run(ctx, p)
	if s != nil {
		if werr := report.WriteText(a.stdout, s, report.Lang(lang)); werr != nil {
			return werr
		}
		st := e.Stats()
		fmt.Fprintf(a.stdout, "the endpoint received %d requests\n", st.Requests)
	}
	if err == simulator.ErrInterrupted {
		return errInterrupted
	}
	return err
}
