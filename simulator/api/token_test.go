package api

import (
	"net/http"
	"net/url"
	"regexp"
	"sync"
	"testing"
	"time"

	. "github.com/onsi/gomega"
)

// ridPattern is the end of every error's errmsg: WeChat's request id.
var ridPattern = regexp.MustCompile(` rid: [0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}$`)

func TestTokenSuccess(t *testing.T) {
	g := NewWithT(t)
	r := newRig(t, Config{})
	a := r.getToken()
	g.Expect(a).To(HaveLen(2))
	g.Expect(a.token()).To(MatchRegexp(`^[0-9]+_[A-Za-z0-9_-]{100,}$`))
	g.Expect(len(a.token())).To(BeNumerically("<=", 512))
	g.Expect(a["expires_in"]).To(BeEquivalentTo(7200))
	g.Expect(r.mustToken()).NotTo(Equal(a.token()), "every call issues a new token")
}

func TestTokenErrors(t *testing.T) {
	ok := url.Values{"grant_type": {"client_credential"}, "appid": {testAppID}, "secret": {testSecret}}
	with := func(key, value string) url.Values {
		q := url.Values{}
		for k, v := range ok {
			q[k] = v
		}
		if value == "" {
			q.Del(key)
		} else {
			q.Set(key, value)
		}
		return q
	}
	cases := []struct {
		name   string
		method string
		query  url.Values
		code   int
		errmsg string
	}{
		{"no grant_type", http.MethodGet, with("grant_type", ""), 40002, "invalid grant_type"},
		{"bad grant_type", http.MethodGet, with("grant_type", "password"), 40002, "invalid grant_type"},
		{"no appid", http.MethodGet, with("appid", ""), 41002, "appid missing"},
		{"unknown appid", http.MethodGet, with("appid", "wxffffffffffffffff"), 40013, "invalid appid"},
		{"no secret", http.MethodGet, with("secret", ""), 41004, "appsecret missing"},
		{"wrong secret", http.MethodGet, with("secret", testSecret+"x"), 40125, "invalid appsecret"},
		{"secret prefix", http.MethodGet, with("secret", testSecret[:10]), 40125, "invalid appsecret"},
		{"POST", http.MethodPost, ok, 43001, "require GET method"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g := NewWithT(t)
			r := newRig(t, Config{})
			a := r.do(c.method, PathToken, c.query, "")
			g.Expect(a.code()).To(Equal(c.code), "%v", a)
			g.Expect(a["errmsg"]).To(HavePrefix(c.errmsg + " rid: "))
			g.Expect(a["errmsg"]).To(MatchRegexp(ridPattern.String()))
			g.Expect(a).NotTo(HaveKey("access_token"))
			g.Expect(r.srv.Stats().TokensIssued).To(BeEmpty())
		})
	}
}

// TestTokenOverlap is WeChat's famous 5 minutes: a new token leaves the
// previous one working for 5 minutes and the one before that not at all.
func TestTokenOverlap(t *testing.T) {
	g := NewWithT(t)
	r := newRig(t, Config{})
	t1 := r.mustToken()
	r.clock.Advance(time.Minute)
	t2 := r.mustToken()
	g.Expect(r.use(t1)).To(Equal(0), "the previous token works right after a refresh")
	g.Expect(r.use(t2)).To(Equal(0))

	r.clock.Advance(4*time.Minute + 59*time.Second)
	g.Expect(r.use(t1)).To(Equal(0), "the previous token works at +4m59s")
	r.clock.Advance(2 * time.Second)
	g.Expect(r.use(t1)).To(Equal(40001), "the previous token is invalid at +5m01s")
	g.Expect(r.use(t2)).To(Equal(0))

	t3 := r.mustToken()
	t4 := r.mustToken()
	g.Expect(r.use(t2)).To(Equal(40001), "the token before the previous one is invalid at once")
	g.Expect(r.use(t3)).To(Equal(0))
	g.Expect(r.use(t4)).To(Equal(0))
	a := r.do(http.MethodGet, PathCallbackIP, url.Values{"access_token": {t1}}, "")
	g.Expect(a["errmsg"]).To(HavePrefix("invalid credential, access_token is invalid or not latest rid: "))
}

func TestTokenExpires(t *testing.T) {
	g := NewWithT(t)
	r := newRig(t, Config{})
	tok := r.mustToken()
	r.clock.Advance(7199 * time.Second)
	g.Expect(r.use(tok)).To(Equal(0))
	r.clock.Advance(time.Second)
	g.Expect(r.use(tok)).To(Equal(42001))
	a := r.do(http.MethodGet, PathCallbackIP, url.Values{"access_token": {tok}}, "")
	g.Expect(a["errmsg"]).To(HavePrefix("access_token expired rid: "))

	// A previous token expires at its own end, even inside the overlap.
	next := r.mustToken()
	g.Expect(r.use(tok)).To(Equal(42001))
	g.Expect(r.use(next)).To(Equal(0))
}

// TestTokenConfiguredTTL: a short TTL for drills that watch tokens expire.
func TestTokenConfiguredTTL(t *testing.T) {
	g := NewWithT(t)
	r := newRig(t, Config{TokenTTL: time.Minute, Overlap: 10 * time.Second})
	a := r.getToken()
	g.Expect(a["expires_in"]).To(BeEquivalentTo(60))
	r.mustToken()
	r.clock.Advance(11 * time.Second)
	g.Expect(r.use(a.token())).To(Equal(40001))
}

// TestTokenForgetsOldTokens: a lineage remembers retiredCap revoked tokens;
// older ones are forgotten and answer 40014.
func TestTokenForgetsOldTokens(t *testing.T) {
	g := NewWithT(t)
	s := newStore(time.Hour)
	var l lineage
	first := s.rotate(&l, testAppID, epoch, epoch.Add(time.Minute))
	// From the third rotation on each one retires a token: these retire
	// retiredCap+1, one more than the ring holds, first of all the first.
	for range retiredCap + 2 {
		s.rotate(&l, testAppID, epoch, epoch.Add(time.Minute))
	}
	_, e := s.check(first.token, epoch)
	g.Expect(e.code).To(Equal(40014))
	g.Expect(len(s.byToken)).To(Equal(retiredCap + 2))
	_, e = s.check(l.retired[l.next].token, epoch)
	g.Expect(e.code).To(Equal(40001), "the oldest remembered token")
}

// TestTokenConcurrentCallers: servers refreshing at the same time each get
// a distinct token, every issuance is counted, and only two tokens work.
func TestTokenConcurrentCallers(t *testing.T) {
	g := NewWithT(t)
	r := newRig(t, Config{})
	const callers, each = 8, 10
	tokens := make(chan string, callers*each)
	var wg sync.WaitGroup
	for range callers {
		wg.Go(func() {
			for range each {
				tokens <- r.getToken().token()
			}
		})
	}
	wg.Wait()
	close(tokens)
	seen := map[string]bool{}
	valid := 0
	for tok := range tokens {
		g.Expect(tok).NotTo(BeEmpty())
		seen[tok] = true
		if r.use(tok) == 0 {
			valid++
		}
	}
	g.Expect(seen).To(HaveLen(callers * each))
	g.Expect(valid).To(Equal(2), "the current token and the previous one")
	g.Expect(r.srv.Stats().TokensIssued).To(Equal(map[string]int64{testAppID: callers * each}))
}
