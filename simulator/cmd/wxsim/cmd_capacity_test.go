package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	. "github.com/onsi/gomega"

	"github.com/wxsim/wxsim/simulator/wechat"
)

// capacityArgs are a short search: half-second steps from 40/s to 80/s
// (by 100/s unless the test says otherwise: just 40/s).
func capacityArgs(url string, extra ...string) []string {
	return append(append(accountArgs(url, wechat.Plain), "capacity", "--start", "40/s", "--max-rate", "80/s",
		"--step-duration", "500ms", "--pause", "50ms"), extra...)
}

// TestCapacityEveryStepHolds: a table row per step, the knee, exit 0; the
// JSON carries the knee and the steps, the HTML marks the knee.
func TestCapacityEveryStepHolds(t *testing.T) {
	t.Parallel()
	g := NewWithT(t)
	url := serveEndpoint(t, wechat.Plain, "correct")
	html := filepath.Join(t.TempDir(), "capacity.html")
	r := wxsim(t, "", capacityArgs(url, "--step", "40/s", "--html", html)...)
	g.Expect(r.code).To(Equal(0), r.stderr)
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	g.Expect(lines).To(HaveLen(4), r.stdout)
	g.Expect(lines[0]).To(HavePrefix("step  offered/s  achieved/s"))
	g.Expect(lines[1]).To(MatchRegexp(`^ +1 +40 +40\.0 +100\.00 .* held$`))
	g.Expect(lines[2]).To(MatchRegexp(`^ +2 +80 +80\.0 +100\.00 .* held$`))
	g.Expect(lines[3]).To(Equal("knee: 80/s, the highest rate at which every threshold held; a lower bound: every step held up to the maximum rate"))
	g.Expect(r.stderr).To(ContainSubstring("2 steps of 500ms from 40/s to 80/s"))
	g.Expect(r.stderr).To(ContainSubstring("thresholds: markfail == 0, request_timeout_ratio < 0.001, response_failure_ratio < 0.001, p99 < 1s"))
	page, err := os.ReadFile(html)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(string(page)).To(ContainSubstring("knee 80/s"))

	r = wxsim(t, "", capacityArgs(url, "--json", "--steps", "3")...)
	g.Expect(r.code).To(Equal(0), r.stderr)
	var doc struct {
		Knee  float64
		Limit string
		Steps []struct {
			Rate    float64
			Verdict string
		}
	}
	g.Expect(json.Unmarshal([]byte(r.stdout), &doc)).To(Succeed(), r.stdout)
	g.Expect(doc.Knee).To(Equal(80.0), r.stderr)
	g.Expect(doc.Limit).To(Equal("max_rate"))
	g.Expect(doc.Steps).To(HaveLen(3)) // 40, 60, 80
	g.Expect(doc.Steps[1].Rate).To(Equal(60.0))
	g.Expect(r.stderr).To(ContainSubstring("knee: 80/s")) // the table went to stderr
	g.Expect(r.stdout + r.stderr).NotTo(ContainSubstring(testToken))
}

// TestCapacityNoKnee: an endpoint that fails every push breaks the first
// step: no knee, exit 1.
func TestCapacityNoKnee(t *testing.T) {
	t.Parallel()
	g := NewWithT(t)
	url := serveEndpoint(t, wechat.Plain, "error500")
	r := wxsim(t, "", capacityArgs(url, "--retries", "0")...)
	g.Expect(r.code).To(Equal(1), r.stdout+r.stderr)
	g.Expect(r.stdout).To(ContainSubstring("breached: response_failure_ratio < 0.001 (1)"))
	g.Expect(r.stdout).To(ContainSubstring("knee: none: the first step, 40/s, did not hold: response_failure_ratio < 0.001 (1)"))
}

// TestCapacityUsage: bad flags are exit 2, naming the flag.
func TestCapacityUsage(t *testing.T) {
	t.Parallel()
	url := "http://127.0.0.1:1/wechat"
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--steps", "3", "--step", "10/s"}, "--step and --steps: give one of them"},
		{[]string{"--max-rate", "10/s"}, "--start, --max-rate, --step: max rate 10: must be at least the start rate (40)"},
		{[]string{"--start", "fast"}, `--start: rate "fast": "fast" is not a finite number`},
		{[]string{"--threshold", "p98 < 1s"}, `--threshold: threshold "p98 < 1s": unknown metric "p98"`},
		{[]string{"--step-duration", "0s"}, "--step-duration 0s, --pause 50ms, --max-growth 50ms: the step must last above 0, the others be 0 or more"},
	} {
		r := wxsim(t, "", capacityArgs(url, tc.args...)...)
		NewWithT(t).Expect(r.code).To(Equal(2), r.stderr)
		NewWithT(t).Expect(r.stderr).To(HavePrefix("wxsim: "+tc.want), tc.args)
	}
}
