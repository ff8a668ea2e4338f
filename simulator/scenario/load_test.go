package scenario

import (
	"net"
	"testing"
	"time"

	. "github.com/onsi/gomega"

	"github.com/wxsim/wxsim/scenarios"
	"github.com/wxsim/wxsim/simulator"
	"github.com/wxsim/wxsim/simulator/pacing"
	"github.com/wxsim/wxsim/simulator/wechat"
)

// fullScenario sets every field of the format.
const fullScenario = `# every field
name: full
description: every field set
url: https://example.com/wechat
account:
  appid: wx1111111111111111
  nickname: Full Account
  original_id: gh_111111111111
  token: "0123"                 # quoted: stays a string, leading zero and all
  aes_key: ${WXSIM_AES_KEY}
  mode: compat
stages:
  - {duration: 10s, target: 100/s}                  # kind defaults to ramp
  - {kind: hold, duration: 1m, target: 6000/m}
  - {kind: sine, duration: 2m, target: 100/s, amp: 50/s, period: 30s}
  - {kind: step, duration: 5s, target: 400/s}
  - {kind: ramp, duration: 10s, from: 200/s, target: 0}
duration: 3m
mix:
  text: 6
  click: 2
followers: 1_000_000
workers: 20
max_workers: 500
timeouts:
  connect: 2s
  response: 4s
keepalive: true
insecure: true
source_ips: [127.0.0.2, 127.0.0.3]
max_reply_bytes: 1024
retries: 0
markfail:
  window: 30s
  failures: 50
  ratio: 0.25
  block: 2m
alarms:
  window: 1m
  threshold: 10
thresholds:
  - p99 < 1s
  - markfail == 0
x-anchors:                        # x- fields are ignored: a place for anchors
  a: &rate 10/s
`

// TestFullScenario: every field reaches the Scenario.
func TestFullScenario(t *testing.T) {
	g := NewWithT(t)
	s, err := Parse("full.yaml", []byte(fullScenario), testOptions)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(s.Name).To(Equal("full"))
	g.Expect(s.Description).To(Equal("every field set"))
	g.Expect(s.Accounts).To(HaveLen(1))
	a := s.Accounts[0]
	g.Expect(a.Name).To(Equal("main"))
	g.Expect(a.URL).To(Equal("https://example.com/wechat"))
	g.Expect(a.Account).To(Equal(wechat.Account{AppID: "wx1111111111111111", Nickname: "Full Account",
		OriginalID: "gh_111111111111", Token: "0123", EncodingAESKey: testKey, Mode: wechat.Compat}))
	g.Expect(a.Mix.String()).To(Equal("text=6,click=2"))
	g.Expect(a.Followers).To(Equal(uint64(1_000_000)))
	g.Expect(a.Pace.Stages).To(Equal([]pacing.Stage{
		{Kind: pacing.StageRamp, Duration: 10 * time.Second, Target: 100},
		{Kind: pacing.StageHold, Duration: time.Minute, Target: 100},
		{Kind: pacing.StageSine, Duration: 2 * time.Minute, Target: 100, Amp: 50, Period: 30 * time.Second},
		{Kind: pacing.StageStep, Duration: 5 * time.Second, Target: 400},
		{Kind: pacing.StageRamp, Duration: 10 * time.Second, From: 200, Target: 0},
	}))
	g.Expect(s.Duration).To(Equal(3 * time.Minute))
	g.Expect(s.Workers).To(Equal(uint64(20)))
	g.Expect(s.MaxWorkers).To(Equal(uint64(500)))
	g.Expect(s.Transport).To(Equal(simulator.TransportConfig{ConnectTimeout: 2 * time.Second, ResponseTimeout: 4 * time.Second,
		KeepAlive: true, Insecure: true, SourceIPs: []net.IP{net.ParseIP("127.0.0.2"), net.ParseIP("127.0.0.3")}}))
	g.Expect(s.MaxReplyBytes).To(Equal(int64(1024)))
	g.Expect(s.Retries).To(Equal(0))
	g.Expect(s.MarkFail).To(Equal(simulator.MarkFailRule{Window: 30 * time.Second, MinFailures: 50, MinRatio: 0.25, Block: 2 * time.Minute}))
	g.Expect(s.Alarm).To(Equal(simulator.AlarmRule{Window: time.Minute, Threshold: 10}))
	g.Expect(s.Thresholds).To(HaveLen(2))
	g.Expect(s.Thresholds[0].Expr).To(Equal("p99 < 1s"))
}

