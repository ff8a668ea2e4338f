package report

import (
	"cmp"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/wxsim/wxsim/simulator"
)

// textTimeLayout is how the text report prints instants: local time, like
// WeChat's alarm messages, with the offset into the run beside it.
const textTimeLayout = "2006-01-02 15:04:05"

// WriteText writes s as an aligned human report, in the manner of vegeta's
// text report but in WeChat's terms: pushes and their fate, rate, latency,
// outcomes, reasons, kinds, MarkFail blocks, alarms (in the language set
// with Lang), thresholds and the assumptions the run was judged by.
func WriteText(w io.Writer, s *simulator.Summary, opts ...Option) error {
	o := newOptions(opts)
	ew := &errWriter{w: w}
	writeTotals(ew, s)
	writeOutcomes(ew, s)
	writeReasons(ew, s)
	writeKinds(ew, s)
	writeBlocks(ew, s)
	writeAlarms(ew, s, o.lang)
	writeThresholds(ew, s)
	ew.printf("\nAssumptions: %s\n", assumptionsLine(s.Assumption))
	if ew.err != nil {
		return fmt.Errorf("write text report: %w", ew.err)
	}
	return nil
}

// writeTotals writes the head of the report: counts, rate, duration and
// latency, one labelled line each.
func writeTotals(ew *errWriter, s *simulator.Summary) {
	tw := ew.table()
	l := s.LatencyMS
	fmt.Fprintf(tw, "Pushes\t[total, deliveries, retries, lost, late]\t%d, %d, %d, %d, %d\n",
		s.Pushes, s.Deliveries, s.Retries, s.Lost, s.Late)
	fmt.Fprintf(tw, "Rate\t[target, achieved]\t%s, %.2f/s\n", targetRate(s.Rate.Target), s.Rate.Achieved)
	fmt.Fprintf(tw, "Duration\t[total, start, end]\t%s, %s, %s\n",
		cmp.Or(s.Duration, "0s"), stamp(s.Start), stamp(s.End))
	fmt.Fprintf(tw, "Latency ms\t[p50, p90, p95, p99, max]\t%s, %s, %s, %s, %s\n",
		ms(l.P50), ms(l.P90), ms(l.P95), ms(l.P99), ms(l.Max))
	fmt.Fprintf(tw, "Lost\t[ratio]\t%s\n", percent(s.Lost, s.Pushes))
	if s.Unsent > 0 {
		fmt.Fprintf(tw, "Unsent\t[due, never sent]\t%d (the generator fell behind: the rate offered was not the rate asked)\n", s.Unsent)
	}
	for _, e := range s.SinkErrors {
		fmt.Fprintf(tw, "Alarm sink\t[error]\t%s\n", e)
	}
	ew.flush(tw)
}

// writeOutcomes writes every class, zero ones included, so a reader sees
// at a glance what did not happen too.
func writeOutcomes(ew *errWriter, s *simulator.Summary) {
	total := sum(s.Outcomes)
	ew.printf("\nOutcomes (deliveries, plus blocked pushes)\n")
	tw := ew.table()
	fmt.Fprintf(tw, "  outcome\tcount\t%%\n")
	known := map[string]bool{}
	for _, c := range simulator.Classes() {
		known[c.String()] = true
		fmt.Fprintf(tw, "  %s\t%d\t%s\n", c, s.Outcomes[c.String()], percent(s.Outcomes[c.String()], total))
	}
	for _, k := range slices.Sorted(maps.Keys(s.Outcomes)) {
		if !known[k] {
			fmt.Fprintf(tw, "  %s\t%d\t%s\n", k, s.Outcomes[k], percent(s.Outcomes[k], total))
		}
	}
	ew.flush(tw)
}

// writeReasons writes why replies were rejected, non-zero reasons only.
func writeReasons(ew *errWriter, s *simulator.Summary) {
	total := sum(s.Reasons)
	if total == 0 {
		return
	}
	ew.printf("\nResponse failures by reason\n")
	writeCounts(ew, "reason", s.Reasons, total)
}

// writeKinds writes the pushes by kind.
func writeKinds(ew *errWriter, s *simulator.Summary) {
	total := sum(s.Kinds)
	if total == 0 {
		return
	}
	ew.printf("\nPushes by kind\n")
	writeCounts(ew, "kind", s.Kinds, total)
}

// writeCounts writes the non-zero entries of m, largest first, with their
// share of total.
func writeCounts(ew *errWriter, head string, m map[string]uint64, total uint64) {
	tw := ew.table()
	fmt.Fprintf(tw, "  %s\tcount\t%%\n", head)
	for _, k := range byCount(m) {
		fmt.Fprintf(tw, "  %s\t%d\t%s\n", k, m[k], percent(m[k], total))
	}
	ew.flush(tw)
}

