package capacity

import (
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	. "github.com/onsi/gomega"

	"github.com/wxsim/wxsim/simulator"
	"github.com/wxsim/wxsim/simulator/endpoint"
	"github.com/wxsim/wxsim/simulator/wechat"
)

// testAccount is a made-up account shared by the simulator and the test's
// reference endpoint.
var testAccount = wechat.Account{AppID: "wx0123456789abcdef", Nickname: "Demo Account",
	OriginalID: "gh_0123456789ab", Token: "capacityTestToken"}

// serve starts the reference endpoint with behaviour b on loopback and
// returns its URL; cleanup releases held requests first.
func serve(t *testing.T, b string) string {
	t.Helper()
	g := NewWithT(t)
	beh, err := endpoint.ParseBehaviour(b)
	g.Expect(err).NotTo(HaveOccurred())
	e, err := endpoint.New(endpoint.Config{Account: testAccount, Behaviour: beh, Seed: 1})
	g.Expect(err).NotTo(HaveOccurred())
	srv := httptest.NewServer(e)
	t.Cleanup(func() {
		e.Close()
		srv.Close()
	})
	return srv.URL + "/wechat"
}

// basePlan is a plan against url with WeChat's default rules.
func basePlan(url string) simulator.Plan {
	mix, err := simulator.ParseMix(simulator.DefaultMix)
	if err != nil {
		panic(err)
	}
	l := simulator.DefaultLimits()
	return simulator.Plan{Name: "capacity", URL: url, Account: testAccount, Mix: mix,
		Followers: simulator.NewFollowers(0, 10000, 0), MsgBase: uint64(time.Now().UnixNano()),
		Transport: simulator.TransportConfig{ConnectTimeout: l.ConnectTimeout, ResponseTimeout: l.ResponseTimeout, KeepAlive: true},
		Retries:   2, MarkFail: simulator.DefaultMarkFailRule(), Alarm: simulator.DefaultAlarmRule()}
}

// thresholds parses expressions for a test.
func thresholds(t *testing.T, exprs ...string) []simulator.Threshold {
	t.Helper()
	ts, err := ParseThresholds(exprs)
	NewWithT(t).Expect(err).NotTo(HaveOccurred())
	return ts
}

func itoa(n int) string { return strconv.Itoa(n) }
