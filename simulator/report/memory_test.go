package report

import (
	"io"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/wxsim/wxsim/simulator"
)

// TestReadStreamsKeepsNoResults reads a stream far larger than the heap it
// is allowed: its results, kept, would take over 60 MB (measured).
func TestReadStreamsKeepsNoResults(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 100 000 results")
	}
	g := NewWithT(t)
	const n, rate = 100_000, 100.0
	pr, pw := io.Pipe()
	go func() {
		enc := vegeta.NewEncoder(pw)
		var err error
		for i := 0; i < n && err == nil; i++ {
			o := simulator.Outcome{Class: simulator.OK, Kind: "text", Attempt: 1, Final: true, Code: 200,
				Start: t0.Add(time.Duration(float64(i) / rate * float64(time.Second))), Latency: 2 * time.Millisecond,
				Body: []byte("success"), RemoteIP: "127.0.0.1", Account: "wx0123456789abcdef"}
			r := simulator.ResultOf(&o, "wxsim", "http://127.0.0.1:8080/wx", uint64(i))
			err = enc.Encode(&r)
		}
		pw.CloseWithError(err)
	}()

	var peak atomic.Uint64
	done := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			peak.Store(max(peak.Load(), ms.HeapAlloc))
			select {
			case <-done:
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	}()
	m, err := ReadStreams([]Stream{{Name: "pipe", R: pr}}, simulator.AggregatorConfig{})
	close(done)
	<-sampled
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(m.Summary.Pushes).To(BeEquivalentTo(n))
	g.Expect(peak.Load()).To(BeNumerically("<", 32<<20), "peak heap %d MB", peak.Load()>>20)
	t.Logf("peak heap %d MB for %d results", peak.Load()>>20, n)
}
