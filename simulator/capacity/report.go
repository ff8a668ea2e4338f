package capacity

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/wxsim/wxsim/simulator"
	"github.com/wxsim/wxsim/simulator/report"
)

// The table's columns, fixed-width so that rows can be printed as the steps
// end (a tabwriter would wait for the whole table).
const (
	tableHeader = "step  offered/s  achieved/s     ok %%       p50        p99  timeouts  failures  markfail   cpu  verdict\n"
	tableRow    = "%4d  %9s  %10.1f  %7.2f  %8s  %9s  %8d  %8d  %8d  %4s  %s\n"
)

// WriteHeader writes the table's header line.
func WriteHeader(w io.Writer) error {
	_, err := fmt.Fprintf(w, tableHeader)
	return err
}

// WriteStep writes one step as a table row.
func WriteStep(w io.Writer, st Step) error {
	verdict := string(st.Verdict)
	if st.Why != "" {
		verdict += ": " + st.Why
	}
	_, err := fmt.Fprintf(w, tableRow, st.Index, formatRate(st.Rate), st.Achieved, 100*st.OKRatio,
		formatMS(st.P50MS), formatMS(st.P99MS), st.Timeouts, st.Failures, st.MarkFail, formatCPU(st.CPU), verdict)
	return err
}

// WriteKnee writes the conclusion: the knee, and what ended the search.
func WriteKnee(w io.Writer, r *Result) error {
	_, err := fmt.Fprintln(w, KneeLine(r))
	return err
}

// KneeLine says what the search found, in one sentence.
func KneeLine(r *Result) string {
	unit := "step"
	if r.Mode == ModeRamp {
		unit = "window"
	}
	last := func() Step { return r.Steps[len(r.Steps)-1] }
	switch {
	case len(r.Steps) == 0 && r.Limit == Interrupted && r.Mode == ModeRamp:
		return "knee: none: interrupted before the first " + unit + " was judged"
	case len(r.Steps) == 0:
		return "knee: none: no " + unit + " ran"
	case r.KneeStep < 0 && r.Limit == Generator:
		return fmt.Sprintf("knee: none: the generator could not offer even %s/s (%s)", formatRate(last().Rate), last().Why)
	case r.KneeStep < 0 && r.Limit == Interrupted:
		return "knee: none: interrupted during the first " + unit
	case r.KneeStep < 0:
		return fmt.Sprintf("knee: none: the first %s, %s/s, did not hold: %s", unit, formatRate(last().Rate), last().Why)
	}
	knee := "knee: " + formatRate(r.Knee) + "/s, the highest rate at which every threshold held"
	switch {
	case r.Limit == Breached:
		return fmt.Sprintf("%s; at %s/s: %s", knee, formatRate(last().Rate), last().Why)
	case r.Limit == Generator:
		return fmt.Sprintf("%s; a lower bound: at %s/s %s", knee, formatRate(last().Rate), last().Why)
	case r.Limit == Interrupted && r.Mode == ModeRamp:
		return knee + "; a lower bound: the ramp was interrupted"
	case r.Limit == Interrupted:
		return knee + "; a lower bound: interrupted at " + formatRate(last().Rate) + "/s"
	case r.Mode == ModeRamp:
		return knee + "; a lower bound: every window of the ramp held"
	}
	return knee + "; a lower bound: every step held up to the maximum rate"
}

// jsonResult is the --json object; keys are stable.
type jsonResult struct {
	Mode         Mode     `json:"mode"`
	Knee         float64  `json:"knee"`
	Limit        Verdict  `json:"limit"`
	Conclusion   string   `json:"conclusion"`
	StepDuration string   `json:"step_duration"`  // a ramp's: its windows'
	Ramp         string   `json:"ramp,omitempty"` // a ramp's length
	From         float64  `json:"from,omitempty"` // a ramp's first rate …
	To           float64  `json:"to,omitempty"`   // … and its last
	Thresholds   []string `json:"thresholds"`
	Steps        []Step   `json:"steps"`
}

// WriteJSON writes the result as one JSON object: mode (steps or ramp),
// knee (the rate, 0 for none), limit (breached, generator, interrupted or
// max_rate), the steps (a ramp's windows).
func WriteJSON(w io.Writer, r *Result, cfg Config) error {
	out := jsonResult{Mode: r.Mode, Knee: r.Knee, Limit: r.Limit, Conclusion: KneeLine(r),
		StepDuration: cfg.StepDuration.String(), Thresholds: []string{}, Steps: r.Steps}
	if r.Mode == ModeRamp {
		out.StepDuration, out.Ramp = cfg.window().String(), cfg.Ramp.String()
		out.From, out.To = cfg.Rates[0], cfg.Rates[len(cfg.Rates)-1]
	}
	for _, t := range cfg.Thresholds {
		out.Thresholds = append(out.Thresholds, t.Expr)
	}
	if out.Steps == nil {
		out.Steps = []Step{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false) // thresholds read "p99 < 1s", not "p99 \u003c 1s"
	if err := enc.Encode(out); err != nil {
		return fmt.Errorf("write capacity json: %w", err)
	}
	return nil
}

// WriteHTML writes the whole search as wxsim's HTML report: latency and
// outcomes over time across every step, each step's start marked with its
// rate and the knee marked where its step began. A ramp's windows are too
// many to mark each: its start, the knee's window and the window that
// ended it are marked.
func WriteHTML(w io.Writer, r *Result, title string) error {
	var ms []report.Marker
	for i, st := range r.Steps {
		label := formatRate(st.Rate) + "/s"
		switch {
		case i == r.KneeStep:
			label = "knee " + label
		case r.Mode != ModeRamp, i == 0:
		case st.Verdict != Held:
			label = string(st.Verdict) + " " + label
		default:
			continue
		}
		ms = append(ms, report.Marker{Time: st.Start, Label: label})
	}
	s := r.Summary
	if s == nil {
		s = &simulator.Summary{}
	}
	return report.WriteHTML(w, s, r.Series, title, report.Markers(ms...))
}

// formatRate prints a rate without float noise: 300, 0.5, 333.3.
func formatRate(r float64) string {
	return strconv.FormatFloat(float64(int64(r*10+0.5))/10, 'f', -1, 64)
}

// formatMS prints milliseconds as a short duration.
func formatMS(ms float64) string {
	d := time.Duration(ms * float64(time.Millisecond))
	switch {
	case d >= time.Second:
		return d.Round(time.Millisecond).String()
	case d >= time.Millisecond:
		return d.Round(10 * time.Microsecond).String()
	}
	return d.Round(time.Microsecond).String()
}

// formatCPU prints a CPU share as a percentage, "-" when unknown.
func formatCPU(c float64) string {
	if c < 0 {
		return "-"
	}
	return strconv.Itoa(int(100*c+0.5)) + "%"
}
