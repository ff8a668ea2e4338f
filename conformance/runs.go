package conformance

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2" //nolint:revive // the Ginkgo DSL reads best unqualified

	"github.com/wxsim/wxsim/simulator"
	"github.com/wxsim/wxsim/simulator/pacing"
)

// The light run (timing/2) and the load run (load/1) are real runs of the
// engine, as `wxsim attack` makes them.

// plan builds a run against the endpoint: the default mix, a slice of the
// follower space and MsgId range of its own (slot), WeChat's rules.
func (s *session) plan(name string, slot uint64, rate float64, d time.Duration, retries int, ts []simulator.Threshold) simulator.Plan {
	mix, err := simulator.ParseMix(simulator.DefaultMix)
	if err != nil {
		Fail(fmt.Sprintf("conformance: default mix: %v", err))
	}
	return simulator.Plan{
		Name: name, URL: s.cfg.URL, Account: s.cfg.Account, Mix: mix,
		Followers: simulator.NewFollowers(slot<<32, 10000, s.pushes.msgBase),
		MsgBase:   s.pushes.msgBase + slot<<32,
		Pacer:     pacing.Constant(rate, d), Duration: d,
		Transport: s.cfg.Transport, Retries: retries, MaxReplyBytes: s.cfg.MaxReplyBytes,
		MarkFail: simulator.DefaultMarkFailRule(), Alarm: simulator.DefaultAlarmRule(),
		Thresholds: ts,
	}
}

// run plays a plan and attaches its summary; a run that cannot start is a
// wiring problem, reported as the case's failure.
func (s *session) run(ctx context.Context, p simulator.Plan) *simulator.Summary {
	sum, err := simulator.Run(ctx, p)
	if sum == nil {
		Fail(fmt.Sprintf("conformance: the %s run did not start: %v", p.Name, err))
	}
	AddReportEntry(entrySummary, summaryText(sum), evidenceVisibility)
	return sum
}

// outcomeWords lists a summary's non-zero outcomes, e.g. "ok 28, request_timeout 2".
func outcomeWords(s *simulator.Summary) string {
	var parts []string
	for _, c := range simulator.Classes() {
		if n := s.Outcomes[c.String()]; n > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", c, n))
		}
	}
	if len(parts) == 0 {
		return "no deliveries"
	}
	return strings.Join(parts, ", ")
}

// summaryText renders a run's JSON summary for the report.
func summaryText(sum *simulator.Summary) string {
	b, err := json.MarshalIndent(sum, "", "  ")
	if err != nil {
		return fmt.Sprintf("(summary not renderable: %v)", err)
	}
	return string(b)
}
