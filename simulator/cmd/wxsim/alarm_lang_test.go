package main

import (
	"strings"
	"testing"

	. "github.com/onsi/gomega"

	"github.com/wxsim/wxsim/simulator/wechat"
)

// reportAlarms is the alarms section of the text report: from its last
// "Alarms:" header (the live console alarms come before the report).
func reportAlarms(t *testing.T, stdout string) string {
	t.Helper()
	i := strings.LastIndex(stdout, "\nAlarms: ")
	if i < 0 {
		t.Fatalf("no alarms section in the report:\n%s", stdout)
	}
	return stdout[i:]
}

// With --alarm-lang zh the report on stdout words its alarms in Chinese,
// as the live alarms are.
func TestAttackReportAlarmsInChosenLanguage(t *testing.T) {
	t.Parallel()
	url := serveEndpoint(t, wechat.Plain, "error500")
	for _, tc := range []struct{ lang, want, not string }{
		{"zh", "次数: 5分钟 10次", "Number of times"},
		{"en", "Number of times: 10 times in 5 minutes", "次数"},
	} {
		r := wxsim(t, "", append(accountArgs(url, wechat.Plain), "attack", "--rate", "50/s", "--duration", "200ms", "--quiet",
			"--alarm-threshold", "10", "--retries", "0", "--alarm-lang", tc.lang)...)
		g := NewWithT(t)
		g.Expect(r.code).To(Equal(exitOK), r.stdout+r.stderr)
		section := reportAlarms(t, r.stdout)
		g.Expect(section).To(ContainSubstring("Alarms: 1"), tc.lang)
		g.Expect(section).To(ContainSubstring(tc.want), tc.lang)
		g.Expect(section).NotTo(ContainSubstring(tc.not), tc.lang)
	}
}

// The demo's closing report of the failing phase is in the demo's alarm
// language too. At 0.07 the failing phase is 70 pushes, 42 of them failed
// (the endpoint's faults are seeded): one alarm, over the threshold of 30.
func TestDemoReportAlarmsInChosenLanguage(t *testing.T) {
	t.Parallel()
	r := wxsim(t, "", "demo", "--time-scale", "0.07", "--alarm-lang", "zh")
	g := NewWithT(t)
	g.Expect(r.code).To(Equal(exitOK), r.stdout+r.stderr)
	section := reportAlarms(t, r.stdout)
	g.Expect(section).To(ContainSubstring("Alarms: 1"))
	g.Expect(section).To(ContainSubstring("处理建议"))
	g.Expect(section).NotTo(ContainSubstring("Number of times"))
}
