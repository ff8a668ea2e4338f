package endpoint

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	. "github.com/onsi/gomega"

	"github.com/wxsim/wxsim/simulator/wechat"
)

// testKey is a syntactically valid EncodingAESKey used only by tests.
const testKey = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"

// account returns the test account in mode m.
func account(m wechat.Mode) wechat.Account {
	a := wechat.Account{
		AppID: "wx0123456789abcdef", Nickname: "Demo Account", OriginalID: "gh_0123456789ab",
		Token: "test-token", Mode: m,
	}
	if m.Encrypted() {
		a.EncodingAESKey = testKey
	}
	return a
}

// rig is an endpoint served by httptest, with the client side's codec.
type rig struct {
	t      *testing.T
	e      *Endpoint
	srv    *httptest.Server
	codec  *wechat.Codec
	client *http.Client
}

// newRig serves an endpoint for mode m and behaviour b (a ParseBehaviour
// spelling) on loopback; cleanup releases held requests first, because
// httptest.Server.Close waits for running handlers.
func newRig(t *testing.T, m wechat.Mode, b string) *rig {
	t.Helper()
	g := NewWithT(t)
	beh, err := ParseBehaviour(b)
	g.Expect(err).NotTo(HaveOccurred())
	e, err := New(Config{Account: account(m), Behaviour: beh, Seed: 42})
	g.Expect(err).NotTo(HaveOccurred())
	codec, err := wechat.NewCodec(account(m))
	g.Expect(err).NotTo(HaveOccurred())
	srv := httptest.NewServer(e)
	r := &rig{t: t, e: e, srv: srv, codec: codec, client: &http.Client{
		Timeout:   5 * time.Second,
		Transport: &http.Transport{DisableKeepAlives: true, MaxConnsPerHost: 0},
	}}
	t.Cleanup(func() {
		e.Close()
		srv.Close()
	})
	return r
}

var msgIDs atomic.Uint64

// newPush builds a push of the named kind from a follower, with a fresh
// MsgId and the current time.
func (r *rig) newPush(kind string) *wechat.Push {
	r.t.Helper()
	k, err := wechat.LookupKind(kind)
	NewWithT(r.t).Expect(err).NotTo(HaveOccurred())
	p := &wechat.Push{
		Kind: k, ToUserName: "gh_0123456789ab", FromUserName: "o-follower-" + strconv.FormatUint(msgIDs.Add(1), 10),
		CreateTime: time.Now().Unix(), MsgID: 6260957665266699303 + msgIDs.Add(1), Content: "hello endpoint",
	}
	if k.Component {
		p.ToUserName, p.FromUserName = "wx0123456789abcdef", ""
	}
	return p
}

var nonces atomic.Uint64

// request builds the signed POST of p with a fresh timestamp and nonce,
// as WeChat sends it; tamper may change the query before it is sent.
func (r *rig) request(p *wechat.Push, tamper func(q []byte) []byte) *http.Request {
	r.t.Helper()
	body, encrypt := r.codec.Body(p, nil)
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	nonce := strconv.FormatUint(1_000_000_000+nonces.Add(1), 10)
	q := r.codec.AppendQuery(nil, p.FromUserName, encrypt, ts, nonce)
	if tamper != nil {
		q = tamper(q)
	}
	req, err := http.NewRequest(http.MethodPost, r.srv.URL+"/wechat?"+string(q), bytes.NewReader(body))
	NewWithT(r.t).Expect(err).NotTo(HaveOccurred())
	req.Header.Set("Content-Type", "text/xml")
	req.Header.Set("User-Agent", "Mozilla/4.0")
	return req
}

// reply is what came back for one request.
type reply struct {
	status  int
	body    []byte
	err     error
	latency time.Duration
}

func (r *rig) do(req *http.Request) reply {
	start := time.Now()
	resp, err := r.client.Do(req)
	if err != nil {
		return reply{err: err, latency: time.Since(start)}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return reply{status: resp.StatusCode, body: body, err: err, latency: time.Since(start)}
}

// post sends p signed and returns the reply and WeChat's verdict on it.
func (r *rig) post(p *wechat.Push) (reply, wechat.Verdict) {
	r.t.Helper()
	rep := r.do(r.request(p, nil))
	NewWithT(r.t).Expect(rep.err).NotTo(HaveOccurred())
	return rep, r.codec.Judge(rep.status, rep.body, p)
}

// replaceParam replaces the value of one query parameter in a raw query.
func replaceParam(name, value string) func([]byte) []byte {
	return func(q []byte) []byte {
		parts := bytes.Split(q, []byte("&"))
		for i, kv := range parts {
			if bytes.HasPrefix(kv, []byte(name+"=")) {
				parts[i] = []byte(name + "=" + value)
			}
		}
		return bytes.Join(parts, []byte("&"))
	}
}
