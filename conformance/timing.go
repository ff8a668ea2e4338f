package conformance

import (
	"fmt"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2" //nolint:revive // the Ginkgo DSL reads best unqualified

	"github.com/wxsim/wxsim/simulator"
)

// timingCases: "the 5-second rule" (wechat-protocol.md §5), judged with
// the engine's own deadline: the whole reply within the response timeout
// of the request being written.
func timingCases() {
	Describe("timing", func() {
		Case("timing/1", Must, "Every push of the basic set (each message and event kind) is answered within the response timeout (WeChat: 5 s).",
			func(sc SpecContext) {
				s, ctx, done := begin(sc)
				defer done()
				var late, lines []string
				var shown *simulator.Exchange
				for _, k := range basicKinds() {
					p := s.push(k)
					x := s.strict.Push(ctx, s.cfg.URL, s.codec, p)
					lines = append(lines, fmt.Sprintf("%s %s", k.Name, latencyWords(x)))
					if x.Status == 0 {
						late = append(late, fmt.Sprintf("%s: %s", k.Name, x.Outcome.Class))
						if shown == nil {
							shown = &x
							attachExchange(x, p, s.codec)
						}
					}
				}
				AddReportEntry(entryLatencies, strings.Join(lines, "\n"), evidenceVisibility)
				if len(late) > 0 {
					failCase(finding{
						expected: fmt.Sprintf("every push answered within %s", s.cfg.Transport.ResponseTimeout),
						seen:     fmt.Sprintf("%d of %d not answered in time: %s", len(late), len(lines), strings.Join(late, ", ")),
						fix:      fixFor(shown.Outcome),
					})
				}
			})

		Case("timing/2", Should, "Under light load (--light-rate for --light-duration) 99 % of pushes are answered within 1 s.",
			func(sc SpecContext) {
				s, ctx, done := begin(sc)
				defer done()
				plan := s.plan("wxsim-conform-light", 1, s.cfg.LightRate, s.cfg.LightDuration, 0, nil)
				sum := s.run(ctx, plan)
				answered := answeredRatio(sum)
				if sum.LatencyMS.P99 >= float64(LightP99.Milliseconds()) || answered < 0.99 {
					failCase(finding{
						expected: fmt.Sprintf("p99 under %s and at least 99%% of %d deliveries answered", LightP99, sum.Deliveries),
						seen:     fmt.Sprintf("p99 %.1fms, %.1f%% answered (%s)", sum.LatencyMS.P99, 100*answered, outcomeWords(sum)),
						fix:      fixNoReply,
					})
				}
			})
	})
}

// latencyWords says how long a delivery took, or why it has no answer.
func latencyWords(x simulator.Exchange) string {
	if x.Status == 0 {
		return fmt.Sprintf("no answer: %s after %s", x.Outcome.Class, x.Outcome.Latency.Round(time.Millisecond))
	}
	return x.Outcome.Latency.Round(time.Microsecond).String()
}

// answeredRatio is the share of deliveries that got a whole reply in time,
// whatever the reply: timeouts and connection failures are not answers.
func answeredRatio(s *simulator.Summary) float64 {
	if s.Deliveries == 0 {
		return 0
	}
	var missed uint64
	for _, c := range []simulator.Class{simulator.DNSFailure, simulator.ConnectTimeout, simulator.ConnectFailure, simulator.RequestTimeout} {
		missed += s.Outcomes[c.String()]
	}
	return float64(s.Deliveries-min(missed, s.Deliveries)) / float64(s.Deliveries)
}
