package conformance

import (
	"testing"

	. "github.com/onsi/gomega"

	"github.com/wxsim/wxsim/simulator"
)

func TestProducedReply(t *testing.T) {
	cases := []struct {
		name   string
		status int
		body   string
		want   bool
	}{
		{"a refusal", 401, "invalid signature", false},
		{"no answer", 0, "", false},
		{"an empty body", 200, "", false},
		{"success", 200, "success\n", false},
		{"a plaintext passive reply", 200, "<xml><ToUserName>o</ToUserName><MsgType>text</MsgType></xml>", true},
		{"an encrypted envelope", 200, "<xml><Encrypt>abc</Encrypt><MsgSignature>x</MsgSignature></xml>", true},
		{"an error page", 200, "<html><body>oops</body></html>", false},
		{"JSON", 200, `{"errcode":0}`, false},
	}
	for _, c := range cases {
		x := simulator.Exchange{Status: c.status, Reply: []byte(c.body)}
		NewWithT(t).Expect(producedReply(x)).To(Equal(c.want), c.name)
	}
}

func TestAnsweredRatioCountsOnlyMissingAnswers(t *testing.T) {
	g := NewWithT(t)
	s := &simulator.Summary{Deliveries: 200, Outcomes: map[string]uint64{
		"ok": 150, "response_failure": 40, "request_timeout": 6, "connect_failure": 4}}
	g.Expect(answeredRatio(s)).To(BeNumerically("~", 0.95))
	g.Expect(answeredRatio(&simulator.Summary{})).To(BeZero(), "an empty run answered nothing")
}

func TestLoadFixFollowsTheWorstFailure(t *testing.T) {
	g := NewWithT(t)
	timeouts := &simulator.Summary{Outcomes: map[string]uint64{"ok": 10, "request_timeout": 30, "response_failure": 5}}
	g.Expect(loadFix(timeouts)).To(Equal(fixNoReply))
	blocked := &simulator.Summary{Outcomes: map[string]uint64{"response_failure": 30}, MarkFail: []simulator.Block{{}}}
	g.Expect(loadFix(blocked)).To(HavePrefix("MarkFail"))
	g.Expect(loadFix(blocked)).To(ContainSubstring(fixStatus))
	g.Expect(loadFix(&simulator.Summary{Outcomes: map[string]uint64{"ok": 10}})).To(ContainSubstring("Latency broke a threshold"))
}
