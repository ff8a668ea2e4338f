package main

import (
	"encoding/json"
	"path/filepath"
	"testing"

	. "github.com/onsi/gomega"

	"github.com/wxsim/wxsim/simulator/wechat"
)

// reportSummary is the part of a JSON summary the replay must reproduce.
type reportSummary struct {
	Pushes   uint64
	Outcomes map[string]uint64
	MarkFail []struct{ Start, End string }
	Alarms   []struct {
		Type     string
		Count    int
		Nickname string
	}
	Rate        struct{ Target float64 }
	Assumptions map[string]any
}

func parseReport(t *testing.T, out string) reportSummary {
	t.Helper()
	var s reportSummary
	if err := json.Unmarshal([]byte(out), &s); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	return s
}

// TestReportReplaysTheRunsOwnRules: a result stream records the rules its
// run used, so `wxsim report` reproduces the run's MarkFail blocks, alarms,
// target rate and assumptions without being told them again — a merge
// step in CI cannot pass a run that failed — and a rule flag given to
// report still replaces the recorded value.
func TestReportReplaysTheRunsOwnRules(t *testing.T) {
	t.Parallel()
	g := NewWithT(t)
	url := serveEndpoint(t, wechat.Plain, "error500")
	out := filepath.Join(t.TempDir(), "r.bin")
	run := wxsim(t, "", append(accountArgs(url, wechat.Plain), "attack", "--rate", "60/s", "--duration", "1s", "--quiet", "--json",
		"--retries", "0", "--markfail-failures", "20", "--markfail-window", "5s", "--alarm-threshold", "10", "--alarm-window", "2m",
		"--output", out, "--threshold", "markfail == 0")...)
	g.Expect(run.code).To(Equal(1), "the run was blocked: "+run.stderr)
	live := parseReport(t, run.stdout)
	g.Expect(live.MarkFail).To(HaveLen(1))

	rep := wxsim(t, "", "report", "--type", "json", "--threshold", "markfail == 0", out)
	g.Expect(rep.code).To(Equal(1), "the report fails the same threshold: "+rep.stderr)
	back := parseReport(t, rep.stdout)
	g.Expect(back.Pushes).To(Equal(live.Pushes))
	g.Expect(back.Outcomes).To(Equal(live.Outcomes))
	g.Expect(back.MarkFail).To(HaveLen(1))
	g.Expect(back.Alarms).To(HaveLen(len(live.Alarms)))
	g.Expect(back.Alarms[0].Nickname).To(Equal(live.Alarms[0].Nickname))
	g.Expect(back.Alarms[0].Nickname).NotTo(BeEmpty())
	g.Expect(back.Rate.Target).To(Equal(60.0))
	g.Expect(back.Assumptions).To(Equal(live.Assumptions))
	g.Expect(back.Assumptions["alarm_window"]).To(Equal("2m"))

	// A rule given to report replaces the recorded one.
	rep = wxsim(t, "", "report", "--type", "json", "--markfail-failures", "1000", "--threshold", "markfail == 0", out)
	g.Expect(rep.code).To(Equal(0), rep.stderr)
	g.Expect(parseReport(t, rep.stdout).MarkFail).To(BeEmpty())
}
