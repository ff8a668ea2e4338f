package report

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/wxsim/wxsim/simulator"
)

// maxPoints bounds the points a chart draws; longer runs are averaged over
// groups of seconds, so a day's run still makes a page of reasonable size.
const maxPoints = 1200

// classColors are the outcome classes' colours, in class order.
var classColors = []string{"#2e7d32", "#6a1b9a", "#ef6c00", "#c62828", "#f9a825", "#ad1457", "#546e7a"}

// colorOf returns the colour of class c (grey for a class added later).
func colorOf(c simulator.Class) string {
	if int(c) < len(classColors) {
		return classColors[c]
	}
	return "#9e9e9e"
}

// point is a group of seconds, as drawn.
type point struct {
	t        time.Time // the group's middle
	counts   []float64 // mean attempts per second, by class
	p50, p99 float64
	has      bool // some delivery, so the latencies mean something
}

// downsample groups the series into at most maxPoints points and returns
// them with the group size in seconds.
func downsample(series []simulator.SecondBucket) ([]point, int) {
	g := max(1, (len(series)+maxPoints-1)/maxPoints)
	classes := simulator.Classes()
	var pts []point
	for i := 0; i < len(series); i += g {
		grp := series[i:min(i+g, len(series))]
		p := point{t: grp[0].Time.Add(time.Duration(g) * time.Second / 2), counts: make([]float64, len(classes))}
		var n int
		for _, b := range grp {
			var deliveries uint32
			for _, c := range classes {
				p.counts[c] += float64(b.Count(c)) / float64(g)
				if c != simulator.Blocked {
					deliveries += b.Count(c)
				}
			}
			if deliveries > 0 {
				p.p50 += b.P50MS
				p.p99 = math.Max(p.p99, b.P99MS)
				n++
			}
		}
		if n > 0 {
			p.p50 /= float64(n)
			p.has = true
		}
		pts = append(pts, p)
	}
	return pts, g
}

// runAxis is the time axis of the run: the series' seconds, or the
// summary's span when there is no series.
func runAxis(s *simulator.Summary, series []simulator.SecondBucket) timeAxis {
	if len(series) > 0 {
		return timeAxis{t0: series[0].Time, span: time.Duration(len(series)) * time.Second}
	}
	return timeAxis{t0: s.Start, span: max(s.End.Sub(s.Start), time.Second)}
}

// latencyChart draws p50 and p99 over time.
func latencyChart(ax timeAxis, pts []point, g int) chart {
	lo, hi := math.Inf(1), 0.0
	for _, p := range pts {
		if p.has {
			lo, hi = math.Min(lo, math.Max(p.p50, 0.001)), math.Max(hi, p.p99)
		}
	}
	ax = logScale(ax, lo, hi)
	ylabel := "latency (ms)"
	if ax.logMin > 0 {
		ylabel = "latency (ms, log scale)"
	}
	c := newChart("latency", "Latency over time", ylabel, ax)
	if g > 1 {
		c.Title += fmt.Sprintf(" (p50 averaged, p99 the highest, over %ds)", g)
	}
	for _, q := range []struct {
		name, color string
		v           func(point) float64
	}{
		{"p50", "#1565c0", func(p point) float64 { return p.p50 }},
		{"p99", "#c62828", func(p point) float64 { return p.p99 }},
	} {
		d := linePath(len(pts), func(i int) (float64, float64, bool) {
			return ax.x(pts[i].t), ax.y(q.v(pts[i])), pts[i].has
		})
		c.Paths = append(c.Paths, path{D: d, Color: q.color, Name: q.name})
		c.Legend = append(c.Legend, legendItem{Name: q.name, Color: q.color})
	}
	c.Empty = len(pts) == 0
	return c
}

