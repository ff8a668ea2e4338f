package simulator

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/wxsim/wxsim/simulator/wechat"
)

// Threshold is one pass/fail criterion on a run's Summary, such as
// "p99 < 1s" or "ok_ratio >= 0.999" (`--threshold`, repeatable, and the
// scenario's thresholds). Build it with ParseThreshold; the zero value
// never holds.
type Threshold struct {
	Expr string // the expression as written, without surrounding space

	metric *thresholdMetric
	op     thresholdOp
	bound  float64 // in the metric's unit: milliseconds for latencies
}

// ErrInvalidThreshold matches (errors.Is) every error ParseThreshold returns.
var ErrInvalidThreshold = errors.New("invalid threshold")

// thresholdError says which expression is wrong and how.
type thresholdError struct{ expr, problem string }

func (e *thresholdError) Error() string        { return fmt.Sprintf("threshold %q: %s", e.expr, e.problem) }
func (e *thresholdError) Is(target error) bool { return target == ErrInvalidThreshold }

// ParseThreshold reads a threshold expression. The grammar, in the EBNF of
// the Go spec, with optional whitespace between tokens:
//
//	Threshold   = LatencyTest | RatioTest | NumberTest .
//	LatencyTest = Latency Op Duration .
//	RatioTest   = Ratio Op Number .                 (0 <= Number <= 1)
//	NumberTest  = Counter Op Number .
//	Latency     = "p50" | "p90" | "p95" | "p99" | "max" .
//	Ratio       = ( Outcome | Reason ) "_ratio" .
//	Outcome     = "ok" | "dns_failure" | "connect_timeout" | "connect_failure" |
//	              "request_timeout" | "response_failure" | "blocked" .
//	Reason      = "http_status" | "not_xml" | "bad_reply" | "wrong_swap" |
//	              "bad_msg_signature" | "decrypt_failed" | "wrong_appid" |
//	              "unencrypted" | "too_large" .
//	Counter     = "markfail" | "alarms" | "lost" | "late" | "unsent" | "retries" | "achieved_rate" .
//	Op          = "<" | "<=" | ">" | ">=" | "==" | "!=" .
//	Duration    = a Go duration (time.ParseDuration): "250ms", "1s", "1m30s", "0" .
//	Number      = a finite decimal (strconv.ParseFloat): "0", "0.999", "1e-3" .
//
// What each metric measures in a Summary:
//
//	p50 … max        LatencyMS, from the intended send time
//	<outcome>_ratio  Outcomes[outcome] / the sum of Outcomes (attempts and blocked pushes)
//	<reason>_ratio   Reasons[reason] / Deliveries
//	markfail         the number of MarkFail blocks
//	alarms           the number of alarms raised
//	lost, late, unsent, retries, achieved_rate   the Summary fields of those names
//
// A ratio whose denominator is 0 is 0. Unlike k6 before its issue #1526,
// an unknown metric is an error here, never a threshold that silently holds.
func ParseThreshold(expr string) (Threshold, error) {
	s := strings.TrimSpace(expr)
	bad := func(format string, args ...any) (Threshold, error) {
		return Threshold{}, &thresholdError{expr: s, problem: fmt.Sprintf(format, args...)}
	}
	if s == "" {
		return bad("empty expression (want e.g. p99 < 1s)")
	}
	name, rest := splitToken(s, isMetricByte)
	if name == "" {
		return bad("missing metric before %q (want e.g. p99 < 1s)", rest)
	}
	m := thresholdMetrics[name]
	if m == nil {
		return bad("unknown metric %q (known: %s)", name, strings.Join(thresholdMetricNames, ", "))
	}
	opText, rest := splitToken(strings.TrimLeft(rest, " \t"), isOpByte)
	op, ok := parseThresholdOp(opText)
	switch {
	case opText == "":
		return bad("missing operator after %s (want %s)", name, thresholdOpList)
	case !ok:
		return bad("unknown operator %q (want %s)", opText, thresholdOpList)
	}
	value := strings.TrimSpace(rest)
	if value == "" {
		return bad("missing value after %q", opText)
	}
	bound, problem := m.unit.parse(name, value)
	if problem != "" {
		return bad("%s", problem)
	}
	return Threshold{Expr: s, metric: m, op: op, bound: bound}, nil
}

