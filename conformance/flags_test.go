package conformance

import (
	"errors"
	"flag"
	"os"
	"strings"
	"testing"
	"time"

	. "github.com/onsi/gomega"

	"github.com/wxsim/wxsim/simulator/wechat"
)

// testKey is a syntactically valid EncodingAESKey used only by tests.
const testKey = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"

// cleanEnv unsets every WXSIM_* variable for the test, restoring them after.
func cleanEnv(t *testing.T) {
	t.Helper()
	for _, kv := range os.Environ() {
		if name, _, _ := strings.Cut(kv, "="); strings.HasPrefix(name, "WXSIM_") {
			t.Setenv(name, "")
			os.Unsetenv(name)
		}
	}
}

// parse binds the suite flags to a fresh flag set and parses args.
func parse(t *testing.T, args ...string) *Flags {
	t.Helper()
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	f := BindFlags(fs)
	NewWithT(t).Expect(fs.Parse(args)).To(Succeed())
	return f
}

func TestFlagsDefaults(t *testing.T) {
	cleanEnv(t)
	g := NewWithT(t)
	c, err := parse(t, "--url", "http://127.0.0.1:8080/wx", "--token", "tok").Config()
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(c.Account.Mode).To(Equal(wechat.Plain))
	g.Expect(c.Account.AppID).To(Equal(DefaultAppID))
	g.Expect(c.Transport.ConnectTimeout).To(Equal(3 * time.Second))
	g.Expect(c.Transport.ResponseTimeout).To(Equal(5 * time.Second))
	g.Expect(c.patience()).To(Equal(10 * time.Second))
	g.Expect(c.LoadRate).To(Equal(50.0))
	g.Expect(c.LoadDuration).To(Equal(10 * time.Second))
	g.Expect(c.Retries).To(Equal(2))
	g.Expect(c.Thresholds).To(BeEmpty())
	g.Expect(c.thresholds()).To(HaveLen(len(DefaultThresholds())))
	g.Expect(c.Strict || c.Component).To(BeFalse())
}

func TestFlagsFromCommandLineAndEnvironment(t *testing.T) {
	cleanEnv(t)
	g := NewWithT(t)
	t.Setenv("WXSIM_URL", "http://127.0.0.1:9/cb")
	t.Setenv("WXSIM_TOKEN", "tok")
	t.Setenv("WXSIM_AES_KEY", testKey)
	t.Setenv("WXSIM_LOAD_RATE", "20/s")
	t.Setenv("WXSIM_THRESHOLD", "p99 < 2s, alarms == 0")
	t.Setenv("WXSIM_STRICT", "true")
	f := parse(t, "--load-rate", "120/m", "--component", "--threshold", "ok_ratio >= 0.9", "--source-ip", "127.0.0.2,127.0.0.3")
	g.Expect(f.Given()).To(BeTrue())
	c, err := f.Config()
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(c.URL).To(Equal("http://127.0.0.1:9/cb"))
	g.Expect(c.Account.Mode).To(Equal(wechat.Safe), "an AES key without a mode means safe")
	g.Expect(c.LoadRate).To(Equal(2.0), "the command line wins over WXSIM_LOAD_RATE")
	g.Expect(c.Thresholds).To(HaveLen(1), "--threshold replaces WXSIM_THRESHOLD")
	g.Expect(c.Strict).To(BeTrue())
	g.Expect(c.Component).To(BeTrue())
	g.Expect(c.Transport.SourceIPs).To(HaveLen(2))

	c, err = parse(t).Config()
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(c.Thresholds).To(HaveLen(2), "a list variable is comma-separated")
	g.Expect(c.API).To(BeFalse(), "the api cases are opt-in")

	t.Setenv("WXSIM_APP_SECRET", "app-s3cret")
	c, err = parse(t, "--api", "--api-listen", "127.0.0.1:9999").Config()
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(c.API).To(BeTrue())
	g.Expect(c.AppSecret).To(Equal("app-s3cret"))
	g.Expect(c.APIListen).To(Equal("127.0.0.1:9999"))
	g.Expect(c.APIWindow).To(Equal(5 * time.Second))
}

