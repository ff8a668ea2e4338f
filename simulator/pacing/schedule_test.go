package pacing

import (
	"math"
	"testing"
	"time"

	. "github.com/onsi/gomega"
)

// integrate returns an H(t) = ∫₀ᵗ Rate built from the pacer's public Rate
// alone, independently of the Due inversion: midpoint sums over 1 ms steps,
// which are exact for holds and ramps whose stage boundaries fall on whole
// milliseconds, and accurate to far below one hit for sines.
func integrate(p Pacer, until time.Duration) func(time.Duration) float64 {
	const step = time.Millisecond
	cum := make([]float64, until/step+2)
	for k := 1; k < len(cum); k++ {
		mid := time.Duration(k-1)*step + step/2
		cum[k] = cum[k-1] + p.Rate(mid)*step.Seconds()
	}
	return func(t time.Duration) float64 {
		k := t / step
		rest := t - k*step
		return cum[k] + p.Rate(k*step+rest/2)*rest.Seconds()
	}
}

// run drives p with a fake clock that is always exactly on schedule
// (elapsed = Due(hits)) and returns the hits dispatched before it stopped.
func run(t *testing.T, p Pacer) (hits uint64, last time.Duration) {
	t.Helper()
	var elapsed time.Duration
	for hits < 10_000_000 {
		wait, stop := p.Pace(elapsed, hits)
		if stop {
			return hits, last
		}
		if wait < 0 {
			t.Fatalf("hit %d: negative wait %s", hits, wait)
		}
		elapsed += wait
		if due := p.Due(hits); elapsed != due {
			t.Fatalf("hit %d: sent at %s, due at %s", hits, elapsed, due)
		}
		last = elapsed
		hits++
	}
	t.Fatalf("pacer never stopped")
	return 0, 0
}

func mustStaged(t *testing.T, stages ...Stage) Pacer {
	t.Helper()
	p, err := Staged(stages...)
	if err != nil {
		t.Fatalf("Staged: %v", err)
	}
	return p
}

// launchDay is a staged profile: ramp up, hold, pause, spike, cool down.
func launchDay(t *testing.T) Pacer {
	return mustStaged(t,
		Stage{Kind: StageRamp, Duration: 10 * time.Second, Target: 100},                                    // 500
		Stage{Kind: StageHold, Duration: 30 * time.Second, Target: 100},                                    // 3000
		Stage{Kind: StageHold, Duration: 5 * time.Second, Target: 0},                                       // pause
		Stage{Kind: StageStep, Duration: 5 * time.Second, Target: 400},                                     // 2000
		Stage{Kind: StageSine, Duration: 10 * time.Second, Target: 200, Amp: 100, Period: 5 * time.Second}, // 2000
		Stage{Duration: 20 * time.Second, From: 400, Target: 0},                                            // 4000
	)
}

func TestPaceOffersTheScheduledHits(t *testing.T) {
	cases := []struct {
		name  string
		p     func(*testing.T) Pacer
		hits  uint64
		dur   time.Duration
		lastB time.Duration // the last hit is due at or before this
	}{
		{"constant 200/s 10s", func(*testing.T) Pacer { return Constant(200, 10*time.Second) }, 2000, 10 * time.Second, 9995 * time.Millisecond},
		{"constant 0.5/s 10s", func(*testing.T) Pacer { return Constant(0.5, 10*time.Second) }, 5, 10 * time.Second, 8 * time.Second},
		{"constant 3/s 1s", func(*testing.T) Pacer { return Constant(3, time.Second) }, 3, time.Second, 666666667},
		{"constant 7/s 1.1s (fractional end)", func(*testing.T) Pacer { return Constant(7, 1100*time.Millisecond) }, 8, 1100 * time.Millisecond, time.Second},
		{"linear 0→100/s 10s", func(*testing.T) Pacer { return Linear(0, 100, 10*time.Second) }, 500, 10 * time.Second, 10 * time.Second},
		{"linear 100→0/s 10s", func(*testing.T) Pacer { return Linear(100, 0, 10*time.Second) }, 500, 10 * time.Second, 10 * time.Second},
		{"linear 10→10/s 1s", func(*testing.T) Pacer { return Linear(10, 10, time.Second) }, 10, time.Second, 900 * time.Millisecond},
		{"sine 100±50/s two periods", func(*testing.T) Pacer { return Sine(100, 50, 10*time.Second, 20*time.Second) }, 2000, 20 * time.Second, 20 * time.Second},
		{"sine 100±50/s half period", func(*testing.T) Pacer { return Sine(100, 50, 10*time.Second, 5*time.Second) }, 660, 5 * time.Second, 5 * time.Second},
		{"staged launch day", launchDay, 11500, 80 * time.Second, 80 * time.Second},
		{"staged trailing pause", func(t *testing.T) Pacer {
			return mustStaged(t, Stage{Kind: StageHold, Duration: time.Second, Target: 10}, Stage{Kind: StageHold, Duration: time.Minute})
		}, 10, 61 * time.Second, 900 * time.Millisecond},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g := NewWithT(t)
			p := c.p(t)
			g.Expect(p.Hits()).To(Equal(c.hits))
			g.Expect(p.Duration()).To(Equal(c.dur))
			hits, last := run(t, p)
			g.Expect(hits).To(Equal(c.hits))
			g.Expect(last).To(BeNumerically("<=", c.lastB))
			g.Expect(last).To(BeNumerically("<", c.dur))
		})
	}
}

