package simulator_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/wxsim/wxsim/simulator"
	"github.com/wxsim/wxsim/simulator/wechat"
)

// Not parallel: the rate is asserted within 1 %, so it runs before the
// package's parallel tests load the two cores.
func TestRunAgainstReferenceEndpoint200PerSecondFor10s(t *testing.T) {
	g := NewWithT(t)
	url, e := startEndpoint(t, testAccount, "correct")
	s, err := simulator.Run(context.Background(), testPlan(t, url, testAccount, 200, 10*time.Second))
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(s.Pushes).To(BeNumerically("~", 2000, 2))
	g.Expect(s.Outcomes["ok"]).To(Equal(s.Pushes), "every push ok: %+v", s.Outcomes)
	g.Expect(s.Deliveries).To(Equal(s.Pushes))
	g.Expect(s.Lost).To(BeZero())
	g.Expect(s.Rate.Achieved).To(BeNumerically("~", 200, 2), "achieved rate within 1%%")
	g.Expect(e.Stats().Pushes).To(BeNumerically("==", s.Pushes))
}

func TestRunEveryModeAllOK(t *testing.T) {
	t.Parallel()
	for _, m := range wechat.Modes() {
		t.Run(m.String(), func(t *testing.T) {
			t.Parallel()
			g := NewWithT(t)
			acct := testAccount
			acct.Mode = m
			url, _ := startEndpoint(t, acct, "correct")
			p := testPlan(t, url, acct, 100, time.Second)
			p.Mix, _ = simulator.ParseMix("text,image,voice,video,shortvideo,location,link,subscribe,subscribe_qr,unsubscribe,scan,location_event,click,view,templatesendjobfinish,masssendjobfinish")
			s, err := simulator.Run(context.Background(), p)
			g.Expect(err).NotTo(HaveOccurred())
			g.Expect(s.Pushes).To(BeNumerically(">=", 99))
			g.Expect(s.Outcomes["ok"]).To(Equal(s.Pushes), "%+v %+v", s.Outcomes, s.Reasons)
		})
	}
}

func TestRequestTimeoutRetriesAndAlarm(t *testing.T) {
	t.Parallel()
	g := NewWithT(t)
	url, e := startEndpoint(t, testAccount, "slow=1.2s")
	p := testPlan(t, url, testAccount, 10, 2*time.Second)
	p.Alarm.Threshold = 30
	s, err := simulator.Run(context.Background(), p)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(s.Pushes).To(BeNumerically("==", 20))
	g.Expect(s.Deliveries).To(Equal(3*s.Pushes), "each push delivered 3 times")
	g.Expect(s.Outcomes["request_timeout"]).To(Equal(s.Deliveries))
	g.Expect(s.Retries).To(Equal(2 * s.Pushes))
	g.Expect(s.Lost).To(Equal(s.Pushes))
	g.Expect(s.Alarms).To(HaveLen(1))
	al := s.Alarms[0]
	g.Expect(al.Type).To(Equal(simulator.AlarmRequestTimeout))
	g.Expect(al.Count).To(BeNumerically("==", s.Deliveries), "alarm count equals the failures")
	g.Expect(al.Partial).To(BeTrue())
	g.Expect(al.Sample).To(MatchRegexp(`^\[IP=127\.0\.0\.1\]\[(Msg|Event)=[a-z_]+\]$`))
	g.Expect(e.Stats().Requests).To(BeNumerically("==", s.Deliveries))
	// Re-deliveries are the same push (same body, MsgId, CreateTime: the
	// endpoint de-duplicates them), each signed afresh (none refused).
	g.Expect(e.Stats().Duplicates).To(BeNumerically("==", 2*s.Pushes))
	g.Expect(e.Stats().BadSignature).To(BeZero())
}

func TestSlowButInTimeIsOK(t *testing.T) {
	t.Parallel()
	g := NewWithT(t)
	url, _ := startEndpoint(t, testAccount, "slow=800ms")
	s, err := simulator.Run(context.Background(), testPlan(t, url, testAccount, 10, time.Second))
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(s.Outcomes["ok"]).To(Equal(s.Pushes))
	g.Expect(s.Pushes).To(BeNumerically("==", 10))
}

