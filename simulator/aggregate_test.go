package simulator

import (
	"bytes"
	"encoding/json"
	"errors"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	. "github.com/onsi/gomega"

	"github.com/wxsim/wxsim/simulator/wechat"
)

// aggAttempt builds an outcome of push n (due n*100ms after aggT0).
func aggAttempt(n int, kind string, try int, c Class, lat time.Duration, final bool) *Outcome {
	o := &Outcome{Class: c, Kind: kind, Attempt: try, Latency: lat, Final: final, RemoteIP: "127.0.0.1",
		Start: aggT0.Add(time.Duration(n)*100*time.Millisecond + time.Duration(try-1)*5*time.Second)}
	if c == Blocked {
		o.Latency = 0
	}
	return o
}

// syntheticStream covers every counting rule: retries that recover and
// that do not, a rejected reply, blocked pushes and a blocked retry, a late
// push, a DNS failure.
func syntheticStream() []*Outcome {
	ms := time.Millisecond
	late := aggAttempt(6, "text", 1, OK, 30*ms, true)
	late.Late = true
	notXML := aggAttempt(3, "text", 1, ResponseFailure, 4*ms, true)
	notXML.Reason = wechat.ReasonNotXML
	return []*Outcome{
		aggAttempt(0, "text", 1, OK, 1*ms, true),
		aggAttempt(1, "click", 1, RequestTimeout, 5000*ms, false),
		aggAttempt(1, "click", 2, RequestTimeout, 5000*ms, false),
		aggAttempt(1, "click", 3, OK, 2*ms, true),
		aggAttempt(2, "subscribe", 1, ConnectFailure, 1*ms, false),
		aggAttempt(2, "subscribe", 2, ConnectTimeout, 3000*ms, false),
		aggAttempt(2, "subscribe", 3, RequestTimeout, 5000*ms, true),
		notXML,
		aggAttempt(4, "text", 1, Blocked, 0, true),
		aggAttempt(5, "unsubscribe", 1, RequestTimeout, 5000*ms, false),
		aggAttempt(5, "unsubscribe", 2, Blocked, 0, true),
		late,
		aggAttempt(7, "text", 1, DNSFailure, 3*ms, true),
	}
}

func TestAggregatorCountingRules(t *testing.T) {
	g := NewWithT(t)
	a := NewAggregator(AggregatorConfig{Retries: 2, TargetRate: 10, Accounts: []AccountInfo{{AppID: "wx1"}}})
	for _, o := range syntheticStream() {
		a.Add(o)
	}
	a.Close(aggT0.Add(time.Minute))
	s := a.Summary()
	g.Expect(s.Pushes).To(Equal(uint64(8)))
	g.Expect(s.Deliveries).To(Equal(uint64(11)))
	g.Expect(s.Retries).To(Equal(uint64(4)), "a blocked retry is not a delivery")
	g.Expect(s.Lost).To(Equal(uint64(5)))
	g.Expect(s.Late).To(Equal(uint64(1)))
	g.Expect(s.Outcomes).To(Equal(map[string]uint64{"ok": 3, "dns_failure": 1, "connect_timeout": 1,
		"connect_failure": 1, "request_timeout": 4, "response_failure": 1, "blocked": 2}))
	g.Expect(s.Reasons).To(HaveLen(len(wechat.Reasons())))
	g.Expect(s.Reasons).To(HaveKeyWithValue("not_xml", uint64(1)))
	g.Expect(s.Reasons).To(HaveKeyWithValue("too_large", uint64(0)))
	g.Expect(s.Kinds).To(Equal(map[string]uint64{"text": 5, "click": 1, "subscribe": 1, "unsubscribe": 1}))
	g.Expect(s.Rate.Target).To(Equal(10.0))
	g.Expect(s.Rate.Achieved).To(BeNumerically("~", 10, 1e-9), "8 pushes over 0.7 s")
	g.Expect(s.LatencyMS.Max).To(Equal(5000.0))
	g.Expect(s.LatencyMS.P50).To(BeNumerically("~", 30, 0.5))
	g.Expect(s.LatencyMS.P99).To(BeNumerically("~", 5000, 80))
	g.Expect(s.Start).To(Equal(aggT0))
	g.Expect(s.End).To(Equal(aggT0.Add(10*time.Second + 200*time.Millisecond + 5*time.Second)))
	g.Expect(s.Duration).To(Equal("15.2s"))
	g.Expect(s.MarkFail).To(BeEmpty())
	g.Expect(s.Alarms).To(BeEmpty())
	g.Expect(s.Assumption).To(Equal(Assumptions{ConnectTimeout: "3s", ResponseTimeout: "5s", Retries: 2,
		MarkFail: "100 failures and 50% of deliveries in 60s, block 60s", AlarmThreshold: 30, AlarmWindow: "5m"}))

	var sum uint64
	for _, n := range s.Outcomes {
		sum += n
	}
	g.Expect(sum).To(Equal(s.Deliveries+s.Outcomes["blocked"]), "outcomes = deliveries + blocked")
}

