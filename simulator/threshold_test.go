package simulator

import (
	"errors"
	"strings"
	"testing"

	. "github.com/onsi/gomega"
)

func TestParseThresholdAccepts(t *testing.T) {
	for _, c := range []struct{ in, expr string }{
		{"p99 < 1s", "p99 < 1s"},
		{"p99<1s", "p99<1s"},
		{"  p95 <=\t250ms  ", "p95 <=\t250ms"},
		{"max>=5s", "max>=5s"},
		{"p50 == 0", "p50 == 0"},
		{"p90 != 1m30s", "p90 != 1m30s"},
		{"ok_ratio >= 0.999", "ok_ratio >= 0.999"},
		{"dns_failure_ratio<1e-3", "dns_failure_ratio<1e-3"},
		{"blocked_ratio == 0", "blocked_ratio == 0"},
		{"response_failure_ratio <= 1", "response_failure_ratio <= 1"},
		{"http_status_ratio < 0.01", "http_status_ratio < 0.01"},
		{"too_large_ratio != 1", "too_large_ratio != 1"},
		{"markfail == 0", "markfail == 0"},
		{"alarms==0", "alarms==0"},
		{"lost < 1", "lost < 1"},
		{"late > -1", "late > -1"},
		{"retries <= 100", "retries <= 100"},
		{"achieved_rate >= 199.5", "achieved_rate >= 199.5"},
	} {
		th, err := ParseThreshold(c.in)
		NewWithT(t).Expect(err).NotTo(HaveOccurred(), c.in)
		NewWithT(t).Expect(th.Expr).To(Equal(c.expr))
		NewWithT(t).Expect(th.String()).To(Equal(c.expr))
	}
}

func TestParseThresholdRejects(t *testing.T) {
	known := strings.Join(thresholdMetricNames, ", ")
	for _, c := range []struct{ in, err string }{
		{"", `threshold "": empty expression (want e.g. p99 < 1s)`},
		{"   ", `threshold "": empty expression (want e.g. p99 < 1s)`},
		{"< 1s", `threshold "< 1s": missing metric before "< 1s" (want e.g. p99 < 1s)`},
		{"p98 < 1s", `threshold "p98 < 1s": unknown metric "p98" (known: ` + known + `)`},
		{"P99 < 1s", `threshold "P99 < 1s": unknown metric "P99" (known: ` + known + `)`},
		{"error_ratio < 0.1", `threshold "error_ratio < 0.1": unknown metric "error_ratio" (known: ` + known + `)`},
		{"p(99) < 1s", `threshold "p(99) < 1s": unknown metric "p" (known: ` + known + `)`},
		{"p99 1s", `threshold "p99 1s": missing operator after p99 (want <, <=, >, >=, == or !=)`},
		{"p99", `threshold "p99": missing operator after p99 (want <, <=, >, >=, == or !=)`},
		{"p99 => 1s", `threshold "p99 => 1s": unknown operator "=>" (want <, <=, >, >=, == or !=)`},
		{"lost === 0", `threshold "lost === 0": unknown operator "===" (want <, <=, >, >=, == or !=)`},
		{"lost = 0", `threshold "lost = 0": unknown operator "=" (want <, <=, >, >=, == or !=)`},
		{"p99 <", `threshold "p99 <": missing value after "<"`},
		{"p99 <   ", `threshold "p99 <": missing value after "<"`},
		{"p99 < 1", `threshold "p99 < 1": p99 needs a duration such as 250ms or 1s, got "1"`},
		{"max < fast", `threshold "max < fast": max needs a duration such as 250ms or 1s, got "fast"`},
		{"p99 < 1s and", `threshold "p99 < 1s and": p99 needs a duration such as 250ms or 1s, got "1s and"`},
		{"ok_ratio >= high", `threshold "ok_ratio >= high": ok_ratio needs a number such as 0.999, got "high"`},
		{"ok_ratio >= 99.9", `threshold "ok_ratio >= 99.9": ok_ratio is a ratio between 0 and 1, got 99.9`},
		{"not_xml_ratio > -0.1", `threshold "not_xml_ratio > -0.1": not_xml_ratio is a ratio between 0 and 1, got -0.1`},
		{"ok_ratio >= 99.9%", `threshold "ok_ratio >= 99.9%": ok_ratio needs a number such as 0.999, got "99.9%"`},
		{"lost == NaN", `threshold "lost == NaN": lost needs a number such as 0, got "NaN"`},
		{"alarms < 1s", `threshold "alarms < 1s": alarms needs a number such as 0, got "1s"`},
		{"achieved_rate >= 200/s", `threshold "achieved_rate >= 200/s": achieved_rate needs a number such as 200, got "200/s"`},
	} {
		g := NewWithT(t)
		th, err := ParseThreshold(c.in)
		g.Expect(err).To(MatchError(c.err), c.in)
		g.Expect(errors.Is(err, ErrInvalidThreshold)).To(BeTrue())
		g.Expect(th).To(BeZero())
	}
}

func TestEveryOutcomeAndReasonHasARatio(t *testing.T) {
	g := NewWithT(t)
	for _, name := range []string{"ok", "dns_failure", "connect_timeout", "connect_failure", "request_timeout",
		"response_failure", "blocked", "http_status", "not_xml", "bad_reply", "wrong_swap", "bad_msg_signature",
		"decrypt_failed", "wrong_appid", "unencrypted", "too_large"} {
		g.Expect(thresholdMetrics).To(HaveKey(name+"_ratio"), name)
	}
	g.Expect(thresholdMetrics).To(HaveLen(5 + 7 + 9 + 7)) // latencies, outcomes, reasons, counters
}

