package endpoint

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"sync"
	"time"

	"github.com/wxsim/wxsim/simulator/wechat"
)

// Bounds of the asynchronous behaviours' background sends: at most
// maxInFlight calls at once and maxQueued waiting; a message that finds
// the queue full is dropped and counted, so that a push flood neither
// blocks the handler nor grows memory.
const (
	maxInFlight = 32
	maxQueued   = 1024
)

// message is one text to echo to a follower through custom/send.
type message struct {
	toUser, content string
}

// asyncSender runs the background sends. It keeps no goroutine while idle:
// a worker starts when a message finds fewer than maxInFlight running, and
// ends when the queue is empty.
type asyncSender struct {
	api    *apiClient
	tokens tokenSource
	stats  *counters
	errs   *errorOnce // reports each distinct send failure once

	ctx    context.Context // ends with close: in-flight calls give up
	cancel context.CancelFunc
	queue  chan message

	mu      sync.Mutex
	running int
	closed  bool
	wg      sync.WaitGroup
}

// newAsyncSender builds the sender of an asynchronous behaviour (not
// dropasync, which sends nothing) for the account appid.
func newAsyncSender(b Behaviour, cfg APIConfig, appid string, now func() time.Time, stats *counters) *asyncSender {
	s := &asyncSender{api: newAPIClient(cfg, appid), stats: stats, queue: make(chan message, maxQueued),
		errs: &errorOnce{hook: cfg.OnError}}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	fetch := func(ctx context.Context) (string, time.Duration, error) {
		stats.tokenFetches.Add(1)
		return s.api.fetchToken(ctx)
	}
	switch b.Name {
	case TokenPerPush:
		s.tokens = tokenPerPush{fetch: fetch}
	case NoRefresh:
		s.tokens = &sharedToken{fetch: fetch, now: now, forever: true}
	default:
		s.tokens = &sharedToken{fetch: fetch, now: now}
	}
	return s
}

// enqueue hands m to a worker, starting one if fewer than maxInFlight run,
// or queues it; it never blocks. After close, or with the queue full, m is
// dropped and counted.
func (s *asyncSender) enqueue(m message) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.closed:
	case s.running < maxInFlight:
		s.running++
		s.wg.Add(1)
		go s.work(m)
		return
	default:
		select {
		case s.queue <- m:
			return
		default:
		}
	}
	s.stats.apiDropped.Add(1)
}

// work sends m, then whatever is queued, and ends when the queue is empty
// or the sender closed. The queue is checked under the lock enqueue holds,
// so a message is never queued just as the last worker ends.
func (s *asyncSender) work(m message) {
	defer s.wg.Done()
	for {
		s.deliver(m)
		s.mu.Lock()
		if s.closed {
			s.running--
			s.mu.Unlock()
			return
		}
		select {
		case m = <-s.queue:
			s.mu.Unlock()
		default:
			s.running--
			s.mu.Unlock()
			return
		}
	}
}

// deliver sends m and counts the outcome: when the API rejects the token,
// the behaviour's token source decides whether to fetch a new one and send
// once more.
func (s *asyncSender) deliver(m message) {
	if err := s.send(m); err != nil {
		s.stats.apiFailed.Add(1)
		s.errs.report(err)
		return
	}
	s.stats.apiSent.Add(1)
}

// requestID matches the per-call request id at the end of an errmsg.
var requestID = regexp.MustCompile(`\s*(rid: \S+|hint: \[[^\]]*\])\s*$`)

// maxErrorKinds bounds how many distinct send errors are remembered (and
// reported); past it, new kinds go unreported rather than grow memory.
const maxErrorKinds = 64

// errorOnce reports each distinct error once to a hook. Errors are told
// apart by their text without the request id WeChat's errmsg ends with
// ("rid: …", or " hint: […]" in older answers), which differs on every call.
type errorOnce struct {
	hook func(error)
	mu   sync.Mutex
	seen map[string]bool
}

func (e *errorOnce) report(err error) {
	if e.hook == nil {
		return
	}
	e.mu.Lock()
	msg := requestID.ReplaceAllString(err.Error(), "")
	fresh := !e.seen[msg] && len(e.seen) < maxErrorKinds
	if fresh {
		if e.seen == nil {
			e.seen = map[string]bool{}
		}
		e.seen[msg] = true
	}
	e.mu.Unlock()
	if fresh {
		e.hook(err)
	}
}

// send makes one or two custom/send calls for m; its errors never hold a
// token or the secret.
func (s *asyncSender) send(m message) error {
	for attempt := 0; ; attempt++ {
		token, err := s.tokens.get(s.ctx)
		if err != nil {
			return fmt.Errorf("getting an access_token: %w", err)
		}
		code, err := s.api.sendText(s.ctx, token, m.toUser, m.content)
		switch {
		case err != nil:
			return err
		case code == 0:
			return nil
		case isTokenError(code) && s.tokens.rejected(token) && attempt == 0:
			continue // a new token, and one more try
		}
		return fmt.Errorf("POST %s: errcode %d", pathCustomSend, code)
	}
}

// close stops the background work: queued messages are abandoned and
// in-flight calls cancelled; it returns once every worker has ended.
func (s *asyncSender) close() {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	s.cancel()
	s.wg.Wait()
	for abandoned := true; abandoned; { // queued, never sent: dropped
		select {
		case <-s.queue:
			s.stats.apiDropped.Add(1)
		default:
			abandoned = false
		}
	}
	s.api.closeIdle()
}

// answerAsync acknowledges a verified push with "success" at once, as the
// alarm guide recommends against request timeouts, and hands a text
// message that is neither a re-delivery nor a third-party platform push to
// the background, which echoes it through custom/send. dropasync loses it.
func (e *Endpoint) answerAsync(w http.ResponseWriter, p *wechat.Push, dup bool) {
	if !dup && echoes(p) {
		if e.async == nil { // dropasync
			e.stats.faults.Add(1)
		} else {
			e.async.enqueue(message{toUser: p.FromUserName, content: p.Content})
		}
	}
	writeBody(w, http.StatusOK, contentPlain, successBody)
}

// echoes reports whether p is a text message the endpoint answers with
// its content: the same pushes get a passive text reply from the correct
// endpoint.
func echoes(p *wechat.Push) bool {
	k := p.Kind
	return !k.Component && k.Message && k.MsgType == "text" && p.Content != ""
}
