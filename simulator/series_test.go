package simulator

import (
	"testing"
	"time"

	. "github.com/onsi/gomega"
)

func TestAggregatorSeriesPerSecond(t *testing.T) {
	g := NewWithT(t)
	a := NewAggregator(AggregatorConfig{})
	add := func(at time.Duration, c Class, try int, lat time.Duration) {
		a.Add(&Outcome{Class: c, Kind: "text", Attempt: try, Start: aggT0.Add(at), Latency: lat, Final: true})
	}
	// Second 2 arrives first: a quick reply overtakes timeouts due earlier.
	for i := range 100 {
		add(2*time.Second+time.Duration(i)*time.Millisecond, OK, 1, time.Duration(i+1)*time.Millisecond)
	}
	for range 10 {
		add(0, RequestTimeout, 1, 5*time.Second)
	}
	add(500*time.Millisecond, RequestTimeout, 2, 5*time.Second)
	add(900*time.Millisecond, Blocked, 1, 0)
	add(-time.Second, OK, 1, time.Millisecond) // earlier than anything so far

	s := a.Series()
	g.Expect(s).To(HaveLen(4))
	g.Expect(s[0].Time.Equal(aggT0.Add(-time.Second))).To(BeTrue())
	g.Expect(s[1].Time.Equal(aggT0)).To(BeTrue())
	g.Expect(s[1].Pushes).To(Equal(uint32(11)), "10 timeouts and the blocked push; the retry is no push")
	g.Expect(s[1].Count(RequestTimeout)).To(Equal(uint32(11)))
	g.Expect(s[1].Count(Blocked)).To(Equal(uint32(1)))
	g.Expect(s[1].P50MS).To(BeNumerically("~", 5000, 5000/16))
	g.Expect(s[2].Pushes).To(BeZero())
	g.Expect(s[2].P99MS).To(BeZero())
	g.Expect(s[3].Count(OK)).To(Equal(uint32(100)))
	g.Expect(s[3].P50MS).To(BeNumerically("~", 50, 50.0/16))
	g.Expect(s[3].P99MS).To(BeNumerically("~", 99, 99.0/16))
	g.Expect(s[0].Count(OK)).To(Equal(uint32(1)))
	g.Expect(Class(99).String()).To(Equal("unknown"))
	g.Expect(s[0].Count(Class(99))).To(BeZero())
}

func TestAggregatorSeriesFixesQuantilesAfterTheHorizon(t *testing.T) {
	g := NewWithT(t)
	a := NewAggregator(AggregatorConfig{})
	add := func(at time.Duration, lat time.Duration) {
		a.Add(&Outcome{Class: OK, Kind: "text", Attempt: 1, Start: aggT0.Add(at), Latency: lat, Final: true})
	}
	later := time.Duration(len(a.series.ring)*40) * time.Second
	add(0, time.Millisecond)
	add(later, time.Millisecond) // reuses second 0's ring slot
	add(0, time.Hour)            // too late for second 0's quantiles
	s := a.Series()
	g.Expect(s).To(HaveLen(int(later/time.Second) + 1))
	g.Expect(s[0].Count(OK)).To(Equal(uint32(2)), "counts are never late")
	g.Expect(s[0].P99MS).To(BeNumerically("~", 1, 1.0/16), "the late latency is left out")
	g.Expect(a.Summary().LatencyMS.Max).To(Equal(float64(time.Hour/time.Millisecond)), "but not out of the run's")
}

func TestAggregatorSeriesIgnoresStrayTimes(t *testing.T) {
	g := NewWithT(t)
	a := NewAggregator(AggregatorConfig{})
	a.Add(&Outcome{Class: OK, Kind: "text", Attempt: 1, Start: aggT0, Final: true})
	a.Add(&Outcome{Class: OK, Kind: "text", Attempt: 1, Start: time.Time{}, Final: true})
	a.Add(&Outcome{Class: OK, Kind: "text", Attempt: 1, Start: aggT0.AddDate(1, 0, 0), Final: true})
	g.Expect(a.Series()).To(HaveLen(1))
	g.Expect(a.Summary().Pushes).To(Equal(uint64(3)))
}
