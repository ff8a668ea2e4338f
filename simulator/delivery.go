package simulator

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"net/http"
	"net/netip"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/wxsim/wxsim/simulator/wechat"
)

// DefaultMaxReplyBytes bounds how much of a reply is read: a passive reply
// is a few hundred bytes, so anything past this is a hostile or broken
// endpoint (too_large), and memory stays bounded whatever it sends.
const DefaultMaxReplyBytes = 64 << 10

// sampleBytes is how much of a failed reply an outcome keeps, for the
// alarm's response_content sample.
const sampleBytes = 64

// pending is one push in flight: what its deliveries need to re-send it and
// to judge its replies.
type pending struct {
	push    *wechat.Push
	one     wechat.Push // the push, when the Targeter made it (push points here)
	codec   *wechat.Codec
	breaker *Breaker
	body    []byte
	query   string // the signed query of the first delivery; "" to sign afresh
	encrypt string
	due     time.Time // intended send time of the first delivery
	timed   bool      // due is a schedule (open model), not just "now"
}

// Deliverer delivers each push the way WeChat does — MarkFail gate,
// connect and response limits, reply judged by the protocol core,
// immediate retries with a fresh nonce and signature — and reports each
// attempt as an Outcome. vegeta, whose requests the Targeters turn into
// pushes, sees a single response per push.
type Deliverer struct {
	rt        http.RoundTripper
	cfg       TransportConfig
	retries   int
	maxReply  int64
	tolerance time.Duration
	emit      func(*Outcome)
	stopping  atomic.Bool // the run is ending: no more retries
	bufs      sync.Pool
	lastIP    atomic.Pointer[formattedIP]
}

// NewDeliverer returns a Deliverer that reports every attempt to emit.
// emit is called from many goroutines.
func NewDeliverer(cfg TransportConfig, retries int, maxReply int64, emit func(*Outcome)) *Deliverer {
	if maxReply <= 0 {
		maxReply = DefaultMaxReplyBytes
	}
	return &Deliverer{
		rt:        newHTTPTransport(cfg),
		cfg:       cfg,
		retries:   retries,
		maxReply:  maxReply,
		tolerance: 10 * time.Millisecond,
		emit:      emit,
		bufs:      sync.Pool{New: func() any { b := make([]byte, 0, 1024); return &b }},
	}
}

// StopRetrying makes every attempt from now on the last of its push, so an
// interrupted run ends within one response timeout.
func (d *Deliverer) StopRetrying() { d.stopping.Store(true) }

// deliver delivers p, the push vegeta's request stands for: its URL is
// the callback URL, the rest comes from p.
func (d *Deliverer) deliver(req *http.Request, p *pending) (*http.Response, error) {
	var last *Outcome
	for attempt := 1; ; attempt++ {
		o := d.attempt(req, p, attempt, nil)
		o.Final = o.Class == OK || !o.Class.Retryable() || attempt > d.retries || d.stopping.Load()
		last = o
		d.emit(o)
		if o.Final {
			break
		}
	}
	return syntheticResponse(req, last), nil
}

// attempt makes one delivery of p and classifies what happened; when x is
// not nil it also keeps the whole exchange, for display and evidence.
func (d *Deliverer) attempt(orig *http.Request, p *pending, n int, x *Exchange) *Outcome {
	now := time.Now()
	o := &Outcome{Kind: p.push.Kind.Name, Attempt: n, Start: now, Account: p.codec.Account().AppID}
	if n == 1 && p.timed {
		o.Start, o.Sent = p.due, now
		o.Late = now.Sub(p.due) > d.tolerance
	}
	if p.breaker != nil && p.breaker.Blocked(now) {
		o.Class = Blocked
		o.Final = true
		return o
	}
	host := orig.URL.Hostname()
	_, ipErr := netip.ParseAddr(host)
	ctx, dl := withDeadlines(orig.Context(), d.cfg.ConnectTimeout, d.cfg.ResponseTimeout, ipErr != nil)
	defer dl.stop()
	req := d.request(ctx, orig, p, n)
	if x != nil {
		x.URL, x.RequestBody = req.URL.String(), p.body
	}
	resp, err := d.rt.RoundTrip(req)
	o.RemoteIP = d.remoteIP(dl.conn, host)
	if err != nil {
		d.classify(o, ctx, dl, err)
		o.Latency = time.Since(o.Start)
		return o
	}
	o.Code = resp.StatusCode
	d.judge(o, ctx, dl, resp, p, x)
	o.Latency = time.Since(o.Start)
	return o
}

