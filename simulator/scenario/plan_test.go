package scenario

import (
	"testing"
	"time"

	. "github.com/onsi/gomega"
)

// TestPlanTimeScale: the schedule shrinks, rates stay.
func TestPlanTimeScale(t *testing.T) {
	g := NewWithT(t)
	s, err := Parse("s.yaml", []byte(validHead+`stages:
  - {kind: hold, duration: 10s, target: 100/s}
  - {kind: sine, duration: 20s, target: 100/s, amp: 50/s, period: 10s}
`), testOptions)
	g.Expect(err).NotTo(HaveOccurred())

	p, err := s.Plan(0) // 0 is 1
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(p.Duration).To(Equal(30 * time.Second))
	g.Expect(p.Pacer.Hits()).To(Equal(uint64(3000)))

	p, err = s.Plan(0.1)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(p.Duration).To(Equal(3 * time.Second))
	g.Expect(p.Pacer.Hits()).To(Equal(uint64(300)))
	g.Expect(p.Pacer.Rate(500 * time.Millisecond)).To(Equal(100.0))
	g.Expect(p.Pacer.Rate(1250 * time.Millisecond)).To(BeNumerically("~", 150, 0.01)) // a quarter period into the sine
	g.Expect(p.Name).To(Equal("t"))
	g.Expect(p.Accounts).To(BeEmpty())
	g.Expect(s.Accounts[0].Pace.Stages[0].Duration).To(Equal(10*time.Second), "Plan must not change the scenario")

	for _, bad := range []float64{-1, 1.5} {
		_, err = s.Plan(bad)
		g.Expect(err).To(MatchError(ErrTimeScale))
	}
}

// TestPlanAccounts: the first account is the plan's own, the others run
// beside it, each with its own schedule, names and MsgId range.
func TestPlanAccounts(t *testing.T) {
	g := NewWithT(t)
	s, err := Parse("two.yaml", []byte(`
name: two
url: http://127.0.0.1:8080/wechat
duration: 10s
accounts:
  - {name: shop, appid: wx1, token: a, rate: 20/s}
  - {name: news, appid: wx2, token: b, every: 2s, url: "http://127.0.0.1:8081/wechat"}
`), testOptions)
	g.Expect(err).NotTo(HaveOccurred())
	p, err := s.Plan(0.5)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(p.Account.AppID).To(Equal("wx1"))
	g.Expect(p.Duration).To(Equal(5 * time.Second))
	g.Expect(p.Pacer.Hits()).To(Equal(uint64(100)))
	g.Expect(p.Accounts).To(HaveLen(1))
	news := p.Accounts[0]
	g.Expect(news.Name).To(Equal("two-news"))
	g.Expect(news.URL).To(Equal("http://127.0.0.1:8081/wechat"))
	g.Expect(news.Pacer.Hits()).To(Equal(uint64(5))) // one every 2 s × 0.5, for 5 s
	g.Expect(news.MsgBase).NotTo(Equal(p.MsgBase))
	g.Expect(news.Followers.OpenID(0)).NotTo(Equal(p.Followers.OpenID(0)))
	g.Expect(p.Validate()).To(Succeed())
}

// TestPaceString describes paces for run headers.
func TestPaceString(t *testing.T) {
	g := NewWithT(t)
	g.Expect(Pace{Rate: 200}.String()).To(Equal("200/s"))
	g.Expect(Pace{Every: 10 * time.Minute}.String()).To(Equal("one push every 10m0s"))
	g.Expect(Pace{Closed: true}.String()).To(Equal("closed loop"))
}
