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
	d := &sourceDialer{ips: cfg.SourceIPs, resolver: cfg.Resolver}
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
	next     atomic.Uint64
}

func (s *sourceDialer) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	d := net.Dialer{KeepAlive: 30 * time.Second, Resolver: s.resolver}
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
type deadlines struct {
	phase    atomic.Int32
	cancel   context.CancelCauseFunc
	connect  *time.Timer
	response atomic.Pointer[time.Timer]
	timeout  time.Duration
	dnsErr   atomic.Bool
}

// withDeadlines returns the attempt's context, carrying an httptrace that
// moves the phases along.
func withDeadlines(parent context.Context, connect, response time.Duration) (context.Context, *deadlines) {
	ctx, cancel := context.WithCancelCause(parent)
	d := &deadlines{cancel: cancel, timeout: response}
	d.connect = time.AfterFunc(connect, func() {
		if phase(d.phase.Load()) == phaseConnecting {
			cancel(errConnectDeadline)
		}
	})
	trace := &httptrace.ClientTrace{
		DNSDone: func(i httptrace.DNSDoneInfo) {
			if i.Err != nil {
				d.dnsErr.Store(true)
			}
		},
		GotConn: func(httptrace.GotConnInfo) {
			d.phase.CompareAndSwap(int32(phaseConnecting), int32(phaseWriting))
			d.connect.Stop()
			// Writing a small request cannot take long; should the endpoint
			// stall reading it, the response limit bounds that as well.
			d.startResponse()
		},
		WroteRequest: func(httptrace.WroteRequestInfo) {
			d.phase.Store(int32(phaseWaiting))
			d.startResponse()
		},
	}
	return httptrace.WithClientTrace(ctx, trace), d
}

// startResponse (re)starts the response timer from now.
func (d *deadlines) startResponse() {
	t := time.AfterFunc(d.timeout, func() {
		if phase(d.phase.Load()) != phaseDone {
			d.cancel(errResponseDeadline)
		}
	})
	if old := d.response.Swap(t); old != nil {
		old.Stop()
	}
}

// stop ends the attempt: timers stopped, context released.
func (d *deadlines) stop() {
	d.phase.Store(int32(phaseDone))
	d.connect.Stop()
	if t := d.response.Load(); t != nil {
		t.Stop()
	}
	d.cancel(context.Canceled)
}
