package api

import (
	"net"
	"net/http"
	"net/http/httptest"
	"testing"

	. "github.com/onsi/gomega"
)

// callbackEndpoint serves an empty 200 on loopback: a callback URL that
// resolves and accepts connections.
func callbackEndpoint(t *testing.T) string {
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	t.Cleanup(srv.Close)
	return srv.URL + "/wechat"
}

// closedPort returns a loopback URL nothing listens on.
func closedPort(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	NewWithT(t).Expect(err).NotTo(HaveOccurred())
	addr := ln.Addr().String()
	ln.Close()
	return "http://" + addr + "/wechat"
}

func TestCallbackCheck(t *testing.T) {
	up := callbackEndpoint(t)
	down := closedPort(t)
	cases := []struct {
		name, url, body string
		dns, ping       bool
		operator, loss  string
	}{
		{"all", up, `{"action":"all","check_operator":"DEFAULT"}`, true, true, "CHINANET", "0%"},
		{"dns", up, `{"action":"dns","check_operator":"UNICOM"}`, true, false, "UNICOM", ""},
		{"ping", up, `{"action":"ping","check_operator":"CAP"}`, false, true, "CAP", "0%"},
		{"ping down", down, `{"action":"ping","check_operator":"CHINANET"}`, false, true, "CHINANET", "100%"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g := NewWithT(t)
			r := newRig(t, Config{CallbackURL: c.url})
			a := r.post(PathCallbackCheck, r.mustToken(), c.body)
			g.Expect(a).NotTo(HaveKey("errcode"))
			if c.dns {
				g.Expect(a["dns"]).To(Equal([]any{map[string]any{"ip": "127.0.0.1", "real_operator": c.operator}}))
			} else {
				g.Expect(a).NotTo(HaveKey("dns"))
			}
			if !c.ping {
				g.Expect(a).NotTo(HaveKey("ping"))
				return
			}
			g.Expect(a["ping"]).To(HaveLen(1))
			p := a["ping"].([]any)[0].(map[string]any)
			g.Expect(p).To(HaveKeyWithValue("ip", "127.0.0.1"))
			g.Expect(p).To(HaveKeyWithValue("from_operator", c.operator))
			g.Expect(p).To(HaveKeyWithValue("package_loss", c.loss))
			g.Expect(p["time"]).To(MatchRegexp(`^[0-9]+(\.[0-9]{3})?ms$`))
		})
	}
}

func TestCallbackCheckErrors(t *testing.T) {
	up := callbackEndpoint(t)
	cases := []struct {
		name, url, body string
		code            int
	}{
		{"bad action", up, `{"action":"trace","check_operator":"DEFAULT"}`, 40202},
		{"no action", up, `{"check_operator":"DEFAULT"}`, 40202},
		{"bad operator", up, `{"action":"all","check_operator":"MOBILE"}`, 40203},
		{"no operator", up, `{"action":"all"}`, 40203},
		{"no callback URL", "", `{"action":"all","check_operator":"DEFAULT"}`, 40201},
		{"empty body", up, ``, 44002},
		{"not JSON", up, `action=all`, 47001},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g := NewWithT(t)
			r := newRig(t, Config{CallbackURL: c.url})
			a := r.post(PathCallbackCheck, r.mustToken(), c.body)
			g.Expect(a.code()).To(Equal(c.code), "%v", a)
			g.Expect(a["errmsg"]).To(MatchRegexp(ridPattern.String()))
		})
	}
}
