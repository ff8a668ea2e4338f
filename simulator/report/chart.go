package report

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// The charts' geometry, in SVG user units: the page scales them to fit.
const (
	chartW      = 960
	chartH      = 280
	marginLeft  = 64
	marginRight = 16
	marginTop   = 24
	marginBot   = 44
)

// chart is one SVG chart over the run's time axis, computed in Go so the
// page needs no script to draw.
type chart struct {
	ID, Title, YLabel, XLabel string
	W, H                      int
	Plot                      box
	XTicks, YTicks            []tick
	Bands                     []band  // MarkFail blocks, shaded
	Lines                     []vline // alarms and markers
	Paths                     []path  // the data
	Legend                    []legendItem
	Empty                     bool // no data to draw
}

type box struct{ X, Y, W, H, Right, Bottom string }

// tick is an axis graduation: its position along the axis and its label.
type tick struct{ Pos, Label string }

// band is a shaded span of time.
type band struct{ X, W, Title string }

// vline is a labelled instant; Kind is "alarm" or "marker" (a CSS class).
type vline struct{ X, Label, Title, Kind string }

// path is one drawn series: a line, or an area when Fill.
type path struct {
	D, Color, Name string
	Fill           bool
	Dash           bool
}

type legendItem struct{ Name, Color string }

// timeAxis maps instants and values to chart coordinates. With logMin
// set, values map on a logarithmic scale from logMin to ymax: latencies of
// a few milliseconds and 5 s timeouts then show on one chart.
type timeAxis struct {
	t0     time.Time
	span   time.Duration
	ymax   float64
	logMin float64
}

func (a timeAxis) x(t time.Time) float64 {
	f := float64(t.Sub(a.t0)) / float64(a.span)
	return marginLeft + math.Max(0, math.Min(1, f))*plotW
}

// contains reports whether t falls on the axis.
func (a timeAxis) contains(t time.Time) bool {
	return !t.Before(a.t0) && !t.After(a.t0.Add(a.span))
}

func (a timeAxis) y(v float64) float64 {
	f := 0.0
	switch {
	case a.logMin > 0 && v > a.logMin:
		f = math.Log10(v/a.logMin) / math.Log10(a.ymax/a.logMin)
	case a.logMin == 0 && a.ymax > 0:
		f = v / a.ymax
	}
	return marginTop + plotH - math.Max(0, math.Min(f, 1))*plotH
}

const (
	plotW = chartW - marginLeft - marginRight
	plotH = chartH - marginTop - marginBot
)

// newChart returns an empty chart framed by ax, with its ticks.
func newChart(id, title, ylabel string, ax timeAxis) chart {
	return chart{ID: id, Title: title, YLabel: ylabel, W: chartW, H: chartH,
		XLabel: "time since " + ax.t0.Local().Format(textTimeLayout) + " (local)",
		Plot: box{X: num(marginLeft), Y: num(marginTop), W: num(plotW), H: num(plotH),
			Right: num(marginLeft + plotW), Bottom: num(marginTop + plotH)},
		XTicks: timeTicks(ax), YTicks: valueTicks(ax)}
}

// timeTicks graduates the time axis at a round number of seconds.
func timeTicks(ax timeAxis) []tick {
	step := time.Second
	for _, s := range []time.Duration{1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21600} {
		step = s * time.Second
		if ax.span/step <= 10 {
			break
		}
	}
	if ax.span/step > 10 { // beyond the table: a run read from skewed clocks
		step = (ax.span/10 + time.Hour - 1).Truncate(time.Hour)
	}
	var ts []tick
	for d := time.Duration(0); d <= ax.span; d += step {
		ts = append(ts, tick{Pos: num(ax.x(ax.t0.Add(d))), Label: d.String()})
	}
	return ts
}

// valueTicks graduates the value axis at 1, 2 or 5 times a power of ten,
// or at each power of ten on a logarithmic scale.
func valueTicks(ax timeAxis) []tick {
	if ax.logMin > 0 {
		var ts []tick
		for v := ax.logMin; v <= ax.ymax*1.0001; v *= 10 {
			ts = append(ts, tick{Pos: num(ax.y(v)), Label: strconv.FormatFloat(v, 'g', 6, 64)})
		}
		return ts
	}
	step := niceStep(ax.ymax / 5)
	var ts []tick
	for v := 0.0; v <= ax.ymax*1.0001; v += step {
		ts = append(ts, tick{Pos: num(ax.y(v)), Label: strconv.FormatFloat(v, 'g', 6, 64)})
	}
	return ts
}

// niceStep rounds raw up to 1, 2 or 5 times a power of ten.
func niceStep(raw float64) float64 {
	if raw <= 0 || math.IsNaN(raw) || math.IsInf(raw, 0) {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		if raw <= m*p {
			return m * p
		}
	}
	return 10 * p
}

// niceMax rounds a data maximum up to a whole number of ticks.
func niceMax(v float64) float64 {
	if v <= 0 {
		return 1
	}
	step := niceStep(v / 5)
	return math.Ceil(v/step) * step
}

// logScale sets a logarithmic scale on ax from the power of ten at or
// below lo up to the one at or above hi, when they span two decades or
// more; otherwise a linear one up to a round hi.
func logScale(ax timeAxis, lo, hi float64) timeAxis {
	if lo <= 0 || hi/lo < 100 {
		ax.ymax = niceMax(hi)
		return ax
	}
	ax.logMin = math.Pow(10, math.Floor(math.Log10(lo)))
	ax.ymax = math.Pow(10, math.Ceil(math.Log10(hi)))
	return ax
}

// linePath draws the points (x, y) as a polyline, broken where ok is false
// (a second without data is a gap, not a zero).
func linePath(n int, at func(i int) (x, y float64, ok bool)) string {
	var b strings.Builder
	pen := false
	for i := range n {
		x, y, ok := at(i)
		if !ok {
			pen = false
			continue
		}
		cmd := "L"
		if !pen {
			cmd = "M"
		}
		fmt.Fprintf(&b, "%s%s %s ", cmd, num(x), num(y))
		pen = true
	}
	return strings.TrimSpace(b.String())
}

// areaPath draws the band between lower and upper lines over xs.
func areaPath(xs, lower, upper []float64) string {
	if len(xs) == 0 {
		return ""
	}
	var b strings.Builder
	for i := range xs {
		cmd := "L"
		if i == 0 {
			cmd = "M"
		}
		fmt.Fprintf(&b, "%s%s %s ", cmd, num(xs[i]), num(upper[i]))
	}
	for i := len(xs) - 1; i >= 0; i-- {
		fmt.Fprintf(&b, "L%s %s ", num(xs[i]), num(lower[i]))
	}
	b.WriteString("Z")
	return b.String()
}

// num prints a coordinate to a tenth of a unit: plenty on screen, and it
// keeps the page small.
func num(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }
