package endpoint

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"time"

	"github.com/wxsim/wxsim/simulator/wechat"
)

// Header values shared by every response. net/http only reads them, so one
// slice each saves an allocation per answer on the hot path.
var (
	contentXML   = []string{"text/xml; charset=utf-8"}
	contentPlain = []string{"text/plain; charset=utf-8"}
	contentJSON  = []string{"application/json; charset=utf-8"}
	allowHeader  = []string{"GET, POST"}
)

var successBody = []byte("success")

// bufPool and replyPool recycle request bodies and replies: at 10k pushes
// a second the endpoint would otherwise allocate a few kilobytes per push.
var (
	bufPool   = sync.Pool{New: func() any { return bytes.NewBuffer(make([]byte, 0, 4096)) }}
	replyPool = sync.Pool{New: func() any { b := make([]byte, 0, 1024); return &b }}
)

// servePush reads, verifies and counts a push, lets the behaviour hold or
// break it, and answers it.
func (e *Endpoint) servePush(w http.ResponseWriter, r *http.Request) {
	body := bufPool.Get().(*bytes.Buffer)
	defer putBuffer(body)
	body.Reset()
	if !e.readBody(w, r, body) {
		return
	}
	query := r.URL.Query()
	p, err := e.open(query, body.Bytes())
	dup := false
	if err == nil {
		e.stats.pushes.Add(1)
		e.stats.countKind(p.Kind)
		if dup = e.dedup.seen(p, e.now()); dup {
			e.stats.duplicates.Add(1)
		}
	}
	// The behaviour holds refusals too: a hung server answers nothing.
	if !e.hold(w, r) {
		return
	}
	if err != nil {
		e.refuse(w, err)
		return
	}
	if e.breakAnswer(w) {
		return
	}
	e.answer(w, query, p, dup)
}

// readBody reads at most MaxBody bytes of the request body into buf,
// answering 413 or 400 itself when it cannot.
func (e *Endpoint) readBody(w http.ResponseWriter, r *http.Request, buf *bytes.Buffer) bool {
	_, err := buf.ReadFrom(http.MaxBytesReader(w, r.Body, MaxBody))
	if err == nil {
		return true
	}
	e.stats.badRequest.Add(1)
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		http.Error(w, "push body larger than 1 MiB", http.StatusRequestEntityTooLarge)
		return false
	}
	http.Error(w, "reading push body: "+err.Error(), http.StatusBadRequest)
	return false
}

// open verifies, decrypts and parses a push; the unsigned behaviour
// re-signs the query with the right signatures first, so that it accepts
// anything that decrypts.
func (e *Endpoint) open(query url.Values, body []byte) (*wechat.Push, error) {
	p, _, err := e.codec.Open(query, body)
	if err != nil && e.b.Name == Unsigned && errors.Is(err, wechat.ErrValidateSignature) {
		p, _, err = e.codec.Open(e.resign(query, body), body)
	}
	if err == nil && e.b.Name != Unsigned {
		err = e.checkFresh(query.Get("timestamp"))
	}
	return p, err
}

// checkFresh refuses a signed timestamp too far from now: a replayed push
// verifies, but WeChat's own deliveries (retries included) are signed now.
func (e *Endpoint) checkFresh(timestamp string) error {
	if e.maxSkew < 0 {
		return nil
	}
	ts, err := strconv.ParseInt(timestamp, 10, 64)
	if err != nil {
		return fmt.Errorf("%w: timestamp %q is not a number", wechat.ErrValidateSignature, timestamp)
	}
	skew := e.now().Sub(time.Unix(ts, 0))
	if skew > e.maxSkew || skew < -e.maxSkew {
		return fmt.Errorf("%w: timestamp is %s from now, more than %s", wechat.ErrValidateSignature, skew.Round(time.Second), e.maxSkew)
	}
	return nil
}

// refuse answers a push that did not verify: 401 for a bad signature or
// msg_signature, 400 for anything else (undecryptable, wrong appid, not a push).
func (e *Endpoint) refuse(w http.ResponseWriter, err error) {
	if errors.Is(err, wechat.ErrValidateSignature) {
		e.stats.badSignature.Add(1)
		http.Error(w, "invalid signature", http.StatusUnauthorized)
		return
	}
	e.stats.badRequest.Add(1)
	http.Error(w, "bad push: "+err.Error(), http.StatusBadRequest)
}

// answer writes the correct reply (bent by wrongswap and plainreply): a
// text message gets a text reply echoing its content, everything else,
// re-deliveries and third-party platform pushes get "success". Passive
// replies are encrypted in compat and safe mode, echoing the request's
// timestamp and nonce. The asynchronous behaviours answer "success" and
// reply through the API instead (answerAsync).
func (e *Endpoint) answer(w http.ResponseWriter, query url.Values, p *wechat.Push, dup bool) {
	if e.b.UsesAPI() {
		e.answerAsync(w, p, dup)
		return
	}
	k := p.Kind
	if dup || k.Component || !k.Message || k.MsgType != "text" || p.Content == "" {
		writeBody(w, http.StatusOK, contentPlain, successBody)
		return
	}
	to, from := p.FromUserName, p.ToUserName // the reply goes back to the sender
	if e.b.Name == WrongSwap {
		to, from = from, to
		e.stats.faults.Add(1)
	}
	bp := replyPool.Get().(*[]byte)
	defer replyPool.Put(bp)
	reply := wechat.AppendTextReply((*bp)[:0], to, from, e.now().Unix(), p.Content)
	*bp = reply[:0] // keep a grown buffer for the next reply
	switch {
	case !e.account.Mode.Encrypted():
	case e.b.Name == PlainReply:
		if e.account.Mode == wechat.Safe {
			e.stats.faults.Add(1) // compat accepts plain replies; safe does not
		}
	default:
		reply = e.codec.SealReply(reply, query.Get("timestamp"), query.Get("nonce"))
	}
	writeBody(w, http.StatusOK, contentXML, reply)
}

// putBuffer recycles a body buffer unless an unusually large push grew it:
// the pool should not pin a megabyte per P.
func putBuffer(b *bytes.Buffer) {
	if b.Cap() <= 64<<10 {
		bufPool.Put(b)
	}
}

// writeBody writes a whole response with its Content-Type; net/http adds
// Content-Length because the body is written in one piece.
func writeBody(w http.ResponseWriter, status int, contentType []string, body []byte) {
	w.Header()["Content-Type"] = contentType
	w.WriteHeader(status)
	w.Write(body)
}