// TestDefaults: what a minimal scenario leaves out takes the command line's
// defaults, so the two run the same attack.
func TestDefaults(t *testing.T) {
	g := NewWithT(t)
	s, err := Parse("scenarios/min.yaml", []byte(validHead+"rate: 10/s\nduration: 1s\n"), testOptions)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(s.File).To(Equal("scenarios/min.yaml"))
	g.Expect(s.Name).To(Equal("t"))
	a := s.Accounts[0]
	g.Expect(a.Account.Mode).To(Equal(wechat.Plain))
	g.Expect(a.Account.Nickname).To(Equal("wx0123456789abcdef"))
	g.Expect(a.Account.OriginalID).To(Equal("gh_456789abcdef"))
	g.Expect(a.Mix.String()).To(Equal(simulator.DefaultMix))
	g.Expect(a.Followers).To(Equal(uint64(DefaultFollowers)))
	g.Expect(a.Pace).To(Equal(Pace{Rate: 10}))
	g.Expect(s.Workers).To(Equal(uint64(DefaultWorkers)))
	g.Expect(s.MaxWorkers).To(BeZero())
	g.Expect(s.Retries).To(Equal(DefaultRetries))
	g.Expect(s.MaxReplyBytes).To(Equal(int64(simulator.DefaultMaxReplyBytes)))
	l := simulator.DefaultLimits()
	g.Expect(s.Transport).To(Equal(simulator.TransportConfig{ConnectTimeout: l.ConnectTimeout, ResponseTimeout: l.ResponseTimeout}))
	g.Expect(s.MarkFail).To(Equal(simulator.DefaultMarkFailRule()))
	g.Expect(s.Alarm).To(Equal(simulator.DefaultAlarmRule()))
	g.Expect(s.Thresholds).To(BeEmpty())

	s, err = Parse("dir/named.yml", []byte("url: http://x/\naccount: {appid: wx1, token: t, aes_key: "+testKey+"}\nevery: 10m\nduration: 1h\n"), testOptions)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(s.Name).To(Equal("named"))
	g.Expect(s.Accounts[0].Account.Mode).To(Equal(wechat.Safe)) // a key and no mode: safe, as --aes-key
	g.Expect(s.Accounts[0].Pace).To(Equal(Pace{Every: 10 * time.Minute}))
}

// TestAccounts: several accounts, each with its own identity and traffic;
// what an entry leaves out comes from the top level.
func TestAccounts(t *testing.T) {
	g := NewWithT(t)
	s, err := Parse("two.yaml", []byte(`
url: http://127.0.0.1:8080/wechat
mix: text=1
followers: 50
rate: 10/s
duration: 30s
accounts:
  - {name: shop, appid: wx1, token: a}
  - name: news
    url: http://127.0.0.1:8081/wechat
    appid: wx2
    token: b
    aes_key: `+testKey+`
    stages: [{kind: hold, duration: 5s, target: 3/s}]
    mix: {click: 1}
    followers: 7
`), testOptions)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(s.Accounts).To(HaveLen(2))
	shop, news := s.Accounts[0], s.Accounts[1]
	g.Expect(shop.Name).To(Equal("shop"))
	g.Expect(shop.URL).To(Equal("http://127.0.0.1:8080/wechat"))
	g.Expect(shop.Account.Nickname).To(Equal("shop"))
	g.Expect(shop.Mix.String()).To(Equal("text=1"))
	g.Expect(shop.Followers).To(Equal(uint64(50)))
	g.Expect(shop.Pace).To(Equal(Pace{Rate: 10}))
	g.Expect(news.URL).To(Equal("http://127.0.0.1:8081/wechat"))
	g.Expect(news.Account.Mode).To(Equal(wechat.Safe))
	g.Expect(news.Mix.String()).To(Equal("click=1"))
	g.Expect(news.Followers).To(Equal(uint64(7)))
	g.Expect(news.Pace.Stages).To(HaveLen(1))
}