// TestRealFiveSecondBoundary keeps WeChat's real limits honest once:
// 4.8 s is in time, 5.2 s is a request timeout.
// Not parallel itself (its two cases run side by side): 4.8 s leaves only
// 200 ms of margin, which a loaded machine must not eat.
func TestRealFiveSecondBoundary(t *testing.T) {
	for _, c := range []struct {
		delay string
		want  string
	}{{"4.8s", "ok"}, {"5.2s", "request_timeout"}} {
		t.Run(c.delay, func(t *testing.T) {
			t.Parallel()
			g := NewWithT(t)
			url, _ := startEndpoint(t, testAccount, "slow="+c.delay)
			p := testPlan(t, url, testAccount, 2, time.Second)
			p.Transport.ConnectTimeout, p.Transport.ResponseTimeout = 3*time.Second, 5*time.Second
			p.Retries = 0
			s, err := simulator.Run(context.Background(), p)
			g.Expect(err).NotTo(HaveOccurred())
			g.Expect(s.Pushes).To(BeNumerically("==", 2))
			g.Expect(s.Outcomes[c.want]).To(Equal(s.Pushes), "%+v", s.Outcomes)
		})
	}
}

func TestConnectOutcomes(t *testing.T) {
	t.Parallel()
	t.Run("blackhole is a connect timeout at the connect timeout", func(t *testing.T) {
		t.Parallel()
		g := NewWithT(t)
		url, _ := startEndpoint(t, testAccount, "blackhole")
		p := testPlan(t, url, testAccount, 5, time.Second)
		p.Transport.ConnectTimeout = 400 * time.Millisecond
		p.Retries = 0
		s, err := simulator.Run(context.Background(), p)
		g.Expect(err).NotTo(HaveOccurred())
		g.Expect(s.Outcomes["connect_timeout"]).To(Equal(s.Pushes), "%+v", s.Outcomes)
		g.Expect(s.LatencyMS.P50).To(BeNumerically("~", 400, 100))
		g.Expect(s.LatencyMS.Max).To(BeNumerically("~", 400, 100))
	})
	t.Run("closed port is a connect failure", func(t *testing.T) {
		t.Parallel()
		g := NewWithT(t)
		p := testPlan(t, "http://"+closedPort(t)+"/wx", testAccount, 10, time.Second)
		s, err := simulator.Run(context.Background(), p)
		g.Expect(err).NotTo(HaveOccurred())
		g.Expect(s.Outcomes["connect_failure"]).To(Equal(s.Deliveries), "%+v", s.Outcomes)
		g.Expect(s.Deliveries).To(Equal(3 * s.Pushes))
	})
	t.Run("a name that does not resolve is a DNS failure", func(t *testing.T) {
		t.Parallel()
		g := NewWithT(t)
		p := testPlan(t, "http://no-such-host.wxsim.invalid/wx", testAccount, 10, time.Second)
		p.Transport.Resolver = stubResolver(t)
		s, err := simulator.Run(context.Background(), p)
		g.Expect(err).NotTo(HaveOccurred())
		g.Expect(s.Outcomes["dns_failure"]).To(Equal(s.Deliveries), "%+v", s.Outcomes)
		g.Expect(s.Deliveries).To(Equal(s.Pushes), "DNS failures are not retried")
	})
}

func TestError500AlarmAndMarkFail(t *testing.T) {
	t.Parallel()
	g := NewWithT(t)
	url, e := startEndpoint(t, testAccount, "error500")
	p := testPlan(t, url, testAccount, 50, 6*time.Second)
	p.MarkFail.Block = 2 * time.Second
	type sample struct {
		at       time.Time
		requests int64
	}
	var samples []sample
	var alarms bytes.Buffer
	p.Sinks = []simulator.AlarmSink{simulator.NewJSONLinesSink(&alarms)}
	p.Progress = func(pr simulator.Progress, final bool) {
		samples = append(samples, sample{time.Now(), e.Stats().Requests})
	}
	p.ProgressEvery = 100 * time.Millisecond
	s, err := simulator.Run(context.Background(), p)
	g.Expect(err).NotTo(HaveOccurred())

	g.Expect(s.MarkFail).NotTo(BeEmpty(), "a MarkFail block")
	b := s.MarkFail[0]
	g.Expect(b.Failures).To(BeNumerically(">=", 100))
	g.Expect(b.End.Sub(b.Start)).To(Equal(2 * time.Second))
	g.Expect(s.Outcomes["blocked"]).To(BeNumerically(">=", 80), "about 2 s of pushes at 50/s blocked")
	g.Expect(s.Lost).To(Equal(s.Pushes), "every push failed or was blocked")
	g.Expect(s.Deliveries).To(BeNumerically("==", e.Stats().Requests), "blocked pushes never reached the endpoint")
	// Sampled well inside the first block (a margin for deliveries already
	// in flight when it began), the endpoint's request count stands still.
	var during []int64
	for _, sm := range samples {
		if sm.at.After(b.Start.Add(200*time.Millisecond)) && sm.at.Before(b.End.Add(-100*time.Millisecond)) {
			during = append(during, sm.requests)
		}
	}
	g.Expect(len(during)).To(BeNumerically(">=", 10))
	g.Expect(during[len(during)-1]).To(Equal(during[0]), "the endpoint saw no request during the block")

	var types []simulator.AlarmType
	for _, al := range s.Alarms {
		types = append(types, al.Type)
		if al.Type == simulator.AlarmResponseFailure {
			g.Expect(al.Sample).To(MatchRegexp(`^\[IP=127\.0\.0\.1\]\[(Msg|Event)=[a-z_]+\]\[response_length=10\]\[response_content=Error 500:\]$`))
		}
	}
	g.Expect(types).To(ContainElements(simulator.AlarmResponseFailure, simulator.AlarmMarkFail))
	g.Expect(strings.Count(alarms.String(), "\n")).To(Equal(len(s.Alarms)), "every alarm reached the sink")
}

