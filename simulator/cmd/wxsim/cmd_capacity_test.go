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

// rampArgs are a capacity search from 40/s to 80/s with no step flags.
func rampArgs(url string, extra ...string) []string {
	return append(append(accountArgs(url, wechat.Plain), "capacity", "--start", "40/s", "--max-rate", "80/s"), extra...)
}

// TestCapacityRamp: --ramp runs one ramp judged in windows, a table row
// per window, and --json says so; the HTML marks the knee.
func TestCapacityRamp(t *testing.T) {
	t.Parallel()
	g := NewWithT(t)
	url := serveEndpoint(t, wechat.Plain, "correct")
	html, out := filepath.Join(t.TempDir(), "ramp.html"), filepath.Join(t.TempDir(), "ramp.bin")
	r := wxsim(t, "", rampArgs(url, "--ramp", "2s", "--window", "500ms", "--json", "--html", html, "--output", out)...)
	g.Expect(r.code).To(Equal(0), r.stderr)
	var doc struct {
		Mode, Limit, Ramp string
		StepDuration      string `json:"step_duration"`
		Knee              float64
		Steps             []struct {
			Step    int
			Rate    float64
			Verdict string
		}
	}
	g.Expect(json.Unmarshal([]byte(r.stdout), &doc)).To(Succeed(), r.stdout)
	g.Expect(doc.Mode).To(Equal("ramp"))
	g.Expect(doc.Limit).To(Equal("max_rate"))
	g.Expect(doc.Knee).To(Equal(75.0))
	g.Expect(doc.Ramp).To(Equal("2s"))
	g.Expect(doc.StepDuration).To(Equal("500ms"))
	g.Expect(doc.Steps).To(HaveLen(4)) // the windows' means: 45, 55, 65, 75
	g.Expect(doc.Steps[3].Step).To(Equal(4))
	g.Expect(doc.Steps[0].Rate).To(Equal(45.0))
	g.Expect(r.stderr).To(ContainSubstring("ramp 40/s → 80/s over 2s, judged in 500ms windows (a row per window)"))
	g.Expect(r.stderr).To(MatchRegexp(`(?m)^ +4 +75 +.* held$`))
	g.Expect(r.stderr).To(ContainSubstring("knee: 75/s, the highest rate at which every threshold held; a lower bound: every window of the ramp held"))
	page, err := os.ReadFile(html)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(string(page)).To(ContainSubstring("knee 75/s"))
	rep := wxsim(t, "", "report", "--type", "json", out)
	g.Expect(rep.code).To(Equal(0), rep.stderr)
	var sum struct{ Pushes int }
	g.Expect(json.Unmarshal([]byte(rep.stdout), &sum)).To(Succeed(), rep.stdout)
	g.Expect(sum.Pushes).To(Equal(120)) // (40+80)/2 · 2 s, every push in the result stream

	r = wxsim(t, "", rampArgs(serveEndpoint(t, wechat.Plain, "error500"), "--ramp", "2s", "--window", "500ms", "--retries", "0")...)
	g.Expect(r.code).To(Equal(1), r.stdout+r.stderr)
	g.Expect(r.stdout).To(ContainSubstring("knee: none: the first window, 45/s, did not hold: response_failure_ratio < 0.001 (1)"))
}

// TestCapacityRampUsage: --ramp does not mix with the step flags, and
// its window must fit in it; exit 2, naming the flags.
func TestCapacityRampUsage(t *testing.T) {
	t.Parallel()
	url := "http://127.0.0.1:1/wechat"
	for _, tc := range []struct {
		args []string
		want string
	}{
		{rampArgs(url, "--ramp", "2s", "--step", "10/s", "--pause", "1s"), "--ramp and --step, --pause: a ramp has no steps; it climbs from --start to --max-rate"},
		{rampArgs(url, "--steps", "3", "--ramp", "2s"), "--ramp and --steps: a ramp has no steps; it climbs from --start to --max-rate"},
		{capacityArgs(url, "--ramp", "2s"), "--ramp and --step-duration, --pause: a ramp has no steps; it climbs from --start to --max-rate"},
		{rampArgs(url, "--window", "1s"), "--window needs --ramp: steps are judged whole"},
		{rampArgs(url, "--ramp", "0s"), "--ramp 0s: must be above 0"},
		{rampArgs(url, "--ramp=-1s"), "--ramp -1s: must be above 0"},
		{rampArgs(url, "--ramp", "2s", "--window", "0s"), "--window 0s: must be at least 250ms"},
		{rampArgs(url, "--ramp", "2s", "--window", "1ms"), "--window 1ms: must be at least 250ms"},
		{rampArgs(url, "--ramp", "2s", "--window", "3s"), "--window 3s: must not be longer than --ramp (2s)"},
		{rampArgs(url, "--ramp", "1s"), "--window 2s: must not be longer than --ramp (1s)"},
		{rampArgs(url, "--ramp", "2s", "--max-rate", "40/s"), "--start, --max-rate: max rate 40: must be above the start rate (40) for a ramp"},
		{rampArgs(url, "--ramp", "2s", "--max-growth=-1s"), "--max-growth -1s: must be 0 or more"},
	} {
		r := wxsim(t, "", tc.args...)
		NewWithT(t).Expect(r.code).To(Equal(2), r.stderr)
		NewWithT(t).Expect(r.stderr).To(HavePrefix("wxsim: "+tc.want), tc.args)
	}
}