// splitToken splits s after its longest prefix of bytes in the class.
func splitToken(s string, in func(byte) bool) (token, rest string) {
	i := 0
	for i < len(s) && in(s[i]) {
		i++
	}
	return s[:i], s[i:]
}

// isMetricByte accepts the bytes of metric names, and upper case so that
// "P99" is reported as an unknown metric rather than a missing operator.
func isMetricByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
}

// isOpByte accepts the bytes of operators, so "=>" is read whole and
// reported as an unknown operator.
func isOpByte(c byte) bool { return c == '<' || c == '>' || c == '=' || c == '!' }

// Eval judges the threshold against a run's summary (nil reads as an empty
// run). Value is the measured value in the expression's unit, e.g. "3.1ms",
// "0.9995" or "2", with just enough digits to show why it held or not.
func (t Threshold) Eval(s *Summary) ThresholdResult {
	if t.metric == nil {
		return ThresholdResult{Expr: t.Expr}
	}
	if s == nil {
		s = &Summary{}
	}
	v := t.metric.value(s)
	ok := t.op.holds(v, t.bound)
	return ThresholdResult{Expr: t.Expr, OK: ok, Value: t.metric.unit.format(v, t.bound, t.op, ok)}
}

// EvalThresholds judges every threshold; allOK is true when all held (and
// when there are none). results is never nil, so the JSON shows [].
func EvalThresholds(ts []Threshold, s *Summary) (results []ThresholdResult, allOK bool) {
	results = make([]ThresholdResult, len(ts))
	allOK = true
	for i, t := range ts {
		results[i] = t.Eval(s)
		allOK = allOK && results[i].OK
	}
	return results, allOK
}

// String returns the expression.
func (t Threshold) String() string { return t.Expr }

// MarshalText implements encoding.TextMarshaler for scenario files.
func (t Threshold) MarshalText() ([]byte, error) { return []byte(t.Expr), nil }

// UnmarshalText implements encoding.TextUnmarshaler for scenario files.
func (t *Threshold) UnmarshalText(b []byte) error {
	v, err := ParseThreshold(string(b))
	if err != nil {
		return err
	}
	*t = v
	return nil
}

// thresholdOp is a comparison operator.
type thresholdOp uint8

const (
	opLess thresholdOp = iota
	opLessEqual
	opGreater
	opGreaterEqual
	opEqual
	opNotEqual
	numThresholdOps
)

var thresholdOpNames = [numThresholdOps]string{"<", "<=", ">", ">=", "==", "!="}

const thresholdOpList = "<, <=, >, >=, == or !="

func parseThresholdOp(s string) (thresholdOp, bool) {
	for i, n := range thresholdOpNames {
		if n == s {
			return thresholdOp(i), true
		}
	}
	return 0, false
}

// holds reports whether "v op bound" is true.
func (o thresholdOp) holds(v, bound float64) bool {
	switch o {
	case opLess:
		return v < bound
	case opLessEqual:
		return v <= bound
	case opGreater:
		return v > bound
	case opGreaterEqual:
		return v >= bound
	case opEqual:
		return v == bound
	case opNotEqual:
		return v != bound
	}
	return false
}

// thresholdUnit is what a metric measures, which decides how its bound is
// written and how its value is shown.
type thresholdUnit uint8

const (
	unitDuration thresholdUnit = iota // latency in ms, written as a Go duration
	unitRatio                         // 0 … 1
	unitCount                         // a whole number of things
	unitRate                          // pushes/s
)

// thresholdMetric is one left-hand side of the grammar.
type thresholdMetric struct {
	unit  thresholdUnit
	value func(*Summary) float64
}

// thresholdMetrics maps every metric name to its definition, and
// thresholdMetricNames lists them in grammar order for error messages.
var thresholdMetrics, thresholdMetricNames = buildThresholdMetrics()