func TestAggregatorSummaryJSONHasEveryKey(t *testing.T) {
	g := NewWithT(t)
	a := NewAggregator(AggregatorConfig{})
	a.Close(aggT0)
	b, err := json.Marshal(a.Summary())
	g.Expect(err).NotTo(HaveOccurred())
	var m map[string]any
	g.Expect(json.Unmarshal(b, &m)).To(Succeed())
	for _, k := range []string{"pushes", "deliveries", "lost", "late", "outcomes", "reasons", "retries",
		"rate", "latency_ms", "kinds", "markfail", "alarms", "thresholds", "assumptions", "start", "end", "duration"} {
		g.Expect(m).To(HaveKey(k))
	}
	g.Expect(m["outcomes"]).To(HaveLen(7))
	g.Expect(m["markfail"]).To(BeEmpty())
	g.Expect(m["alarms"]).To(BeEmpty())
	g.Expect(m["thresholds"]).To(BeEmpty())
	g.Expect(m["duration"]).To(Equal("0s"))
}

// collectSink records what it is sent.
type collectSink struct {
	mu     sync.Mutex
	alarms []Alarm
}

func (c *collectSink) Send(al Alarm) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.alarms = append(c.alarms, al)
	return nil
}

type failingSink struct{}

func (failingSink) Send(Alarm) error { return errSinkDown }

var errSinkDown = errors.New("sink down")

func TestAggregatorMarkFailBlocksAndAlarms(t *testing.T) {
	g := NewWithT(t)
	sink := &collectSink{}
	var console bytes.Buffer
	a := NewAggregator(AggregatorConfig{Accounts: []AccountInfo{{AppID: "wx1", Nickname: "Demo"}},
		Sinks: []AlarmSink{sink, NewConsoleSink(&console, "en"), failingSink{}}})
	gate := a.Breaker("wx1")
	g.Expect(a.Breaker("")).To(BeIdenticalTo(gate), "the default account")
	for i := range 99 {
		a.Add(&Outcome{Class: OK, Kind: "text", Attempt: 1, Start: aggT0.Add(time.Duration(i) * time.Millisecond), Final: true})
	}
	var tripped time.Time
	for i := range 100 {
		o := &Outcome{Class: RequestTimeout, Kind: "click", Attempt: 1, RemoteIP: "127.0.0.1",
			Start: aggT0.Add(time.Duration(i) * time.Millisecond), Latency: 5 * time.Second, Account: "wx1"}
		a.Add(o)
		if i == 98 {
			g.Expect(a.Snapshot().Blocked).To(BeFalse())
		}
		tripped = o.Start.Add(o.Latency)
	}
	g.Expect(gate.Blocked(tripped)).To(BeTrue())
	g.Expect(gate.Blocked(tripped.Add(time.Minute))).To(BeFalse())
	p := a.Snapshot()
	g.Expect(p.Blocked).To(BeTrue())
	g.Expect(p.OpenAlarms).To(Equal(1))
	// Pushes due during the block are blocked, not delivered.
	a.Add(&Outcome{Class: Blocked, Kind: "text", Attempt: 1, Start: tripped.Add(time.Second), Final: true})
	a.Close(tripped.Add(2 * time.Second))

	s := a.Summary()
	g.Expect(s.MarkFail).To(Equal([]Block{{Account: "wx1", Start: tripped, End: tripped.Add(time.Minute),
		Failures: 100, Deliveries: 199, Window: "60s"}}))
	g.Expect(s.Alarms).To(HaveLen(2))
	g.Expect(s.Alarms[0].Type).To(Equal(AlarmMarkFail))
	g.Expect(s.Alarms[0].Nickname).To(Equal("Demo"))
	g.Expect(s.Alarms[1].Type).To(Equal(AlarmRequestTimeout))
	g.Expect(s.Alarms[1].Partial).To(BeTrue())
	g.Expect(s.Alarms[1].Count).To(Equal(100))
	g.Expect(s.Outcomes["blocked"]).To(Equal(uint64(1)))
	g.Expect(s.Lost).To(Equal(uint64(1)), "the timeouts were not final; the blocked push is lost")
	g.Expect(sink.alarms).To(Equal(s.Alarms), "every alarm reaches every sink, in order")
	g.Expect(console.String()).To(ContainSubstring("Nickname: Demo\n"))
	g.Expect(a.SinkErrors()).To(HaveLen(2), "one error per alarm from the failing sink")
}

