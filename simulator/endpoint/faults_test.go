package endpoint

import (
	"errors"
	"net"
	"sync"
	"syscall"
	"testing"
	"time"

	. "github.com/onsi/gomega"

	"github.com/wxsim/wxsim/simulator/wechat"
)

// TestAnswerFaults checks that each answer fault is judged as the failure
// it drills.
func TestAnswerFaults(t *testing.T) {
	cases := []struct {
		behaviour string
		mode      wechat.Mode
		kind      string
		reason    wechat.Reason // ReasonNone: the reply must be valid
		status    int
		body      string // exact body, when it is fixed
	}{
		{"error500", wechat.Plain, "click", wechat.ReasonHTTPStatus, 500, "Error 500:"},
		{"error500", wechat.Safe, "text", wechat.ReasonHTTPStatus, 500, "Error 500:"},
		{"badxml", wechat.Plain, "text", wechat.ReasonNotXML, 200, ""},
		{"badxml", wechat.Safe, "subscribe", wechat.ReasonNotXML, 200, ""},
		{"json", wechat.Plain, "text", wechat.ReasonNotXML, 200, `{"errcode":0,"errmsg":"ok"}`},
		{"wrongswap", wechat.Plain, "text", wechat.ReasonWrongSwap, 200, ""},
		{"wrongswap", wechat.Safe, "text", wechat.ReasonWrongSwap, 200, ""},
		{"wrongswap", wechat.Plain, "click", wechat.ReasonNone, 200, "success"},
		{"plainreply", wechat.Safe, "text", wechat.ReasonUnencrypted, 200, ""},
		{"plainreply", wechat.Compat, "text", wechat.ReasonNone, 200, ""},
		{"plainreply", wechat.Plain, "text", wechat.ReasonNone, 200, ""},
	}
	for _, c := range cases {
		t.Run(c.behaviour+"/"+c.mode.String()+"/"+c.kind, func(t *testing.T) {
			g := NewWithT(t)
			r := newRig(t, c.mode, c.behaviour)
			rep, v := r.post(r.newPush(c.kind))
			g.Expect(rep.status).To(Equal(c.status))
			g.Expect(v.Reason).To(Equal(c.reason), "verdict %+v, body %q", v, rep.body)
			if c.body != "" {
				g.Expect(string(rep.body)).To(Equal(c.body))
			}
			g.Expect(r.e.Stats().Pushes).To(BeEquivalentTo(1), "a broken answer still counts the push")
		})
	}
}

func TestError500BodyIsTenBytes(t *testing.T) {
	NewWithT(t).Expect(Error500Body).To(HaveLen(10))
}

// TestUnsigned accepts pushes whatever their signatures, and still
// answers them correctly.
func TestUnsigned(t *testing.T) {
	for _, m := range wechat.Modes() {
		t.Run(m.String(), func(t *testing.T) {
			g := NewWithT(t)
			r := newRig(t, m, "unsigned")
			p := r.newPush("text")
			tamper := replaceParam("signature", "0000")
			if m.Encrypted() {
				tamper = func(q []byte) []byte {
					return replaceParam("msg_signature", "0000")(replaceParam("signature", "0000")(q))
				}
			}
			rep := r.do(r.request(p, tamper))
			g.Expect(rep.err).NotTo(HaveOccurred())
			v := r.codec.Judge(rep.status, rep.body, p)
			g.Expect(v.OK()).To(BeTrue(), "verdict %+v, body %q", v, rep.body)
			g.Expect(v.ReplyType).To(Equal("text"))
		})
	}
}

func TestSlow(t *testing.T) {
	g := NewWithT(t)
	r := newRig(t, wechat.Safe, "slow=200ms")
	rep, v := r.post(r.newPush("text"))
	g.Expect(v.OK()).To(BeTrue(), "verdict %+v", v)
	g.Expect(rep.latency).To(BeNumerically(">=", 200*time.Millisecond))
	g.Expect(rep.latency).To(BeNumerically("<", 2*time.Second))
}

