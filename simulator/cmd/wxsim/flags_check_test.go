package main

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	. "github.com/onsi/gomega"

	"github.com/wxsim/wxsim/simulator/wechat"
)

// webhookKey stands for the WeCom robot's key: it must never be printed.
const webhookKey = "wecom-r0bot-k3y-xyzzy"

// A bad --alarm-webhook is a usage error before anything runs or any file
// is created, naming the flag and the value without its query.
func TestAlarmWebhookCheckedUpFront(t *testing.T) {
	t.Parallel()
	scen := writeScenario(t, "url: http://127.0.0.1:1/x\naccount: {appid: wx1, token: t}\nrate: 10/s\nduration: 1s\n")
	for _, tc := range []struct {
		value string
		want  string
		scen  bool
	}{
		{"notaurl", `--alarm-webhook "notaurl": want an absolute http:// or https:// URL with a host`, false},
		{"ftp://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=" + webhookKey,
			`--alarm-webhook "ftp://qyapi.weixin.qq.com/cgi-bin/webhook/send?…": want an absolute http:// or https:// URL with a host`, false},
		{"qyapi.weixin.qq.com/cgi-bin/webhook/send?key=" + webhookKey,
			`--alarm-webhook "qyapi.weixin.qq.com/cgi-bin/webhook/send?…": want an absolute`, false},
		{"https://" + webhookKey + "@/send?key=" + webhookKey, `--alarm-webhook "https:///send?…": want an absolute`, false},
		{"http://[::1%zz/send?key=" + webhookKey, "--alarm-webhook: not an http:// or https:// URL (the value is not shown: it may carry the robot's key)", false},
		{"notaurl?key=" + webhookKey, `--alarm-webhook "notaurl?…": want an absolute`, true},
	} {
		alarms := filepath.Join(t.TempDir(), "alarms.jsonl")
		args := []string{"attack", "--quiet", "--duration", "1s", "--alarms", alarms, "--alarm-webhook", tc.value}
		if tc.scen {
			args = append(args, "-f", scen)
		} else {
			args = append(args, "--url", "http://127.0.0.1:1/wx", "--token", "t")
		}
		r := wxsim(t, "", args...)
		g := NewWithT(t)
		g.Expect(r.code).To(Equal(exitUsage), tc.value+"\n"+r.stderr)
		g.Expect(r.stderr).To(HavePrefix("wxsim: "+tc.want), tc.value)
		g.Expect(r.stdout + r.stderr).NotTo(ContainSubstring(webhookKey))
		g.Expect(alarms).NotTo(BeAnExistingFile(), "checked before any file is created")
	}
}

// A well-formed webhook URL is accepted (the run itself goes on).
func TestAlarmWebhookAccepted(t *testing.T) {
	t.Parallel()
	url := serveEndpoint(t, wechat.Plain, "correct")
	r := wxsim(t, "", append(accountArgs(url, wechat.Plain), "attack", "--quiet", "--rate", "20/s", "--duration", "100ms",
		"--alarm-webhook", "http://127.0.0.1:1/cgi-bin/webhook/send?key="+webhookKey)...)
	NewWithT(t).Expect(r.code).To(Equal(exitOK), r.stdout+r.stderr)
}

// --followers 0 is refused, not quietly run as one follower: on attack's
// flags, over a scenario, and on capacity.
func TestFollowersBelowOneRefused(t *testing.T) {
	t.Parallel()
	scen := writeScenario(t, "url: http://127.0.0.1:1/x\naccount: {appid: wx1, token: t}\nrate: 10/s\nduration: 1s\n")
	target := []string{"--url", "http://127.0.0.1:1/wx", "--token", "t"}
	for _, args := range [][]string{
		append([]string{"attack", "--duration", "1s", "--followers", "0"}, target...),
		{"attack", "--quiet", "-f", scen, "--followers", "0"},
		append([]string{"capacity", "--step-duration", "500ms", "--followers", "0"}, target...),
	} {
		r := wxsim(t, "", args...)
		NewWithT(t).Expect(r.code).To(Equal(exitUsage), r.stderr)
		NewWithT(t).Expect(r.stderr).To(Equal("wxsim: --followers 0: want at least 1\n"), args)
	}
}

// --content and --event-key on a kind without that element are usage
// errors naming the flag and the kind.
func TestPushRefusesValuesTheKindDoesNotCarry(t *testing.T) {
	t.Parallel()
	target := []string{"push", "--url", "http://127.0.0.1:1/wx", "--token", "t"}
	eventKinds := "subscribe_qr, scan, click, view"
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--kind", "click", "--content", "x"}, "--content: a click push has no Content (only text pushes do)"},
		{[]string{"--kind", "image", "--content", "x"}, "--content: a image push has no Content (only text pushes do)"},
		{[]string{"--kind", "text", "--event-key", "k"}, "--event-key: a text push has no EventKey to set (only " + eventKinds + " pushes do)"},
		{[]string{"--kind", "subscribe", "--event-key", "k"}, "--event-key: a subscribe push has no EventKey to set (only " + eventKinds + " pushes do)"},
		{[]string{"--kind", "component_verify_ticket", "--event-key", "k"}, "--event-key: a component_verify_ticket push has no EventKey"},
	} {
		r := wxsim(t, "", append(target, tc.args...)...)
		NewWithT(t).Expect(r.code).To(Equal(exitUsage), r.stderr)
		NewWithT(t).Expect(r.stderr).To(HavePrefix("wxsim: "+tc.want), tc.args)
	}
}

