package api

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"testing"
	"time"

	. "github.com/onsi/gomega"
)

// TestServeUntilCancelled serves on a loopback port, answers, and returns
// nil soon after its context ends.
func TestServeUntilCancelled(t *testing.T) {
	g := NewWithT(t)
	s, err := New(Config{Accounts: []Account{testAccount(nil)}})
	g.Expect(err).NotTo(HaveOccurred())
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	g.Expect(err).NotTo(HaveOccurred())
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- Serve(ctx, ln, s) }()

	client := &http.Client{Timeout: 5 * time.Second}
	resp, err := client.Get("http://" + ln.Addr().String() + PathToken +
		"?grant_type=client_credential&appid=" + testAppID + "&secret=" + testSecret)
	g.Expect(err).NotTo(HaveOccurred())
	var a answer
	g.Expect(json.NewDecoder(resp.Body).Decode(&a)).To(Succeed())
	resp.Body.Close()
	g.Expect(a.token()).NotTo(BeEmpty())

	cancel()
	g.Eventually(done).WithTimeout(5 * time.Second).Should(Receive(BeNil()))
	_, err = net.DialTimeout("tcp", ln.Addr().String(), time.Second)
	g.Expect(err).To(HaveOccurred(), "the listener is closed")
}