func TestFlaky(t *testing.T) {
	g := NewWithT(t)
	r := newRig(t, wechat.Plain, "flaky=0.5")
	const n = 200
	failed := 0
	for range n {
		rep, v := r.post(r.newPush("click"))
		switch {
		case v.OK():
		case rep.status == 500 && string(rep.body) == "Error 500:":
			failed++
		default:
			t.Fatalf("flaky answered neither correctly nor Error 500: %d %q", rep.status, rep.body)
		}
	}
	// Binomial(200, 0.5) has a standard deviation of about 7.
	g.Expect(failed).To(BeNumerically("~", n/2, 30))
	g.Expect(r.e.Stats().Faults).To(BeEquivalentTo(failed))
}

// TestFlakyIsSeeded replays the same draws for the same seed.
func TestFlakyIsSeeded(t *testing.T) {
	draws := func(seed int64) []bool {
		f := newFlakes(0.3, seed)
		out := make([]bool, 64)
		for i := range out {
			out[i] = f.fail()
		}
		return out
	}
	g := NewWithT(t)
	g.Expect(draws(7)).To(Equal(draws(7)))
	g.Expect(draws(7)).NotTo(Equal(draws(8)))
}

func TestHang(t *testing.T) {
	g := NewWithT(t)
	r := newRig(t, wechat.Plain, "hang")
	r.client.Timeout = 200 * time.Millisecond
	rep := r.do(r.request(r.newPush("text"), nil))
	var ne net.Error
	g.Expect(errors.As(rep.err, &ne) && ne.Timeout()).To(BeTrue(), "want a client timeout, got %v", rep.err)
	g.Expect(rep.latency).To(BeNumerically("<", time.Second))
	g.Eventually(func() int64 { return r.e.Stats().Faults }).Should(BeEquivalentTo(1))
}

func TestReset(t *testing.T) {
	g := NewWithT(t)
	r := newRig(t, wechat.Plain, "reset")
	rep := r.do(r.request(r.newPush("text"), nil))
	g.Expect(errors.Is(rep.err, syscall.ECONNRESET)).To(BeTrue(), "want connection reset by peer, got %v", rep.err)
	g.Expect(r.e.Stats().Pushes).To(BeEquivalentTo(1))
}

func TestBlackhole(t *testing.T) {
	g := NewWithT(t)
	b, err := ParseBehaviour("blackhole")
	g.Expect(err).NotTo(HaveOccurred())
	ln, err := Listen("127.0.0.1:0", b)
	g.Expect(err).NotTo(HaveOccurred())
	defer ln.Close()
	start := time.Now()
	_, err = net.DialTimeout("tcp", ln.Addr().String(), 300*time.Millisecond)
	took := time.Since(start)
	var ne net.Error
	g.Expect(errors.As(err, &ne) && ne.Timeout()).To(BeTrue(), "want a connect timeout, got %v", err)
	g.Expect(took).To(BeNumerically("~", 300*time.Millisecond, 150*time.Millisecond))
}

// TestCapacity offers 100 concurrent pushes to capacity=50: they are
// served one every 20 ms, so the last is answered after about 2 s and
// latency climbs with the queue.
func TestCapacity(t *testing.T) {
	g := NewWithT(t)
	r := newRig(t, wechat.Plain, "capacity=50")
	const n = 100
	latencies := make([]time.Duration, n)
	var wg sync.WaitGroup
	start := time.Now()
	for i := range n {
		req := r.request(r.newPush("click"), nil)
		wg.Go(func() {
			rep := r.do(req)
			if rep.err == nil && rep.status == 200 {
				latencies[i] = rep.latency
			}
		})
	}
	wg.Wait()
	total := time.Since(start)
	g.Expect(total).To(BeNumerically("~", 2*time.Second, 500*time.Millisecond))
	lo, hi := latencies[0], latencies[0]
	for _, l := range latencies {
		g.Expect(l).NotTo(BeZero(), "every push is answered")
		lo, hi = min(lo, l), max(hi, l)
	}
	g.Expect(lo).To(BeNumerically("<", 300*time.Millisecond))
	g.Expect(hi).To(BeNumerically(">", 1500*time.Millisecond))
	g.Expect(r.e.Stats().Pushes).To(BeEquivalentTo(n))
}
