// Package metrics serves a run's live state as Prometheus metrics
// (`wxsim attack --metrics-addr ADDR`): pushes and outcomes by kind,
// response failures by reason, the latency histogram, the MarkFail state
// and the alarms, counted by the same rules as the JSON summary so a
// dashboard and the summary never disagree.
//
// Nothing here is on a worker's path: the engine calls Observe from the
// one goroutine that already counts every outcome (Plan.Observer), Progress
// about once a second, and Send for each alarm, like any alarm sink.
package metrics

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/wxsim/wxsim/simulator"
)

// namespace prefixes every metric name.
const namespace = "wxsim"

// latencyBuckets cover a fast loopback endpoint up to WeChat's 5 s
// response limit and beyond (connect plus response timeouts), in seconds.
var latencyBuckets = []float64{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}

// Collector holds a run's metrics in its own registry.
type Collector struct {
	reg        *prometheus.Registry
	outcomes   *prometheus.CounterVec
	pushes     *prometheus.CounterVec
	reasons    *prometheus.CounterVec
	alarms     *prometheus.CounterVec
	deliveries prometheus.Counter
	retries    prometheus.Counter
	lost       prometheus.Counter
	late       prometheus.Counter
	latency    prometheus.Histogram
	blocked    prometheus.Gauge
	openAlarms prometheus.Gauge
	// byKind caches each kind's counters, so Observe does no label
	// hashing; only Observe's goroutine touches it.
	byKind map[string]*kindCounters
}

// kindCounters are the counters of one push kind.
type kindCounters struct {
	pushes   prometheus.Counter
	outcomes []prometheus.Counter // by simulator.Class
}

// New returns a collector whose metrics all carry the label attack=name
// (the run's attack name, distinct per shard), so one Prometheus can
// scrape every shard of a run.
func New(name string) *Collector {
	labels := prometheus.Labels{"attack": name}
	counterVec := func(n, help string, label string) *prometheus.CounterVec {
		return prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: namespace, Name: n, Help: help, ConstLabels: labels}, []string{label})
	}
	counter := func(n, help string) prometheus.Counter {
		return prometheus.NewCounter(prometheus.CounterOpts{Namespace: namespace, Name: n, Help: help, ConstLabels: labels})
	}
	gauge := func(n, help string) prometheus.Gauge {
		return prometheus.NewGauge(prometheus.GaugeOpts{Namespace: namespace, Name: n, Help: help, ConstLabels: labels})
	}
	c := &Collector{
		reg: prometheus.NewRegistry(),
		outcomes: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: namespace, Name: "outcomes_total",
			Help: "Delivery attempts by outcome and push kind, plus pushes blocked by MarkFail (outcome=blocked).", ConstLabels: labels},
			[]string{"outcome", "kind"}),
		pushes:     counterVec("pushes_total", "Pushes due (first attempts, blocked ones included) by kind.", "kind"),
		reasons:    counterVec("response_failures_total", "Response failures by reason.", "reason"),
		alarms:     counterVec("alarms_total", "Alarms raised, by type (markfail: a MarkFail block began).", "type"),
		deliveries: counter("deliveries_total", "Delivery attempts actually sent."),
		retries:    counter("retries_total", "Deliveries beyond the first of their push."),
		lost:       counter("lost_total", "Pushes whose deliveries all failed, or that were blocked."),
		late:       counter("late_total", "Pushes sent later than scheduled: the generator could not keep up."),
		latency: prometheus.NewHistogram(prometheus.HistogramOpts{Namespace: namespace, Name: "delivery_latency_seconds",
			Help: "Latency of each delivery attempt, from its intended send time.", Buckets: latencyBuckets, ConstLabels: labels}),
		blocked:    gauge("markfail_blocked", "1 while a MarkFail block is in force (pushes are not sent), else 0."),
		openAlarms: gauge("open_alarms", "Alarm windows open and already at or over the alarm threshold."),
		byKind:     map[string]*kindCounters{},
	}
	c.reg.MustRegister(c.outcomes, c.pushes, c.reasons, c.alarms, c.deliveries, c.retries, c.lost, c.late,
		c.latency, c.blocked, c.openAlarms)
	return c
}

// Registry is where the metrics are registered, for serving them.
func (c *Collector) Registry() *prometheus.Registry { return c.reg }

// Observe counts one outcome by the summary's rules (product.md §2, §4).
// It must be called from one goroutine only, the engine's outcome
// consumer; scrapes may run concurrently.
func (c *Collector) Observe(o *simulator.Outcome) {
	k := c.kind(o.Kind)
	if int(o.Class) < len(k.outcomes) {
		k.outcomes[o.Class].Inc()
	}
	if o.Attempt <= 1 {
		k.pushes.Inc()
		if o.Late {
			c.late.Inc()
		}
	}
	if o.Final && o.Class != simulator.OK {
		c.lost.Inc()
	}
	if o.Class == simulator.Blocked {
		return
	}
	c.deliveries.Inc()
	if o.Attempt > 1 {
		c.retries.Inc()
	}
	if o.Class == simulator.ResponseFailure && o.Reason != "" {
		c.reasons.WithLabelValues(string(o.Reason)).Inc()
	}
	c.latency.Observe(o.Latency.Seconds())
}

// kind returns the counters of a push kind, made on first sight.
func (c *Collector) kind(name string) *kindCounters {
	if k, ok := c.byKind[name]; ok {
		return k
	}
	k := &kindCounters{pushes: c.pushes.WithLabelValues(name)}
	for _, cl := range simulator.Classes() {
		k.outcomes = append(k.outcomes, c.outcomes.WithLabelValues(cl.String(), name))
	}
	c.byKind[name] = k
	return k
}

// Progress takes the live state the engine reports about once a second
// (Plan.Progress): whether a MarkFail block is in force, and the open
// alarm windows.
func (c *Collector) Progress(p simulator.Progress, _ bool) {
	if p.Blocked {
		c.blocked.Set(1)
	} else {
		c.blocked.Set(0)
	}
	c.openAlarms.Set(float64(p.OpenAlarms))
}

// Send counts an alarm; the Collector is an alarm sink like the console.
func (c *Collector) Send(a simulator.Alarm) error {
	c.alarms.WithLabelValues(string(a.Type)).Inc()
	return nil
}

var _ simulator.AlarmSink = (*Collector)(nil)