func buildThresholdMetrics() (map[string]*thresholdMetric, []string) {
	ms := map[string]*thresholdMetric{}
	var names []string
	add := func(name string, unit thresholdUnit, value func(*Summary) float64) {
		ms[name] = &thresholdMetric{unit: unit, value: value}
		names = append(names, name)
	}
	add("p50", unitDuration, func(s *Summary) float64 { return s.LatencyMS.P50 })
	add("p90", unitDuration, func(s *Summary) float64 { return s.LatencyMS.P90 })
	add("p95", unitDuration, func(s *Summary) float64 { return s.LatencyMS.P95 })
	add("p99", unitDuration, func(s *Summary) float64 { return s.LatencyMS.P99 })
	add("max", unitDuration, func(s *Summary) float64 { return s.LatencyMS.Max })
	for _, c := range Classes() {
		key := c.String()
		add(key+"_ratio", unitRatio, func(s *Summary) float64 { return ratio(s.Outcomes[key], sumCounts(s.Outcomes)) })
	}
	for _, r := range wechat.Reasons() {
		key := string(r)
		add(key+"_ratio", unitRatio, func(s *Summary) float64 { return ratio(s.Reasons[key], s.Deliveries) })
	}
	add("markfail", unitCount, func(s *Summary) float64 { return float64(len(s.MarkFail)) })
	add("alarms", unitCount, func(s *Summary) float64 { return float64(len(s.Alarms)) })
	add("lost", unitCount, func(s *Summary) float64 { return float64(s.Lost) })
	add("late", unitCount, func(s *Summary) float64 { return float64(s.Late) })
	add("unsent", unitCount, func(s *Summary) float64 { return float64(s.Unsent) })
	add("retries", unitCount, func(s *Summary) float64 { return float64(s.Retries) })
	add("achieved_rate", unitRate, func(s *Summary) float64 { return s.Rate.Achieved })
	return ms, names
}

// ratio is n/d, and 0 when d is 0 (an empty run has no failures).
func ratio(n, d uint64) float64 {
	if d == 0 {
		return 0
	}
	return float64(n) / float64(d)
}

// sumCounts adds up a summary map such as Outcomes.
func sumCounts(m map[string]uint64) uint64 {
	var n uint64
	for _, v := range m {
		n += v
	}
	return n
}

// parse reads a bound written in the unit; problem is "" when it is valid.
func (u thresholdUnit) parse(metric, text string) (bound float64, problem string) {
	if u == unitDuration {
		d, err := time.ParseDuration(text)
		if err != nil {
			return 0, fmt.Sprintf("%s needs a duration such as 250ms or 1s, got %q", metric, text)
		}
		return float64(d) / float64(time.Millisecond), ""
	}
	v, err := strconv.ParseFloat(text, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		example := map[thresholdUnit]string{unitRatio: "0.999", unitCount: "0", unitRate: "200"}[u]
		return 0, fmt.Sprintf("%s needs a number such as %s, got %q", metric, example, text)
	}
	if u == unitRatio && (v < 0 || v > 1) {
		return 0, fmt.Sprintf("%s is a ratio between 0 and 1, got %s", metric, text)
	}
	return v, ""
}

// format shows a measured value in the unit: latencies as Go durations
// (exact to the nanosecond), counts as integers, ratios and rates with four
// significant digits, or more when fewer would misstate the verdict (a
// ratio of 0.99949 shown as "0.9995" next to ">= 0.9995 failed").
func (u thresholdUnit) format(v, bound float64, op thresholdOp, held bool) string {
	switch u {
	case unitDuration:
		return time.Duration(math.Round(v * float64(time.Millisecond))).String()
	case unitCount:
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	for digits := 4; digits < 17; digits++ {
		text := formatSignificant(v, digits)
		if shown, _ := strconv.ParseFloat(text, 64); op.holds(shown, bound) == held {
			return text
		}
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// formatSignificant prints v in plain decimal notation (never 1e+04) with
// the given number of significant digits, dropping trailing zeros.
func formatSignificant(v float64, digits int) string {
	if v == 0 {
		return "0"
	}
	decimals := max(digits-1-int(math.Floor(math.Log10(math.Abs(v)))), 0)
	text := strconv.FormatFloat(v, 'f', decimals, 64)
	if strings.Contains(text, ".") {
		text = strings.TrimRight(strings.TrimRight(text, "0"), ".")
	}
	return text
}
