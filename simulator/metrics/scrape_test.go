package metrics_test

import (
	"context"
	"io"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/wxsim/wxsim/simulator"
	"github.com/wxsim/wxsim/simulator/endpoint"
	"github.com/wxsim/wxsim/simulator/metrics"
	"github.com/wxsim/wxsim/simulator/pacing"
	"github.com/wxsim/wxsim/simulator/wechat"
)

var account = wechat.Account{AppID: "wx0123456789abcdef", Nickname: "Test", OriginalID: "gh_0123456789ab", Token: "testtoken"}

// serveEndpoint runs the reference endpoint with behaviour b on loopback
// until the test ends.
func serveEndpoint(t *testing.T, b string) string {
	t.Helper()
	beh, err := endpoint.ParseBehaviour(b)
	if err != nil {
		t.Fatal(err)
	}
	e, err := endpoint.New(endpoint.Config{Account: account, Behaviour: beh, Seed: 11})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := endpoint.Listen("127.0.0.1:0", beh)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- endpoint.Serve(ctx, ln, e) }()
	t.Cleanup(func() { cancel(); <-done; e.Close() })
	return "http://" + ln.Addr().String() + "/wx"
}

// scrape reads the metrics page as Prometheus does.
func scrape(url string) (map[string]*dto.MetricFamily, error) {
	resp, err := http.Get(url)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	p := expfmt.NewTextParser(model.UTF8Validation)
	return p.TextToMetricFamilies(io.LimitReader(resp.Body, 1<<20))
}

// sum adds up a family's samples whose labels include want.
func sum(mfs map[string]*dto.MetricFamily, name string, want map[string]string) float64 {
	var total float64
	for _, m := range mfs[name].GetMetric() {
		ok := true
		for k, v := range want {
			found := false
			for _, l := range m.GetLabel() {
				found = found || (l.GetName() == k && l.GetValue() == v)
			}
			ok = ok && found
		}
		if !ok {
			continue
		}
		switch {
		case m.Counter != nil:
			total += m.Counter.GetValue()
		case m.Gauge != nil:
			total += m.Gauge.GetValue()
		case m.Histogram != nil:
			total += float64(m.Histogram.GetSampleCount())
		}
	}
	return total
}

// A run serves its metrics while it lasts, and when it ends they add up
// to its summary.
func TestScrapeDuringARunMatchesTheSummary(t *testing.T) {
	g := NewWithT(t)
	url := serveEndpoint(t, "flaky=0.3")
	mix, err := simulator.ParseMix(simulator.DefaultMix)
	g.Expect(err).NotTo(HaveOccurred())
	c := metrics.New("scrape-test")
	srv, err := metrics.Serve("127.0.0.1:0", c)
	g.Expect(err).NotTo(HaveOccurred())
	defer srv.Close(time.Second)

	plan := simulator.Plan{Name: "scrape-test", URL: url, Account: account, Mix: mix,
		Followers: simulator.NewFollowers(0, 1000, 1), MsgBase: 1,
		Pacer:     pacing.Constant(300, 2*time.Second),
		Transport: simulator.TransportConfig{ConnectTimeout: time.Second, ResponseTimeout: time.Second},
		Retries:   2, MarkFail: simulator.DefaultMarkFailRule(), Alarm: simulator.DefaultAlarmRule(),
		Observer: c.Observe, Progress: c.Progress, ProgressEvery: 100 * time.Millisecond,
		Sinks: []simulator.AlarmSink{c}}
	var finished atomic.Bool
	var s *simulator.Summary
	done := make(chan error, 1)
	go func() {
		var err error
		s, err = simulator.Run(context.Background(), plan)
		finished.Store(true)
		done <- err
	}()

	// While the run lasts, the counters grow.
	g.Eventually(func() (float64, error) {
		running := !finished.Load()
		mfs, err := scrape(srv.URL())
		if err != nil || !running {
			return 0, err
		}
		return sum(mfs, "wxsim_pushes_total", nil), nil
	}).WithTimeout(2 * time.Second).WithPolling(20 * time.Millisecond).Should(BeNumerically(">", 0))
	g.Expect(<-done).To(Succeed())

	mfs, err := scrape(srv.URL())
	g.Expect(err).NotTo(HaveOccurred())
	attack := map[string]string{"attack": "scrape-test"}
	g.Expect(sum(mfs, "wxsim_pushes_total", attack)).To(BeNumerically("==", s.Pushes))
	g.Expect(sum(mfs, "wxsim_deliveries_total", nil)).To(BeNumerically("==", s.Deliveries))
	g.Expect(sum(mfs, "wxsim_retries_total", nil)).To(BeNumerically("==", s.Retries))
	g.Expect(sum(mfs, "wxsim_lost_total", nil)).To(BeNumerically("==", s.Lost))
	g.Expect(sum(mfs, "wxsim_late_total", nil)).To(BeNumerically("==", s.Late))
	g.Expect(sum(mfs, "wxsim_delivery_latency_seconds", nil)).To(BeNumerically("==", s.Deliveries))
	for outcome, n := range s.Outcomes {
		g.Expect(sum(mfs, "wxsim_outcomes_total", map[string]string{"outcome": outcome})).To(BeNumerically("==", n), outcome)
	}
	for kind, n := range s.Kinds {
		g.Expect(sum(mfs, "wxsim_pushes_total", map[string]string{"kind": kind})).To(BeNumerically("==", n), kind)
	}
	for reason, n := range s.Reasons {
		g.Expect(sum(mfs, "wxsim_response_failures_total", map[string]string{"reason": reason})).To(BeNumerically("==", n), reason)
	}
	g.Expect(s.Outcomes["ok"]).To(BeNumerically(">", 0))
	g.Expect(s.Deliveries).To(BeNumerically(">", s.Outcomes["ok"]), "flaky=0.3 failed nothing")
	g.Expect(sum(mfs, "wxsim_alarms_total", nil)).To(BeNumerically("==", len(s.Alarms)))
	g.Expect(mfs).To(HaveKey("wxsim_markfail_blocked"))
	g.Expect(mfs).To(HaveKey("wxsim_open_alarms"))
}