func TestAggregatorAccountsAreSeparate(t *testing.T) {
	g := NewWithT(t)
	a := NewAggregator(AggregatorConfig{Accounts: []AccountInfo{{AppID: "wx1", Nickname: "One"}, {AppID: "wx2", Nickname: "Two"}}})
	for i := range 100 {
		at := aggT0.Add(time.Duration(i) * time.Millisecond)
		a.Add(&Outcome{Class: ResponseFailure, Kind: "text", Attempt: 1, Start: at, Account: "wx2", Final: true})
		if i < 29 {
			a.Add(&Outcome{Class: ResponseFailure, Kind: "text", Attempt: 1, Start: at, Account: "wx1", Final: true})
		}
	}
	a.Close(aggT0.Add(time.Minute))
	g.Expect(a.Breaker("wx1").Blocked(aggT0.Add(time.Second))).To(BeFalse())
	g.Expect(a.Breaker("wx2").Blocked(aggT0.Add(time.Second))).To(BeTrue())
	s := a.Summary()
	g.Expect(s.MarkFail).To(HaveLen(1))
	g.Expect(s.MarkFail[0].Account).To(Equal("wx2"))
	g.Expect(s.Alarms).To(HaveLen(2))
	for _, al := range s.Alarms {
		g.Expect(al.Account).To(Equal("wx2"))
		g.Expect(al.Nickname).To(Equal("Two"))
	}
	// An appid not configured still gets its own breaker.
	g.Expect(a.Breaker("wx3")).NotTo(BeIdenticalTo(a.Breaker("wx1")))
}

func TestAggregatorSnapshotIsSafeConcurrently(t *testing.T) {
	g := NewWithT(t)
	a := NewAggregator(AggregatorConfig{})
	var stop atomic.Bool
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for !stop.Load() {
			p := a.Snapshot()
			if p.OKRatio < 0 || p.OKRatio > 1 {
				panic("bad ratio")
			}
			a.Series()
			a.Summary()
		}
	}()
	o := &Outcome{Kind: "text", Attempt: 1, Final: true}
	for i := range 50_000 {
		o.Class = Class(i % 2 * int(RequestTimeout))
		o.Start = aggT0.Add(time.Duration(i) * 100 * time.Microsecond)
		o.Latency = time.Duration(i%1000) * time.Microsecond
		a.Add(o)
	}
	stop.Store(true)
	wg.Wait()
	p := a.Snapshot()
	g.Expect(p.Sent).To(Equal(uint64(50_000)))
	g.Expect(p.Deliveries).To(Equal(uint64(50_000)))
	g.Expect(p.OKRatio).To(Equal(0.5))
	g.Expect(p.Rate).To(BeNumerically("~", 10_000, 10))
	g.Expect(p.Elapsed).To(BeNumerically("~", 5*time.Second, time.Millisecond))
	g.Expect(p.P99).To(BeNumerically("~", 990*time.Microsecond, 20*time.Microsecond))
}

// heapAfterGC returns the live heap.
func heapAfterGC() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

func TestAggregatorMemoryDoesNotGrowWithPushes(t *testing.T) {
	g := NewWithT(t)
	a := NewAggregator(AggregatorConfig{})
	kinds := []string{"text", "click", "subscribe", "unsubscribe"}
	o := &Outcome{RemoteIP: "127.0.0.1", Final: true}
	add := func(from, n int) {
		for i := from; i < from+n; i++ {
			o.Kind = kinds[i%len(kinds)]
			o.Class = Class(i % 7 % int(Blocked)) // failures too: alarms, blocks
			o.Attempt = 1 + i%3
			o.Start = aggT0.Add(time.Duration(i) * 100 * time.Microsecond) // 10 000 pushes/s
			o.Latency = time.Duration(i%5000) * time.Microsecond
			a.Add(o)
		}
	}
	add(0, 10_000) // warm up: maps, histograms, the first buckets
	before := heapAfterGC()
	add(10_000, 1_000_000)
	after := heapAfterGC()
	growth := int64(after) - int64(before)
	t.Logf("heap before %d B, after %d B, growth %d B for 1e6 outcomes (101 s of run)", before, after, growth)
	// 101 seconds of series and a few alarms and blocks: well under 1 MB,
	// while keeping anything per push would cost tens of MB.
	g.Expect(growth).To(BeNumerically("<", 1<<20))
	g.Expect(a.Summary().Pushes).To(Equal(uint64((1_010_000 + 2) / 3)))
	runtime.KeepAlive(a)
}

func BenchmarkAggregatorAdd(b *testing.B) {
	a := NewAggregator(AggregatorConfig{})
	kinds := []string{"text", "click", "subscribe", "unsubscribe"}
	o := &Outcome{RemoteIP: "127.0.0.1", Final: true, Attempt: 1}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		o.Kind = kinds[i&3]
		o.Class = Class(i % 64 / 63 * int(RequestTimeout)) // 1 in 64 a timeout
		o.Start = aggT0.Add(time.Duration(i) * 100 * time.Microsecond)
		o.Latency = time.Duration(i%5000) * time.Microsecond
		a.Add(o)
		i++
	}
}
