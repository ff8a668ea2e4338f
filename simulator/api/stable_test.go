package api

import (
	"net/http"
	"testing"
	"time"

	. "github.com/onsi/gomega"
)

// TestStableSameTokenUntilLastOverlap: normal mode returns the same token,
// its expires_in counting down, and a new one in the token's last 5
// minutes, while the old one works until it expires.
func TestStableSameTokenUntilLastOverlap(t *testing.T) {
	g := NewWithT(t)
	r := newRig(t, Config{})
	first := r.stable(false)
	g.Expect(first.token()).NotTo(BeEmpty(), "%v", first)
	g.Expect(first["expires_in"]).To(BeEquivalentTo(7200))

	r.clock.Advance(time.Hour)
	again := r.stable(false)
	g.Expect(again.token()).To(Equal(first.token()))
	g.Expect(again["expires_in"]).To(BeEquivalentTo(3600))

	r.clock.Advance(time.Hour - 5*time.Minute - time.Second) // 5m01s left
	g.Expect(r.stable(false).token()).To(Equal(first.token()))
	r.clock.Advance(2 * time.Second) // 4m59s left: refreshed
	fresh := r.stable(false)
	g.Expect(fresh.token()).NotTo(Equal(first.token()))
	g.Expect(fresh["expires_in"]).To(BeEquivalentTo(7200))
	g.Expect(r.use(first.token())).To(Equal(0), "the old stable token works until it expires")
	r.clock.Advance(5 * time.Minute)
	g.Expect(r.use(first.token())).To(Equal(42001))
	g.Expect(r.use(fresh.token())).To(Equal(0))
	g.Expect(r.srv.Stats().StableTokensIssued).To(Equal(map[string]int64{testAppID: 2}))
}

// TestStableApartFromToken: the two token APIs do not affect each other.
func TestStableApartFromToken(t *testing.T) {
	g := NewWithT(t)
	r := newRig(t, Config{})
	stable := r.stable(false).token()
	for range 3 {
		r.mustToken()
	}
	g.Expect(r.use(stable)).To(Equal(0), "/cgi-bin/token calls do not supersede the stable token")
	plain := r.mustToken()
	r.clock.Advance(31 * time.Second)
	r.stable(true)
	r.clock.Advance(31 * time.Second)
	r.stable(true)
	g.Expect(r.use(plain)).To(Equal(0), "force refreshes do not supersede /cgi-bin/token's token")
}

func TestStableForceRefresh(t *testing.T) {
	g := NewWithT(t)
	r := newRig(t, Config{})
	old := r.stable(false).token()
	forced := r.stable(true)
	g.Expect(forced.token()).NotTo(Equal(old))
	g.Expect(forced["expires_in"]).To(BeEquivalentTo(7200))
	g.Expect(r.use(old)).To(Equal(40001), "force_refresh revokes the old token at once")

	r.clock.Advance(29 * time.Second)
	again := r.stable(true)
	g.Expect(again.token()).To(Equal(forced.token()), "a force refresh within 30 s does not refresh")
	g.Expect(again["expires_in"]).To(BeEquivalentTo(7200 - 29))

	r.clock.Advance(time.Second)
	g.Expect(r.stable(true).token()).NotTo(Equal(forced.token()), "30 s later it does")
	g.Expect(r.use(forced.token())).To(Equal(40001))
}

func TestStableForceRefreshDailyLimit(t *testing.T) {
	g := NewWithT(t)
	r := newRig(t, Config{})
	for i := range ForceRefreshPerDay {
		g.Expect(r.stable(true).token()).NotTo(BeEmpty(), "force refresh %d", i+1)
		r.clock.Advance(ForceRefreshGap)
	}
	a := r.stable(true)
	g.Expect(a.code()).To(Equal(45009), "%v", a)
	g.Expect(r.stable(false).token()).NotTo(BeEmpty(), "normal mode still works")
	r.clock.Advance(24 * time.Hour)
	g.Expect(r.stable(true).token()).NotTo(BeEmpty(), "the next day")
}

func TestStableErrors(t *testing.T) {
	cases := []struct {
		name   string
		method string
		body   string
		code   int
	}{
		{"GET", http.MethodGet, "", 43002},
		{"empty body", http.MethodPost, "", 44002},
		{"not JSON", http.MethodPost, "grant_type=client_credential", 47001},
		{"bad grant_type", http.MethodPost, `{"grant_type":"x","appid":"` + testAppID + `","secret":"` + testSecret + `"}`, 40002},
		{"no appid", http.MethodPost, `{"grant_type":"client_credential","secret":"` + testSecret + `"}`, 41002},
		{"unknown appid", http.MethodPost, `{"grant_type":"client_credential","appid":"wx1","secret":"` + testSecret + `"}`, 40013},
		{"no secret", http.MethodPost, `{"grant_type":"client_credential","appid":"` + testAppID + `"}`, 41004},
		{"wrong secret", http.MethodPost, `{"grant_type":"client_credential","appid":"` + testAppID + `","secret":"nope"}`, 40125},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g := NewWithT(t)
			r := newRig(t, Config{})
			a := r.do(c.method, PathStableToken, nil, c.body)
			g.Expect(a.code()).To(Equal(c.code), "%v", a)
			g.Expect(a["errmsg"]).To(MatchRegexp(ridPattern.String()))
			g.Expect(r.srv.Stats().StableTokensIssued).To(BeEmpty())
		})
	}
}

// TestStableMinuteQuota: 10,000 calls a minute, then 45011 until the next
// minute.
func TestStableMinuteQuota(t *testing.T) {
	g := NewWithT(t)
	r := newRig(t, Config{})
	r.srv.mu.Lock() // rather than 9,999 calls
	a := r.srv.accounts[testAppID]
	a.stableMinute.n, a.stableMinute.start = StableMinuteQuota-1, minuteStart(epoch)
	r.srv.mu.Unlock()
	g.Expect(r.stable(false).token()).NotTo(BeEmpty())
	g.Expect(r.stable(false).code()).To(Equal(45011))
	r.clock.Advance(time.Minute)
	g.Expect(r.stable(false).token()).NotTo(BeEmpty())
}
