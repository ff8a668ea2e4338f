package api

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	. "github.com/onsi/gomega"
)

// The test account. The secret is distinctive so that a leak is easy to
// spot in any text.
const (
	testAppID  = "wx0123456789abcdef"
	testSecret = "s3cr3t-0f-the-t3st-acc0unt-xyzzy"
)

// epoch is the fake clock's start: 10:00 in Beijing, far from midnight.
var epoch = time.Date(2025, 3, 1, 2, 0, 0, 0, time.UTC)

// fakeClock is Config.Now for tests; Advance moves it.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// rig is a Server on a loopback httptest server with a fake clock. Every
// answer body is kept, so that tests can check none ever holds the secret.
type rig struct {
	t      *testing.T
	srv    *Server
	http   *httptest.Server
	clock  *fakeClock
	mu     sync.Mutex
	bodies []string
}

// testAccount is the test account, changed by edit (which may be nil).
func testAccount(edit func(*Account)) Account {
	a := Account{AppID: testAppID, Secret: testSecret}
	if edit != nil {
		edit(&a)
	}
	return a
}

// newRig serves cfg (the test account when it has none) on loopback.
func newRig(t *testing.T, cfg Config) *rig {
	t.Helper()
	if len(cfg.Accounts) == 0 {
		cfg.Accounts = []Account{testAccount(nil)}
	}
	clock := &fakeClock{t: epoch}
	cfg.Now = clock.Now
	s, err := New(cfg)
	NewWithT(t).Expect(err).NotTo(HaveOccurred())
	r := &rig{t: t, srv: s, http: httptest.NewServer(s), clock: clock}
	t.Cleanup(func() {
		r.http.Close()
		r.expectNoSecret()
	})
	return r
}

// answer is a decoded JSON answer.
type answer map[string]any

func (a answer) code() int {
	c, _ := a["errcode"].(float64)
	return int(c)
}

func (a answer) token() string {
	s, _ := a["access_token"].(string)
	return s
}

// do sends one request and decodes the JSON answer, checking the status
// and Content-Type every WeChat API answer has.
func (r *rig) do(method, path string, query url.Values, body string) answer {
	r.t.Helper()
	g := NewWithT(r.t)
	u := r.http.URL + path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	req, err := http.NewRequest(method, u, strings.NewReader(body))
	g.Expect(err).NotTo(HaveOccurred())
	resp, err := r.http.Client().Do(req)
	g.Expect(err).NotTo(HaveOccurred())
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	g.Expect(err).NotTo(HaveOccurred())
	r.mu.Lock()
	r.bodies = append(r.bodies, string(b))
	r.mu.Unlock()
	g.Expect(resp.StatusCode).To(Equal(http.StatusOK), string(b))
	g.Expect(resp.Header.Get("Content-Type")).To(Equal("application/json; encoding=utf-8"))
	var a answer
	g.Expect(json.Unmarshal(b, &a)).To(Succeed(), string(b))
	return a
}

// getToken calls GET /cgi-bin/token for the test account.
func (r *rig) getToken() answer {
	return r.do(http.MethodGet, PathToken, url.Values{
		"grant_type": {"client_credential"}, "appid": {testAppID}, "secret": {testSecret}}, "")
}

// mustToken returns a new /cgi-bin/token token, failing the test otherwise.
func (r *rig) mustToken() string {
	r.t.Helper()
	a := r.getToken()
	NewWithT(r.t).Expect(a.token()).NotTo(BeEmpty(), "%v", a)
	return a.token()
}

// stable calls POST /cgi-bin/stable_token for the test account.
func (r *rig) stable(force bool) answer {
	b, _ := json.Marshal(map[string]any{"grant_type": "client_credential",
		"appid": testAppID, "secret": testSecret, "force_refresh": force})
	return r.do(http.MethodPost, PathStableToken, nil, string(b))
}

// use calls getcallbackip with token: the cheapest "is this token valid".
func (r *rig) use(token string) int {
	r.t.Helper()
	return r.do(http.MethodGet, PathCallbackIP, url.Values{"access_token": {token}}, "").code()
}

// post sends a JSON body to an API that takes an access_token.
func (r *rig) post(path, token, body string) answer {
	return r.do(http.MethodPost, path, url.Values{"access_token": {token}}, body)
}

// expectNoSecret checks that no answer the rig saw held the secret.
func (r *rig) expectNoSecret() {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, b := range r.bodies {
		if strings.Contains(b, testSecret) {
			r.t.Errorf("an answer holds the app secret: %s", b)
		}
	}
}
