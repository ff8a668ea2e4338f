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
