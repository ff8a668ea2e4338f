package endpoint

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	. "github.com/onsi/gomega"

	"github.com/wxsim/wxsim/simulator/api"
	"github.com/wxsim/wxsim/simulator/wechat"
)

// testSecret is the test account's AppSecret: distinctive, so that a leak
// is easy to spot in any text.
const testSecret = "app-s3cr3t-never-printed-xyzzy"

// Bounds of the waits for background sends: loopback calls take
// milliseconds, so these only bound a failing test.
const (
	arriveWithin = 2 * time.Second
	quietFor     = 300 * time.Millisecond
)

// apiRig is an endpoint of an asynchronous behaviour wired to wxsim's mock
// of WeChat's server API, both on loopback.
type apiRig struct {
	*rig
	api *api.Server
}

// newAPIRig serves the mock API and an endpoint for mode m and behaviour b
// calling it; cleanup closes the endpoint (stopping its sends) first.
func newAPIRig(t *testing.T, m wechat.Mode, b string) *apiRig {
	t.Helper()
	g := NewWithT(t)
	mock, err := api.New(api.Config{Accounts: []api.Account{{AppID: account(m).AppID, Secret: testSecret}}})
	g.Expect(err).NotTo(HaveOccurred())
	apiSrv := httptest.NewServer(mock)
	t.Cleanup(apiSrv.Close) // runs last, after the endpoint is closed
	beh, err := ParseBehaviour(b)
	g.Expect(err).NotTo(HaveOccurred())
	e, err := New(Config{Account: account(m), Behaviour: beh, API: APIConfig{BaseURL: apiSrv.URL, Secret: testSecret}})
	g.Expect(err).NotTo(HaveOccurred())
	codec, err := wechat.NewCodec(account(m))
	g.Expect(err).NotTo(HaveOccurred())
	srv := httptest.NewServer(e)
	t.Cleanup(func() {
		e.Close()
		srv.Close()
	})
	return &apiRig{rig: &rig{t: t, e: e, srv: srv, codec: codec, client: &http.Client{Timeout: 5 * time.Second}}, api: mock}
}

// text builds a text push with its own content.
func (r *apiRig) text(content string) *wechat.Push {
	p := r.newPush("text")
	p.Content = content
	return p
}

// postSuccess posts p and checks the answer is exactly "success", in every
// mode (never an encrypted reply).
func (r *apiRig) postSuccess(p *wechat.Push) {
	r.t.Helper()
	rep, v := r.post(p)
	g := NewWithT(r.t)
	g.Expect(rep.status).To(Equal(http.StatusOK))
	g.Expect(string(rep.body)).To(Equal("success"))
	g.Expect(v.OK()).To(BeTrue(), "verdict %+v", v)
}

// postAll posts the pushes concurrently, as WeChat does, and checks every
// answer is exactly "success".
func (r *apiRig) postAll(ps []*wechat.Push) {
	r.t.Helper()
	reqs := make([]*http.Request, len(ps))
	for i, p := range ps {
		reqs[i] = r.request(p, nil)
	}
	replies := make(chan reply, len(reqs))
	for _, req := range reqs {
		go func() { replies <- r.do(req) }()
	}
	g := NewWithT(r.t)
	for range reqs {
		rep := <-replies
		g.Expect(rep.err).NotTo(HaveOccurred())
		g.Expect(rep.status).To(Equal(http.StatusOK))
		g.Expect(string(rep.body)).To(Equal("success"))
	}
}

// received is what the mock's inbox holds, as "touser: content".
func (r *apiRig) received() []string {
	var out []string
	for _, m := range r.api.CustomMessages() {
		out = append(out, m.ToUser+": "+m.Content)
	}
	return out
}

func (r *apiRig) tokensIssued() int64 {
	return r.api.Stats().TokensIssued[account(0).AppID]
}

func sent(ps ...*wechat.Push) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.FromUserName + ": " + p.Content
	}
	return out
}

func texts(r *apiRig, prefix string, n int) []*wechat.Push {
	ps := make([]*wechat.Push, n)
	for i := range ps {
		ps[i] = r.text(prefix + " " + strconv.Itoa(i))
	}
	return ps
}

// async echoes every text through custom/send with one shared token, and
// recovers from a revoked token by fetching a new one and sending again.
func TestAsyncEchoesThroughTheAPI(t *testing.T) {
	for _, m := range wechat.Modes() {
		t.Run(m.String(), func(t *testing.T) {
			g := NewWithT(t)
			r := newAPIRig(t, m, "async")
			ps := texts(r, "hello async", 6)
			r.postAll(ps) // concurrent: the sends share one token fetch
			g.Eventually(r.received).WithTimeout(arriveWithin).Should(ConsistOf(sent(ps...)))
			g.Expect(r.tokensIssued()).To(BeEquivalentTo(1))

			g.Expect(r.api.InvalidateTokens(account(m).AppID)).To(Succeed())
			after := r.text("after the revocation")
			r.postSuccess(after)
			g.Eventually(r.received).WithTimeout(arriveWithin).Should(ContainElement(sent(after)[0]))
			g.Expect(r.api.Stats().Errors[api.CodeInvalidCredential]).To(BeEquivalentTo(1))
			g.Expect(r.tokensIssued()).To(BeEquivalentTo(2))
			// The mock stores a message before it answers; the endpoint
			// counts it sent once it has read the answer.
			g.Eventually(func() int64 { return r.e.Stats().APISent }).WithTimeout(arriveWithin).Should(BeEquivalentTo(7))
			s := r.e.Stats()
			g.Expect(s.APIFailed).To(BeZero())
			g.Expect(s.APIDropped).To(BeZero())
			g.Expect(s.TokenFetches).To(BeEquivalentTo(2))
			g.Expect(s.Faults).To(BeZero())
		})
	}
}

