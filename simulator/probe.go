package simulator

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/wxsim/wxsim/simulator/wechat"
)

// Exchange is one delivery as it crossed the wire: what `wxsim push`
// prints and what a conformance case attaches as evidence.
type Exchange struct {
	URL         string // with WeChat's query
	RequestBody []byte
	Status      int    // 0 when no reply came
	Reply       []byte // the reply body as received (up to the read limit)
	Verdict     wechat.Verdict
	Outcome     Outcome
}

// Prober makes single deliveries with the engine's own transport and
// judge, so a one-off push, a conformance case and a load run can never
// disagree about what a valid reply is.
type Prober struct {
	d *Deliverer
}

// NewProber returns a Prober with the given limits.
func NewProber(cfg TransportConfig, maxReply int64) *Prober {
	return &Prober{d: NewDeliverer(cfg, 0, maxReply, func(*Outcome) {})}
}

// Push delivers p once to url, signed now with a fresh nonce.
func (pr *Prober) Push(ctx context.Context, url string, codec *wechat.Codec, p *wechat.Push) Exchange {
	body, enc := codec.Body(p, nil)
	openid := p.FromUserName
	var ts, nonce [20]byte
	q := codec.AppendQuery(nil, openid, enc, string(strconv.AppendInt(ts[:0], time.Now().Unix(), 10)), string(appendNonce(nonce[:0])))
	return pr.Send(ctx, url+"?"+string(q), body, codec, p)
}

// Send delivers exactly the given URL (with its query) and body — signed
// or deliberately mis-signed by the caller — and judges the reply against p.
func (pr *Prober) Send(ctx context.Context, urlWithQuery string, body []byte, codec *wechat.Codec, p *wechat.Push) Exchange {
	var x Exchange
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, urlWithQuery, http.NoBody)
	if err != nil {
		x.URL = urlWithQuery
		x.Outcome = Outcome{Class: ConnectFailure, Detail: "bad URL: " + err.Error(), Kind: p.Kind.Name, Attempt: 1, Final: true}
		return x
	}
	pd := &pending{push: p, codec: codec, body: body}
	o := pr.d.attempt(req, pd, 1, &x)
	o.Final = true
	x.Outcome = *o
	return x
}