// outcomeChart stacks the attempts of each class per second, by the
// second they were due, with the target rate as a dashed line.
func outcomeChart(ax timeAxis, pts []point, g int, target float64) chart {
	present := presentClasses(pts)
	lower := make([]float64, len(pts))
	xs := make([]float64, len(pts))
	for i, p := range pts {
		xs[i] = ax.x(p.t)
		var total float64
		for _, c := range present {
			total += p.counts[c]
		}
		ax.ymax = math.Max(ax.ymax, total)
	}
	ax.ymax = niceMax(math.Max(ax.ymax, target))
	c := newChart("outcomes", "Outcomes per second (by the second attempts were due)", "attempts / s", ax)
	if g > 1 {
		c.Title += fmt.Sprintf(" (mean over %ds)", g)
	}
	for i := range lower {
		lower[i] = ax.y(0)
	}
	for _, cl := range present {
		upper := make([]float64, len(pts))
		for i, p := range pts {
			upper[i] = lower[i] - (ax.y(0) - ax.y(p.counts[cl]))
		}
		color := colorOf(cl)
		c.Paths = append(c.Paths, path{D: areaPath(xs, lower, upper), Color: color, Name: cl.String(), Fill: true})
		c.Legend = append(c.Legend, legendItem{Name: cl.String(), Color: color})
		lower = upper
	}
	if target > 0 && len(pts) > 0 {
		y := num(ax.y(target))
		c.Paths = append(c.Paths, path{D: "M" + c.Plot.X + " " + y + " L" + c.Plot.Right + " " + y,
			Color: "#424242", Name: "target rate", Dash: true})
		c.Legend = append(c.Legend, legendItem{Name: fmt.Sprintf("target %.4g/s", target), Color: "#424242"})
	}
	c.Empty = len(pts) == 0
	return c
}

// presentClasses lists the classes with any attempt, in class order.
func presentClasses(pts []point) []simulator.Class {
	var cs []simulator.Class
	for _, c := range simulator.Classes() {
		for _, p := range pts {
			if p.counts[c] > 0 {
				cs = append(cs, c)
				break
			}
		}
	}
	return cs
}

// annotate shades the MarkFail blocks and draws the alarms and markers.
func annotate(c *chart, ax timeAxis, s *simulator.Summary, markers []Marker) {
	for _, b := range s.MarkFail {
		x1, x2 := ax.x(b.Start), ax.x(b.End)
		c.Bands = append(c.Bands, band{X: num(x1), W: num(math.Max(x2-x1, 1)),
			Title: fmt.Sprintf("MarkFail block %s – %s: %d failures of %d deliveries",
				stamp(b.Start), stamp(b.End), b.Failures, b.Deliveries)})
	}
	c.Lines = append(c.Lines, alarmLines(ax, s.Alarms)...)
	for _, m := range markers {
		if !ax.contains(m.Time) {
			continue // listed below the charts, not drawn at an edge it is not at
		}
		c.Lines = append(c.Lines, vline{X: num(ax.x(m.Time)), Label: m.Label, Kind: "marker",
			Title: m.Label + " at " + stamp(m.Time)})
	}
}

// alarmLines draws the alarms, numbered as listed; alarms that fall on the
// same spot share one line, so their labels do not overprint.
func alarmLines(ax timeAxis, alarms []simulator.Alarm) []vline {
	var order []int
	for i, al := range alarms {
		if ax.contains(al.Time) {
			order = append(order, i)
		}
	}
	x := func(i int) float64 { return ax.x(alarms[i].Time) }
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(x(a), x(b)) })
	var groups [][]int
	for _, i := range order {
		if n := len(groups); n > 0 && x(i)-x(groups[n-1][0]) < 4 {
			groups[n-1] = append(groups[n-1], i)
			continue
		}
		groups = append(groups, []int{i})
	}
	lines := make([]vline, 0, len(groups))
	for _, grp := range groups {
		slices.Sort(grp)
		var labels, titles []string
		for _, i := range grp {
			al := alarms[i]
			labels = append(labels, fmt.Sprintf("A%d", i+1))
			titles = append(titles, fmt.Sprintf("alarm %d: %s, %d times in %s, from %s",
				i+1, al.Type, al.Count, al.Window, stamp(al.Time)))
		}
		lines = append(lines, vline{X: num(x(grp[0])), Label: strings.Join(labels, ","),
			Title: strings.Join(titles, "\n"), Kind: "alarm"})
	}
	return lines
}
