package simulator

import (
	"math/rand/v2"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/wxsim/wxsim/simulator/wechat"
)

// Schedule tells when hit i was due, as an offset from the attack's start;
// timed is false for a closed loop, where nothing is ever late.
type Schedule interface {
	Due(hit uint64) time.Duration
}

// Targeter yields one fresh push per vegeta hit: a kind from the mix, a
// follower from the pool, a unique MsgId, a fresh timestamp, nonce and
// signatures, the body encrypted in compat and safe mode, and hands it to
// the Deliverer, which sends and judges it.
//
// The push is made in RoundTrip (the Targeter is its attack's
// http.RoundTripper), not in Target: vegeta then parses a short constant
// URL and copies no header per hit, and the push needs no lookup table to
// travel from the one to the other.
type Targeter struct {
	url       string
	codec     *wechat.Codec
	mix       *Mix
	followers Followers
	breaker   *Breaker
	d         *Deliverer
	schedule  Schedule // nil for a closed loop
	began     time.Time
	seq       atomic.Uint64
	msgBase   uint64
	rngs      sync.Pool
}

// NewTargeter prepares the pushes of one account to url. msgBase is the
// first MsgId (shards use disjoint ranges).
func NewTargeter(url string, codec *wechat.Codec, mix *Mix, followers Followers, breaker *Breaker, d *Deliverer, schedule Schedule, msgBase uint64) *Targeter {
	t := &Targeter{url: url, codec: codec, mix: mix, followers: followers, breaker: breaker, d: d, schedule: schedule, msgBase: msgBase}
	t.rngs.New = func() any { return rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64())) }
	return t
}

// Begin marks the start of the attack, the origin of the schedule.
func (t *Targeter) Begin(at time.Time) { t.began = at }

// Target is the vegeta.Targeter: every hit is a POST to the callback URL,
// its query, body and headers filled in by RoundTrip.
func (t *Targeter) Target(tgt *vegeta.Target) error {
	tgt.Method = http.MethodPost
	tgt.URL = t.url
	tgt.Body, tgt.Header = nil, nil
	return nil
}

// RoundTrip makes the hit's push and delivers it.
func (t *Targeter) RoundTrip(req *http.Request) (*http.Response, error) {
	return t.d.deliver(req, t.next())
}

// next makes a fresh push, due at the hit's time in the schedule.
func (t *Targeter) next() *pending {
	i := t.seq.Add(1) - 1
	r := t.rngs.Get().(*rand.Rand)
	kind := t.mix.Pick(r)
	openid := t.followers.Pick(r)
	t.rngs.Put(r)
	now := time.Now()
	// The push lives inside its pending record: one allocation for both.
	pd := &pending{codec: t.codec, breaker: t.breaker}
	pd.one = wechat.Push{Kind: kind, ToUserName: t.codec.Account().OriginalID, FromUserName: openid,
		CreateTime: now.Unix(), MsgID: t.msgBase + i}
	p := &pd.one
	pd.push = p
	if kind.Component {
		p.ToUserName, p.FromUserName, openid = t.codec.Account().AppID, "", ""
	}
	pd.body, pd.encrypt = t.codec.Body(p, nil)
	var ts, nonce [20]byte
	var qbuf [256]byte
	q := t.codec.AppendQuery(qbuf[:0], openid, pd.encrypt,
		string(strconv.AppendInt(ts[:0], now.Unix(), 10)), string(appendNonce(nonce[:0])))
	pd.query = string(q)
	if t.schedule != nil {
		pd.due, pd.timed = t.began.Add(t.schedule.Due(i)), true
	}
	return pd
}

// Sent is the number of pushes the targeter has made.
func (t *Targeter) Sent() uint64 { return t.seq.Load() }
