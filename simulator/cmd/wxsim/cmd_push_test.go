package main

import (
	"regexp"
	"strconv"
	"testing"
	"time"

	. "github.com/onsi/gomega"

	"github.com/wxsim/wxsim/simulator/wechat"
)

func TestPushEveryKindEveryMode(t *testing.T) {
	t.Parallel()
	for _, m := range wechat.Modes() {
		t.Run(m.String(), func(t *testing.T) {
			t.Parallel()
			url := serveEndpoint(t, m, "correct")
			for _, k := range wechat.Kinds() {
				if k.Component && m == wechat.Plain {
					continue // third-party platform pushes are always encrypted
				}
				r := wxsim(t, "", append(accountArgs(url, m), "push", "--kind", k.Name)...)
				if r.code != 0 {
					t.Errorf("%s in %s mode: exit %d\n%s%s", k.Name, m, r.code, r.stdout, r.stderr)
				}
			}
		})
	}
}

func TestPushShowsRequestReplyAndVerdict(t *testing.T) {
	t.Parallel()
	g := NewWithT(t)
	url := serveEndpoint(t, wechat.Safe, "correct")
	r := wxsim(t, "", append(accountArgs(url, wechat.Safe), "push", "--kind", "text", "--content", "hello wxsim")...)
	g.Expect(r.code).To(Equal(0), r.stdout+r.stderr)
	g.Expect(r.stdout).To(ContainSubstring("encrypt_type=aes"))
	g.Expect(r.stdout).To(ContainSubstring("> (decrypted)"))
	g.Expect(r.stdout).To(ContainSubstring("< (decrypted)"))
	g.Expect(r.stdout).To(ContainSubstring("hello wxsim"))
	g.Expect(r.stdout).To(MatchRegexp(`verdict: OK — outcome ok, reply text; latency \S+`))
	g.Expect(r.stdout + r.stderr).NotTo(ContainSubstring(testToken))
	g.Expect(r.stdout + r.stderr).NotTo(ContainSubstring(testKey))
}

func TestPushNamesTheReasonOfEachFault(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		behaviour string
		mode      wechat.Mode
		extra     []string
		want      string
	}{
		{"slow=600ms", wechat.Plain, []string{"--response-timeout", "300ms"}, "outcome request_timeout"},
		{"error500", wechat.Plain, nil, "outcome response_failure (http_status)"},
		{"badxml", wechat.Plain, nil, "outcome response_failure (not_xml)"},
		{"json", wechat.Plain, nil, "outcome response_failure (not_xml)"},
		{"wrongswap", wechat.Plain, nil, "outcome response_failure (wrong_swap)"},
		{"plainreply", wechat.Safe, nil, "outcome response_failure (unencrypted)"},
		{"reset", wechat.Plain, nil, "outcome connect_failure"},
		{"hang", wechat.Plain, []string{"--response-timeout", "300ms"}, "outcome request_timeout"},
	} {
		t.Run(c.behaviour, func(t *testing.T) {
			t.Parallel()
			g := NewWithT(t)
			url := serveEndpoint(t, c.mode, c.behaviour)
			args := append(accountArgs(url, c.mode), "push", "--kind", "text")
			r := wxsim(t, "", append(args, c.extra...)...)
			g.Expect(r.code).To(Equal(1), r.stdout+r.stderr)
			g.Expect(r.stdout).To(ContainSubstring("verdict: FAIL — " + c.want))
		})
	}
}

func TestPushBlackholeTimesOutAtTheConnectTimeout(t *testing.T) {
	t.Parallel()
	g := NewWithT(t)
	url := serveEndpoint(t, wechat.Plain, "blackhole")
	r := wxsim(t, "", append(accountArgs(url, wechat.Plain), "push", "--kind", "click", "--connect-timeout", "500ms")...)
	g.Expect(r.code).To(Equal(1), r.stdout+r.stderr)
	g.Expect(r.stdout).To(ContainSubstring("outcome connect_timeout"))
	m := regexp.MustCompile(`latency ([0-9.]+)ms`).FindStringSubmatch(r.stdout)
	g.Expect(m).To(HaveLen(2), r.stdout)
	ms, _ := strconv.ParseFloat(m[1], 64)
	g.Expect(time.Duration(ms * float64(time.Millisecond))).To(BeNumerically("~", 500*time.Millisecond, 100*time.Millisecond))
}

func TestUsageErrorsExit2(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"push", "--url", "http://127.0.0.1:1/wx"}, "--token"},
		{[]string{"push", "--url", "http://127.0.0.1:1/wx", "--token", "t", "--kind", "nope"}, "--kind"},
		{[]string{"push", "--url", "http://127.0.0.1:1/wx", "--token", "t", "--mode", "secret"}, "--mode"},
		{[]string{"push", "--url", "http://127.0.0.1:1/wx", "--token", "t", "--mode", "safe"}, "--aes-key"},
		{[]string{"push", "--url", "ftp://x", "--token", "t"}, "--url"},
		{[]string{"push", "--token", "t"}, "--url"},
		{[]string{"attack", "--url", "http://127.0.0.1:1/wx", "--token", "t", "--rate", "fast"}, "--rate"},
		{[]string{"attack", "--url", "http://127.0.0.1:1/wx", "--token", "t", "--threshold", "p98 < 1s"}, "p98"},
		{[]string{"attack", "--url", "http://127.0.0.1:1/wx", "--token", "t", "--mix", "text=x"}, "--mix"},
		{[]string{"endpoint", "--token", "t", "--behaviour", "sloww"}, "--behaviour"},
		{[]string{"push", "--bogus"}, "unknown flag"},
		{[]string{"report"}, "result file"},
		{[]string{"attack", "--url", "http://127.0.0.1:1/wx", "--token", "t", "--time-scale", "0.5"}, "needs -f"},
		{[]string{"report", "/nonexistent/results.bin"}, "/nonexistent/results.bin"},
	} {
		r := wxsim(t, "", c.args...)
		if r.code != 2 || !regexp.MustCompile(regexp.QuoteMeta(c.want)).MatchString(r.stderr) {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 naming %q", c.args, r.code, r.stderr, c.want)
		}
	}
}

// wxsim api without an AppSecret is a usage error, not a mock that accepts anything.
func TestAPINeedsASecret(t *testing.T) {
	t.Setenv("WXSIM_APP_SECRET", "")
	r := wxsim(t, "", "api", "--listen", "127.0.0.1:0")
	if r.code != 2 || !regexp.MustCompile(`--app-secret`).MatchString(r.stderr) {
		t.Fatalf("exit %d, stderr %q; want exit 2 naming --app-secret", r.code, r.stderr)
	}
}
