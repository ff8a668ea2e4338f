package endpoint

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	. "github.com/onsi/gomega"

	"github.com/wxsim/wxsim/simulator/api"
	"github.com/wxsim/wxsim/simulator/wechat"
)

var apiBehaviours = []string{Async, TokenPerPush, NoRefresh, DropAsync}

// New refuses the asynchronous behaviours without a usable API
// configuration, naming what is missing and never the secret.
func TestNewNeedsTheAPI(t *testing.T) {
	cases := []struct {
		api  APIConfig
		want string
	}{
		{APIConfig{}, "endpoint: behaviour %s needs the API base URL (--api-base) and the app secret (--app-secret)"},
		{APIConfig{Secret: testSecret}, "endpoint: behaviour %s needs the API base URL (--api-base)"},
		{APIConfig{BaseURL: "http://127.0.0.1:9081"}, "endpoint: behaviour %s needs the app secret (--app-secret)"},
		{APIConfig{BaseURL: "ftp://127.0.0.1:9081", Secret: testSecret}, `endpoint: behaviour %s: API base URL "ftp://127.0.0.1:9081": want an http:// or https:// URL with a host`},
		{APIConfig{BaseURL: "127.0.0.1:9081", Secret: testSecret}, "endpoint: behaviour %s: the API base URL does not parse: want an http:// or https:// URL with a host, e.g. http://127.0.0.1:8081"},
		{APIConfig{BaseURL: "http://", Secret: testSecret}, `endpoint: behaviour %s: API base URL "http:": want an http:// or https:// URL with a host`},
		{APIConfig{BaseURL: "http://u:" + testSecret + "@/x?secret=" + testSecret, Secret: testSecret}, `endpoint: behaviour %s: API base URL "http://u:xxxxx@/x": want an http:// or https:// URL with a host`},
		{APIConfig{BaseURL: "http://h/?secret=" + testSecret, Secret: testSecret}, `endpoint: behaviour %s: API base URL "http://h/": give it without a query; the API paths and their parameters are appended`},
		{APIConfig{BaseURL: "https://u:" + testSecret + "@h#" + testSecret, Secret: testSecret}, `endpoint: behaviour %s: API base URL "https://u:xxxxx@h": give it without a query; the API paths and their parameters are appended`},
		{APIConfig{BaseURL: "http://%zz/" + testSecret, Secret: testSecret}, "endpoint: behaviour %s: the API base URL does not parse: want an http:// or https:// URL with a host, e.g. http://127.0.0.1:8081"},
	}
	for _, b := range apiBehaviours {
		for _, c := range cases {
			t.Run(b+"/"+c.api.BaseURL, func(t *testing.T) {
				g := NewWithT(t)
				_, err := New(Config{Account: account(wechat.Plain), Behaviour: Behaviour{Name: b}, API: c.api})
				g.Expect(err).To(MatchError(fmt.Sprintf(c.want, b)))
				g.Expect(err.Error()).NotTo(ContainSubstring(testSecret))
			})
		}
	}
}

// Other behaviours ignore the API configuration.
func TestOtherBehavioursIgnoreTheAPI(t *testing.T) {
	for _, b := range []string{"", "slow=1s", "error500", "unsigned"} {
		beh, err := ParseBehaviour(b)
		NewWithT(t).Expect(err).NotTo(HaveOccurred())
		e, err := New(Config{Account: account(wechat.Plain), Behaviour: beh, API: APIConfig{BaseURL: "ftp://x"}})
		NewWithT(t).Expect(err).NotTo(HaveOccurred(), b)
		e.Close()
	}
}

// Printing a Config never prints the secret.
func TestAPIConfigPrintsNoSecret(t *testing.T) {
	cfg := Config{Account: account(wechat.Plain), API: APIConfig{BaseURL: "http://127.0.0.1:9081", Secret: testSecret}}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		NewWithT(t).Expect(fmt.Sprintf(verb, cfg)).NotTo(ContainSubstring(testSecret), verb)
	}
}

