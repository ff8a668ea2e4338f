package simulator_test

import (
	"context"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	. "github.com/onsi/gomega"

	"github.com/wxsim/wxsim/simulator"
	"github.com/wxsim/wxsim/simulator/wechat"
)

// hostile is an endpoint the test scripts reply by reply, recording what it saw.
type hostile struct {
	mu      sync.Mutex
	headers []http.Header
	remotes []string
}

func (h *hostile) record(r *http.Request) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.headers = append(h.headers, r.Header.Clone())
	host, _, _ := net.SplitHostPort(r.RemoteAddr)
	h.remotes = append(h.remotes, host)
}

func probePush(t *testing.T, url string, cfg simulator.TransportConfig) simulator.Exchange {
	t.Helper()
	return probeWith(t, simulator.NewProber(cfg, 4096), url)
}

func probeWith(t *testing.T, pr *simulator.Prober, url string) simulator.Exchange {
	t.Helper()
	codec, err := wechat.NewCodec(testAccount)
	if err != nil {
		t.Fatal(err)
	}
	k, _ := wechat.LookupKind("text")
	p := &wechat.Push{Kind: k, ToUserName: testAccount.OriginalID, FromUserName: "oFollower", CreateTime: time.Now().Unix(), MsgID: 42}
	return pr.Push(context.Background(), url, codec, p)
}

var shortLimits = simulator.TransportConfig{ConnectTimeout: 500 * time.Millisecond, ResponseTimeout: 500 * time.Millisecond}

func TestRequestsCarryWeChatsHeadersOnly(t *testing.T) {
	t.Parallel()
	g := NewWithT(t)
	h := &hostile{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.record(r)
		w.Write([]byte("success"))
	}))
	defer srv.Close()
	p := testPlan(t, srv.URL+"/wx", testAccount, 20, 500*time.Millisecond)
	p.Name = "named-attack"
	s, err := simulator.Run(context.Background(), p)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(s.Outcomes["ok"]).To(Equal(s.Pushes))
	h.mu.Lock()
	defer h.mu.Unlock()
	g.Expect(h.headers).To(HaveLen(int(s.Pushes)))
	for _, hd := range h.headers {
		g.Expect(hd.Get("User-Agent")).To(Equal("Mozilla/4.0"))
		g.Expect(hd.Get("Content-Type")).To(Equal("text/xml"))
		for k := range hd {
			g.Expect(strings.HasPrefix(k, "X-")).To(BeFalse(), "header %s leaked to the endpoint", k)
		}
		g.Expect(hd.Get("Accept-Encoding")).To(BeEmpty())
	}
}

func TestSourceIPs(t *testing.T) {
	t.Parallel()
	g := NewWithT(t)
	h := &hostile{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h.record(r) }))
	defer srv.Close()
	cfg := shortLimits
	cfg.SourceIPs = []net.IP{net.ParseIP("127.0.0.2"), net.ParseIP("127.0.0.3")}
	pr := simulator.NewProber(cfg, 4096)
	for i := 0; i < 4; i++ {
		x := probeWith(t, pr, srv.URL+"/wx")
		g.Expect(x.Outcome.Class).To(Equal(simulator.OK), x.Outcome.Detail)
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	g.Expect(h.remotes).To(ConsistOf("127.0.0.2", "127.0.0.3", "127.0.0.2", "127.0.0.3"))
}

func TestTLSInsecure(t *testing.T) {
	t.Parallel()
	g := NewWithT(t)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("success")) }))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshake is expected
	srv.StartTLS()
	defer srv.Close()
	// Roomy limits: a handshake under the race detector on a busy machine
	// can outlast 500 ms, and this test is about the refusal, not timing.
	roomy := simulator.TransportConfig{ConnectTimeout: 10 * time.Second, ResponseTimeout: 10 * time.Second}
	x := probePush(t, srv.URL+"/wx", roomy)
	g.Expect(x.Outcome.Class).To(Equal(simulator.ConnectFailure), x.Outcome.Detail)
	g.Expect(x.Outcome.Detail).To(ContainSubstring("TLS"))
	cfg := roomy
	cfg.Insecure = true
	x = probePush(t, srv.URL+"/wx", cfg)
	g.Expect(x.Outcome.Class).To(Equal(simulator.OK), x.Outcome.Detail)
}

// A hostile endpoint is data, never harm: each misbehaviour becomes an
// outcome with a reason, within the limits.
func TestHostileEndpoints(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name    string
		handler http.HandlerFunc
		class   simulator.Class
		reason  wechat.Reason
	}{
		{"huge body", func(w http.ResponseWriter, r *http.Request) {
			chunk := []byte(strings.Repeat("x", 64<<10))
			for i := 0; i < 1024; i++ { // 64 MiB offered; only the limit is read
				if _, err := w.Write(chunk); err != nil {
					return
				}
			}
		}, simulator.ResponseFailure, wechat.ReasonTooLarge},
		{"trickled bytes", func(w http.ResponseWriter, r *http.Request) {
			for i := 0; i < 200; i++ { // 4 s of trickle, far past the limits
				if _, err := w.Write([]byte("s")); err != nil {
					return
				}
				w.(http.Flusher).Flush()
				time.Sleep(20 * time.Millisecond)
			}
		}, simulator.RequestTimeout, ""},
		{"malformed XML", func(w http.ResponseWriter, r *http.Request) {
			w.Write([]byte("<xml><ToUserName><![CDATA[oFollower]]></ToUser"))
		}, simulator.ResponseFailure, wechat.ReasonNotXML},
		{"headers but no body", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", "100")
			w.WriteHeader(200)
			w.(http.Flusher).Flush()
			time.Sleep(4 * time.Second)
		}, simulator.RequestTimeout, ""},
		{"connection dropped mid-reply", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", "100")
			w.WriteHeader(200)
			w.Write([]byte("succ"))
			w.(http.Flusher).Flush()
			conn, _, _ := w.(http.Hijacker).Hijack()
			conn.Close()
		}, simulator.ConnectFailure, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			g := NewWithT(t)
			srv := httptest.NewServer(c.handler)
			defer srv.Close()
			start := time.Now()
			x := probePush(t, srv.URL+"/wx", shortLimits)
			g.Expect(x.Outcome.Class).To(Equal(c.class), "%s: %s", x.Outcome.Class, x.Outcome.Detail)
			g.Expect(x.Outcome.Reason).To(Equal(c.reason))
			g.Expect(time.Since(start)).To(BeNumerically("<", 3*time.Second), "bounded by the limits, not by the 4 s misbehaviour")
		})
	}
}

// The alarm's response_length is the reply's whole length, not the length
// of the excerpt kept for response_content.
func TestAlarmSampleCarriesTheWholeReplyLength(t *testing.T) {
	t.Parallel()
	g := NewWithT(t)
	page := strings.Repeat("<p>Internal Server Error</p>", 40) // 1120 bytes
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusInternalServerError)
		w.Write([]byte(page))
	}))
	defer srv.Close()
	p := testPlan(t, srv.URL+"/wx", testAccount, 20, 500*time.Millisecond)
	p.Alarm.Threshold, p.Retries = 5, 0
	s, err := simulator.Run(context.Background(), p)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(s.Alarms).To(HaveLen(1))
	g.Expect(s.Alarms[0].Sample).To(ContainSubstring("[response_length=1120][response_content=<p>Internal Server Error</p>"))
}
