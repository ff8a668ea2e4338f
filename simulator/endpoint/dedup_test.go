package endpoint

import (
	"testing"
	"time"

	. "github.com/onsi/gomega"

	"github.com/wxsim/wxsim/simulator/wechat"
)

func mustKind(t *testing.T, name string) *wechat.Kind {
	k, err := wechat.LookupKind(name)
	NewWithT(t).Expect(err).NotTo(HaveOccurred())
	return k
}

func TestDedupKeys(t *testing.T) {
	text, image, click, sub := mustKind(t, "text"), mustKind(t, "image"), mustKind(t, "click"), mustKind(t, "subscribe")
	base := wechat.Push{Kind: text, FromUserName: "o-a", CreateTime: 100, MsgID: 1}
	cases := []struct {
		name  string
		a, b  wechat.Push
		equal bool
	}{
		{"message: same MsgId is a duplicate", base, with(base, func(p *wechat.Push) { p.CreateTime = 999; p.FromUserName = "o-b" }), true},
		{"message: another MsgId is not", base, with(base, func(p *wechat.Push) { p.MsgID = 2 }), false},
		{"message: kind does not matter for MsgId", base, with(base, func(p *wechat.Push) { p.Kind = image }), true},
		{"event: same sender and time is a duplicate", with(base, func(p *wechat.Push) { p.Kind = click }), with(base, func(p *wechat.Push) { p.Kind = click; p.MsgID = 7 }), true},
		{"event: another time is not", with(base, func(p *wechat.Push) { p.Kind = click }), with(base, func(p *wechat.Push) { p.Kind = click; p.CreateTime = 101 }), false},
		{"event: another sender is not", with(base, func(p *wechat.Push) { p.Kind = click }), with(base, func(p *wechat.Push) { p.Kind = click; p.FromUserName = "o-b" }), false},
		{"event: another event in the same second is not", with(base, func(p *wechat.Push) { p.Kind = click }), with(base, func(p *wechat.Push) { p.Kind = sub }), false},
	}
	d := newDedup(0, 0)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			NewWithT(t).Expect(d.key(&c.a) == d.key(&c.b)).To(Equal(c.equal))
		})
	}
}

func with(p wechat.Push, f func(*wechat.Push)) wechat.Push {
	f(&p)
	return p
}

// TestDedupBounded checks both bounds: keys are forgotten after two
// windows, and a full generation rotates early so memory stays at most
// two generations.
func TestDedupBounded(t *testing.T) {
	g := NewWithT(t)
	text := mustKind(t, "text")
	d := newDedup(time.Minute, 100)
	t0 := time.Unix(1_700_000_000, 0)
	first := &wechat.Push{Kind: text, MsgID: 1}
	g.Expect(d.seen(first, t0)).To(BeFalse())
	g.Expect(d.seen(first, t0.Add(30*time.Second))).To(BeTrue())
	g.Expect(d.seen(first, t0.Add(90*time.Second))).To(BeTrue(), "kept in the previous generation")
	g.Expect(d.seen(first, t0.Add(150*time.Second))).To(BeFalse(), "forgotten after two windows")

	for i := range uint64(1000) {
		d.seen(&wechat.Push{Kind: text, MsgID: 1000 + i}, t0.Add(160*time.Second))
		g.Expect(d.len()).To(BeNumerically("<=", 200))
	}
	g.Expect(d.seen(&wechat.Push{Kind: text, MsgID: 1999}, t0.Add(160*time.Second))).To(BeTrue())
}

// TestEndpointDedupWindow uses the endpoint's clock: a re-delivery after
// the memory has rotated twice is processed again.
func TestEndpointDedupWindow(t *testing.T) {
	g := NewWithT(t)
	now := time.Unix(1_700_000_000, 0)
	e, err := New(Config{Account: account(wechat.Plain), DedupWindow: 15 * time.Second, Now: func() time.Time { return now }})
	g.Expect(err).NotTo(HaveOccurred())
	p := &wechat.Push{Kind: mustKind(t, "text"), MsgID: 42}
	g.Expect(e.dedup.seen(p, e.now())).To(BeFalse())
	now = now.Add(20 * time.Second)
	g.Expect(e.dedup.seen(p, e.now())).To(BeTrue())
	now = now.Add(40 * time.Second)
	g.Expect(e.dedup.seen(p, e.now())).To(BeFalse())
}