func TestSummaryJSONKeysAndVegetaReadsOutput(t *testing.T) {
	t.Parallel()
	g := NewWithT(t)
	url, _ := startEndpoint(t, testAccount, "flaky=0.3")
	out := filepath.Join(t.TempDir(), "results.bin")
	fh, err := os.Create(out)
	g.Expect(err).NotTo(HaveOccurred())
	p := testPlan(t, url, testAccount, 100, time.Second)
	p.Output = vegeta.NewEncoder(fh)
	s, err := simulator.Run(context.Background(), p)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(fh.Close()).To(Succeed())

	raw, err := json.Marshal(s)
	g.Expect(err).NotTo(HaveOccurred())
	var keys map[string]json.RawMessage
	g.Expect(json.Unmarshal(raw, &keys)).To(Succeed())
	for _, k := range []string{"pushes", "deliveries", "lost", "late", "outcomes", "reasons", "retries", "rate",
		"latency_ms", "kinds", "markfail", "alarms", "thresholds", "assumptions"} {
		g.Expect(keys).To(HaveKey(k))
	}

	// vegeta's own decoder and metrics read the stream: one result per delivery.
	in, err := os.Open(out)
	g.Expect(err).NotTo(HaveOccurred())
	defer in.Close()
	dec := vegeta.DecoderFor(in)
	g.Expect(dec).NotTo(BeNil())
	var m vegeta.Metrics
	var recovered uint64
	for {
		var r vegeta.Result
		if err := dec.Decode(&r); err != nil {
			break
		}
		m.Add(&r)
		if o, ok := simulator.OutcomeOf(&r); ok && o.Class == simulator.ResponseFailure {
			recovered++
		}
	}
	m.Close()
	g.Expect(m.Requests).To(Equal(s.Deliveries))
	g.Expect(recovered).To(Equal(s.Outcomes["response_failure"]))
}

func TestInterruptedRunStillSummarises(t *testing.T) {
	t.Parallel()
	g := NewWithT(t)
	url, _ := startEndpoint(t, testAccount, "correct")
	ctx, cancel := context.WithTimeout(context.Background(), 700*time.Millisecond)
	defer cancel()
	start := time.Now()
	s, err := simulator.Run(ctx, testPlan(t, url, testAccount, 100, 10*time.Second))
	g.Expect(err).To(MatchError(simulator.ErrInterrupted))
	g.Expect(time.Since(start)).To(BeNumerically("<", 3*time.Second))
	g.Expect(s).NotTo(BeNil())
	g.Expect(s.Pushes).To(BeNumerically("~", 70, 15))
	g.Expect(s.Outcomes["ok"]).To(Equal(s.Pushes))
}

// A capped generator that cannot offer the rate says so: the achieved rate
// is what it sent, late pushes are counted, and latency runs from the
// intended send time, so the queueing it caused is not hidden.
func TestGeneratorBehindIsReported(t *testing.T) {
	t.Parallel()
	g := NewWithT(t)
	url, _ := startEndpoint(t, testAccount, "slow=50ms")
	p := testPlan(t, url, testAccount, 200, 2*time.Second)
	p.Workers, p.MaxWorkers = 2, 2 // at most 2 in flight, 50 ms each: about 40 pushes/s
	s, err := simulator.Run(context.Background(), p)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(s.Rate.Target).To(BeNumerically("~", 200, 1))
	g.Expect(s.Rate.Achieved).To(BeNumerically("<", 60), "achieved is what was sent")
	g.Expect(s.Rate.Achieved).To(BeNumerically(">", 25))
	g.Expect(s.Late).To(BeNumerically(">", s.Pushes/2))
	g.Expect(s.Unsent).To(BeNumerically(">", 200), "pushes due that the generator never sent are counted")
	g.Expect(s.LatencyMS.Max).To(BeNumerically(">", 1000), "latency from the intended send time")
}
