package conformance

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2" //nolint:revive // the Ginkgo DSL reads best unqualified

	"github.com/wxsim/wxsim/simulator"
	"github.com/wxsim/wxsim/simulator/wechat"
)

// The names of the report entries a case attaches. Reports (JSON, JUnit
// properties) carry them all; the console shows them for failed cases.
const (
	entryRequest       = "request"
	entryRequestPlain  = "request (decrypted)"
	entryReply         = "reply"
	entryReplyPlain    = "reply (decrypted)"
	entryExpected      = "expected"
	entrySeen          = "seen"
	entryFix           = "fix"
	entryNote          = "note"
	entrySummary       = "summary"
	entryLatencies     = "latencies"
	evidenceBodyLimit  = 4096
	evidenceVisibility = ReportEntryVisibilityFailureOrVerbose
)

// finding is why a case failed: what the requirement expected, what the
// endpoint did instead, and the fix from WeChat's troubleshooting guide.
type finding struct {
	expected, seen, fix string
}

// failCase fails the running case with its finding, which also becomes
// three report entries so machine-readable reports carry it apart.
func failCase(f finding) {
	AddReportEntry(entryExpected, f.expected, evidenceVisibility)
	AddReportEntry(entrySeen, f.seen, evidenceVisibility)
	AddReportEntry(entryFix, f.fix, evidenceVisibility)
	Fail(failureMessage(CurrentSpecReport().LeafNodeText, CurrentSpecReport().Labels(), f), 1)
}

// failureMessage puts the requirement first, so a JUnit failure message
// (which tools show alone) reads on its own.
func failureMessage(leaf string, labels []string, f finding) string {
	level := string(Must)
	for _, l := range labels {
		if l == string(Should) {
			level = string(Should)
		}
	}
	return fmt.Sprintf("[%s] %s\nexpected: %s\nseen:     %s\nfix:      %s", level, leaf, f.expected, f.seen, f.fix)
}

// note records something a passing case wants the report to say, such as
// why it had nothing to judge.
func note(format string, args ...any) {
	AddReportEntry(entryNote, fmt.Sprintf(format, args...), evidenceVisibility)
}

// attachExchange adds a delivery's raw request and reply, and their
// plaintext when encrypted, as report entries.
func attachExchange(x simulator.Exchange, p *wechat.Push, codec *wechat.Codec) {
	AddReportEntry(entryRequest, renderRequest(x), evidenceVisibility)
	if codec.Crypter() != nil && p != nil {
		AddReportEntry(entryRequestPlain, clip(p.AppendXML(nil)), evidenceVisibility)
	}
	AddReportEntry(entryReply, renderReply(x), evidenceVisibility)
	if x.Verdict.Encrypted && len(x.Verdict.Reply) > 0 {
		AddReportEntry(entryReplyPlain, clip(x.Verdict.Reply), evidenceVisibility)
	}
}

func renderRequest(x simulator.Exchange) string {
	return fmt.Sprintf("POST %s\nContent-Type: text/xml\nUser-Agent: Mozilla/4.0\n\n%s", x.URL, clip(x.RequestBody))
}

// renderReply shows the reply as received, or why none came.
func renderReply(x simulator.Exchange) string {
	o := x.Outcome
	if x.Status == 0 {
		return fmt.Sprintf("no reply: %s (%s) after %s", o.Class, o.Detail, o.Latency.Round(time.Millisecond))
	}
	body := clip(x.Reply)
	if len(x.Reply) == 0 {
		body = "(empty body)"
	}
	return fmt.Sprintf("HTTP %d %s after %s\n\n%s", x.Status, http.StatusText(x.Status), o.Latency.Round(time.Millisecond), body)
}

// clip keeps evidence readable and reports bounded.
func clip(b []byte) string {
	if len(b) > evidenceBodyLimit {
		return string(b[:evidenceBodyLimit]) + fmt.Sprintf("… (%d bytes in all)", len(b))
	}
	return string(b)
}

// quote shows a short body inline in a finding.
func quote(b []byte) string {
	const max = 120
	s := strings.TrimSpace(string(b))
	if len(s) > max {
		s = s[:max] + "…"
	}
	if s == "" {
		return "an empty body"
	}
	return fmt.Sprintf("%q", s)
}

// seenExchange says in one line what came back for a delivery.
func seenExchange(x simulator.Exchange) string {
	o := x.Outcome
	switch {
	case x.Status == 0:
		return fmt.Sprintf("no reply: %s (%s) after %s", o.Class, o.Detail, o.Latency.Round(time.Millisecond))
	case o.Reason == wechat.ReasonTooLarge:
		return fmt.Sprintf("HTTP %d with a reply over the %d-byte limit", x.Status, len(x.Reply)-1)
	case o.Class == simulator.OK:
		return fmt.Sprintf("HTTP %d, %s after %s", x.Status, replyWords(x.Verdict.ReplyType), o.Latency.Round(time.Millisecond))
	}
	return fmt.Sprintf("HTTP %d, %s: %s, body %s", x.Status, o.Reason, o.Detail, quote(x.Reply))
}

// replyWords names a reply type for a sentence.
func replyWords(t string) string {
	switch t {
	case wechat.ReplySuccess:
		return `"success"`
	case wechat.ReplyEmpty:
		return "an empty body"
	case "":
		return "a reply"
	}
	return "a " + t + " passive reply"
}