// The kinds that carry an EventKey push the one given.
func TestPushSendsTheEventKeyGiven(t *testing.T) {
	t.Parallel()
	url := serveEndpoint(t, wechat.Plain, "correct")
	for _, kind := range []string{"click", "view", "scan", "subscribe_qr"} {
		r := wxsim(t, "", append(accountArgs(url, wechat.Plain), "push", "--kind", kind, "--event-key", "KEY_FROM_FLAG")...)
		NewWithT(t).Expect(r.code).To(Equal(exitOK), r.stdout+r.stderr)
		NewWithT(t).Expect(r.stdout).To(ContainSubstring("KEY_FROM_FLAG]]></EventKey>"), kind)
	}
}

// Errors about values read from WXSIM_* variables name the variable, the
// flag otherwise; secrets stay out.
func TestEnvErrorsNameTheVariable(t *testing.T) {
	const secretKey = "n0t-43-chars-s3cr3t"
	push := []string{"push", "--url", "http://127.0.0.1:1/wx", "--token", "t"}
	for _, tc := range []struct {
		env  map[string]string
		args []string
		want string
	}{
		{map[string]string{"WXSIM_MODE": "bogus"}, push, `WXSIM_MODE "bogus": want plain, compat or safe`},
		{map[string]string{"WXSIM_MODE": "bogus"}, append(push, "--mode", "secret"), `--mode "secret": want plain, compat or safe`},
		{map[string]string{"WXSIM_MODE": "safe"}, push, "WXSIM_MODE safe needs --aes-key (or WXSIM_AES_KEY)"},
		{map[string]string{"WXSIM_AES_KEY": secretKey}, push, "WXSIM_AES_KEY: invalid account: EncodingAESKey: "},
		{map[string]string{"WXSIM_APPID": "wx 1"}, push, `WXSIM_APPID: invalid account: AppID "wx 1" contains whitespace`},
		{map[string]string{"WXSIM_TOKEN": "a b"}, []string{"push", "--url", "http://127.0.0.1:1/wx"}, "WXSIM_TOKEN: invalid account: Token contains whitespace"},
		{map[string]string{"WXSIM_URL": "ftp://x"}, []string{"push", "--token", "t"}, `WXSIM_URL "ftp://x": want an http:// or https:// URL with a host`},
		{map[string]string{"WXSIM_URL": "http://x/wx?a=1"}, []string{"attack", "--token", "t"}, `WXSIM_URL "http://x/wx?a=1": give the callback URL without a query`},
		{map[string]string{"WXSIM_URL": "ftp://x", "WXSIM_APP_SECRET": appSecret}, []string{"api", "--listen", "127.0.0.1:0"}, `WXSIM_URL "ftp://x": want an http:// or https:// URL with a host`},
		{map[string]string{"WXSIM_APPID": "", "WXSIM_APP_SECRET": appSecret}, []string{"api", "--listen", "127.0.0.1:0"}, "WXSIM_APPID is empty"},
	} {
		for k, v := range tc.env {
			t.Setenv(k, v)
		}
		r := wxsim(t, "", tc.args...)
		for k := range tc.env {
			os.Unsetenv(k) // t.Setenv restores the outer value at the end
		}
		g := NewWithT(t)
		g.Expect(r.code).To(Equal(exitUsage), r.stderr)
		g.Expect(r.stderr).To(HavePrefix("wxsim: "+tc.want), tc.env)
		g.Expect(r.stdout + r.stderr).NotTo(Or(ContainSubstring(secretKey), ContainSubstring(appSecret)))
	}
}

// decode with nothing on standard input is a usage error, not a verdict.
func TestDecodeEmptyInputIsUsage(t *testing.T) {
	t.Parallel()
	for _, in := range []string{"", " \n\t\n"} {
		r := wxsim(t, in, "decode", "--token", testToken)
		NewWithT(t).Expect(r.code).To(Equal(exitUsage), r.stdout+r.stderr)
		NewWithT(t).Expect(r.stderr).To(Equal("wxsim: decode: nothing on standard input: pipe the captured push or reply body in\n"))
	}
}

// capacity creates its --output and --html files before the first step: a
// path that cannot be created fails at once, not after the whole search.
func TestCapacityFilesCheckedBeforeTheFirstStep(t *testing.T) {
	t.Parallel()
	url := serveEndpoint(t, wechat.Plain, "correct")
	bad := filepath.Join(t.TempDir(), "no-such-dir", "x")
	for _, flag := range []string{"--html", "--output"} {
		start := time.Now()
		r := wxsim(t, "", append(accountArgs(url, wechat.Plain), "capacity", "--start", "40/s", "--max-rate", "80/s",
			"--step-duration", "2s", flag, bad)...)
		g := NewWithT(t)
		g.Expect(r.code).To(Equal(exitUsage), r.stdout+r.stderr)
		g.Expect(r.stderr).To(HavePrefix("wxsim: " + flag + ": open " + bad + ": "))
		g.Expect(time.Since(start)).To(BeNumerically("<", time.Second), "no step ran")
		g.Expect(r.stdout).To(BeEmpty())
	}
}
