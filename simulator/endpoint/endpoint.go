package endpoint

import (
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/wxsim/wxsim/simulator/wechat"
)

// MaxBody is the largest push body the endpoint reads; larger ones are
// refused with 413. Real pushes are a few kilobytes.
const MaxBody = 1 << 20

// Config is what an Endpoint needs: the account it serves and how it behaves.
type Config struct {
	Account   wechat.Account
	Behaviour Behaviour // the zero value is a correct endpoint
	Seed      int64     // seeds flaky's draws, so a drill can be replayed

	// DedupWindow and DedupSize bound the de-duplication memory; zero
	// means DefaultDedupWindow and DefaultDedupSize.
	DedupWindow time.Duration
	DedupSize   int

	// Now is the clock for reply CreateTimes and de-duplication; nil means
	// time.Now. Tests set it.
	Now func() time.Time

	// MaxSkew is how far a push's signed timestamp may be from now before
	// it is refused as a replay; zero means DefaultMaxSkew, negative
	// accepts any timestamp.
	MaxSkew time.Duration

	// API is how the asynchronous behaviours (async, tokenperpush,
	// norefresh, dropasync) reach WeChat's server API; they need its
	// BaseURL and Secret. Other behaviours ignore it.
	API APIConfig
}

// DefaultMaxSkew bounds the age of a push's timestamp: a correctly signed
// push an hour old is a replay, not WeChat (whose retries carry a fresh
// timestamp), and a careful endpoint refuses it.
const DefaultMaxSkew = 5 * time.Minute

// Endpoint is the reference developer endpoint: an http.Handler that
// answers WeChat's handshake and pushes correctly, or with the fault of its
// Behaviour. It is safe for concurrent use.
type Endpoint struct {
	account wechat.Account
	b       Behaviour
	codec   *wechat.Codec
	now     func() time.Time
	maxSkew time.Duration
	stats   *counters
	dedup   *dedup
	pace    *pacer       // capacity only
	flaky   *flakes      // flaky only
	async   *asyncSender // async, tokenperpush, norefresh only

	quit     chan struct{} // closed by Close: held requests give up
	quitOnce sync.Once
}

// New builds an endpoint for cfg, checking the account's keys and the
// behaviour (and, for the asynchronous behaviours, cfg.API). Errors never
// include the token, the AES key or the app secret.
func New(cfg Config) (*Endpoint, error) {
	if err := cfg.Behaviour.validate(); err != nil {
		return nil, fmt.Errorf("endpoint: %w", err)
	}
	if cfg.Behaviour.UsesAPI() {
		if err := checkAPI(cfg.Behaviour, cfg.API); err != nil {
			return nil, fmt.Errorf("endpoint: %w", err)
		}
	}
	codec, err := wechat.NewCodec(cfg.Account)
	if err != nil {
		return nil, fmt.Errorf("endpoint: account %s: %w", cfg.Account.AppID, err)
	}
	e := &Endpoint{
		account: cfg.Account,
		b:       cfg.Behaviour,
		codec:   codec,
		now:     cfg.Now,
		maxSkew: cfg.MaxSkew,
		stats:   newCounters(wechat.Kinds()),
		dedup:   newDedup(cfg.DedupWindow, cfg.DedupSize),
		quit:    make(chan struct{}),
	}
	if e.now == nil {
		e.now = time.Now
	}
	if e.maxSkew == 0 {
		e.maxSkew = DefaultMaxSkew
	}
	switch e.b.Name {
	case Capacity:
		e.pace = newPacer(e.b.Capacity)
	case Flaky:
		e.flaky = newFlakes(e.b.P, cfg.Seed)
	case Async, TokenPerPush, NoRefresh:
		e.async = newAsyncSender(e.b, cfg.API, cfg.Account.AppID, e.now, e.stats)
	}
	return e, nil
}

// Behaviour reports how the endpoint answers.
func (e *Endpoint) Behaviour() Behaviour { return e.b }

// Stats returns a copy of the endpoint's counters.
func (e *Endpoint) Stats() Stats { return e.stats.snapshot() }

// Close releases every request the behaviour is holding (hang, slow,
// capacity): they end without an answer. Embedders call it before closing
// an httptest.Server, whose Close waits for running handlers. After Close
// the endpoint still answers, but a request the behaviour would hold ends
// at once without an answer.
//
// For the asynchronous behaviours Close also stops the background sends:
// queued messages are abandoned, calls in flight cancelled, and Close
// returns once no send goroutine is left; later messages are dropped.
func (e *Endpoint) Close() error {
	e.quitOnce.Do(func() {
		close(e.quit)
		if e.async != nil {
			e.async.close()
		}
	})
	return nil
}

// ServeHTTP answers GET with the handshake and POST with a push reply;
// other methods get 405.
func (e *Endpoint) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	e.stats.requests.Add(1)
	switch r.Method {
	case http.MethodPost:
		e.servePush(w, r)
	case http.MethodGet:
		e.serveHandshake(w, r)
	default:
		e.stats.badRequest.Add(1)
		w.Header()["Allow"] = allowHeader
		http.Error(w, "method not allowed: WeChat sends GET (handshake) and POST (pushes)", http.StatusMethodNotAllowed)
	}
}