func TestDueInvertsTheCumulativeRate(t *testing.T) {
	cases := []struct {
		name string
		p    func(*testing.T) Pacer
	}{
		{"constant", func(*testing.T) Pacer { return Constant(200, 10*time.Second) }},
		{"constant fractional", func(*testing.T) Pacer { return Constant(0.7, 30*time.Second) }},
		{"linear up from 0", func(*testing.T) Pacer { return Linear(0, 100, 10*time.Second) }},
		{"linear down to 0", func(*testing.T) Pacer { return Linear(300, 0, 10*time.Second) }},
		{"sine", func(*testing.T) Pacer { return Sine(100, 90, 3*time.Second, 20*time.Second) }},
		{"staged", launchDay},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := c.p(t)
			h := integrate(p, p.Duration())
			prev := time.Duration(-1)
			for i := range p.Hits() {
				due := p.Due(i)
				if due <= prev {
					t.Fatalf("hit %d due at %s, not after hit %d at %s", i, due, i-1, prev)
				}
				if got := h(due); math.Abs(got-float64(i)) > 1e-4 {
					t.Fatalf("H(Due(%d) = %s) = %.9f", i, due, got)
				}
				prev = due
			}
			NewWithT(t).Expect(p.Due(p.Hits())).To(Equal(Never))
		})
	}
}

func TestDueSkipsPauses(t *testing.T) {
	g := NewWithT(t)
	p := launchDay(t)
	// Hit 3500 is the first after the pause from 40s to 45s: due when the
	// step starts, not when the pause starts.
	g.Expect(p.Due(3499)).To(Equal(40*time.Second - 10*time.Millisecond))
	g.Expect(p.Due(3500)).To(Equal(45 * time.Second))
	g.Expect(p.Due(3501)).To(Equal(45*time.Second + 2500*time.Microsecond))
	// A leading pause delays the first hit.
	q := mustStaged(t, Stage{Kind: StageHold, Duration: 2 * time.Second}, Stage{Kind: StageHold, Duration: time.Second, Target: 4})
	g.Expect(q.Due(0)).To(Equal(2 * time.Second))
	wait, stop := q.Pace(0, 0)
	g.Expect(stop).To(BeFalse())
	g.Expect(wait).To(Equal(2 * time.Second))
}

func TestPaceCatchesUpAndStops(t *testing.T) {
	g := NewWithT(t)
	p := Constant(100, time.Second)
	wait, stop := p.Pace(0, 0)
	g.Expect(wait).To(BeZero())
	g.Expect(stop).To(BeFalse())
	wait, stop = p.Pace(3*time.Millisecond, 1) // hit 1 due at 10ms
	g.Expect(wait).To(Equal(7 * time.Millisecond))
	g.Expect(stop).To(BeFalse())
	wait, stop = p.Pace(500*time.Millisecond, 10) // behind: 10 sent, 50 due
	g.Expect(wait).To(BeZero())
	g.Expect(stop).To(BeFalse())
	_, stop = p.Pace(time.Second, 10) // the schedule is over, even if behind
	g.Expect(stop).To(BeTrue())
	_, stop = p.Pace(0, 100) // every hit offered was sent
	g.Expect(stop).To(BeTrue())
}

func TestRateFollowsTheSchedule(t *testing.T) {
	g := NewWithT(t)
	p := launchDay(t)
	for _, c := range []struct {
		at   time.Duration
		rate float64
	}{
		{-time.Second, 0}, {0, 0}, {5 * time.Second, 50}, {10 * time.Second, 100}, {20 * time.Second, 100},
		{42 * time.Second, 0}, {45 * time.Second, 400}, {50 * time.Second, 200},
		{50*time.Second + 1250*time.Millisecond, 300}, {60 * time.Second, 400}, {70 * time.Second, 200},
		{80 * time.Second, 0}, {time.Hour, 0},
	} {
		g.Expect(p.Rate(c.at)).To(BeNumerically("~", c.rate, 1e-9), "at %s", c.at)
	}
	g.Expect(Linear(0, 100, 10*time.Second).Rate(2500 * time.Millisecond)).To(BeNumerically("~", 25, 1e-12))
	g.Expect(Sine(100, 50, 4*time.Second, 0).Rate(time.Second)).To(BeNumerically("~", 150, 1e-9))
}