// The client's errors name the API path, never the URL with its secret or
// access_token, whatever went wrong.
func TestAPIClientErrorsHoldNoSecret(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	NewWithT(t).Expect(err).NotTo(HaveOccurred())
	closed := "http://" + ln.Addr().String()
	ln.Close() // nothing listens there any more: connection refused
	mock, err := api.New(api.Config{Accounts: []api.Account{{AppID: account(0).AppID, Secret: "another-secret"}}})
	NewWithT(t).Expect(err).NotTo(HaveOccurred())
	wrongSecret := httptest.NewServer(mock)
	defer wrongSecret.Close()
	redirect := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://127.0.0.1:1/elsewhere?"+r.URL.RawQuery, http.StatusFound)
	}))
	defer redirect.Close()
	for _, base := range []string{closed, wrongSecret.URL, redirect.URL} {
		g := NewWithT(t)
		c := newAPIClient(APIConfig{BaseURL: base, Secret: testSecret}, account(0).AppID)
		_, _, err := c.fetchToken(context.Background())
		g.Expect(err).To(HaveOccurred(), base)
		g.Expect(err.Error()).To(HavePrefix("GET /cgi-bin/token: "))
		g.Expect(err.Error()).NotTo(ContainSubstring(testSecret))
		_, err = c.sendText(context.Background(), "TOKEN-"+testSecret, "o-user", "hi")
		if err != nil {
			g.Expect(err.Error()).To(HavePrefix("POST /cgi-bin/message/custom/send: "))
			g.Expect(err.Error()).NotTo(ContainSubstring(testSecret))
		}
		c.closeIdle()
	}
}

// A flood that finds every worker busy and the queue full is dropped and
// counted, without blocking the handler; Close cancels the calls in
// flight and returns with no worker left.
func TestAsyncQueueIsBounded(t *testing.T) {
	g := NewWithT(t)
	release := make(chan struct{})
	blocked := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select { // a stuck API: holds every call until the test ends
		case <-r.Context().Done():
		case <-release:
		}
	}))
	defer blocked.Close()
	defer close(release)
	e, err := New(Config{Account: account(wechat.Plain), Behaviour: Behaviour{Name: Async},
		API: APIConfig{BaseURL: blocked.URL, Secret: testSecret}})
	g.Expect(err).NotTo(HaveOccurred())

	const extra = 5
	start := time.Now()
	for i := range maxInFlight + maxQueued + extra {
		e.async.enqueue(message{toUser: "o-user", content: fmt.Sprint(i)})
	}
	g.Expect(time.Since(start)).To(BeNumerically("<", time.Second), "enqueue never blocks")
	g.Expect(e.Stats().APIDropped).To(BeEquivalentTo(extra))
	e.async.mu.Lock()
	g.Expect(e.async.running).To(Equal(maxInFlight))
	e.async.mu.Unlock()

	closed := make(chan struct{})
	go func() { e.Close(); close(closed) }()
	g.Eventually(closed).WithTimeout(arriveWithin).Should(BeClosed())
	e.async.mu.Lock()
	g.Expect(e.async.running).To(BeZero())
	e.async.mu.Unlock()
	g.Expect(e.Stats().APIDropped).To(BeEquivalentTo(extra+maxQueued), "the queue abandoned at Close counts as dropped")
	e.async.enqueue(message{toUser: "o-user", content: "after close"})
	g.Expect(e.Stats().APIDropped).To(BeEquivalentTo(extra + maxQueued + 1))
}

// The shared token is fetched once however many sends ask at once, is
// refreshed RefreshMargin before it expires, and a rejected token is
// forgotten unless a newer one replaced it; norefresh's never changes.
func TestSharedToken(t *testing.T) {
	g := NewWithT(t)
	now := time.Unix(1_700_000_000, 0)
	fetches := 0
	gate := make(chan struct{})
	s := &sharedToken{now: func() time.Time { return now }, fetch: func(ctx context.Context) (string, time.Duration, error) {
		<-gate
		fetches++ // only one fetch runs at a time, so no lock
		return fmt.Sprint("token-", fetches), 2 * time.Hour, nil
	}}
	got := make(chan string, 20)
	for range cap(got) {
		go func() {
			tok, _ := s.get(context.Background())
			got <- tok
		}()
	}
	time.Sleep(20 * time.Millisecond) // let the getters pile up on the one fetch
	close(gate)
	for range cap(got) {
		g.Expect(<-got).To(Equal("token-1"))
	}
	g.Expect(fetches).To(Equal(1))

	now = now.Add(2*time.Hour - RefreshMargin - time.Second)
	g.Expect(s.get(context.Background())).To(Equal("token-1"))
	now = now.Add(time.Second)
	g.Expect(s.get(context.Background())).To(Equal("token-2"), "refreshed 5 minutes before expiry")

	g.Expect(s.rejected("token-1")).To(BeTrue())
	g.Expect(s.get(context.Background())).To(Equal("token-2"), "a stale rejection keeps the newer token")
	g.Expect(s.rejected("token-2")).To(BeTrue())
	g.Expect(s.get(context.Background())).To(Equal("token-3"))

	s.forever = true
	now = now.Add(24 * time.Hour)
	g.Expect(s.rejected("token-3")).To(BeFalse())
	g.Expect(s.get(context.Background())).To(Equal("token-3"))
	g.Expect(fetches).To(Equal(3))
}
