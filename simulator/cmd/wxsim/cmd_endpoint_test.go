package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	. "github.com/onsi/gomega"

	"github.com/wxsim/wxsim/simulator/api"
)

// appSecret is distinctive, so that a leak is easy to spot in any output.
const appSecret = "cmd-app-s3cr3t-xyzzy"

// syncBuffer is a bytes.Buffer a running command writes while the test
// reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// The asynchronous behaviours without a usable API configuration are
// usage errors (exit 2) that name what is missing, never the secret.
func TestEndpointAsyncNeedsTheAPI(t *testing.T) {
	t.Setenv("WXSIM_APP_SECRET", "")
	base := []string{"endpoint", "--token", "t", "--listen", "127.0.0.1:0"}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--behaviour", "async"}, "behaviour async needs the API base URL (--api-base) and the app secret (--app-secret)"},
		{[]string{"--behaviour", "norefresh", "--app-secret", appSecret}, "behaviour norefresh needs the API base URL (--api-base)"},
		{[]string{"--behaviour", "tokenperpush", "--api-base", "http://127.0.0.1:1"}, "behaviour tokenperpush needs the app secret (--app-secret)"},
		{[]string{"--behaviour", "dropasync", "--api-base", "ftp://127.0.0.1:1", "--app-secret", appSecret}, `API base URL "ftp://127.0.0.1:1": want an http:// or https:// URL with a host`},
		{[]string{"--behaviour", "async", "--api-base", "http://h/?s=" + appSecret, "--app-secret", appSecret}, "give it without a query"},
	} {
		r := wxsim(t, "", append(base, c.args...)...)
		if r.code != exitUsage || !strings.Contains(r.stderr, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 with %q", c.args, r.code, r.stderr, c.want)
		}
		if strings.Contains(r.stdout+r.stderr, appSecret) {
			t.Errorf("%v: the secret was printed: %q %q", c.args, r.stdout, r.stderr)
		}
	}
}

// The help lists the asynchronous behaviours and their flags.
func TestEndpointHelpListsAsync(t *testing.T) {
	t.Parallel()
	r := wxsim(t, "", "endpoint", "--help")
	g := NewWithT(t)
	g.Expect(r.code).To(Equal(0))
	for _, s := range []string{"async", "tokenperpush", "norefresh", "dropasync", "--api-base", "--app-secret", "WXSIM_APP_SECRET"} {
		g.Expect(r.stdout).To(ContainSubstring(s))
	}
}

// asyncRun is `wxsim endpoint --behaviour async` running in-process against
// a mock of WeChat's API whose account has appSecret, the endpoint's secret
// taken from WXSIM_APP_SECRET (set by the test).
type asyncRun struct {
	mock           *api.Server
	apiURL, url    string // the mock's base URL; the endpoint's push URL
	stdout, stderr syncBuffer
	cancel         context.CancelFunc
	done           chan int
}

func startAsyncEndpoint(t *testing.T) *asyncRun {
	t.Helper()
	g := NewWithT(t)
	mock, err := api.New(api.Config{Accounts: []api.Account{{AppID: testAppID, Secret: appSecret}}})
	g.Expect(err).NotTo(HaveOccurred())
	apiSrv := httptest.NewServer(mock)
	t.Cleanup(apiSrv.Close)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	r := &asyncRun{mock: mock, apiURL: apiSrv.URL, cancel: cancel, done: make(chan int, 1)}
	go func() {
		r.done <- run(ctx, []string{"endpoint", "--token", testToken, "--listen", "127.0.0.1:0",
			"--behaviour", "async", "--api-base", apiSrv.URL}, strings.NewReader(""), &r.stdout, &r.stderr)
	}()
	banner := regexp.MustCompile(`listening on (http://\S+)/`)
	g.Eventually(r.stdout.String).WithTimeout(2 * time.Second).Should(MatchRegexp(banner.String()))
	r.url = banner.FindStringSubmatch(r.stdout.String())[1] + "/wx"
	return r
}

// stop interrupts the endpoint and checks it exits 130.
func (r *asyncRun) stop(g Gomega) {
	r.cancel()
	g.Eventually(r.done).WithTimeout(5 * time.Second).Should(Receive(Equal(exitInterrupted)))
}

// `wxsim endpoint --behaviour async`, its secret from WXSIM_APP_SECRET,
// answers a push "success" and echoes it through the mock API's
// custom/send; the secret is printed nowhere.
func TestEndpointAsyncEchoesThroughTheAPI(t *testing.T) {
	t.Setenv("WXSIM_APP_SECRET", appSecret)
	g := NewWithT(t)
	ep := startAsyncEndpoint(t)
	g.Expect(ep.stdout.String()).To(ContainSubstring("behaviour async, API " + ep.apiURL + ")"))

	r := wxsim(t, "", "--url", ep.url, "--token", testToken, "push", "--kind", "text", "--content", "hello async", "--openid", "o-cmd-follower")
	g.Expect(r.code).To(Equal(0), r.stdout+r.stderr)
	g.Expect(r.stdout).To(ContainSubstring("success"))
	g.Eventually(ep.mock.CustomMessages).WithTimeout(2 * time.Second).Should(HaveLen(1))
	m := ep.mock.CustomMessages()[0]
	g.Expect(m.ToUser).To(Equal("o-cmd-follower"))
	g.Expect(m.Content).To(Equal("hello async"))

	ep.stop(g)
	g.Expect(ep.stdout.String() + ep.stderr.String()).NotTo(ContainSubstring(appSecret))
}

// A drill set up wrongly (here: a wrong app secret) does not fail
// silently: the endpoint still answers success, and says on stderr, once
// per reason, why its replies through the API fail — naming neither
// secret.
func TestEndpointAsyncReportsAPIFailures(t *testing.T) {
	const wrongSecret = "wr0ng-app-s3cret-xyzzy"
	t.Setenv("WXSIM_APP_SECRET", wrongSecret)
	g := NewWithT(t)
	ep := startAsyncEndpoint(t)
	for i := range 2 {
		r := wxsim(t, "", "--url", ep.url, "--token", testToken, "push", "--kind", "text", "--content", "hello", "--openid", fmt.Sprintf("o-follower-%d", i))
		g.Expect(r.code).To(Equal(0), r.stdout+r.stderr)
	}
	g.Eventually(ep.stderr.String).WithTimeout(3 * time.Second).Should(ContainSubstring("a reply through the API failed"))
	g.Consistently(func() int { return strings.Count(ep.stderr.String(), "a reply through the API failed") }).
		WithTimeout(300*time.Millisecond).Should(Equal(1), "each reason once: %s", ep.stderr.String())
	g.Expect(ep.stderr.String()).To(ContainSubstring("40125"), "the errcode says what is wrong: %s", ep.stderr.String())
	g.Expect(ep.mock.CustomMessages()).To(BeEmpty())
	ep.stop(g)
	g.Expect(ep.stdout.String() + ep.stderr.String()).NotTo(ContainSubstring(wrongSecret))
	g.Expect(ep.stdout.String() + ep.stderr.String()).NotTo(ContainSubstring(appSecret))
}
