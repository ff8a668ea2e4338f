package report

import (
	"bytes"
	"errors"
	"regexp"
	"strings"
	"testing"

	. "github.com/onsi/gomega"

	"github.com/wxsim/wxsim/simulator"
)

func TestWriteTextShowsEverySection(t *testing.T) {
	g := NewWithT(t)
	s := richSummary()
	s.Assumption.Retries = 2
	var buf bytes.Buffer
	g.Expect(WriteText(&buf, s)).To(Succeed())
	out := buf.String()

	for _, line := range []string{
		`^Pushes +\[total, deliveries, retries, lost, late\] +2500, 1450, 200, 1700, 10$`,
		`^Rate +\[target, achieved\] +50\.00/s, 13\.89/s$`,
		`^Latency ms +\[p50, p90, p95, p99, max\] +\d+\.\d\d, \d+\.\d\d, \d+\.\d\d, \d+\.\d\d, 5000\.00$`,
		`^  ok +800 +29\.63%$`,
		`^  dns_failure +0 +0\.00%$`, // zero classes are shown too
		`^  connect_failure +450 +16\.67%$`,
		`^  blocked +1250 +46\.30%$`,
		`^  not_xml +50 +50\.00%$`,
		`^  text +1750 +70\.00%$`,
		`^MarkFail blocks: 3$`,
		`^  \S+ \S+ \(\+39\.901s\) +\S+ \S+ \(\+1m39\.901s\) +1m0s +100/100 +-$`,
		`^Alarms: 7$`,
		`^\[1\] markfail$`,
		`^  Number of times: 100 times in 60 seconds$`,
		`^  ✗ p99 < 1s +  = 5s$`,
		`^  ✓ dns_failure_ratio < 0\.001 += 0$`,
		`^Assumptions: connect 3s, response 5s, retries 2, MarkFail: 100 failures and 50% of deliveries in 60s, block 60s, alarm threshold 30 per 5m, a new connection per push$`,
	} {
		g.Expect(out).To(MatchRegexp(`(?m)`+line), "missing line %s", line)
	}
	g.Expect(out).NotTo(ContainSubstring("wrong_swap"), "zero reasons are left out")
}

func TestWriteTextAlignsColumns(t *testing.T) {
	g := NewWithT(t)
	var buf bytes.Buffer
	g.Expect(WriteText(&buf, richSummary())).To(Succeed())
	// The counts of the outcomes table start in one column.
	re := regexp.MustCompile(`(?m)^  (ok|dns_failure|response_failure|blocked) +\d`)
	var cols []int
	for _, m := range re.FindAllStringIndex(buf.String(), -1) {
		line := buf.String()[m[0]:m[1]]
		cols = append(cols, len(line))
	}
	g.Expect(cols).To(HaveLen(4))
	g.Expect(cols).To(HaveEach(cols[0]))
}

func TestWriteTextRendersAlarmsInTheLanguageAsked(t *testing.T) {
	g := NewWithT(t)
	s := richSummary()
	var en, zh bytes.Buffer
	g.Expect(WriteText(&en, s)).To(Succeed())
	g.Expect(WriteText(&zh, s, Lang("zh"))).To(Succeed())
	g.Expect(en.String()).To(ContainSubstring(indent(simulator.RenderAlarm(s.Alarms[0], "en"), "  ")))
	g.Expect(zh.String()).To(ContainSubstring(indent(simulator.RenderAlarm(s.Alarms[0], "zh"), "  ")))
	g.Expect(zh.String()).To(ContainSubstring("次数: 60秒 100次"))
}

func TestWriteTextEmptyRun(t *testing.T) {
	g := NewWithT(t)
	var buf bytes.Buffer
	g.Expect(WriteText(&buf, &simulator.Summary{})).To(Succeed())
	g.Expect(buf.String()).To(ContainSubstring("MarkFail blocks: none"))
	g.Expect(buf.String()).To(ContainSubstring("Alarms: none"))
	g.Expect(buf.String()).To(ContainSubstring("Rate        [target, achieved]                        none (a closed loop, or a capacity search of several rates), 0.00/s"))
	g.Expect(buf.String()).To(ContainSubstring("Assumptions: not recorded"))
}

func TestWriteTextReportsWriteErrors(t *testing.T) {
	g := NewWithT(t)
	err := WriteText(failingWriter{}, richSummary())
	g.Expect(err).To(MatchError(ContainSubstring("write text report")))
	g.Expect(errors.Is(err, errDiskFull)).To(BeTrue())
}

var errDiskFull = errors.New("disk full")

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errDiskFull }

// lines splits s into lines without their trailing blanks (tabwriter pads
// the last cells of a table), for readable comparisons.
func lines(s string) []string {
	ls := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i := range ls {
		ls[i] = strings.TrimRight(ls[i], " ")
	}
	return ls
}
