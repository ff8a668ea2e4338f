package simulator_test

import (
	"context"
	"testing"
	"time"

	. "github.com/onsi/gomega"

	"github.com/wxsim/wxsim/simulator"
	"github.com/wxsim/wxsim/simulator/pacing"
	"github.com/wxsim/wxsim/simulator/wechat"
)

// Two accounts in one run: each its own rate, mode and endpoint; alarms and
// MarkFail belong to the account that failed.
func TestRunSeveralAccounts(t *testing.T) {
	t.Parallel()
	g := NewWithT(t)
	healthyURL, healthy := startEndpoint(t, testAccount, "correct")
	broken := testAccount
	broken.AppID, broken.Nickname, broken.Mode = "wxfedcba9876543210", "Broken Account", wechat.Safe
	brokenURL, failing := startEndpoint(t, broken, "error500")

	p := testPlan(t, healthyURL, testAccount, 50, 2*time.Second)
	p.Alarm.Threshold = 20
	p.MarkFail.MinFailures = 60
	mix, _ := simulator.ParseMix("text")
	p.Accounts = []simulator.AccountLoad{{
		URL: brokenURL, Account: broken, Mix: mix, Followers: simulator.NewFollowers(0, 100, 2),
		MsgBase: 1 << 50, Pacer: pacing.Constant(100, 2*time.Second),
	}}
	s, err := simulator.Run(context.Background(), p)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(s.Pushes).To(BeNumerically("~", 300, 3))
	g.Expect(s.Rate.Target).To(BeNumerically("~", 150, 1))
	g.Expect(s.Outcomes["ok"]).To(BeNumerically("==", healthy.Stats().Pushes), "the healthy account's pushes all ok")
	g.Expect(healthy.Stats().Pushes).To(BeNumerically("~", 100, 2))
	g.Expect(s.Outcomes["response_failure"]).To(BeNumerically("==", failing.Stats().Requests))
	g.Expect(s.MarkFail).NotTo(BeEmpty())
	for _, b := range s.MarkFail {
		g.Expect(b.Account).To(Equal(broken.AppID))
	}
	g.Expect(s.Alarms).NotTo(BeEmpty())
	for _, al := range s.Alarms {
		g.Expect(al.Account).To(Equal(broken.AppID))
		g.Expect(al.Nickname).To(Equal("Broken Account"))
	}
}

// One account may be pushed on two schedules (they share its breaker and
// alarms), but one appid with two different settings is a mistake.
func TestPlanAppIDsTwice(t *testing.T) {
	t.Parallel()
	g := NewWithT(t)
	url, e := startEndpoint(t, testAccount, "correct")
	p := testPlan(t, url, testAccount, 20, time.Second)
	clicks, _ := simulator.ParseMix("click")
	p.Accounts = []simulator.AccountLoad{{URL: url, Account: testAccount, Mix: clicks, Pacer: pacing.Constant(10, time.Second)}}
	s, err := simulator.Run(context.Background(), p)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(s.Pushes).To(BeNumerically("==", 30))
	g.Expect(s.Outcomes["ok"]).To(Equal(s.Pushes))
	g.Expect(e.Stats().Pushes).To(BeNumerically("==", 30))

	other := testAccount
	other.Token = "another-token"
	p.Accounts[0].Account = other
	_, err = simulator.Run(context.Background(), p)
	g.Expect(err).To(MatchError(ContainSubstring("appears twice with different settings")))
}
