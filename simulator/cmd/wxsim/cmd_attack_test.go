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

func TestAttackJSONAndThresholds(t *testing.T) {
	t.Parallel()
	g := NewWithT(t)
	url := serveEndpoint(t, wechat.Safe, "correct")
	dir := t.TempDir()
	out, alarms := filepath.Join(dir, "r.bin"), filepath.Join(dir, "alarms.jsonl")
	r := wxsim(t, "", append(accountArgs(url, wechat.Safe), "attack", "--rate", "100/s", "--duration", "1s",
		"--json", "--output", out, "--alarms", alarms, "--threshold", "ok_ratio >= 0.999", "--threshold", "markfail == 0")...)
	g.Expect(r.code).To(Equal(0), r.stdout+r.stderr)
	var s map[string]any
	g.Expect(json.Unmarshal([]byte(r.stdout), &s)).To(Succeed(), r.stdout)
	g.Expect(s["pushes"]).To(BeNumerically("==", 100))
	g.Expect(s["outcomes"].(map[string]any)["ok"]).To(BeNumerically("==", 100))
	g.Expect(s["thresholds"]).To(HaveLen(2))

	// The result stream reads back with the same totals.
	rep := wxsim(t, "", "report", "--type", "json", out)
	g.Expect(rep.code).To(Equal(0), rep.stdout+rep.stderr)
	var back map[string]any
	g.Expect(json.Unmarshal([]byte(rep.stdout), &back)).To(Succeed())
	g.Expect(back["pushes"]).To(Equal(s["pushes"]))
	g.Expect(back["outcomes"]).To(Equal(s["outcomes"]))
	for _, typ := range []string{"text", "hist", "html"} {
		rep := wxsim(t, "", "report", "--type", typ, out)
		g.Expect(rep.code).To(Equal(0), typ+": "+rep.stderr)
		g.Expect(rep.stdout).NotTo(BeEmpty())
	}

	// A threshold that fails is exit 1, with the summary still printed.
	r = wxsim(t, "", append(accountArgs(url, wechat.Safe), "attack", "--rate", "50/s", "--duration", "500ms", "--quiet",
		"--threshold", "p99 < 1us")...)
	g.Expect(r.code).To(Equal(1), r.stdout+r.stderr)
	g.Expect(r.stdout).To(ContainSubstring("p99 < 1us"))
	g.Expect(r.stdout + r.stderr).NotTo(ContainSubstring(testKey))
	g.Expect(r.stdout + r.stderr).NotTo(ContainSubstring(testToken))
	data, _ := os.ReadFile(out)
	g.Expect(string(data)).NotTo(ContainSubstring(testToken))
}

func TestAttackAlarmsToFileAndWebhookFormat(t *testing.T) {
	t.Parallel()
	g := NewWithT(t)
	url := serveEndpoint(t, wechat.Plain, "error500")
	alarms := filepath.Join(t.TempDir(), "alarms.jsonl")
	r := wxsim(t, "", append(accountArgs(url, wechat.Plain), "attack", "--rate", "50/s", "--duration", "1s", "--quiet",
		"--alarm-threshold", "10", "--alarms", alarms, "--retries", "0")...)
	g.Expect(r.code).To(Equal(0), r.stdout+r.stderr) // no threshold asked: the run itself held
	data, err := os.ReadFile(alarms)
	g.Expect(err).NotTo(HaveOccurred())
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	g.Expect(lines).To(HaveLen(1))
	var al map[string]any
	g.Expect(json.Unmarshal([]byte(lines[0]), &al)).To(Succeed())
	g.Expect(al["type"]).To(Equal("response_failure"))
	g.Expect(al["count"]).To(BeNumerically("==", 50))
	g.Expect(al["sample"]).To(MatchRegexp(`\[response_length=10\]\[response_content=Error 500:\]$`))
	g.Expect(r.stderr).To(ContainSubstring("Number of times: 50 times in 5 minutes"))
}

func TestDemoShortened(t *testing.T) {
	t.Parallel()
	g := NewWithT(t)
	r := wxsim(t, "", "demo", "--time-scale", "0.1")
	g.Expect(r.code).To(Equal(0), r.stdout+r.stderr)
	g.Expect(r.stdout).To(ContainSubstring("=== 1. a correct endpoint"))
	g.Expect(r.stdout).To(ContainSubstring("=== 2. a failing endpoint"))
	g.Expect(r.stdout).To(ContainSubstring("After the WeChat server pushed a message or event to the official account, the response received was illegal"))
	g.Expect(r.stdout).NotTo(ContainSubstring(demoAccount.Token))
	g.Expect(r.stdout).NotTo(ContainSubstring(demoAccount.EncodingAESKey))
}
