package simulator_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/wxsim/wxsim/simulator"
	"github.com/wxsim/wxsim/simulator/pacing"
	"github.com/wxsim/wxsim/simulator/report"
)

// runToFile runs p with its result stream written to path.
func runToFile(t *testing.T, p simulator.Plan, path string) *simulator.Summary {
	t.Helper()
	fh, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	p.Output = vegeta.NewEncoder(fh)
	s, err := simulator.Run(context.Background(), p)
	if cerr := fh.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// Two shards at R/2, run side by side against one endpoint and merged,
// are one run at R: the same pushes and outcomes exactly, the same rate
// (summed over each shard's own window), and MsgIds that never collide.
func TestTwoShardsMergedMatchOneRun(t *testing.T) {
	t.Parallel()
	g := NewWithT(t)
	const rate, d = 200.0, 1500 * time.Millisecond
	dir := t.TempDir()
	textOnly, err := simulator.ParseMix("text=1") // messages only: a MsgId collision is a duplicate
	g.Expect(err).NotTo(HaveOccurred())

	// The schedule offers rate×d pushes, then pauses for a second, so a
	// generator that falls behind (say under the race detector) still
	// sends every push before the run ends: the counts are exact.
	schedule, err := pacing.Staged(pacing.Stage{Kind: pacing.StageHold, Target: rate, Duration: d},
		pacing.Stage{Kind: pacing.StageHold, Target: 0, Duration: time.Second})
	g.Expect(err).NotTo(HaveOccurred())
	plan := func(url string) simulator.Plan {
		p := testPlan(t, url, testAccount, rate, d)
		p.Name, p.Mix, p.Pacer, p.Duration = "wxsim", textOnly, schedule, 0
		// WeChat's own limits: the test is about counting, and a loaded
		// machine (the race detector) must not turn slow replies into retries.
		p.Transport.ConnectTimeout, p.Transport.ResponseTimeout = 3*time.Second, 5*time.Second
		return p
	}

	wholeURL, _ := startEndpoint(t, testAccount, "correct")
	whole := plan(wholeURL)
	one := runToFile(t, whole, filepath.Join(dir, "whole.bin"))

	shardURL, shardEP := startEndpoint(t, testAccount, "correct")
	paths := []string{filepath.Join(dir, "shard-0.bin"), filepath.Join(dir, "shard-1.bin")}
	done := make(chan *simulator.Summary, 2)
	for i, path := range paths {
		p := plan(shardURL)
		g.Expect(simulator.Shard{I: i, N: 2}.Apply(&p)).To(Succeed())
		go func() { done <- runToFile(t, p, path) }()
	}
	perShard := []*simulator.Summary{<-done, <-done}

	m, err := report.ReadFiles(paths, simulator.AggregatorConfig{})
	g.Expect(err).NotTo(HaveOccurred())
	merged := m.Summary
	g.Expect(one.Pushes).To(BeNumerically("==", rate*d.Seconds()))
	g.Expect(merged.Pushes).To(Equal(one.Pushes))
	g.Expect(merged.Deliveries).To(Equal(one.Deliveries))
	g.Expect(merged.Lost).To(Equal(one.Lost))
	g.Expect(merged.Outcomes).To(Equal(one.Outcomes))
	g.Expect(merged.Rate.Achieved).To(BeNumerically("~", one.Rate.Achieved, 0.05*one.Rate.Achieved))
	g.Expect(merged.Rate.Achieved).To(BeNumerically("~", rate, 0.05*rate))

	g.Expect(m.Shards).To(HaveLen(2))
	names := []string{m.Shards[0].Attack, m.Shards[1].Attack}
	g.Expect(names).To(ConsistOf("wxsim-shard-0-of-2", "wxsim-shard-1-of-2"))
	for _, sh := range m.Shards {
		g.Expect(sh.Pushes).To(BeNumerically("==", one.Pushes/2))
		g.Expect(sh.Rate).To(BeNumerically("~", rate/2, 0.05*rate/2))
	}
	for _, s := range perShard {
		g.Expect(s.Rate.Target).To(BeNumerically("~", one.Rate.Target/2, 1))
	}
	st := shardEP.Stats()
	g.Expect(st.Pushes).To(BeNumerically("==", one.Pushes))
	g.Expect(st.Duplicates).To(BeZero(), "the shards' MsgIds collided")
}
