package report

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"strconv"
	"time"

	"github.com/wxsim/wxsim/simulator"
)

//go:embed html.tmpl
var htmlSource string

// htmlTemplate escapes everything it is given: alarm samples and reply
// bodies come from the endpoint under test.
var htmlTemplate = template.Must(template.New("report").Parse(htmlSource))

// WriteHTML writes the run as one self-contained page (inline CSS and SVG,
// nothing fetched): the summary, latency p50/p99 and outcomes per second
// over time with MarkFail blocks shaded and alarms marked, the alarms,
// thresholds and assumptions. Options: Lang for the alarms, Markers for
// extra instants on the time axes (a capacity run's knee). The summary and
// the full series are embedded as JSON for machines.
func WriteHTML(w io.Writer, s *simulator.Summary, series []simulator.SecondBucket, title string, opts ...Option) error {
	if err := htmlTemplate.Execute(w, newPage(s, series, title, newOptions(opts))); err != nil {
		return fmt.Errorf("write html report: %w", err)
	}
	return nil
}

// page is what the template shows, formatted.
type page struct {
	Title, Start, End, Duration, Assumptions string
	Totals                                   []nameValue
	Outcomes, Reasons, Kinds                 []countRow
	Charts                                   []chart
	Blocks                                   []blockRow
	Alarms                                   []alarmRow
	Markers                                  []nameValue
	Thresholds                               []simulator.ThresholdResult
	Summary                                  *simulator.Summary
	Series                                   []simulator.SecondBucket
}

type nameValue struct{ Name, Value string }

type countRow struct {
	Name, Pct, Color string
	Count            uint64
}

type blockRow struct{ Start, End, For, Ratio, Account string }

type alarmRow struct {
	N          int
	Type, Text string
}

func newPage(s *simulator.Summary, series []simulator.SecondBucket, title string, o options) page {
	if title == "" {
		title = "wxsim report"
	}
	p := page{Title: title, Start: stamp(s.Start), End: stamp(s.End), Duration: s.Duration,
		Assumptions: assumptionsLine(s.Assumption), Totals: totals(s),
		Outcomes: outcomeRows(s), Reasons: countRows(s.Reasons), Kinds: countRows(s.Kinds),
		Thresholds: s.Thresholds, Summary: s, Series: series}
	if p.Series == nil {
		p.Series = []simulator.SecondBucket{}
	}
	ax := runAxis(s, series)
	pts, g := downsample(series)
	for _, c := range []chart{latencyChart(ax, pts, g), outcomeChart(ax, pts, g, s.Rate.Target)} {
		annotate(&c, ax, s, o.markers)
		p.Charts = append(p.Charts, c)
	}
	for _, b := range s.MarkFail {
		p.Blocks = append(p.Blocks, blockRow{Start: since(b.Start, s.Start), End: since(b.End, s.Start),
			For:   b.End.Sub(b.Start).Round(time.Millisecond).String(),
			Ratio: fmt.Sprintf("%d/%d", b.Failures, b.Deliveries), Account: b.Account})
	}
	for i, al := range s.Alarms {
		p.Alarms = append(p.Alarms, alarmRow{N: i + 1, Type: string(al.Type), Text: simulator.RenderAlarm(al, o.lang)})
	}
	for _, m := range o.markers {
		p.Markers = append(p.Markers, nameValue{Name: m.Label, Value: since(m.Time, s.Start)})
	}
	return p
}

// totals are the summary's headline figures.
func totals(s *simulator.Summary) []nameValue {
	l := s.LatencyMS
	u := func(n uint64) string { return strconv.FormatUint(n, 10) }
	return []nameValue{
		{"pushes", u(s.Pushes)}, {"deliveries", u(s.Deliveries)}, {"retries", u(s.Retries)},
		{"lost", u(s.Lost) + " (" + percent(s.Lost, s.Pushes) + ")"}, {"late", u(s.Late)},
		{"rate target", targetRate(s.Rate.Target)}, {"rate achieved", fmt.Sprintf("%.2f/s", s.Rate.Achieved)},
		{"latency p50 / p90 / p95 / p99 / max (ms)",
			ms(l.P50) + " / " + ms(l.P90) + " / " + ms(l.P95) + " / " + ms(l.P99) + " / " + ms(l.Max)},
		{"MarkFail blocks", strconv.Itoa(len(s.MarkFail))}, {"alarms", strconv.Itoa(len(s.Alarms))},
	}
}

// outcomeRows lists every class, zero ones included, with its colour.
func outcomeRows(s *simulator.Summary) []countRow {
	total := sum(s.Outcomes)
	var rows []countRow
	for _, c := range simulator.Classes() {
		n := s.Outcomes[c.String()]
		rows = append(rows, countRow{Name: c.String(), Count: n, Pct: percent(n, total), Color: colorOf(c)})
	}
	return rows
}

// countRows lists the non-zero entries of m, largest first.
func countRows(m map[string]uint64) []countRow {
	total := sum(m)
	var rows []countRow
	for _, k := range byCount(m) {
		rows = append(rows, countRow{Name: k, Count: m[k], Pct: percent(m[k], total)})
	}
	return rows
}