// wechatHeader is the whole header of every push, as WeChat sends it.
// Requests share it: nothing below the Deliverer writes to a request's
// header (http.Transport treats it as read-only), and sharing saves a map
// per delivery.
var wechatHeader = http.Header{
	"Content-Type": {"text/xml"},
	"User-Agent":   {"Mozilla/4.0"},
}

// request builds the HTTP request of attempt n: the first reuses vegeta's
// URL (without its X-Vegeta-* headers), retries carry a fresh timestamp,
// nonce and signature over the same body, as WeChat's re-deliveries do. A
// shallow copy is enough: every field that differs is replaced whole.
func (d *Deliverer) request(ctx context.Context, orig *http.Request, p *pending, n int) *http.Request {
	req := orig.WithContext(ctx)
	req.Header = wechatHeader
	req.Body = io.NopCloser(bytes.NewReader(p.body))
	req.ContentLength = int64(len(p.body))
	req.GetBody = p.getBody
	if n > 1 || p.query != "" {
		q := p.query
		if n > 1 || q == "" {
			var ts, nonce [20]byte
			q = string(p.codec.AppendQuery(nil, p.push.FromUserName, p.encrypt,
				string(strconv.AppendInt(ts[:0], time.Now().Unix(), 10)), string(appendNonce(nonce[:0]))))
		}
		u := *orig.URL
		if u.RawQuery != "" { // the callback URL's own parameters come first
			q = u.RawQuery + "&" + q
		}
		u.RawQuery = q
		req.URL = &u
	}
	return req
}

// getBody lets net/http re-send the body on a fresh connection when a
// kept-alive one turns out to be closed before anything was written.
func (p *pending) getBody() (io.ReadCloser, error) {
	return io.NopCloser(bytes.NewReader(p.body)), nil
}

// judge reads the reply within the limits and lets the protocol core judge it.
func (d *Deliverer) judge(o *Outcome, ctx context.Context, dl *deadlines, resp *http.Response, p *pending, x *Exchange) {
	defer resp.Body.Close()
	bp := d.bufs.Get().(*[]byte)
	defer d.bufs.Put(bp)
	body, err := readReply(resp.Body, (*bp)[:0], d.maxReply+1)
	*bp = body[:0]
	if err != nil {
		d.classify(o, ctx, dl, err)
		return
	}
	if x != nil {
		x.Status, x.Reply = resp.StatusCode, bytes.Clone(body)
	}
	o.BodyLen = len(body)
	if int64(len(body)) > d.maxReply {
		o.Class, o.Reason = ResponseFailure, wechat.ReasonTooLarge
		o.Detail = "reply larger than " + strconv.FormatInt(d.maxReply, 10) + " bytes"
		o.Body = sample(body)
		return
	}
	v := p.codec.Judge(resp.StatusCode, body, p.push)
	if x != nil {
		x.Verdict = v
		x.Verdict.Reply = bytes.Clone(v.Reply)
	}
	if v.OK() {
		o.Class = OK
		return
	}
	o.Class, o.Reason, o.Detail = ResponseFailure, v.Reason, v.Detail
	o.Body = sample(body)
}

