package endpoint

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	. "github.com/onsi/gomega"

	"github.com/wxsim/wxsim/simulator/wechat"
)

func TestHandshake(t *testing.T) {
	const token, ts, nonce, echo = "test-token", "1714036504", "1514711492", "4375120948345356249"
	good := wechat.Signature(token, ts, nonce)
	cases := []struct {
		name, behaviour, signature, echostr string
		status                              int
		body                                string
	}{
		{"right signature echoes echostr", "", good, echo, 200, echo},
		{"wrong signature is refused without echo", "", strings.Repeat("0", 40), echo, 401, "invalid signature\n"},
		{"missing signature is refused", "", "", echo, 401, "invalid signature\n"},
		{"missing echostr is a bad request", "", good, "", 400, "missing echostr\n"},
		{"unsigned echoes whatever the signature", "unsigned", strings.Repeat("0", 40), echo, 200, echo},
	}
	for _, m := range wechat.Modes() {
		for _, c := range cases {
			t.Run(m.String()+"/"+c.name, func(t *testing.T) {
				g := NewWithT(t)
				r := newRig(t, m, c.behaviour)
				q := url.Values{"signature": {c.signature}, "timestamp": {ts}, "nonce": {nonce}, "echostr": {c.echostr}}
				req, err := http.NewRequest(http.MethodGet, r.srv.URL+"/?"+q.Encode(), nil)
				g.Expect(err).NotTo(HaveOccurred())
				rep := r.do(req)
				g.Expect(rep.err).NotTo(HaveOccurred())
				g.Expect(rep.status).To(Equal(c.status))
				g.Expect(string(rep.body)).To(Equal(c.body))
				if c.status == 200 {
					g.Expect(r.e.Stats().Handshakes).To(BeEquivalentTo(1))
				}
			})
		}
	}
}

// TestEveryKindEveryMode posts every push kind in every mode and has
// WeChat's own judge accept the reply.
func TestEveryKindEveryMode(t *testing.T) {
	for _, m := range wechat.Modes() {
		r := newRig(t, m, "")
		for _, k := range wechat.Kinds() {
			t.Run(m.String()+"/"+k.Name, func(t *testing.T) {
				g := NewWithT(t)
				p := r.newPush(k.Name)
				rep, v := r.post(p)
				g.Expect(rep.status).To(Equal(200))
				g.Expect(v.OK()).To(BeTrue(), "verdict %+v, reply %q", v, rep.body)
				switch {
				case k.Component:
					g.Expect(string(rep.body)).To(Equal("success"))
				case k.Name == "text":
					g.Expect(v.ReplyType).To(Equal("text"))
					g.Expect(v.Encrypted).To(Equal(m.Encrypted()))
					g.Expect(string(v.Reply)).To(ContainSubstring(p.Content))
				default:
					g.Expect(string(rep.body)).To(Equal("success"))
				}
			})
		}
		s := r.e.Stats()
		g := NewWithT(t)
		g.Expect(s.Pushes).To(BeEquivalentTo(len(wechat.Kinds())), "mode %s", m)
		g.Expect(s.Duplicates).To(BeZero())
		for _, k := range wechat.Kinds() {
			g.Expect(s.ByKind).To(HaveKeyWithValue(k.Name, int64(1)))
		}
	}
}

func TestBadSignatures(t *testing.T) {
	zeros := strings.Repeat("0", 40)
	cases := []struct {
		name   string
		mode   wechat.Mode
		tamper func([]byte) []byte
		status int
	}{
		{"plain: wrong signature", wechat.Plain, replaceParam("signature", zeros), 401},
		{"compat: wrong signature", wechat.Compat, replaceParam("signature", zeros), 401},
		{"compat: wrong msg_signature", wechat.Compat, replaceParam("msg_signature", zeros), 401},
		{"safe: wrong signature", wechat.Safe, replaceParam("signature", zeros), 401},
		{"safe: wrong msg_signature", wechat.Safe, replaceParam("msg_signature", zeros), 401},
		{"safe: wrong timestamp", wechat.Safe, replaceParam("timestamp", "1"), 401},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g := NewWithT(t)
			r := newRig(t, c.mode, "")
			rep := r.do(r.request(r.newPush("text"), c.tamper))
			g.Expect(rep.err).NotTo(HaveOccurred())
			g.Expect(rep.status).To(Equal(c.status))
			g.Expect(string(rep.body)).NotTo(ContainSubstring("hello endpoint"))
			s := r.e.Stats()
			g.Expect(s.BadSignature).To(BeEquivalentTo(1))
			g.Expect(s.Pushes).To(BeZero())
		})
	}
}

