package report

import (
	"testing"

	"github.com/wxsim/wxsim/simulator"
)

// BenchmarkReadFiles measures reading a gob result stream, per result.
func BenchmarkReadFiles(b *testing.B) {
	run := mixedRun(t0, 1000, 20_000)
	p := writeResults(b, b.TempDir(), "run.bin", "gob", "wxsim", run)
	b.ResetTimer()
	for range b.N {
		if _, err := ReadFiles([]string{p}, simulator.AggregatorConfig{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(run)), "ns/result")
}
