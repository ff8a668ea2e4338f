package conformance

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"time"

	. "github.com/onsi/ginkgo/v2" //nolint:revive // the Ginkgo DSL reads best unqualified

	"github.com/wxsim/wxsim/simulator/wechat"
)

// handshakeCases: the GET WeChat sends when the developer saves the server
// configuration (wechat-protocol.md §1).
func handshakeCases() {
	Describe("handshake", func() {
		// "Expected response: the raw echostr value, unchanged, as the whole body (HTTP 200)."
		Case("handshake/1", Must, "A GET handshake signed with the token is answered with HTTP 200 and the echostr, unchanged, as the whole body.",
			func(sc SpecContext) {
				s, ctx, done := begin(sc)
				defer done()
				h := s.handshake(ctx, true)
				h.attach()
				if h.err != nil || h.status != http.StatusOK || string(h.body) != h.echostr {
					failCase(finding{
						expected: fmt.Sprintf("HTTP 200 with the echostr %q as the whole body", h.echostr),
						seen:     h.seen(),
						fix:      fixHandshake,
					})
				}
			})

		// "If the signature does not match the developer should not echo it."
		Case("handshake/2", Should, "A GET handshake whose signature does not verify is not answered with the echostr.",
			func(sc SpecContext) {
				s, ctx, done := begin(sc)
				defer done()
				h := s.handshake(ctx, false)
				h.attach()
				if h.err == nil && h.status == http.StatusOK && string(h.body) == h.echostr {
					failCase(finding{
						expected: "no echostr: an error status (e.g. 401) or a body that is not the echostr",
						seen:     h.seen(),
						fix:      fixHandshakeForged,
					})
				}
			})
	})
}

const (
	fixHandshake = "Answer the GET with HTTP 200 and the echostr query parameter as the whole body: no quotes, no newline, no XML. " +
		"Check signature = sha1(sort(token, timestamp, nonce)) with the Token saved on the WeChat platform (WeChat reports token验证失败 otherwise)."
	fixHandshakeForged = "Compare sha1(sort(token, timestamp, nonce)) with the signature parameter before echoing, " +
		"and answer a mismatch with an error status and no echostr (the official quick-start answers an empty body)."
)

// handshakeResult is one GET handshake as it crossed the wire.
type handshakeResult struct {
	url, echostr string
	status       int
	body         []byte
	err          error
	latency      time.Duration
}

// handshake makes WeChat's GET, correctly signed or not, waiting patiently.
func (s *session) handshake(ctx context.Context, signedRight bool) handshakeResult {
	now := time.Now()
	ts, nonce := strconv.FormatInt(now.Unix(), 10), newNonce()
	echostr := strconv.FormatUint(1e18+uint64(now.UnixNano())%8e18, 10)
	token := s.cfg.Account.Token
	if !signedRight {
		token = forgedToken
	}
	q := url.Values{"signature": {wechat.Signature(token, ts, nonce)}, "timestamp": {ts}, "nonce": {nonce}, "echostr": {echostr}}
	h := handshakeResult{url: s.cfg.URL + "?" + q.Encode(), echostr: echostr}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, h.url, nil)
	if err != nil {
		h.err = err
		return h
	}
	req.Header.Set("User-Agent", "Mozilla/4.0")
	start := time.Now()
	resp, err := s.getClient().Do(req)
	if err != nil {
		h.err, h.latency = err, time.Since(start)
		return h
	}
	defer resp.Body.Close()
	h.status = resp.StatusCode
	h.body, h.err = io.ReadAll(io.LimitReader(resp.Body, s.cfg.MaxReplyBytes))
	h.latency = time.Since(start)
	return h
}

// forgedToken signs what a forger would send: not the account's token.
const forgedToken = "wxsim-forged-token"

// getClient is a client with WeChat's connect limit and the patience for
// the answer, one connection per request.
func (s *session) getClient() *http.Client {
	d := &net.Dialer{Timeout: s.cfg.Transport.ConnectTimeout}
	if ips := s.cfg.Transport.SourceIPs; len(ips) > 0 {
		d.LocalAddr = &net.TCPAddr{IP: ips[0]}
	}
	return &http.Client{
		Timeout: s.cfg.patience(),
		Transport: &http.Transport{
			DialContext:         d.DialContext,
			TLSHandshakeTimeout: s.cfg.Transport.ConnectTimeout,
			TLSClientConfig:     &tls.Config{InsecureSkipVerify: s.cfg.Transport.Insecure}, //nolint:gosec // opt-in --insecure
			DisableKeepAlives:   true,
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

func (h handshakeResult) attach() {
	AddReportEntry(entryRequest, "GET "+h.url+"\nUser-Agent: Mozilla/4.0", evidenceVisibility)
	AddReportEntry(entryReply, h.seen(), evidenceVisibility)
}

// seen says what came back, in one line.
func (h handshakeResult) seen() string {
	if h.err != nil {
		return fmt.Sprintf("no answer after %s: %v", h.latency.Round(time.Millisecond), unwrapURLError(h.err))
	}
	return fmt.Sprintf("HTTP %d with body %s after %s", h.status, quote(h.body), h.latency.Round(time.Millisecond))
}

// unwrapURLError drops the *url.Error wrapper, whose text repeats the URL.
func unwrapURLError(err error) error {
	if ue, ok := err.(*url.Error); ok {
		return ue.Err
	}
	return err
}
