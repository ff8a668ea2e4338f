package pacing

import (
	"math"
	"strconv"
	"time"
)

// shape is the rate law of one segment of a schedule.
type shape uint8

const (
	flat   shape = iota // rate(u) = a
	linear              // rate(u) = a + b·u
	wave                // rate(u) = a + b·sin(w·u)
)

// segment is one stage of a schedule in closed form. Times inside it (u) are
// seconds from its start, as float64 for the algebra; its start stays in
// integer nanoseconds so that long schedules add up exactly.
type segment struct {
	shape shape
	a     float64 // flat: the rate; linear: the rate at u = 0; wave: the mean
	b     float64 // linear: the slope in hits/s²; wave: the amplitude
	w     float64 // wave: angular frequency 2π/period, in rad/s
	dur   float64 // length in seconds; +Inf when unbounded

	start int64   // offset of u = 0 from the attack start, in ns
	end   int64   // start + length in ns; math.MaxInt64 when unbounded
	h0    float64 // cumulative hits at u = 0
	h1    float64 // cumulative hits at the end; +Inf when unbounded and rate > 0
}

// setUnbounded makes the segment run forever.
func (g *segment) setUnbounded() {
	g.dur = math.Inf(1)
	g.end = math.MaxInt64
}

// rate returns the instantaneous rate in hits/s at u.
func (g *segment) rate(u float64) float64 {
	switch g.shape {
	case linear:
		return g.a + g.b*u
	case wave:
		return g.a + g.b*math.Sin(g.w*u)
	}
	return g.a
}

// hits returns the hits offered from the segment's start to u: the
// integral of rate over [0, u].
func (g *segment) hits(u float64) float64 {
	switch g.shape {
	case linear:
		return g.a*u + g.b*u*u/2
	case wave:
		return g.a*u + g.b/g.w*(1-math.Cos(g.w*u))
	}
	return g.a * u
}

// total returns the hits the whole segment offers.
func (g *segment) total() float64 {
	if math.IsInf(g.dur, 1) {
		if g.a == 0 { // only a flat 0 can be unbounded and offer nothing
			return 0
		}
		return math.Inf(1)
	}
	return g.hits(g.dur)
}

// inverse returns the first u at which the segment has offered more than h
// hits, for 0 <= h < total(): the inverse of hits where rate > 0.
func (g *segment) inverse(h float64) float64 {
	if h <= 0 {
		return 0 // the segment's first hit is due at its start
	}
	switch g.shape {
	case linear:
		// Solve b/2·u² + a·u − h = 0 in the form that stays accurate for
		// b = 0, b < 0 (ramps down) and a = 0 (ramps up from nothing).
		disc := g.a*g.a + 2*g.b*h
		if disc < 0 {
			disc = 0 // only rounding can get here, at a ramp's very end
		}
		return 2 * h / (g.a + math.Sqrt(disc))
	case wave:
		return g.waveInverse(h)
	}
	return h / g.a
}

// waveInverse solves hits(u) = h for a sine segment. Whole periods are
// taken off first (each offers a·period hits), which keeps the search small
// and precise however far into the segment h lies. In the remaining period
// a·v <= hits(v) <= a·v + 2b/w, which brackets the root tightly; Newton's
// method then runs inside the bracket, bisecting whenever it would leave it.
// hits is strictly increasing because the rate stays >= a−b > 0.
func (g *segment) waveInverse(h float64) float64 {
	period := 2 * math.Pi / g.w
	k := math.Floor(h / (g.a * period))
	h = max(h-k*g.a*period, 0)
	lo, hi := max((h-2*g.b/g.w)/g.a, 0), min(h/g.a, period)
	v := (lo + hi) / 2
	for range 64 {
		sin, cos := math.Sincos(g.w * v) // hits and rate at v, one trig call
		f := g.a*v + g.b/g.w*(1-cos) - h
		if f == 0 {
			break
		}
		if f > 0 {
			hi = v
		} else {
			lo = v
		}
		next := v - f/(g.a+g.b*sin)
		if next <= lo || next >= hi {
			next = (lo + hi) / 2 // Newton left the bracket: bisect instead
		}
		if math.Abs(next-v) < 1e-11 { // 0.01 ns: below Due's resolution
			v = next
			break
		}
		v = next
	}
	return k*period + v
}

// String describes the segment, e.g. "ramp 0→100/s 10s".
func (g *segment) String() string {
	length := "until stopped"
	if g.end != math.MaxInt64 {
		length = time.Duration(g.end - g.start).String()
	}
	switch g.shape {
	case linear:
		return "ramp " + formatRate(g.a) + "→" + formatRate(g.rate(g.dur)) + "/s " + length
	case wave:
		period := time.Duration(math.Round(2 * math.Pi / g.w * 1e9))
		return "sine " + formatRate(g.a) + "±" + formatRate(g.b) + "/s period " + period.String() + " " + length
	}
	if g.a == 0 {
		return "pause " + length
	}
	return "hold " + formatRate(g.a) + "/s " + length
}

// formatRate prints a rate in hits/s to a millionth, hiding float noise such
// as a ramp's end computed as 0.30000000000000004.
func formatRate(r float64) string {
	return strconv.FormatFloat(math.Round(r*1e6)/1e6, 'f', -1, 64)
}