// TestBundledScenariosLoad: every bundled scenario is valid, and says what
// it is for.
func TestBundledScenariosLoad(t *testing.T) {
	names := scenarios.Names()
	NewWithT(t).Expect(names).To(ContainElements("smoke", "ci-gate", "launch-day", "capacity-ramp", "soak",
		"markfail-drill", "safe-mode", "component-ticket", "two-accounts"))
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			s, err := LoadFS(scenarios.FS, name+".yaml", testOptions)
			g.Expect(err).NotTo(HaveOccurred())
			g.Expect(s.Name).To(Equal(name))
			g.Expect(s.Description).NotTo(BeEmpty())
			g.Expect(s.Thresholds).NotTo(BeEmpty())
			_, err = s.Plan(1)
			g.Expect(err).NotTo(HaveOccurred())
		})
	}
}

// TestComponentTicket: a ticket exactly every 10 minutes and the
// authorization events every 20, two loads of one safe-mode component
// account, every push a component push.
func TestComponentTicket(t *testing.T) {
	g := NewWithT(t)
	s, err := LoadFS(scenarios.FS, "component-ticket.yaml", testOptions)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(s.Accounts).To(HaveLen(2))
	for _, a := range s.Accounts {
		g.Expect(a.Account.Mode).To(Equal(wechat.Safe))
		g.Expect(a.Account).To(Equal(s.Accounts[0].Account), "one account, two schedules")
		for _, k := range a.Mix.Kinds() {
			g.Expect(k.Component).To(BeTrue(), k.Name)
		}
	}
	g.Expect(s.Accounts[0].Mix.String()).To(Equal("component_verify_ticket=1"))
	g.Expect(s.Accounts[0].Pace.Every).To(Equal(10 * time.Minute))
	g.Expect(s.Accounts[1].Pace.Every).To(Equal(20 * time.Minute))
	p, err := s.Plan(0.001)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(p.Validate()).To(Succeed())
	g.Expect(p.Duration).To(Equal(7200 * time.Millisecond))
	g.Expect(p.Pacer.Hits()).To(Equal(uint64(12)))             // tickets in 2 h
	g.Expect(p.Pacer.Due(1)).To(Equal(600 * time.Millisecond)) // 10 min × 0.001
	g.Expect(p.Accounts[0].Pacer.Hits()).To(Equal(uint64(6)))  // authorization events
}

// TestLoadFile: Load reads a file; one that cannot be read wraps the fs
// error, not a scenario error.
func TestLoadFile(t *testing.T) {
	g := NewWithT(t)
	s, err := Load("../../scenarios/smoke.yaml", testOptions)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(s.Accounts[0].URL).To(Equal("http://127.0.0.1:8080/wechat"))
	_, err = Load("no/such.yaml", testOptions)
	g.Expect(err).To(MatchError(ContainSubstring("scenario: open no/such.yaml")))
	g.Expect(err).NotTo(MatchError(ErrInvalid))
}

// TestAnchors: x- fields hold anchors, merged into accounts with <<.
func TestAnchors(t *testing.T) {
	g := NewWithT(t)
	s, err := Parse("anchors.yaml", []byte(`
x-common: &common
  token: ${WXSIM_TOKEN}
  aes_key: ${WXSIM_AES_KEY}
  mode: safe
url: http://127.0.0.1:8080/wechat
rate: 10/s
duration: 1s
accounts:
  - {name: a, appid: wx1, <<: *common}
  - name: b
    appid: wx2
    <<: *common
    x-note: ignored here too
`), testOptions)
	g.Expect(err).NotTo(HaveOccurred())
	for _, a := range s.Accounts {
		g.Expect(a.Account.Token).To(Equal(testEnv["WXSIM_TOKEN"]))
		g.Expect(a.Account.Mode).To(Equal(wechat.Safe))
	}
}
