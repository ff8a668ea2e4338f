package pacing

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// TestVegetaAttack runs a real one-second attack through vegeta against a
// loopback server: the pacer, not vegeta's duration, ends it.
func TestVegetaAttack(t *testing.T) {
	g := NewWithT(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte("success"))
	}))
	defer srv.Close()

	p := Constant(200, time.Second)
	atk := vegeta.NewAttacker(vegeta.Timeout(2*time.Second), vegeta.Workers(4))
	tr := vegeta.NewStaticTargeter(vegeta.Target{Method: http.MethodPost, URL: srv.URL})
	var (
		n           int
		first, last time.Time
		seen        = map[uint64]bool{}
	)
	for res := range atk.Attack(tr, p, 0, "pacing") {
		g.Expect(res.Error).To(BeEmpty())
		g.Expect(res.Code).To(Equal(uint16(http.StatusOK)))
		g.Expect(seen[res.Seq]).To(BeFalse(), "seq %d twice", res.Seq)
		seen[res.Seq] = true
		if n == 0 || res.Timestamp.Before(first) {
			first = res.Timestamp
		}
		if res.Timestamp.After(last) {
			last = res.Timestamp
		}
		n++
	}
	// Exactly 200 unless this machine fell a whole second behind.
	g.Expect(n).To(BeNumerically(">=", 190))
	g.Expect(n).To(BeNumerically("<=", 200))
	// The hits spread over the schedule (0 … 995 ms), not bunched.
	g.Expect(last.Sub(first)).To(BeNumerically("~", p.Due(uint64(n-1))-p.Due(0), 100*time.Millisecond))
}
