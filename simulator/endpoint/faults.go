package endpoint

import (
	"maps"
	"net"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	"github.com/beevik/etree"
	"github.com/wxsim/wxsim/simulator/wechat"
)

// Error500Body is the body of error500 and flaky's failures: the 10-byte
// response_content of the troubleshooting guide's response-failure example.
const Error500Body = "Error 500:"

// The broken bodies, as written.
var (
	error500Body = []byte(Error500Body)
	badXMLBody   = []byte("Internal Server Error: upstream handler crashed (badxml drill)\n")
	jsonBody     = []byte(`{"errcode":0,"errmsg":"ok"}`)
)

// hold applies the timing and connection faults, which hit every request:
// slow and capacity delay it, hang and blackhole never answer it, reset
// answers with a TCP reset. It reports whether the request may be answered.
func (e *Endpoint) hold(w http.ResponseWriter, r *http.Request) bool {
	switch e.b.Name {
	case Slow:
		return e.sleep(w, r, e.b.Delay)
	case Capacity:
		now := time.Now()
		if wait := e.pace.reserve(now).Sub(now); wait > 0 {
			return e.sleep(w, r, wait)
		}
	case Hang, Blackhole:
		// Served on a normal listener, blackhole can only hang: the
		// connect timeouts need the listener of Listen.
		e.stats.faults.Add(1)
		e.sleep(w, r, -1)
		return false
	case Reset:
		e.stats.faults.Add(1)
		resetConn(w)
		return false
	}
	return true
}

// sleep waits d (forever if d < 0) unless the client goes away, the server
// shuts down or the endpoint is closed; then it drops the connection
// without an answer and reports false.
func (e *Endpoint) sleep(w http.ResponseWriter, r *http.Request, d time.Duration) bool {
	var timeout <-chan time.Time
	if d >= 0 {
		t := time.NewTimer(d)
		defer t.Stop()
		timeout = t.C
	}
	select {
	case <-timeout:
		return true
	case <-r.Context().Done():
	case <-e.quit:
	}
	abort(w)
	return false
}

// breakAnswer writes the broken answer of error500, badxml, json and (for
// its unlucky draws) flaky, and reports whether it did.
func (e *Endpoint) breakAnswer(w http.ResponseWriter) bool {
	switch {
	case e.b.Name == Error500, e.b.Name == Flaky && e.flaky.fail():
		writeBody(w, http.StatusInternalServerError, contentPlain, error500Body)
	case e.b.Name == BadXML:
		writeBody(w, http.StatusOK, contentPlain, badXMLBody)
	case e.b.Name == JSON:
		writeBody(w, http.StatusOK, contentJSON, jsonBody)
	default:
		return false
	}
	e.stats.faults.Add(1)
	return true
}

// abort ends the request without a response: hijacked and closed when the
// connection allows it, else by net/http's own abort panic.
func abort(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	conn.Close()
}

// resetConn closes the connection with SO_LINGER 0, so the kernel sends a
// TCP RST and the client reads "connection reset by peer".
func resetConn(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		tc.SetLinger(0)
	}
	conn.Close()
}

// resign returns a copy of the query carrying the right signature and
// msg_signature for body, so that the unsigned behaviour can accept pushes
// whatever they were signed with, while still decrypting them.
func (e *Endpoint) resign(query url.Values, body []byte) url.Values {
	q := maps.Clone(query)
	ts, nonce := q.Get("timestamp"), q.Get("nonce")
	q.Set("signature", wechat.Signature(e.account.Token, ts, nonce))
	if q.Has("msg_signature") || q.Get("encrypt_type") == "aes" {
		q.Set("msg_signature", wechat.MsgSignature(e.account.Token, ts, nonce, encryptOf(body)))
	}
	return q
}

// encryptOf returns the Encrypt element of an XML push, or "".
func encryptOf(body []byte) string {
	doc := etree.NewDocument()
	if doc.ReadFromBytes(body) != nil {
		return ""
	}
	if el := doc.FindElement("//Encrypt"); el != nil {
		return el.Text()
	}
	return ""
}

// pacer hands out the capacity behaviour's service slots, one every 1/N s:
// requests queue for their slot, so once the offered rate passes N the
// queue, and with it the latency, grows without bound, as on a saturated
// server.
type pacer struct {
	interval time.Duration
	mu       sync.Mutex
	next     time.Time
}

func newPacer(perSecond int) *pacer {
	return &pacer{interval: time.Second / time.Duration(perSecond)}
}

// reserve takes the next free slot at or after now.
func (p *pacer) reserve(now time.Time) time.Time {
	p.mu.Lock()
	defer p.mu.Unlock()
	slot := p.next
	if slot.Before(now) {
		slot = now
	}
	p.next = slot.Add(p.interval)
	return slot
}

// flakes draws flaky's failures: the i-th draw is splitmix64 of seed and i,
// so a seed replays the same sequence of draws without a lock.
type flakes struct {
	p    float64
	seed uint64
	n    atomic.Uint64
}

func newFlakes(p float64, seed int64) *flakes { return &flakes{p: p, seed: uint64(seed)} }

// fail reports whether the next push fails.
func (f *flakes) fail() bool {
	z := f.seed + f.n.Add(1)*0x9e3779b97f4a7c15
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	z ^= z >> 31
	return float64(z>>11)/(1<<53) < f.p
}
