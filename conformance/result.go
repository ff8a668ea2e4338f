package conformance

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/onsi/ginkgo/v2/types"
)

// State is what became of a case in a run.
type State string

// The case states. A skipped case ran but did not apply (plain mode, an
// opt-in area, nothing to judge because another case failed); a case that
// was not selected was filtered out by --focus or --label-filter.
const (
	Passed      State = "passed"
	Failed      State = "failed"
	Skipped     State = "skipped"
	NotSelected State = "not_selected"
	Interrupted State = "interrupted" // stopped by Ctrl-C or a timeout of the whole run: no verdict
)

// CaseResult is one case's outcome: the record every reporter consumes.
type CaseResult struct {
	Requirement
	State    State
	Expected string // for failed cases: what the requirement expected
	Seen     string // … what the endpoint did instead
	Fix      string // … and what to do, from WeChat's troubleshooting guide
	Message  string // the failure message, or why the case was skipped
	Duration time.Duration
	Evidence []Evidence // the raw request and reply, summaries, notes
}

// Evidence is one report entry of a case: a name and its text.
type Evidence struct {
	Name, Value string
}

// Result is a whole run. Passed holds when every selected must case passed
// (and, with Strict, every should case), the run was not interrupted, and
// at least one case was selected: a gate never passes on nothing.
type Result struct {
	Cases       []CaseResult
	Strict      bool
	Passed      bool
	Interrupted bool
	Problems    []string // suite-level failures: interrupts, failing report nodes
	Duration    time.Duration
}

// resultOf reads a Ginkgo report into a Result.
func resultOf(r types.Report, strict bool) Result {
	res := Result{Strict: strict, Duration: r.RunTime}
	res.Problems = append(res.Problems, r.SpecialSuiteFailureReasons...)
	for _, sr := range r.SpecReports {
		c, ok := caseOf(sr)
		if !ok {
			if sr.State.Is(types.SpecStateFailureStates) {
				res.Problems = append(res.Problems, fmt.Sprintf("%s %s: %s", sr.LeafNodeType, sr.LeafNodeText, firstLineOf(sr.Failure.Message)))
			}
			continue
		}
		if c.State == Interrupted {
			res.Interrupted = true
		}
		res.Cases = append(res.Cases, c)
	}
	for _, p := range r.SpecialSuiteFailureReasons {
		if strings.Contains(strings.ToLower(p), "interrupt") {
			res.Interrupted = true
		}
	}
	res.Passed = !res.Interrupted && len(res.Problems) == 0 && len(res.failing()) == 0 && res.Selected() > 0
	return res
}

// caseOf reads one spec report; ok is false for nodes that are not cases.
func caseOf(sr types.SpecReport) (CaseResult, bool) {
	if sr.LeafNodeType != types.NodeTypeIt {
		return CaseResult{}, false
	}
	id, text, ok := parseSpecText(sr.LeafNodeText)
	if !ok {
		return CaseResult{}, false
	}
	area, _, _ := strings.Cut(id, "/")
	c := CaseResult{Requirement: Requirement{ID: id, Level: Must, Area: area, Text: text}, Duration: sr.RunTime}
	for _, l := range sr.Labels() {
		if l == string(Should) {
			c.Level = Should
		}
	}
	switch {
	case sr.State == types.SpecStatePassed:
		c.State = Passed
	case sr.State == types.SpecStateSkipped && sr.Failure.Message != "":
		c.State, c.Message = Skipped, sr.Failure.Message
	case sr.State.Is(types.SpecStateSkipped | types.SpecStatePending):
		c.State = NotSelected
	case sr.State.Is(types.SpecStateInterrupted | types.SpecStateAborted):
		c.State, c.Message = Interrupted, firstLineOf(sr.Failure.Message)
	default:
		c.State, c.Message = Failed, sr.Failure.Message
		if sr.State != types.SpecStateFailed {
			c.Message = fmt.Sprintf("%s: %s", sr.State, firstLineOf(sr.Failure.Message+sr.Failure.ForwardedPanic))
		}
	}
	for _, e := range sr.ReportEntries {
		v := e.StringRepresentation()
		switch e.Name {
		case entryExpected:
			c.Expected = v
		case entrySeen:
			c.Seen = v
		case entryFix:
			c.Fix = v
		default:
			c.Evidence = append(c.Evidence, Evidence{Name: e.Name, Value: v})
		}
	}
	return c, true
}