// writeBlocks writes the MarkFail blocks, or says there were none.
func writeBlocks(ew *errWriter, s *simulator.Summary) {
	if len(s.MarkFail) == 0 {
		ew.printf("\nMarkFail blocks: none\n")
		return
	}
	ew.printf("\nMarkFail blocks: %d\n", len(s.MarkFail))
	tw := ew.table()
	fmt.Fprintf(tw, "  start\tend\tblocked for\tfailures/deliveries\taccount\n")
	for _, b := range s.MarkFail {
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%d/%d\t%s\n", since(b.Start, s.Start), since(b.End, s.Start),
			b.End.Sub(b.Start).Round(time.Millisecond), b.Failures, b.Deliveries, cmp.Or(b.Account, "-"))
	}
	ew.flush(tw)
}

// writeAlarms writes each alarm as WeChat's alarm group would show it.
func writeAlarms(ew *errWriter, s *simulator.Summary, lang string) {
	if len(s.Alarms) == 0 {
		ew.printf("\nAlarms: none\n")
		return
	}
	ew.printf("\nAlarms: %d\n", len(s.Alarms))
	for i, al := range s.Alarms {
		ew.printf("\n[%d] %s\n", i+1, al.Type)
		ew.printf("%s", indent(simulator.RenderAlarm(al, lang), "  "))
	}
}

// writeThresholds writes each threshold's verdict: ✓ or ✗, the expression
// and the measured value.
func writeThresholds(ew *errWriter, s *simulator.Summary) {
	if len(s.Thresholds) == 0 {
		return
	}
	ew.printf("\nThresholds\n")
	tw := ew.table()
	for _, t := range s.Thresholds {
		mark := "✗"
		if t.OK {
			mark = "✓"
		}
		fmt.Fprintf(tw, "  %s %s\t= %s\n", mark, t.Expr, t.Value)
	}
	ew.flush(tw)
}

// assumptionsLine renders the rules in force, e.g. "connect 3s, response
// 5s, retries 2, MarkFail: 100 failures and 50% of deliveries in 60s, block
// 60s, alarm threshold 30". A stream read back from files carries none
// unless the reader was told them.
func assumptionsLine(a simulator.Assumptions) string {
	if a == (simulator.Assumptions{}) {
		return "not recorded"
	}
	conns := "a new connection per push"
	if a.KeepAlive {
		conns = "connections kept alive"
	}
	return fmt.Sprintf("connect %s, response %s, retries %d, MarkFail: %s, alarm threshold %d per %s, %s",
		cmp.Or(a.ConnectTimeout, "?"), cmp.Or(a.ResponseTimeout, "?"), a.Retries,
		cmp.Or(a.MarkFail, "?"), a.AlarmThreshold, cmp.Or(a.AlarmWindow, "?"), conns)
}

// errWriter keeps the first write error, so sections need not check each
// line (tabwriters buffer until flush, which reports it).
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) printf(format string, a ...any) {
	if e.err == nil {
		_, e.err = fmt.Fprintf(e.w, format, a...)
	}
}

// table returns a tabwriter over e, aligned like vegeta's reports.
func (e *errWriter) table() *tabwriter.Writer {
	return tabwriter.NewWriter(e, 0, 8, 2, ' ', 0)
}

func (e *errWriter) flush(tw *tabwriter.Writer) {
	if err := tw.Flush(); err != nil && e.err == nil {
		e.err = err
	}
}

// Write makes errWriter the sink of its tabwriters.
func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(p)
	e.err = err
	return n, err
}

// targetRate prints the rate asked for; 0 is a closed loop, or a capacity
// search, which asks for several.
func targetRate(r float64) string {
	if r == 0 {
		return "none (a closed loop, or a capacity search of several rates)"
	}
	return fmt.Sprintf("%.2f/s", r)
}

func ms(v float64) string { return fmt.Sprintf("%.2f", v) }

func percent(n, total uint64) string {
	if total == 0 {
		return "0.00%"
	}
	return fmt.Sprintf("%.2f%%", float64(n)*100/float64(total))
}

func sum(m map[string]uint64) (t uint64) {
	for _, v := range m {
		t += v
	}
	return t
}

// byCount returns m's keys with a non-zero count, largest count first.
func byCount(m map[string]uint64) []string {
	keys := slices.Collect(maps.Keys(m))
	keys = slices.DeleteFunc(keys, func(k string) bool { return m[k] == 0 })
	slices.SortFunc(keys, func(a, b string) int {
		return cmp.Or(cmp.Compare(m[b], m[a]), strings.Compare(a, b))
	})
	return keys
}

// stamp prints an instant in local time, "-" when unknown.
func stamp(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.Local().Format(textTimeLayout)
}

// since prints an instant with its offset from the run's start.
func since(t, start time.Time) string {
	if start.IsZero() {
		return stamp(t)
	}
	return fmt.Sprintf("%s (+%s)", stamp(t), t.Sub(start).Round(time.Millisecond))
}

// indent prefixes every line of s.
func indent(s, prefix string) string {
	lines := strings.SplitAfter(s, "\n")
	var b strings.Builder
	for _, l := range lines {
		if l != "" {
			b.WriteString(prefix + l)
		}
	}
	return b.String()
}