func TestRefusals(t *testing.T) {
	cases := []struct {
		name   string
		req    func(r *rig) *http.Request
		status int
	}{
		{"PUT is not allowed", func(r *rig) *http.Request {
			req, _ := http.NewRequest(http.MethodPut, r.srv.URL, nil)
			return req
		}, 405},
		{"a body over 1 MiB is refused", func(r *rig) *http.Request {
			req, _ := http.NewRequest(http.MethodPost, r.srv.URL, strings.NewReader(strings.Repeat("x", MaxBody+1)))
			return req
		}, 413},
		{"a signed body that is not a push is a bad request", func(r *rig) *http.Request {
			q := url.Values{"signature": {wechat.Signature("test-token", "1", "2")}, "timestamp": {"1"}, "nonce": {"2"}}
			req, _ := http.NewRequest(http.MethodPost, r.srv.URL+"?"+q.Encode(), strings.NewReader("not xml"))
			return req
		}, 400},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g := NewWithT(t)
			r := newRig(t, wechat.Plain, "")
			rep := r.do(c.req(r))
			g.Expect(rep.err).NotTo(HaveOccurred())
			g.Expect(rep.status).To(Equal(c.status))
			g.Expect(r.e.Stats().BadRequest).To(BeEquivalentTo(1))
		})
	}
}

// TestDuplicates re-delivers pushes as WeChat does after a timeout: same
// body, fresh nonce and signature. The re-delivery is answered validly
// and counted, not processed again.
func TestDuplicates(t *testing.T) {
	for _, m := range wechat.Modes() {
		for _, kind := range []string{"text", "image", "click", "subscribe", "component_verify_ticket"} {
			t.Run(m.String()+"/"+kind, func(t *testing.T) {
				g := NewWithT(t)
				r := newRig(t, m, "")
				p := r.newPush(kind)
				first, v1 := r.post(p)
				second, v2 := r.post(p)
				g.Expect(v1.OK()).To(BeTrue(), "first: %+v %q", v1, first.body)
				g.Expect(v2.OK()).To(BeTrue(), "re-delivery: %+v %q", v2, second.body)
				g.Expect(string(second.body)).To(Equal("success"))
				other := *p
				other.MsgID++
				other.CreateTime++
				_, v3 := r.post(&other)
				g.Expect(v3.OK()).To(BeTrue())
				s := r.e.Stats()
				g.Expect(s.Pushes).To(BeEquivalentTo(3))
				g.Expect(s.Duplicates).To(BeEquivalentTo(1))
			})
		}
	}
}

// A correctly signed push an hour old is a replay: refused with 401.
func TestStaleTimestampRefused(t *testing.T) {
	for _, m := range wechat.Modes() {
		t.Run(m.String(), func(t *testing.T) {
			acct := account(m)
			e, err := New(Config{Account: acct})
			if err != nil {
				t.Fatal(err)
			}
			defer e.Close()
			codec, _ := wechat.NewCodec(acct)
			k, _ := wechat.LookupKind("text")
			old := time.Now().Add(-time.Hour).Unix()
			p := &wechat.Push{Kind: k, ToUserName: acct.OriginalID, FromUserName: "oStale", CreateTime: old, MsgID: 9}
			body, enc := codec.Body(p, nil)
			q := codec.AppendQuery(nil, p.FromUserName, enc, strconv.FormatInt(old, 10), "123456789")
			rec := httptest.NewRecorder()
			e.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/wx?"+string(q), bytes.NewReader(body)))
			if rec.Code != http.StatusUnauthorized {
				t.Fatalf("stale push answered %d %q, want 401", rec.Code, rec.Body.String())
			}
		})
	}
}