// runSummary is a hand-built run: 1000 pushes, 1010 deliveries.
func runSummary() *Summary {
	return &Summary{
		Pushes: 1000, Deliveries: 1010, Lost: 2, Late: 3, Retries: 10,
		Outcomes:  map[string]uint64{"ok": 995, "request_timeout": 10, "response_failure": 3, "blocked": 2},
		Reasons:   map[string]uint64{"http_status": 2, "not_xml": 1},
		Rate:      RateSummary{Target: 200, Achieved: 199.8},
		LatencyMS: LatencySummary{P50: 1.2, P90: 2, P95: 2.4, P99: 1000, Max: 5001},
		MarkFail:  []Block{{Failures: 120, Deliveries: 200}},
		Alarms:    []Alarm{{Type: AlarmRequestTimeout}, {Type: AlarmMarkFail}},
	}
}

func TestThresholdEval(t *testing.T) {
	for _, c := range []struct {
		expr  string
		ok    bool
		value string
	}{
		{"p99 < 1s", false, "1s"}, // the boundary: 1000 ms is not below 1s
		{"p99 <= 1s", true, "1s"},
		{"p99 < 1000000001ns", true, "1s"},
		{"p99 > 999ms", true, "1s"},
		{"p50 < 1.5ms", true, "1.2ms"},
		{"p90 > 2ms", false, "2ms"},
		{"p95 != 2.4ms", false, "2.4ms"},
		{"max == 5.001s", true, "5.001s"},
		{"ok_ratio >= 0.99", false, "0.9851"},    // 995/1010
		{"ok_ratio >= 0.98514", true, "0.98515"}, // 4 digits ("0.9851") would misstate it
		{"request_timeout_ratio < 0.01", true, "0.009901"},
		{"blocked_ratio == 0", false, "0.00198"},
		{"dns_failure_ratio == 0", true, "0"},           // no key at all
		{"http_status_ratio < 0.001", false, "0.00198"}, // over deliveries: 2/1010
		{"not_xml_ratio <= 0.001", true, "0.0009901"},
		{"too_large_ratio == 0", true, "0"},
		{"markfail == 0", false, "1"},
		{"alarms < 3", true, "2"},
		{"lost == 2", true, "2"},
		{"late > 3", false, "3"},
		{"retries <= 10", true, "10"},
		{"achieved_rate >= 199.5", true, "199.8"},
		{"achieved_rate >= 199.81", false, "199.8"},
		{"achieved_rate > 199.79999", true, "199.8"},
	} {
		th, err := ParseThreshold(c.expr)
		NewWithT(t).Expect(err).NotTo(HaveOccurred())
		NewWithT(t).Expect(th.Eval(runSummary())).To(Equal(ThresholdResult{Expr: c.expr, OK: c.ok, Value: c.value}), c.expr)
	}
}

func TestThresholdEvalEmptyRun(t *testing.T) {
	g := NewWithT(t)
	for _, s := range []*Summary{nil, {}, {Outcomes: map[string]uint64{}}} {
		for expr, want := range map[string]ThresholdResult{
			"ok_ratio >= 0.999":      {Expr: "ok_ratio >= 0.999", OK: false, Value: "0"},
			"http_status_ratio == 0": {Expr: "http_status_ratio == 0", OK: true, Value: "0"},
			"p99 < 1s":               {Expr: "p99 < 1s", OK: true, Value: "0s"},
			"achieved_rate > 0":      {Expr: "achieved_rate > 0", OK: false, Value: "0"},
		} {
			th, err := ParseThreshold(expr)
			g.Expect(err).NotTo(HaveOccurred())
			g.Expect(th.Eval(s)).To(Equal(want))
		}
	}
	g.Expect(Threshold{}.Eval(runSummary())).To(Equal(ThresholdResult{}))
}

func TestEvalThresholds(t *testing.T) {
	g := NewWithT(t)
	parse := func(exprs ...string) []Threshold {
		ts := make([]Threshold, len(exprs))
		for i, e := range exprs {
			var err error
			ts[i], err = ParseThreshold(e)
			g.Expect(err).NotTo(HaveOccurred())
		}
		return ts
	}
	results, ok := EvalThresholds(parse("p50 < 5ms", "lost == 2"), runSummary())
	g.Expect(ok).To(BeTrue())
	g.Expect(results).To(Equal([]ThresholdResult{{"p50 < 5ms", true, "1.2ms"}, {"lost == 2", true, "2"}}))

	results, ok = EvalThresholds(parse("p50 < 5ms", "p99 < 1s", "lost == 2"), runSummary())
	g.Expect(ok).To(BeFalse())
	g.Expect(results[1]).To(Equal(ThresholdResult{"p99 < 1s", false, "1s"}))

	results, ok = EvalThresholds(nil, runSummary())
	g.Expect(ok).To(BeTrue())
	g.Expect(results).NotTo(BeNil())
	g.Expect(results).To(BeEmpty())
}

func TestThresholdText(t *testing.T) {
	g := NewWithT(t)
	var th Threshold
	g.Expect(th.UnmarshalText([]byte(" lost == 0 "))).To(Succeed())
	g.Expect(th.Eval(&Summary{})).To(Equal(ThresholdResult{Expr: "lost == 0", OK: true, Value: "0"}))
	text, err := th.MarshalText()
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(string(text)).To(Equal("lost == 0"))
	g.Expect(th.UnmarshalText([]byte("lost ≈ 0"))).To(MatchError(ContainSubstring(`missing operator after lost`)))
}
