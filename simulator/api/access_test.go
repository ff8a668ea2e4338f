package api

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	. "github.com/onsi/gomega"
)

// tokenAPIs are the APIs that take an access_token, with a valid body.
var tokenAPIs = []struct {
	method, path, body string
}{
	{http.MethodGet, PathCallbackIP, ""},
	{http.MethodGet, PathAPIDomainIP, ""},
	{http.MethodPost, PathCallbackCheck, `{"action":"dns","check_operator":"DEFAULT"}`},
	{http.MethodPost, PathCustomSend, `{"touser":"o-user","msgtype":"text","text":{"content":"hi"}}`},
}

// TestEveryAPIChecksTheToken: each API answers 41001, 40014, 40001 and
// 42001 for a missing, unknown, superseded and expired token.
func TestEveryAPIChecksTheToken(t *testing.T) {
	type tokens struct{ superseded, expired string }
	cases := []struct {
		name   string
		token  func(tokens) string
		code   int
		errmsg string
	}{
		{"missing", func(tokens) string { return "" }, 41001, "access_token missing"},
		{"unknown", func(tokens) string { return "90_not-a-token" }, 40014, "invalid access_token"},
		{"superseded", func(k tokens) string { return k.superseded }, 40001, "invalid credential, access_token is invalid or not latest"},
		{"expired", func(k tokens) string { return k.expired }, 42001, "access_token expired"},
	}
	for _, api := range tokenAPIs {
		for _, c := range cases {
			t.Run(api.path+"/"+c.name, func(t *testing.T) {
				g := NewWithT(t)
				r := newRig(t, Config{CallbackURL: "http://127.0.0.1:1/"})
				var k tokens
				k.expired = r.mustToken()
				r.clock.Advance(2 * time.Hour)
				k.superseded = r.mustToken()
				r.mustToken()
				r.mustToken()
				q := url.Values{}
				if tok := c.token(k); tok != "" {
					q.Set("access_token", tok)
				}
				a := r.do(api.method, api.path, q, api.body)
				g.Expect(a.code()).To(Equal(c.code), "%v", a)
				g.Expect(a["errmsg"]).To(HavePrefix(c.errmsg + " rid: "))
				g.Expect(r.srv.Stats().Errors).To(HaveKeyWithValue(c.code, int64(1)))
			})
		}
	}
}

// TestEveryAPIChecksTheMethod: 43001 for a GET API, 43002 for a POST one.
func TestEveryAPIChecksTheMethod(t *testing.T) {
	for _, api := range tokenAPIs {
		t.Run(api.path, func(t *testing.T) {
			g := NewWithT(t)
			r := newRig(t, Config{})
			tok := r.mustToken()
			method, code := http.MethodPost, 43001
			if api.method == http.MethodPost {
				method, code = http.MethodGet, 43002
			}
			a := r.do(method, api.path, url.Values{"access_token": {tok}}, api.body)
			g.Expect(a.code()).To(Equal(code), "%v", a)
		})
	}
}

func TestIPLists(t *testing.T) {
	g := NewWithT(t)
	r := newRig(t, Config{
		CallbackIPs:  []string{"106.55.206.146", "101.226.103.0/25"},
		APIDomainIPs: []string{"101.89.47.18"},
	})
	tok := r.mustToken()
	q := url.Values{"access_token": {tok}}
	g.Expect(r.do(http.MethodGet, PathCallbackIP, q, "")).To(Equal(answer{
		"ip_list": []any{"106.55.206.146", "101.226.103.0/25"}}))
	g.Expect(r.do(http.MethodGet, PathAPIDomainIP, q, "")).To(Equal(answer{
		"ip_list": []any{"101.89.47.18"}}))
}

func TestIPListsDefaultToLoopback(t *testing.T) {
	g := NewWithT(t)
	r := newRig(t, Config{})
	q := url.Values{"access_token": {r.mustToken()}}
	g.Expect(r.do(http.MethodGet, PathCallbackIP, q, "")).To(Equal(answer{"ip_list": []any{"127.0.0.1"}}))
	g.Expect(r.do(http.MethodGet, PathAPIDomainIP, q, "")).To(Equal(answer{"ip_list": []any{"127.0.0.1"}}))
}
