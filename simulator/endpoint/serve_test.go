package endpoint

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"testing"
	"time"

	. "github.com/onsi/gomega"

	"github.com/wxsim/wxsim/simulator/wechat"
)

// TestServe serves a hanging endpoint, checks that it answers the
// handshake's connection and holds a push, and that cancelling the context
// shuts it down promptly even with the push still held.
func TestServe(t *testing.T) {
	g := NewWithT(t)
	b, _ := ParseBehaviour("hang")
	e, err := New(Config{Account: account(wechat.Plain), Behaviour: b})
	g.Expect(err).NotTo(HaveOccurred())
	ln, err := Listen("127.0.0.1:0", b)
	g.Expect(err).NotTo(HaveOccurred())
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- Serve(ctx, ln, e) }()

	q := url.Values{"signature": {wechat.Signature("test-token", "1", "2")}, "timestamp": {"1"}, "nonce": {"2"}, "echostr": {"x"}}
	got := make(chan error, 1)
	go func() {
		resp, err := http.Get("http://" + ln.Addr().String() + "/?" + q.Encode())
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
		got <- err
	}()
	g.Eventually(func() int64 { return e.Stats().Requests }, time.Second).Should(BeEquivalentTo(1))
	g.Consistently(got, 100*time.Millisecond).ShouldNot(Receive(), "hang answers nothing")

	start := time.Now()
	cancel()
	g.Eventually(served, 2*time.Second).Should(Receive(BeNil()))
	g.Expect(time.Since(start)).To(BeNumerically("<", time.Second))
	g.Eventually(got, time.Second).Should(Receive(HaveOccurred()), "the held request ends without an answer")
}

// TestServeCorrect serves the correct endpoint and answers a handshake.
func TestServeCorrect(t *testing.T) {
	g := NewWithT(t)
	e, err := New(Config{Account: account(wechat.Plain)})
	g.Expect(err).NotTo(HaveOccurred())
	ln, err := Listen("127.0.0.1:0", Behaviour{})
	g.Expect(err).NotTo(HaveOccurred())
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- Serve(ctx, ln, e) }()
	defer func() {
		cancel()
		g.Eventually(served, 2*time.Second).Should(Receive(BeNil()))
	}()
	q := url.Values{"signature": {wechat.Signature("test-token", "1", "2")}, "timestamp": {"1"}, "nonce": {"2"}, "echostr": {"echo-me"}}
	resp, err := http.Get("http://" + ln.Addr().String() + "/?" + q.Encode())
	g.Expect(err).NotTo(HaveOccurred())
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	g.Expect(resp.StatusCode).To(Equal(200))
	g.Expect(string(body)).To(Equal("echo-me"))
}

// TestServeBlackhole serves on the blackhole listener: nothing connects,
// and cancelling still returns.
func TestServeBlackhole(t *testing.T) {
	g := NewWithT(t)
	b, _ := ParseBehaviour("blackhole")
	e, err := New(Config{Account: account(wechat.Plain), Behaviour: b})
	g.Expect(err).NotTo(HaveOccurred())
	ln, err := Listen("127.0.0.1:0", b)
	g.Expect(err).NotTo(HaveOccurred())
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- Serve(ctx, ln, e) }()
	client := &http.Client{Timeout: 300 * time.Millisecond}
	_, err = client.Get("http://" + ln.Addr().String() + "/")
	g.Expect(err).To(HaveOccurred())
	g.Expect(e.Stats().Requests).To(BeZero())
	cancel()
	g.Eventually(served, 2*time.Second).Should(Receive(BeNil()))
}
