package conformance

import (
	"fmt"
	"strings"

	. "github.com/onsi/ginkgo/v2" //nolint:revive // the Ginkgo DSL reads best unqualified

	"github.com/wxsim/wxsim/simulator"
)

// loadCases: a short run at the configured rate, with WeChat's retries,
// MarkFail and alarm rules, against the configured thresholds (product.md §6).
func loadCases() {
	Describe("load", func() {
		Case("load/1", Must, "A run at --load-rate for --load-duration, with WeChat's retries, MarkFail and alarm rules, meets every threshold (by default: markfail == 0, alarms == 0, ok_ratio >= 0.999, p99 < 1s).",
			func(sc SpecContext) {
				s, ctx, done := begin(sc)
				defer done()
				plan := s.plan("wxsim-conform-load", 2, s.cfg.LoadRate, s.cfg.LoadDuration, s.cfg.Retries, s.cfg.thresholds())
				sum := s.run(ctx, plan)
				var want, broke []string
				for _, t := range sum.Thresholds {
					want = append(want, t.Expr)
					if !t.OK {
						broke = append(broke, fmt.Sprintf("%s (measured %s)", t.Expr, t.Value))
					}
				}
				if len(broke) > 0 {
					failCase(finding{
						expected: strings.Join(want, ", "),
						seen:     fmt.Sprintf("broken: %s; outcomes: %s; markfail blocks %d, alarms %d", strings.Join(broke, ", "), outcomeWords(sum), len(sum.MarkFail), len(sum.Alarms)),
						fix:      loadFix(sum),
					})
				}
			})
	})
}

// loadFix gives the advice for the failure that dominated the run; MarkFail
// and alarms follow from the failures under them.
func loadFix(sum *simulator.Summary) string {
	var worst simulator.Class
	var most uint64
	for _, c := range simulator.Classes() {
		if n := sum.Outcomes[c.String()]; c.Failed() && n > most {
			worst, most = c, n
		}
	}
	if most == 0 {
		return "Latency broke a threshold though every push was answered: log the time each module spends per request, " +
			"optimise or add capacity, or answer success at once and process messages asynchronously."
	}
	fix := fixFor(simulator.Outcome{Class: worst})
	if len(sum.MarkFail) > 0 {
		fix = "MarkFail, WeChat's highest-level alarm, blocked pushes: fix the failures under it first. " + fix
	}
	return fix
}