// tokenperpush delivers, but burns one token per message.
func TestTokenPerPushFetchesATokenPerMessage(t *testing.T) {
	g := NewWithT(t)
	r := newAPIRig(t, wechat.Safe, "tokenperpush")
	ps := texts(r, "hello tokenperpush", 4)
	for i, p := range ps { // one at a time: concurrent sends would revoke each other's tokens
		r.postSuccess(p)
		g.Eventually(r.received).WithTimeout(arriveWithin).Should(HaveLen(i + 1))
	}
	g.Expect(r.received()).To(ConsistOf(sent(ps...)))
	g.Expect(r.tokensIssued()).To(BeEquivalentTo(len(ps)))
	g.Expect(r.e.Stats().TokenFetches).To(BeEquivalentTo(len(ps)))
}

// norefresh delivers until the token is revoked, then nothing arrives.
func TestNoRefreshStopsAfterRevocation(t *testing.T) {
	g := NewWithT(t)
	r := newAPIRig(t, wechat.Plain, "norefresh")
	before := texts(r, "before", 2)
	r.postAll(before)
	g.Eventually(r.received).WithTimeout(arriveWithin).Should(ConsistOf(sent(before...)))

	g.Expect(r.api.InvalidateTokens(account(0).AppID)).To(Succeed())
	r.postSuccess(r.text("after"))
	g.Eventually(func() int64 { return r.e.Stats().APIFailed }).WithTimeout(arriveWithin).Should(BeEquivalentTo(1))
	g.Consistently(r.received).WithTimeout(quietFor).Should(ConsistOf(sent(before...)))
	g.Expect(r.tokensIssued()).To(BeEquivalentTo(1))
	g.Expect(r.api.Stats().Errors[api.CodeInvalidCredential]).To(BeEquivalentTo(1))
}

// dropasync acknowledges everything and sends nothing.
func TestDropAsyncSendsNothing(t *testing.T) {
	g := NewWithT(t)
	r := newAPIRig(t, wechat.Safe, "dropasync")
	r.postAll(texts(r, "lost", 3))
	g.Consistently(r.received).WithTimeout(quietFor).Should(BeEmpty())
	g.Expect(r.tokensIssued()).To(BeZero())
	s := r.e.Stats()
	g.Expect(s.Faults).To(BeEquivalentTo(3))
	g.Expect(s.TokenFetches).To(BeZero())
}

// A re-delivery is acknowledged without a second send; events, other
// messages and third-party platform pushes are acknowledged and not sent.
func TestAsyncSendsOnlyNewTexts(t *testing.T) {
	g := NewWithT(t)
	r := newAPIRig(t, wechat.Compat, "async")
	p := r.text("only once")
	r.postSuccess(p)
	r.postSuccess(p) // WeChat's re-delivery: same MsgId, fresh signature
	for _, kind := range []string{"subscribe", "click", "image", "templatesendjobfinish", "component_verify_ticket", "authorized"} {
		r.postSuccess(r.newPush(kind))
	}
	g.Eventually(r.received).WithTimeout(arriveWithin).Should(Equal(sent(p)))
	g.Consistently(r.received).WithTimeout(quietFor).Should(Equal(sent(p)))
	s := r.e.Stats()
	g.Expect(s.Duplicates).To(BeEquivalentTo(1))
	g.Expect(s.APISent).To(BeEquivalentTo(1))
}

// The asynchronous behaviours keep the correct endpoint's checks: bad
// signatures and stale timestamps are refused with 401, and nothing is sent.
func TestAsyncStillRefusesBadPushes(t *testing.T) {
	zeros := strings.Repeat("0", 40)
	for _, tamper := range []func([]byte) []byte{
		replaceParam("signature", zeros), replaceParam("msg_signature", zeros), replaceParam("timestamp", "1"),
	} {
		g := NewWithT(t)
		r := newAPIRig(t, wechat.Safe, "async")
		rep := r.do(r.request(r.text("forged"), tamper))
		g.Expect(rep.err).NotTo(HaveOccurred())
		g.Expect(rep.status).To(Equal(http.StatusUnauthorized))
		g.Expect(r.e.Stats().BadSignature).To(BeEquivalentTo(1))
		g.Consistently(r.received).WithTimeout(50 * time.Millisecond).Should(BeEmpty())
	}
}

// The handshake is the correct endpoint's.
func TestAsyncHandshake(t *testing.T) {
	g := NewWithT(t)
	r := newAPIRig(t, wechat.Plain, "async")
	sig := wechat.Signature("test-token", "1714036504", "1514711492")
	req, err := http.NewRequest(http.MethodGet, r.srv.URL+"/?signature="+sig+"&timestamp=1714036504&nonce=1514711492&echostr=42", nil)
	g.Expect(err).NotTo(HaveOccurred())
	rep := r.do(req)
	g.Expect(rep.status).To(Equal(http.StatusOK))
	g.Expect(string(rep.body)).To(Equal("42"))
}
