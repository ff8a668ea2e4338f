package api

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"testing"
	"time"

	. "github.com/onsi/gomega"
)

func allow(list ...string) func(*Account) {
	return func(a *Account) {
		p, err := ParseAllowList(list)
		if err != nil {
			panic(err)
		}
		a.AllowIPs = p
	}
}

// TestWhitelistOverLoopback: the rig's caller is 127.0.0.1.
func TestWhitelistOverLoopback(t *testing.T) {
	cases := []struct {
		name  string
		allow []string
		code  int
	}{
		{"no whitelist", nil, 0},
		{"listed IP", []string{"127.0.0.1"}, 0},
		{"listed range", []string{"10.0.0.0/8", "127.0.0.0/8"}, 0},
		{"mapped form listed", []string{"::ffff:127.0.0.1"}, 0},
		{"not listed", []string{"10.0.0.0/8", "192.0.2.7"}, 40164},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g := NewWithT(t)
			r := newRig(t, Config{Accounts: []Account{testAccount(allow(c.allow...))}})
			for _, a := range []answer{r.getToken(), r.stable(false)} {
				g.Expect(a.code()).To(Equal(c.code), "%v", a)
				if c.code != 0 {
					g.Expect(a["errmsg"]).To(HavePrefix("invalid ip 127.0.0.1 ipv6 ::ffff:127.0.0.1, not in whitelist rid: "))
					g.Expect(a).NotTo(HaveKey("access_token"))
				}
			}
		})
	}
}

// TestWhitelistByPeerAddress calls the handler with other peer addresses
// (no network): IPv6 peers and IPv4-mapped ones.
func TestWhitelistByPeerAddress(t *testing.T) {
	cases := []struct {
		peer, errmsg string
	}{
		{"203.0.113.9:4000", "invalid ip 203.0.113.9 ipv6 ::ffff:203.0.113.9, not in whitelist"},
		{"[::1]:4000", "invalid ip ::1 ipv6 ::1, not in whitelist"},
		{"[::ffff:203.0.113.9]:4000", "invalid ip 203.0.113.9 ipv6 ::ffff:203.0.113.9, not in whitelist"},
		{"[::ffff:10.1.2.3]:4000", ""},
		{"[2001:db8::5]:4000", ""},
	}
	s, err := New(Config{Accounts: []Account{testAccount(allow("10.0.0.0/8", "2001:db8::/32"))}})
	NewWithT(t).Expect(err).NotTo(HaveOccurred())
	for _, c := range cases {
		t.Run(c.peer, func(t *testing.T) {
			g := NewWithT(t)
			q := url.Values{"grant_type": {"client_credential"}, "appid": {testAppID}, "secret": {testSecret}}
			req := httptest.NewRequest(http.MethodGet, PathToken+"?"+q.Encode(), nil)
			req.RemoteAddr = c.peer
			w := httptest.NewRecorder()
			s.ServeHTTP(w, req)
			var a answer
			g.Expect(json.Unmarshal(w.Body.Bytes(), &a)).To(Succeed())
			if c.errmsg == "" {
				g.Expect(a.token()).NotTo(BeEmpty(), "%v", a)
				return
			}
			g.Expect(a.code()).To(Equal(40164))
			g.Expect(a["errmsg"]).To(HavePrefix(c.errmsg + " rid: "))
		})
	}
}

// TestWhitelistAfterSecret: a wrong secret from anywhere is 40125, so the
// whitelist tells nothing to who does not know the secret.
func TestWhitelistAfterSecret(t *testing.T) {
	g := NewWithT(t)
	r := newRig(t, Config{Accounts: []Account{testAccount(allow("10.0.0.0/8"))}})
	a := r.do(http.MethodGet, PathToken, url.Values{
		"grant_type": {"client_credential"}, "appid": {testAppID}, "secret": {"wrong"}}, "")
	g.Expect(a.code()).To(Equal(40125))
}

func TestDailyQuota(t *testing.T) {
	g := NewWithT(t)
	r := newRig(t, Config{Accounts: []Account{testAccount(func(a *Account) { a.DailyQuota = 3 })}})
	r.do(http.MethodGet, PathToken, url.Values{
		"grant_type": {"client_credential"}, "appid": {testAppID}, "secret": {"wrong"}}, "")
	var last string
	for range 3 {
		last = r.mustToken()
	}
	a := r.getToken()
	g.Expect(a.code()).To(Equal(45009))
	g.Expect(a["errmsg"]).To(HavePrefix("reach max api daily quota limit rid: "))
	g.Expect(r.use(last)).To(Equal(0), "a refused refresh leaves the current token alone")

	// epoch is 10:00 in Beijing, where WeChat's day starts.
	r.clock.Advance(14*time.Hour - time.Second)
	g.Expect(r.getToken().code()).To(Equal(45009), "23:59:59 in Beijing")
	r.clock.Advance(time.Second)
	g.Expect(r.mustToken()).NotTo(BeEmpty(), "midnight in Beijing")
	g.Expect(r.srv.Stats().TokensIssued).To(Equal(map[string]int64{testAppID: 4}))
}

func TestDefaultDailyQuota(t *testing.T) {
	g := NewWithT(t)
	s, err := New(Config{Accounts: []Account{testAccount(nil)}, Now: func() time.Time { return epoch }})
	g.Expect(err).NotTo(HaveOccurred())
	q := url.Values{"grant_type": {"client_credential"}, "appid": {testAppID}, "secret": {testSecret}}
	codes := map[int]int{}
	for range DefaultDailyQuota + 2 {
		req := httptest.NewRequest(http.MethodGet, PathToken+"?"+q.Encode(), nil)
		w := httptest.NewRecorder()
		s.ServeHTTP(w, req)
		var a answer
		g.Expect(json.NewDecoder(strings.NewReader(w.Body.String())).Decode(&a)).To(Succeed())
		codes[a.code()]++
	}
	g.Expect(codes).To(Equal(map[int]int{0: DefaultDailyQuota, 45009: 2}))
}

func TestParseAllowList(t *testing.T) {
	g := NewWithT(t)
	p, err := ParseAllowList([]string{"1.2.3.4", " 10.1.2.3/8", "::ffff:5.6.7.8", "2001:db8::/32"})
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(p).To(Equal([]netip.Prefix{
		netip.MustParsePrefix("1.2.3.4/32"), netip.MustParsePrefix("10.0.0.0/8"),
		netip.MustParsePrefix("5.6.7.8/32"), netip.MustParsePrefix("2001:db8::/32"),
	}))
	for _, bad := range []string{"", "1.2.3", "10.0.0.0/33", "example.com"} {
		_, err := ParseAllowList([]string{bad})
		g.Expect(err).To(HaveOccurred(), bad)
	}
}
