package conformance

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/wxsim/wxsim/simulator"
	"github.com/wxsim/wxsim/simulator/wechat"
)

// session is one run's shared state: the configuration, the codecs and
// probers every case uses, and the deliveries of the basic set that several
// cases judge. Run sets it before Ginkgo runs the specs; specs only read it.
type session struct {
	ctx     context.Context
	cfg     Config
	codec   *wechat.Codec     // the account in its own mode: WeChat's judge
	reader  *wechat.Codec     // the account in compat mode: reads any reply, plain or encrypted
	patient *simulator.Prober // waits cfg.patience(): judges what is answered
	strict  *simulator.Prober // waits the response timeout: judges when
	pushes  pushSource
	basic   map[string]*delivery // kind name → its delivery, made on first use
	api     *apiMock             // WeChat's server API, with --api only
}

// active is the running session; nil outside Run (e.g. in a dry run).
var active *session

func newSession(ctx context.Context, cfg Config) (*session, error) {
	codec, err := wechat.NewCodec(cfg.Account)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidConfig, err)
	}
	ra := cfg.Account
	if ra.Mode.Encrypted() {
		ra.Mode = wechat.Compat
	}
	reader, err := wechat.NewCodec(ra)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidConfig, err)
	}
	patient := cfg.Transport
	patient.ResponseTimeout = cfg.patience()
	now := time.Now()
	return &session{
		ctx: ctx, cfg: cfg, codec: codec, reader: reader,
		patient: simulator.NewProber(patient, cfg.MaxReplyBytes),
		strict:  simulator.NewProber(cfg.Transport, cfg.MaxReplyBytes),
		pushes:  pushSource{followers: simulator.NewFollowers(0, 1<<40, uint64(now.UnixNano())), msgBase: uint64(now.UnixNano())},
		basic:   map[string]*delivery{},
	}, nil
}

// pushSource makes pushes as WeChat would send them now: a follower never
// used before in this run and a fresh MsgId, so that no endpoint mistakes
// one case's push for a re-delivery of another's.
type pushSource struct {
	followers simulator.Followers
	msgBase   uint64
	n         atomic.Uint64
}

// push returns a new push of kind k from the account's point of view.
func (s *session) push(k *wechat.Kind) *wechat.Push {
	i := s.pushes.n.Add(1)
	now := time.Now()
	p := &wechat.Push{Kind: k, ToUserName: s.cfg.Account.OriginalID, FromUserName: s.pushes.followers.OpenID(i),
		CreateTime: now.Unix(), MsgID: s.pushes.msgBase + i, Content: "wxsim conformance " + k.Name}
	if k.Component {
		p.ToUserName, p.FromUserName = s.cfg.Account.AppID, ""
	}
	return p
}

// signed is a push on the wire: its body and the query WeChat would send
// with it, from which cases derive tampered variants.
type signed struct {
	push      *wechat.Push
	body      []byte
	encrypt   string
	timestamp string
	nonce     string
}

// sign puts p on the wire with codec at time at.
func sign(codec *wechat.Codec, p *wechat.Push, at time.Time) signed {
	body, enc := codec.Body(p, nil)
	return signed{push: p, body: body, encrypt: enc,
		timestamp: strconv.FormatInt(at.Unix(), 10), nonce: newNonce()}
}

// query renders the signed query with codec (the account's token).
func (sp signed) query(codec *wechat.Codec) string {
	return string(codec.AppendQuery(nil, sp.push.FromUserName, sp.encrypt, sp.timestamp, sp.nonce))
}

// newNonce is a nonce as WeChat's look: 9 or 10 decimal digits.
func newNonce() string { return strconv.FormatUint(100_000_000+rand.Uint64N(3_900_000_000), 10) }

// send delivers exactly this URL query and body with the prober pr.
func (s *session) send(ctx context.Context, pr *simulator.Prober, query string, sp signed) simulator.Exchange {
	return pr.Send(ctx, s.cfg.URL+"?"+query, sp.body, s.codec, sp.push)
}

// delivery is one push of the basic set, delivered patiently: the exchange
// as WeChat's judge saw it, and the reply as the compat reader reads it
// (decrypted when encrypted, whatever the mode).
type delivery struct {
	push    *wechat.Push
	x       simulator.Exchange
	content wechat.Verdict // valid only when answered
}

// answered reports whether a whole reply came back.
func (d *delivery) answered() bool {
	return d.x.Status != 0 && d.x.Outcome.Reason != wechat.ReasonTooLarge
}

// delivered returns the basic-set delivery of kind k, pushing it on first
// use. WeChat delivers a push once and the reply, crypto and timing cases
// all judge that one delivery, so a run makes one push per kind rather
// than one per case — and a hung endpoint costs one wait per kind.
func (s *session) delivered(ctx context.Context, k *wechat.Kind) *delivery {
	if d, ok := s.basic[k.Name]; ok {
		return d
	}
	p := s.push(k)
	d := &delivery{push: p, x: s.patient.Push(ctx, s.cfg.URL, s.codec, p)}
	if d.answered() {
		d.content = s.reader.Judge(d.x.Status, d.x.Reply, p)
	}
	s.basic[k.Name] = d
	return d
}

// basicKinds are the kinds of the basic set: every message and event an
// Official Account receives (the third-party platform pushes are the
// component area's).
func basicKinds() []*wechat.Kind {
	var ks []*wechat.Kind
	for _, k := range wechat.Kinds() {
		if !k.Component {
			ks = append(ks, k)
		}
	}
	return ks
}

// componentKinds are the third-party platform pushes.
func componentKinds() []*wechat.Kind {
	var ks []*wechat.Kind
	for _, k := range wechat.Kinds() {
		if k.Component {
			ks = append(ks, k)
		}
	}
	return ks
}

// specContext ends when the spec's own context ends (Ginkgo's interrupt)
// or when the run's context does (the caller's Ctrl-C).
func (s *session) specContext(sc context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(sc)
	stop := context.AfterFunc(s.ctx, cancel)
	return ctx, func() { stop(); cancel() }
}
