package simulator

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"net/http"
	"net/http/httptrace"
	"sync/atomic"
	"time"
)

// TransportConfig sets how deliveries reach the endpoint.
type TransportConfig struct {
	ConnectTimeout  time.Duration // DNS + TCP + TLS, WeChat's 3 s
	ResponseTimeout time.Duration // the whole reply after the request is written, WeChat's 5 s
	KeepAlive       bool          // reuse connections (WeChat opens one per push)
	SourceIPs       []net.IP      // local addresses to send from, round robin
	Insecure        bool          // accept self-signed TLS certificates
	MaxConns        int           // cap on connections per host (0: none)
	Resolver        *net.Resolver // nil: the system's; tests give a loopback stub
}

// newHTTPTransport builds the net/http transport every delivery uses. It
// owns the dialer so the connect timeout is enforced on its own, which
// vegeta's single client-wide timeout cannot do.
func newHTTPTransport(cfg TransportConfig) *http.Transport {
	d := &sourceDialer{ips: cfg.SourceIPs, resolver: cfg.Resolver, timeout: cfg.ConnectTimeout}
	return &http.Transport{
		DialContext:           d.DialContext,
		TLSClientConfig:       &tls.Config{InsecureSkipVerify: cfg.Insecure}, //nolint:gosec // opt-in --insecure for self-signed test endpoints
		TLSHandshakeTimeout:   cfg.ConnectTimeout,
		DisableKeepAlives:     !cfg.KeepAlive,
		DisableCompression:    true, // WeChat sends no Accept-Encoding
		MaxIdleConns:          10000,
		MaxIdleConnsPerHost:   10000,
		MaxConnsPerHost:       cfg.MaxConns,
		IdleConnTimeout:       90 * time.Second,
		ResponseHeaderTimeout: 0, // the response deadline is ours (see deadlines)
		ForceAttemptHTTP2:     false,
	}
}

// sourceDialer dials from each source address in turn, so IP allow-lists
// at the endpoint can be tested.
type sourceDialer struct {
	ips      []net.IP
	resolver *net.Resolver
	timeout  time.Duration
	next     atomic.Uint64
}

func (s *sourceDialer) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	// net/http keeps dialling after the request gives up (it may reuse
	// the connection), so the dial needs the connect limit of its own:
	// without it a dead host holds a socket for the kernel's ~2 minutes.
	d := net.Dialer{Timeout: s.timeout, KeepAlive: 30 * time.Second, Resolver: s.resolver}
	if len(s.ips) > 0 {
		ip := s.ips[(s.next.Add(1)-1)%uint64(len(s.ips))]
		d.LocalAddr = &net.TCPAddr{IP: ip}
	}
	return d.DialContext(ctx, network, addr)
}

// phase is where an attempt stands, for classifying what went wrong.
type phase int32

const (
	phaseConnecting phase = iota // DNS, TCP, TLS
	phaseWriting                 // connected, writing the request
	phaseWaiting                 // request written, waiting for the whole reply
	phaseDone
)

var (
	errConnectDeadline  = errors.New("connect deadline passed")
	errResponseDeadline = errors.New("response deadline passed")
)

// deadlines enforces WeChat's two limits on one attempt: the connect
// timeout from the start until a connection is had, and the response
// timeout from the moment the request is written until the reply is read.
// Both cancel the attempt's context with a cause that names the limit.
//
// It is on the path of every delivery, so it costs one timer, re-armed
// from phase to phase rather than replaced, and one httptrace whose hooks
// also note the remote address (a second trace on the same context would
// be composed through reflection on every hook call).
type deadlines struct {
	start    time.Time
	phase    atomic.Int32
	due      atomic.Int64 // the limit in force, as an offset from start
	cancel   context.CancelCauseFunc
	timer    *time.Timer
	response time.Duration
	dnsErr   atomic.Bool
	conn     net.Conn // the connection had, set by GotConn before RoundTrip returns
	trace    httptrace.ClientTrace
}

// withDeadlines returns the attempt's context, carrying an httptrace that
// moves the phases along. resolves says whether the host is a name (not an
// IP literal): only then is a DNS hook worth its cost.
func withDeadlines(parent context.Context, connect, response time.Duration, resolves bool) (context.Context, *deadlines) {
	ctx, cancel := context.WithCancelCause(parent)
	d := &deadlines{start: time.Now(), cancel: cancel, response: response}
	d.due.Store(int64(connect))
	d.timer = time.AfterFunc(connect, d.fire)
	if resolves {
		d.trace.DNSDone = func(i httptrace.DNSDoneInfo) {
			if i.Err != nil {
				d.dnsErr.Store(true)
			}
		}
	}
	d.trace.GotConn = func(i httptrace.GotConnInfo) {
		d.conn = i.Conn
		// Writing a small request cannot take long; should the endpoint
		// stall reading it, the response limit bounds that as well.
		d.enter(phaseWriting)
	}
	d.trace.WroteRequest = func(httptrace.WroteRequestInfo) { d.enter(phaseWaiting) }
	return httptrace.WithClientTrace(ctx, &d.trace), d
}

// enter moves to a phase of the reply and (re)starts the response limit
// from now. The limit is stored before the phase, and fire reads them the
// other way round, so fire never pairs the new phase with the old limit.
// Phases only move forward: a WroteRequest reported after the attempt
// ended leaves it ended.
func (d *deadlines) enter(ph phase) {
	d.due.Store(int64(time.Since(d.start) + d.response))
	for {
		cur := d.phase.Load()
		if phase(cur) >= ph {
			return
		}
		if d.phase.CompareAndSwap(cur, int32(ph)) {
			break
		}
	}
	d.timer.Reset(d.response)
}

// fire runs when the timer expires: it cancels the attempt with the limit
// of the phase, unless the attempt ended or the limit moved meanwhile (a
// concurrent enter re-arms the timer).
func (d *deadlines) fire() {
	ph := phase(d.phase.Load())
	if ph == phaseDone || time.Since(d.start) < time.Duration(d.due.Load()) {
		return
	}
	if ph == phaseConnecting {
		d.cancel(errConnectDeadline)
		return
	}
	d.cancel(errResponseDeadline)
}

// currentPhase is where the attempt stands.
func (d *deadlines) currentPhase() phase { return phase(d.phase.Load()) }

// stop ends the attempt: timer stopped, context released.
func (d *deadlines) stop() {
	d.phase.Store(int32(phaseDone))
	d.timer.Stop()
	d.cancel(context.Canceled)
}