func TestFlagsGivenOnlyWhenAsked(t *testing.T) {
	cleanEnv(t)
	t.Setenv("WXSIM_TOKEN", "tok") // set for other wxsim commands
	NewWithT(t).Expect(parse(t).Given()).To(BeFalse())
	t.Setenv("WXSIM_URL", "http://127.0.0.1:9/")
	NewWithT(t).Expect(parse(t).Given()).To(BeTrue())
}

// TestFlagsErrorsNameTheInput: every error names the flag or variable the
// bad value came from, wraps ErrInvalidConfig, and never shows a secret.
func TestFlagsErrorsNameTheInput(t *testing.T) {
	base := []string{"--url", "http://127.0.0.1:8080/", "--token", "s3cret-token"}
	cases := []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"no url", nil, []string{"--token", "t"}, "--url: required (or WXSIM_URL)"},
		{"url with query", nil, []string{"--url", "http://h/cb?x=1", "--token", "t"}, "without a query"},
		{"url scheme", nil, []string{"--url", "ftp://h/", "--token", "t"}, "want an http:// or https:// URL"},
		{"no token", nil, []string{"--url", "http://h/"}, "--token: required (or WXSIM_TOKEN)"},
		{"bad mode", nil, append(base, "--mode", "secure"), `--mode "secure": want plain, compat or safe`},
		{"mode needs key", nil, append(base, "--mode", "compat"), "needs --aes-key"},
		{"bad key", nil, append(base, "--aes-key", "short"), "EncodingAESKey"},
		{"bad duration", nil, append(base, "--response-timeout", "5"), `--response-timeout "5": want a duration`},
		{"bad env rate", map[string]string{"WXSIM_LOAD_RATE": "fast"}, base, `WXSIM_LOAD_RATE "fast"`},
		{"bad threshold", nil, append(base, "--threshold", "p99 <"), `--threshold "p99 <"`},
		{"bad ip", nil, append(base, "--source-ip", "127.0.0.2,nope"), `"nope" is not an IP address`},
		{"bad bool env", map[string]string{"WXSIM_STRICT": "maybe"}, base, `WXSIM_STRICT "maybe": want true or false`},
		{"zero load", nil, append(base, "--load-duration", "0s"), "--load-rate and --load-duration must be above 0"},
		{"patience below timeout", nil, append(base, "--patience", "1s"), "--patience 1s: must be at least --response-timeout"},
		{"component in plain mode", nil, append(base, "--component"), "--component needs --mode compat or safe"},
		{"negative retries", nil, append(base, "--retries", "-1"), "--retries -1"},
		{"api without secret", nil, append(base, "--api"), "--api needs --app-secret (or WXSIM_APP_SECRET)"},
		{"api listen", nil, append(base, "--api", "--app-secret", "s3cret-token", "--api-listen", "9081"), `--api-listen "9081": want HOST:PORT`},
		{"api window", map[string]string{"WXSIM_APP_SECRET": "s3cret-token"}, append(base, "--api", "--api-window", "0s"), "--api-window 0s: must be above 0"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cleanEnv(t)
			for k, v := range c.env {
				t.Setenv(k, v)
			}
			_, err := parse(t, c.args...).Config()
			g := NewWithT(t)
			g.Expect(err).To(MatchError(ContainSubstring(c.want)))
			g.Expect(errors.Is(err, ErrInvalidConfig)).To(BeTrue())
			g.Expect(err.Error()).NotTo(ContainSubstring("s3cret-token"))
			g.Expect(err.Error()).NotTo(ContainSubstring(testKey))
		})
	}
}

func TestOptionsValidate(t *testing.T) {
	g := NewWithT(t)
	g.Expect(RunOptions{LabelFilter: "must && !(load || timing)", Focus: []string{"reply/2", "signature"}}.Validate()).To(Succeed())
	err := RunOptions{LabelFilter: "(("}.Validate()
	g.Expect(err).To(MatchError(ContainSubstring(`--label-filter "((": Mismatched '('`)))
	g.Expect(err.Error()).NotTo(ContainSubstring("{{"), "no colour markup")
	g.Expect(RunOptions{Focus: []string{"replies"}}.Validate()).To(MatchError(ContainSubstring(`--focus: "replies" is not an ID prefix`)))
}
