package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	. "github.com/onsi/gomega"
)

func TestParseBench(t *testing.T) {
	g := NewWithT(t)
	out := []byte(`goos: linux
BenchmarkAppendXML-2               	 5429335	       225.2 ns/op	1256.70 MB/s	       0 B/op	       0 allocs/op
BenchmarkJudgeTextReply-2          	   75132	     16020 ns/op	    6952 B/op	      66 allocs/op
BenchmarkNoMem                     	   100	     1.5 ns/op
PASS
`)
	g.Expect(parseBench(out)).To(Equal([]benchLine{
		{Name: "AppendXML", NsOp: 225.2, BOp: 0, Allocs: 0},
		{Name: "JudgeTextReply", NsOp: 16020, BOp: 6952, Allocs: 66},
		{Name: "NoMem", NsOp: 1.5},
	}))
}

func TestSpreadOf(t *testing.T) {
	g := NewWithT(t)
	g.Expect(spreadOf([]float64{3, 1, 2})).To(Equal(spread{1, 2, 3}))
	g.Expect(spreadOf([]float64{4, 1, 2, 3})).To(Equal(spread{1, 2.5, 4}))
	g.Expect(spreadOf(nil)).To(Equal(spread{}))
}

// Re-running the bench replaces the figures between the markers and
// keeps what was written around them.
func TestWriteMarkdownKeepsTheProse(t *testing.T) {
	g := NewWithT(t)
	path := filepath.Join(t.TempDir(), "BENCHMARKS.md")
	r := &results{When: time.Date(2026, 12, 4, 20, 0, 0, 0, time.UTC), CPU: "test CPU", Vegeta: "v12.13.0", Command: "make bench",
		Overload: &overload{Target: 1000, Achieved: 500, Pushes: 100, Late: 40, P50: 12}}
	g.Expect(writeMarkdown(path, r)).To(Succeed())
	first, err := os.ReadFile(path)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(string(first)).To(HavePrefix("# wxsim benchmarks\n"))
	g.Expect(string(first)).To(ContainSubstring("**40 late**"))

	edited := strings.Replace(string(first), "# wxsim benchmarks\n", "# wxsim benchmarks\n\nWhat was changed.\n", 1) + "\nTrailing notes.\n"
	g.Expect(os.WriteFile(path, []byte(edited), 0o644)).To(Succeed())
	r.Overload.Late = 41
	g.Expect(writeMarkdown(path, r)).To(Succeed())
	second, err := os.ReadFile(path)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(string(second)).To(ContainSubstring("What was changed."))
	g.Expect(string(second)).To(HaveSuffix("\nTrailing notes.\n"))
	g.Expect(string(second)).To(ContainSubstring("**41 late**"))
	g.Expect(string(second)).NotTo(ContainSubstring("**40 late**"))
	g.Expect(strings.Count(string(second), beginMarker)).To(Equal(1))
}

// The machine factor is the geometric mean of the calibrations' ratios to
// the reference machine, and each time budget is judged both as written
// and scaled by it.
func TestBudgetsAtThisMachinesSpeed(t *testing.T) {
	g := NewWithT(t)
	figs := map[string]*benchFigures{
		"CalibrateEtreeBuild":   {Ns: []float64{5000, 5000, 9999}, Allocs: []float64{37, 37, 37}}, // 2× the 2.5 µs reference
		"CalibrateEtreeParse":   {Ns: []float64{17200}, Allocs: []float64{87}},                    // 2× the 8.6 µs reference
		"BuildAndSignPlainPush": {Ns: []float64{700}, Allocs: []float64{0}, Bytes: []float64{0}},
		"JudgeSuccess":          {Ns: []float64{70}, Allocs: []float64{0}, Bytes: []float64{0}},
		"JudgeTextReply":        {Ns: []float64{18000}, Allocs: []float64{66}, Bytes: []float64{6952}},   // over 12 µs, under 24 µs
		"SafePushRoundTrip":     {Ns: []float64{61000}, Allocs: []float64{135}, Bytes: []float64{18125}}, // over 60 µs too
	}
	f, ok := machineFactor(figs)
	g.Expect(ok).To(BeTrue())
	g.Expect(f).To(BeNumerically("~", 2, 1e-9))

	var b strings.Builder
	(&results{Benches: figs}).renderBenches(&b)
	out := b.String()
	g.Expect(out).To(ContainSubstring("**2.00×**"))
	g.Expect(out).To(ContainSubstring("| JudgeTextReply | judge a text passive reply | 18.0 µs / 18.0 µs / 18.0 µs | 6952 | 66 | ≤ 12.0 µs | **no** | yes (≤ 24.0 µs) |"))
	g.Expect(out).To(ContainSubstring("| 61.0 µs / 61.0 µs / 61.0 µs | 18125 | 135 | ≤ 30.0 µs | **no** | **no** (≤ 60.0 µs) |"))

	delete(figs, "CalibrateEtreeParse")
	_, ok = machineFactor(figs)
	g.Expect(ok).To(BeFalse(), "a missing calibration gives no factor rather than a wrong one")
	b.Reset()
	(&results{Benches: figs}).renderBenches(&b)
	g.Expect(b.String()).To(ContainSubstring("| not calibrated |"))
}
