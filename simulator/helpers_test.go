package simulator_test

import (
	"net"
	"testing"
	"time"

	"github.com/wxsim/wxsim/simulator"
	"github.com/wxsim/wxsim/simulator/endpoint"
	"github.com/wxsim/wxsim/simulator/pacing"
	"github.com/wxsim/wxsim/simulator/wechat"
)

var testAccount = wechat.Account{
	AppID: "wx0123456789abcdef", Nickname: "Test Account", OriginalID: "gh_0123456789ab",
	Token: "testtoken", EncodingAESKey: "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", Mode: wechat.Plain,
}

// startEndpoint serves the reference endpoint with behaviour b on a
// loopback port until the test ends.
func startEndpoint(t testing.TB, acct wechat.Account, b string) (string, *endpoint.Endpoint) {
	t.Helper()
	beh, err := endpoint.ParseBehaviour(b)
	if err != nil {
		t.Fatal(err)
	}
	r, err := endpoint.Start("127.0.0.1:0", endpoint.Config{Account: acct, Behaviour: beh, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Stop() })
	return r.URL, r.Endpoint
}

// testPlan is a short plan against url at rate pushes/s for d.
func testPlan(t testing.TB, url string, acct wechat.Account, rate float64, d time.Duration) simulator.Plan {
	t.Helper()
	mix, err := simulator.ParseMix(simulator.DefaultMix)
	if err != nil {
		t.Fatal(err)
	}
	return simulator.Plan{
		Name: "test", URL: url, Account: acct, Mix: mix,
		Followers: simulator.NewFollowers(0, 1000, 1), MsgBase: 1 << 40,
		Pacer: pacing.Constant(rate, d), Duration: d,
		Transport: simulator.TransportConfig{ConnectTimeout: time.Second, ResponseTimeout: time.Second},
		Retries:   2, MarkFail: simulator.DefaultMarkFailRule(), Alarm: simulator.DefaultAlarmRule(),
	}
}

// closedPort returns a loopback address nothing listens on.
func closedPort(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}