// failing lists the failed cases that make the run fail: must cases, and
// should cases too under Strict.
func (r Result) failing() []CaseResult {
	var out []CaseResult
	for _, c := range r.Cases {
		if c.State == Failed && (c.Level == Must || r.Strict) {
			out = append(out, c)
		}
	}
	return out
}

// Selected counts the cases the run selected (not filtered out).
func (r Result) Selected() int {
	n := 0
	for _, c := range r.Cases {
		if c.State != NotSelected {
			n++
		}
	}
	return n
}

// Count counts the cases in state st at level lv ("" for both levels).
func (r Result) Count(st State, lv Level) int {
	n := 0
	for _, c := range r.Cases {
		if c.State == st && (lv == "" || c.Level == lv) {
			n++
		}
	}
	return n
}

// FailedIDs lists the IDs of every failed case, whatever its level.
func (r Result) FailedIDs() []string {
	var ids []string
	for _, c := range r.Cases {
		if c.State == Failed {
			ids = append(ids, c.ID)
		}
	}
	return ids
}

// writeCase prints one case as it ends: a status line, and for a failure
// what was expected, what was seen and the fix.
func writeCase(w io.Writer, c CaseResult) {
	tag := map[State]string{Passed: "PASS", Failed: "FAIL", Skipped: "SKIP", Interrupted: "STOP"}[c.State]
	fmt.Fprintf(w, "%-4s  %-38s %-6s  %s\n", tag, c.ID, c.Level, c.Text)
	switch c.State {
	case Failed:
		if c.Expected == "" {
			fmt.Fprintf(w, "      %s\n", strings.ReplaceAll(strings.TrimSpace(c.Message), "\n", "\n      "))
			return
		}
		fmt.Fprintf(w, "      expected: %s\n      seen:     %s\n      fix:      %s\n", c.Expected, c.Seen, c.Fix)
	case Skipped, Interrupted:
		fmt.Fprintf(w, "      %s\n", c.Message)
	}
}

// WriteResult prints a run's verdict: counts by state and level, the
// failed cases' IDs, and whether the run passed and why.
func WriteResult(w io.Writer, r Result) error {
	_, err := fmt.Fprintf(w, "\n%d cases selected: %d passed, %d failed (%d must, %d should), %d skipped; %s\n",
		r.Selected(), r.Count(Passed, ""), r.Count(Failed, ""), r.Count(Failed, Must), r.Count(Failed, Should),
		r.Count(Skipped, ""), r.Duration.Round(time.Millisecond))
	if err != nil {
		return err
	}
	if ids := r.FailedIDs(); len(ids) > 0 {
		fmt.Fprintf(w, "failed: %s\n", strings.Join(ids, ", "))
	}
	for _, p := range r.Problems {
		fmt.Fprintf(w, "problem: %s\n", p)
	}
	_, err = fmt.Fprintln(w, verdictLine(r))
	return err
}

func verdictLine(r Result) string {
	switch {
	case r.Selected() == 0:
		return "NOTHING RAN: no case matched the selection"
	case r.Interrupted:
		return "INTERRUPTED: the results above are incomplete"
	case r.Passed && r.Count(Failed, Should) > 0:
		return fmt.Sprintf("PASS: every must case passed; %d should case(s) failed, which --strict would count", r.Count(Failed, Should))
	case r.Passed && r.Strict:
		return "PASS: every must and should case passed (strict)"
	case r.Passed:
		return "PASS: every must case passed"
	case r.Strict:
		return "FAIL: a must or should case failed (strict)"
	}
	return "FAIL: a must case failed"
}

func firstLineOf(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