func TestRampWithoutFromStartsWhereThePreviousStageEnded(t *testing.T) {
	g := NewWithT(t)
	p := mustStaged(t,
		Stage{Kind: StageHold, Duration: time.Second, Target: 40},
		Stage{Duration: 2 * time.Second, Target: 80}, // 40→80: 120 hits
		Stage{Kind: StageSine, Duration: 750 * time.Millisecond, Target: 100, Amp: 50, Period: time.Second},
		Stage{Duration: time.Second, Target: 0}, // from the sine's end, 100-50 = 50: 25 hits
	)
	g.Expect(p.Rate(time.Second)).To(BeNumerically("~", 40, 1e-9))
	g.Expect(p.Rate(2 * time.Second)).To(BeNumerically("~", 60, 1e-9))
	g.Expect(p.Rate(3750 * time.Millisecond)).To(BeNumerically("~", 50, 1e-9))
	sine := 75 + 50/(2*math.Pi) // ∫ over 3/4 of a period: 100·0.75 + (50/2π)(1−cos(3π/2))
	g.Expect(p.Hits()).To(Equal(uint64(math.Ceil(40 + 120 + sine + 25))))
	g.Expect(p.(interface{ String() string }).String()).To(Equal(
		"hold 40/s 1s, ramp 40→80/s 2s, sine 100±50/s period 1s 750ms, ramp 50→0/s 1s"))
}

func TestUnboundedPacers(t *testing.T) {
	g := NewWithT(t)
	p := Constant(200, 0)
	g.Expect(p.Duration()).To(BeZero())
	g.Expect(p.Hits()).To(BeZero())
	g.Expect(p.Due(1_000_000)).To(Equal(5000 * time.Second))
	wait, stop := p.Pace(time.Hour, 720_000)
	g.Expect(stop).To(BeFalse())
	g.Expect(wait).To(BeZero())
	g.Expect(p.Rate(1000 * time.Hour)).To(Equal(200.0))

	s := Sine(10, 5, time.Minute, 0)
	g.Expect(s.Hits()).To(BeZero())
	g.Expect(s.Due(6000)).To(BeNumerically("~", 10*time.Minute, time.Microsecond)) // whole periods: mean × time

	// A rate of 0 forever offers nothing: stop rather than sleep forever.
	z := Constant(0, 0)
	g.Expect(z.Due(0)).To(Equal(Never))
	_, stop = z.Pace(0, 0)
	g.Expect(stop).To(BeTrue())
	// So slow that the hit is beyond any Duration.
	g.Expect(Constant(1e-9, 0).Due(1e6)).To(Equal(Never))
}

func TestInvalidConstructorsStopAtOnce(t *testing.T) {
	for name, p := range map[string]Pacer{
		"negative rate":    Constant(-1, time.Second),
		"NaN rate":         Constant(math.NaN(), time.Second),
		"infinite rate":    Constant(math.Inf(1), time.Second),
		"negative length":  Constant(1, -time.Second),
		"ramp of length 0": Linear(0, 10, 0),
		"amp = mean":       Sine(10, 10, time.Second, time.Second),
		"no period":        Sine(10, 1, 0, time.Second),
		"zero rate":        Constant(0, time.Second),
	} {
		_, stop := p.Pace(0, 0)
		NewWithT(t).Expect(stop).To(BeTrue(), name)
	}
}

func TestClosed(t *testing.T) {
	g := NewWithT(t)
	p := Closed()
	for _, hits := range []uint64{0, 1, 1 << 40} {
		wait, stop := p.Pace(time.Hour, hits)
		g.Expect(wait).To(BeZero())
		g.Expect(stop).To(BeFalse())
		g.Expect(p.Due(hits)).To(BeZero())
	}
	g.Expect(math.IsInf(p.Rate(0), 1)).To(BeTrue())
	g.Expect(p.Duration()).To(BeZero())
	g.Expect(p.Hits()).To(BeZero())
}

func BenchmarkStagedPace(b *testing.B) {
	p, err := Staged(
		Stage{Duration: time.Minute, Target: 20000},
		Stage{Kind: StageHold, Duration: 10 * time.Minute, Target: 20000},
		Stage{Kind: StageSine, Duration: 10 * time.Minute, Target: 10000, Amp: 5000, Period: time.Minute},
		Stage{Kind: StageStep, Duration: time.Minute, Target: 15000},
		Stage{Duration: time.Minute, Target: 0},
	)
	if err != nil {
		b.Fatal(err)
	}
	total := p.Hits()
	b.ReportAllocs()
	var i uint64
	for b.Loop() {
		hit := i * 7919 % total // stride through every stage
		due := p.Due(hit)
		if _, stop := p.Pace(due-time.Microsecond, hit); stop {
			b.Fatalf("stopped at hit %d", hit)
		}
		i++
	}
}

func BenchmarkDue(b *testing.B) {
	for name, p := range map[string]Pacer{
		"constant": Constant(20000, time.Hour),
		"linear":   Linear(0, 20000, time.Hour),
		"sine":     Sine(10000, 5000, time.Minute, time.Hour),
	} {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			var i uint64
			for b.Loop() {
				p.Due(i * 7919 % p.Hits())
				i++
			}
		})
	}
}
