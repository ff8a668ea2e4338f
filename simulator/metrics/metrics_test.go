package metrics

import (
	"testing"
	"time"

	. "github.com/onsi/gomega"
	dto "github.com/prometheus/client_model/go"

	"github.com/wxsim/wxsim/simulator"
	"github.com/wxsim/wxsim/simulator/wechat"
)

// gathered sums a collector's samples by metric name and label set, e.g.
// "wxsim_outcomes_total{kind=text,outcome=ok}"; a histogram gives its
// count under its name.
func gathered(t testing.TB, c *Collector) map[string]float64 {
	t.Helper()
	mfs, err := c.Registry().Gather()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]float64{}
	for _, mf := range mfs {
		for _, m := range mf.GetMetric() {
			out[mf.GetName()+labelKey(m)] += value(m)
			out[mf.GetName()] += value(m)
		}
	}
	return out
}

func labelKey(m *dto.Metric) string {
	k := "{"
	for _, l := range m.GetLabel() {
		if l.GetName() == "attack" {
			continue
		}
		if k != "{" {
			k += ","
		}
		k += l.GetName() + "=" + l.GetValue()
	}
	return k + "}"
}

func value(m *dto.Metric) float64 {
	switch {
	case m.Counter != nil:
		return m.Counter.GetValue()
	case m.Gauge != nil:
		return m.Gauge.GetValue()
	case m.Histogram != nil:
		return float64(m.Histogram.GetSampleCount())
	}
	return 0
}

// outcomes is a run in miniature: an ok push, a push retried twice and
// lost, a response failure, a blocked push and a late one.
func outcomes() []simulator.Outcome {
	at := time.Date(2026, 12, 4, 20, 0, 0, 0, time.UTC)
	ms := time.Millisecond
	return []simulator.Outcome{
		{Class: simulator.OK, Kind: "text", Attempt: 1, Start: at, Latency: 2 * ms, Final: true},
		{Class: simulator.RequestTimeout, Kind: "click", Attempt: 1, Start: at, Latency: 5 * time.Second},
		{Class: simulator.RequestTimeout, Kind: "click", Attempt: 2, Start: at.Add(5 * time.Second), Latency: 5 * time.Second},
		{Class: simulator.ConnectFailure, Kind: "click", Attempt: 3, Start: at.Add(10 * time.Second), Latency: ms, Final: true},
		{Class: simulator.ResponseFailure, Reason: wechat.ReasonNotXML, Kind: "text", Attempt: 1, Start: at, Latency: 3 * ms, Final: true},
		{Class: simulator.Blocked, Kind: "subscribe", Attempt: 1, Start: at, Final: true},
		{Class: simulator.OK, Kind: "text", Attempt: 1, Start: at, Latency: 40 * ms, Final: true, Late: true},
	}
}

// The metrics count by the summary's rules: observing the outcomes gives
// the numbers the aggregator's summary gives.
func TestObserveCountsLikeTheSummary(t *testing.T) {
	g := NewWithT(t)
	c := New("test")
	agg := simulator.NewAggregator(simulator.AggregatorConfig{})
	for _, o := range outcomes() {
		c.Observe(&o)
		agg.Add(&o)
	}
	s := agg.Summary()
	m := gathered(t, c)
	g.Expect(m["wxsim_pushes_total"]).To(BeNumerically("==", s.Pushes))
	g.Expect(m["wxsim_deliveries_total"]).To(BeNumerically("==", s.Deliveries))
	g.Expect(m["wxsim_retries_total"]).To(BeNumerically("==", s.Retries))
	g.Expect(m["wxsim_lost_total"]).To(BeNumerically("==", s.Lost))
	g.Expect(m["wxsim_late_total"]).To(BeNumerically("==", s.Late))
	g.Expect(m["wxsim_delivery_latency_seconds"]).To(BeNumerically("==", s.Deliveries))
	for outcome, n := range s.Outcomes {
		var sum float64
		for kind := range s.Kinds {
			sum += m["wxsim_outcomes_total{kind="+kind+",outcome="+outcome+"}"]
		}
		g.Expect(sum).To(BeNumerically("==", n), outcome)
	}
	for kind, n := range s.Kinds {
		g.Expect(m["wxsim_pushes_total{kind="+kind+"}"]).To(BeNumerically("==", n), kind)
	}
	g.Expect(m["wxsim_response_failures_total{reason=not_xml}"]).To(BeNumerically("==", s.Reasons["not_xml"]))
	g.Expect(m["wxsim_outcomes_total{kind=click,outcome=request_timeout}"]).To(Equal(2.0))
}

func TestProgressAndAlarms(t *testing.T) {
	g := NewWithT(t)
	c := New("test")
	c.Progress(simulator.Progress{Blocked: true, OpenAlarms: 2}, false)
	g.Expect(c.Send(simulator.Alarm{Type: simulator.AlarmMarkFail})).To(Succeed())
	g.Expect(c.Send(simulator.Alarm{Type: simulator.AlarmRequestTimeout})).To(Succeed())
	m := gathered(t, c)
	g.Expect(m["wxsim_markfail_blocked"]).To(Equal(1.0))
	g.Expect(m["wxsim_open_alarms"]).To(Equal(2.0))
	g.Expect(m["wxsim_alarms_total{type=markfail}"]).To(Equal(1.0))
	c.Progress(simulator.Progress{}, true)
	m = gathered(t, c)
	g.Expect(m["wxsim_markfail_blocked"]).To(BeZero())
	g.Expect(m["wxsim_open_alarms"]).To(BeZero())
}

// Observing an outcome of a kind already seen allocates nothing: it runs
// on the engine's outcome path.
func TestObserveAllocatesNothing(t *testing.T) {
	g := NewWithT(t)
	c := New("test")
	obs := outcomes()
	for i := range obs {
		c.Observe(&obs[i])
	}
	g.Expect(testing.AllocsPerRun(100, func() {
		c.Observe(&obs[0])
		c.Observe(&obs[2])
	})).To(BeZero())
}
