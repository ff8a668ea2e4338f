package main

import (
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	. "github.com/onsi/gomega"

	"github.com/wxsim/wxsim/simulator/endpoint"
	"github.com/wxsim/wxsim/simulator/wechat"
)

// writeScenario writes a scenario file for a test.
func writeScenario(t *testing.T, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "s.yaml")
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// summary parses attack's --json output.
type summary struct {
	Pushes, Deliveries, Lost, Retries uint64
	Outcomes, Kinds                   map[string]uint64
	Rate                              struct{ Target float64 }
	Thresholds                        []struct {
		Expr string
		OK   bool
	}
	Assumptions map[string]any
}

func parseSummary(t *testing.T, r result) summary {
	t.Helper()
	var s summary
	if err := json.Unmarshal([]byte(r.stdout), &s); err != nil {
		t.Fatalf("%v: %s %s", err, r.stdout, r.stderr)
	}
	return s
}

// TestScenarioEqualsFlags: a scenario and the flags that say the same run
// the same attack: the same pushes, outcomes, kinds, assumptions and
// thresholds, exactly.
func TestScenarioEqualsFlags(t *testing.T) {
	t.Parallel()
	g := NewWithT(t)
	url := serveEndpoint(t, wechat.Safe, "correct")
	file := writeScenario(t, `
url: `+url+`
account:
  appid: `+testAppID+`
  token: `+testToken+`
  aes_key: `+testKey+`
  mode: safe
rate: 150/s
duration: 2s
mix: text=1
followers: 500
retries: 1
timeouts: {connect: 2s, response: 4s}
markfail: {failures: 80, ratio: 0.4}
alarms: {threshold: 20}
thresholds: [ok_ratio >= 0.999, markfail == 0]
`)
	fromFile := wxsim(t, "", "attack", "-f", file, "--json")
	g.Expect(fromFile.code).To(Equal(0), fromFile.stderr)
	fromFlags := wxsim(t, "", append(accountArgs(url, wechat.Safe), "attack", "--rate", "150/s", "--duration", "2s",
		"--mix", "text=1", "--followers", "500", "--retries", "1", "--connect-timeout", "2s", "--response-timeout", "4s",
		"--markfail-failures", "80", "--markfail-ratio", "0.4", "--alarm-threshold", "20",
		"--threshold", "ok_ratio >= 0.999", "--threshold", "markfail == 0", "--json")...)
	g.Expect(fromFlags.code).To(Equal(0), fromFlags.stderr)

	a, b := parseSummary(t, fromFile), parseSummary(t, fromFlags)
	g.Expect(a.Pushes).To(Equal(uint64(300)))
	g.Expect(a.Pushes).To(Equal(b.Pushes))
	g.Expect(a.Deliveries).To(Equal(b.Deliveries))
	g.Expect(a.Outcomes).To(Equal(b.Outcomes))
	g.Expect(a.Kinds).To(Equal(b.Kinds))
	g.Expect(a.Lost).To(Equal(b.Lost))
	g.Expect(a.Rate.Target).To(Equal(b.Rate.Target))
	g.Expect(a.Thresholds).To(Equal(b.Thresholds))
	g.Expect(a.Assumptions).To(Equal(b.Assumptions))
}

// TestScenarioFlagsOverride: flags given beside -f replace what the file
// says, and nothing else.
func TestScenarioFlagsOverride(t *testing.T) {
	t.Parallel()
	g := NewWithT(t)
	url := serveEndpoint(t, wechat.Plain, "correct")
	file := writeScenario(t, `
url: http://127.0.0.1:1/not-this-one
account: {appid: `+testAppID+`, token: wrongToken}
stages: [{kind: hold, duration: 10s, target: 1000/s}]
retries: 0
thresholds: [p99 < 1ns]
`)
	r := wxsim(t, "", "attack", "-f", file, "--url", url, "--token", testToken, "--rate", "40/s", "--duration", "500ms",
		"--threshold", "ok_ratio == 1", "--json")
	g.Expect(r.code).To(Equal(0), r.stderr)
	s := parseSummary(t, r)
	g.Expect(s.Pushes).To(Equal(uint64(20)))
	g.Expect(s.Outcomes["ok"]).To(Equal(uint64(20)))
	g.Expect(s.Thresholds).To(HaveLen(1))
	g.Expect(s.Assumptions["retries"]).To(BeNumerically("==", 0)) // from the file

	// A constant --rate over stages lasts as long as the stages did.
	short := writeScenario(t, "url: "+url+"\naccount: {appid: "+testAppID+", token: "+testToken+"}\n"+
		"stages: [{kind: hold, duration: 500ms, target: 1000/s}]\n")
	r = wxsim(t, "", "attack", "-f", short, "--rate", "30/s", "--json")
	g.Expect(r.code).To(Equal(0), r.stderr)
	g.Expect(parseSummary(t, r).Pushes).To(Equal(uint64(15)))
}

