package report

import (
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/wxsim/wxsim/simulator"
	"github.com/wxsim/wxsim/simulator/wechat"
)

var t0 = time.Date(2026, 12, 4, 20, 12, 0, 0, time.UTC)

// kinds cycle over pushes, so each takes a quarter of a multiple of four.
var kinds = []string{"text", "click", "subscribe", "image"}

// mixedRun plays n pushes at rate from start, every twentieth slot a fixed
// fate, so the counts are known in advance. For n = 1000:
//
//	slots 0-13  ok                                    700 pushes, 700 deliveries
//	slot  14    blocked (lost)                         50 pushes, 0 deliveries
//	slots 15-16 request timeout, then ok on retry     100 pushes, 200 deliveries
//	slot  17    response failure not_xml (lost)        50 pushes, 50 deliveries
//	slot  18    response failure bad_reply (lost)      50 pushes, 50 deliveries
//	slot  19    connect failure thrice (lost)          50 pushes, 150 deliveries
//
// Every hundredth push is late. Outcomes come back in the order their
// deliveries end, as a run writes them.
func mixedRun(start time.Time, rate float64, n int) []simulator.Outcome {
	var outs []simulator.Outcome
	for i := range n {
		due := start.Add(time.Duration(float64(i) / rate * float64(time.Second)))
		o := simulator.Outcome{Kind: kinds[i%len(kinds)], Attempt: 1, Start: due, Final: true,
			Account: "wx0123456789abcdef", RemoteIP: "127.0.0.1", Late: i%100 == 0, Code: 200}
		outs = append(outs, fate(o, i%20)...)
	}
	slices.SortStableFunc(outs, func(a, b simulator.Outcome) int {
		return a.Start.Add(a.Latency).Compare(b.Start.Add(b.Latency))
	})
	return outs
}

// fate returns the attempts of a push in slot of mixedRun.
func fate(o simulator.Outcome, slot int) []simulator.Outcome {
	ok := func(o simulator.Outcome) simulator.Outcome {
		o.Class, o.Latency = simulator.OK, time.Duration(2+slot%7)*time.Millisecond
		return o
	}
	switch {
	case slot < 14:
		return []simulator.Outcome{ok(o)}
	case slot == 14:
		o.Class, o.Code = simulator.Blocked, 0
		return []simulator.Outcome{o}
	case slot < 17:
		first := o
		first.Class, first.Latency, first.Final, first.Code = simulator.RequestTimeout, 5*time.Second, false, 0
		retry := ok(o)
		retry.Attempt, retry.Start, retry.Late = 2, o.Start.Add(5*time.Second), false
		return []simulator.Outcome{first, retry}
	case slot < 19:
		o.Class, o.Latency, o.Reason = simulator.ResponseFailure, 3*time.Millisecond, wechat.ReasonNotXML
		if slot == 18 {
			o.Reason = wechat.ReasonBadReply
		}
		o.Body = []byte("<html>oops</html>")
		return []simulator.Outcome{o}
	}
	var as []simulator.Outcome
	for a := 1; a <= 3; a++ {
		f := o
		f.Class, f.Latency, f.Code, f.Attempt = simulator.ConnectFailure, 500*time.Microsecond, 0, a
		f.Start, f.Final, f.Late = o.Start.Add(time.Duration(a-1)*time.Second), a == 3, o.Late && a == 1
		as = append(as, f)
	}
	return as
}

// okRun plays n pushes at rate from start, every one answered in 2 ms.
func okRun(start time.Time, rate float64, n int) []simulator.Outcome {
	outs := make([]simulator.Outcome, n)
	for i := range outs {
		outs[i] = simulator.Outcome{Class: simulator.OK, Kind: "text", Attempt: 1, Final: true, Code: 200,
			Start: start.Add(time.Duration(float64(i) / rate * float64(time.Second))), Latency: 2 * time.Millisecond}
	}
	return outs
}

// encoders name vegeta's encodings.
var encoders = map[string]func(io.Writer) vegeta.Encoder{
	"gob":  vegeta.NewEncoder,
	"json": vegeta.NewJSONEncoder,
	"csv":  vegeta.NewCSVEncoder,
}

// writeResults writes outcomes as the result stream of attack, in encoding
// enc, to a new file in dir, and returns its path.
func writeResults(t testing.TB, dir, name, enc, attack string, outcomes []simulator.Outcome) string {
	t.Helper()
	p := filepath.Join(dir, name)
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	e := encoders[enc](f)
	for i := range outcomes {
		r := simulator.ResultOf(&outcomes[i], attack, "http://127.0.0.1:8080/wx", uint64(i))
		if err := e.Encode(&r); err != nil {
			t.Fatal(err)
		}
	}
	return p
}

// aggregate feeds outcomes to a fresh Aggregator directly, as a live run.
func aggregate(outcomes []simulator.Outcome) *simulator.Summary {
	agg := simulator.NewAggregator(simulator.AggregatorConfig{})
	var end time.Time
	for i := range outcomes {
		agg.Add(&outcomes[i])
		if e := outcomes[i].Start.Add(outcomes[i].Latency); e.After(end) {
			end = e
		}
	}
	agg.Close(end)
	return agg.Summary()
}

// failingRun plays n pushes at rate from start, every one refused: enough
// of them trip MarkFail, and the pushes due in the block are blocked.
func failingRun(start time.Time, rate float64, n int) []simulator.Outcome {
	rule := simulator.DefaultMarkFailRule()
	br := simulator.NewBreaker(rule)
	outs := make([]simulator.Outcome, 0, n)
	for i := range n {
		o := simulator.Outcome{Class: simulator.ConnectFailure, Kind: "text", Attempt: 1, Final: true,
			Start: start.Add(time.Duration(float64(i) / rate * float64(time.Second))), Latency: time.Millisecond,
			Detail: "connection refused"}
		if br.Blocked(o.Start) {
			o.Class, o.Latency = simulator.Blocked, 0
		} else {
			br.Record(o.Start.Add(o.Latency), true)
		}
		outs = append(outs, o)
	}
	return outs
}

// richSummary is a run with every section filled: outcomes of all sorts,
// MarkFail blocks, alarms, thresholds and assumptions.
func richSummary() *simulator.Summary {
	run := append(mixedRun(t0, 50, 1000), failingRun(t0.Add(30*time.Second), 10, 1500)...)
	s := aggregate(run)
	s.Rate.Target = 50
	s.Thresholds = []simulator.ThresholdResult{
		{Expr: "p99 < 1s", OK: false, Value: "5s"},
		{Expr: "lost == 0", OK: false, Value: "200"},
		{Expr: "dns_failure_ratio < 0.001", OK: true, Value: "0"},
	}
	return s
}