// classify names the outcome of an attempt that ended in an error, from the
// phase it was in and the deadline that fired, never from error strings.
func (d *Deliverer) classify(o *Outcome, ctx context.Context, dl *deadlines, err error) {
	cause := context.Cause(ctx)
	var dnsErr *net.DNSError
	switch {
	case errors.Is(cause, errConnectDeadline):
		o.Class, o.Detail = ConnectTimeout, "no connection within "+d.cfg.ConnectTimeout.String()
	case errors.Is(cause, errResponseDeadline):
		o.Class, o.Detail = RequestTimeout, "no whole reply within "+d.cfg.ResponseTimeout.String()
	case errors.As(err, &dnsErr) || dl.dnsErr.Load():
		o.Class, o.Detail = DNSFailure, "the host does not resolve"
		if dnsErr != nil && dnsErr.IsTimeout {
			o.Detail = "DNS lookup timed out"
		}
	case isTimeout(err) && dl.currentPhase() == phaseConnecting:
		o.Class, o.Detail = ConnectTimeout, "connect timed out"
	case isTimeout(err):
		o.Class, o.Detail = RequestTimeout, "timed out waiting for the reply"
	default:
		o.Class, o.Detail = ConnectFailure, connectFailureDetail(err, dl.currentPhase())
	}
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// connectFailureDetail says briefly what broke, without the URL (which
// carries the signature and nonce and would make every error unique).
func connectFailureDetail(err error, ph phase) string {
	var (
		rh   tls.RecordHeaderError
		cert *tls.CertificateVerificationError
		ua   x509.UnknownAuthorityError
		op   *net.OpError
	)
	switch {
	case errors.As(err, &rh), errors.As(err, &cert), errors.As(err, &ua):
		return "TLS handshake failed"
	case errors.As(err, &op) && op.Op == "dial":
		return "connection refused or unreachable"
	case ph == phaseConnecting:
		return "connect failed"
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "connection closed before the reply"
	default:
		return "connection reset or broken"
	}
}

// sample keeps the first bytes of a failed reply.
func sample(body []byte) []byte {
	if len(body) > sampleBytes {
		body = body[:sampleBytes]
	}
	return bytes.Clone(body)
}

// syntheticResponse is what vegeta sees of a push: the last attempt's status
// and an empty body (everything that matters is already in the outcomes).
// It has no header: vegeta only copies it into its Result, which nothing
// reads.
func syntheticResponse(req *http.Request, o *Outcome) *http.Response {
	return &http.Response{
		StatusCode: o.Code,
		Status:     o.Class.String(),
		Proto:      "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Body:    http.NoBody,
		Request: req,
	}
}

// readReply reads body into buf, up to limit bytes: a reply of limit bytes
// is over the read limit (the caller passes its limit plus one). It reads
// into the pooled buffer directly, without the LimitReader and
// bytes.Buffer a delivery would otherwise allocate.
func readReply(body io.Reader, buf []byte, limit int64) ([]byte, error) {
	for int64(len(buf)) < limit {
		if len(buf) == cap(buf) {
			buf = slices.Grow(buf, min(max(cap(buf), 512), int(limit)-len(buf)))
		}
		n, err := body.Read(buf[len(buf):min(int64(cap(buf)), limit)])
		buf = buf[:len(buf)+n]
		switch {
		case err == io.EOF:
			return buf, nil
		case err != nil:
			return buf, err
		}
	}
	return buf, nil
}

// remoteIP is the endpoint's address for alarm samples: the connection's
// peer, else the URL's host. The last one formatted is kept, so a run
// against one endpoint formats it once rather than per delivery.
func (d *Deliverer) remoteIP(c net.Conn, host string) string {
	if c == nil {
		return host
	}
	a, ok := c.RemoteAddr().(*net.TCPAddr)
	if !ok {
		return host
	}
	if last := d.lastIP.Load(); last != nil && last.ip.Equal(a.IP) {
		return last.s
	}
	ip := &formattedIP{ip: slices.Clone(a.IP), s: a.IP.String()}
	d.lastIP.Store(ip)
	return ip.s
}

// formattedIP is an address and its text.
type formattedIP struct {
	ip net.IP
	s  string
}