// TestScenarioBundledByName: -f takes a bundled scenario's name; its
// secrets come from the environment; --time-scale compresses it.
func TestScenarioBundledByName(t *testing.T) {
	g := NewWithT(t)
	t.Setenv("WXSIM_TOKEN", testToken)
	url := serveEndpoint(t, wechat.Plain, "correct")
	r := wxsim(t, "", "attack", "-f", "smoke", "--url", url, "--time-scale", "0.05", "--json")
	g.Expect(r.code).To(Equal(0), r.stderr)
	s := parseSummary(t, r)
	g.Expect(s.Pushes).To(Equal(uint64(10))) // 20/s for 10 s × 0.05
	g.Expect(s.Thresholds).To(HaveLen(3))
	g.Expect(r.stderr).NotTo(ContainSubstring(testToken))

	r = wxsim(t, "", "attack", "-f", "smoke", "--url", url, "--time-scale", "0.05", "--quiet")
	g.Expect(r.code).To(Equal(0), r.stderr)
	g.Expect(r.stderr).To(ContainSubstring("scenario smoke (hold 20/s 500ms)"))
}

// TestScenarioErrors: a bad scenario or flag is exit 2 with a message that
// names the file, line and field.
func TestScenarioErrors(t *testing.T) {
	t.Parallel()
	bad := writeScenario(t, "url: http://127.0.0.1:1/x\naccount: {appid: wx1, token: t}\nrate: 10/s\nduration: 10\n")
	two := writeScenario(t, "url: http://127.0.0.1:1/x\nrate: 10/s\nduration: 1s\naccounts:\n  - {name: a, appid: wx1, token: t}\n  - {name: b, appid: wx2, token: u}\n")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-f", bad}, bad + `:4: duration: "10" is not a duration (want e.g. 30s, 5m or 1h30m)`},
		{[]string{"-f", "no-such-scenario"}, "-f no-such-scenario: no such file, nor a bundled scenario (bundled: capacity-ramp, ci-gate, component-ticket, launch-day, markfail-drill, safe-mode, smoke, soak, two-accounts)"},
		{[]string{"-f", two, "--token", "x"}, "--token: the scenario has 2 accounts; set each account's fields in the file (${VAR} reads the environment)"},
		{[]string{"-f", two, "--time-scale", "2"}, "--time-scale: scenario s: time scale must be above 0 and at most 1, got 2"},
		{[]string{"-f", two, "--rate", "fast"}, `--rate: rate "fast": "fast" is not a finite number`},
	} {
		r := wxsim(t, "", append([]string{"attack", "--quiet"}, tc.args...)...)
		NewWithT(t).Expect(r.code).To(Equal(2), r.stderr)
		NewWithT(t).Expect(r.stderr).To(Equal("wxsim: "+tc.want+"\n"), tc.args)
	}
}

// TestScenarioTwoAccounts: both accounts of a scenario push in one run,
// each to its own endpoint with its own keys.
func TestScenarioTwoAccounts(t *testing.T) {
	t.Parallel()
	g := NewWithT(t)
	shop := serveEndpoint(t, wechat.Plain, "correct")
	news := serveAccount(t, wechat.Account{AppID: "wx2222222222222222", Token: testToken, EncodingAESKey: testKey, Mode: wechat.Safe})
	file := writeScenario(t, `
duration: 1s
accounts:
  - {name: shop, url: "`+shop+`", appid: `+testAppID+`, token: `+testToken+`, rate: 30/s}
  - {name: news, url: "`+news+`", appid: wx2222222222222222, token: `+testToken+`, aes_key: `+testKey+`, rate: 20/s, mix: text=1}
`)
	r := wxsim(t, "", "attack", "-f", file, "--json")
	g.Expect(r.code).To(Equal(0), r.stderr)
	s := parseSummary(t, r)
	g.Expect(s.Pushes).To(Equal(uint64(50)))
	g.Expect(s.Outcomes["ok"]).To(Equal(uint64(50)))
}

// serveAccount starts a correct reference endpoint for account a.
func serveAccount(t *testing.T, a wechat.Account) string {
	t.Helper()
	e, err := endpoint.New(endpoint.Config{Account: a})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(e)
	t.Cleanup(func() { e.Close(); srv.Close() })
	return srv.URL + "/wechat"
}
