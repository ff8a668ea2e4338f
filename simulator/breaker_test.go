package simulator

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"

	. "github.com/onsi/gomega"
)

// aggT0 is a whole second, so tests know which per-second bucket a time is in.
var aggT0 = time.Date(2026, 12, 4, 20, 12, 0, 0, time.UTC)

// feedBreaker records oks then fails at instant at, returning the 1-based index
// of the record that tripped the breaker (0 for none) and its block.
func feedBreaker(b *Breaker, at time.Time, oks, fails int) (int, *Block) {
	for i := 1; i <= oks+fails; i++ {
		if blk := b.Record(at, i > oks); blk != nil {
			return i, blk
		}
	}
	return 0, nil
}

func TestBreakerTripsExactlyAtRule(t *testing.T) {
	for _, tc := range []struct {
		name      string
		oks       int
		fails     int
		wantTrip  int // index of the tripping record, 0 for none
		wantTotal int
	}{
		{"99 failures, none ok: too few", 0, 99, 0, 0},
		{"100 failures, none ok", 0, 100, 100, 100},
		{"100 failures at 50%", 100, 100, 200, 200},
		{"100 failures at 40%", 150, 100, 0, 0},
		{"99 failures at 50%", 99, 99, 0, 0},
		{"more failures than needed: trips at the 100th", 0, 150, 100, 100},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := NewWithT(t)
			b := NewBreaker(DefaultMarkFailRule())
			at, blk := feedBreaker(b, aggT0, tc.oks, tc.fails)
			g.Expect(at).To(Equal(tc.wantTrip))
			if tc.wantTrip == 0 {
				g.Expect(blk).To(BeNil())
				g.Expect(b.Blocked(aggT0)).To(BeFalse())
				return
			}
			g.Expect(blk.Failures).To(Equal(100))
			g.Expect(blk.Deliveries).To(Equal(tc.wantTotal))
			g.Expect(blk.Start).To(Equal(aggT0))
			g.Expect(blk.End).To(Equal(aggT0.Add(time.Minute)))
			g.Expect(blk.Window).To(Equal("60s"))
		})
	}
}

func TestBreakerRatioIsExactForDecimalRules(t *testing.T) {
	g := NewWithT(t)
	// 30/100 must meet a 0.3 ratio although 0.3*100 > 30 in floating point.
	b := NewBreaker(MarkFailRule{Window: time.Minute, MinFailures: 30, MinRatio: 0.3, Block: time.Minute})
	at, _ := feedBreaker(b, aggT0, 70, 30)
	g.Expect(at).To(Equal(100))
}

func TestBreakerWindowSlides(t *testing.T) {
	for _, tc := range []struct {
		name string
		gap  time.Duration
		trip bool
	}{
		{"second half 59s later: both halves in the window", 59 * time.Second, true},
		{"second half 59.9s later, same bucket as 59s", 59*time.Second + 900*time.Millisecond, true},
		{"second half 60s later: first half slid out", 60 * time.Second, false},
		{"second half 10m later", 10 * time.Minute, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := NewWithT(t)
			b := NewBreaker(DefaultMarkFailRule())
			at, _ := feedBreaker(b, aggT0, 0, 60)
			g.Expect(at).To(BeZero())
			at, _ = feedBreaker(b, aggT0.Add(tc.gap), 0, 60)
			g.Expect(at > 0).To(Equal(tc.trip))
		})
	}
}

func TestBreakerSpreadOverTheWindow(t *testing.T) {
	g := NewWithT(t)
	b := NewBreaker(DefaultMarkFailRule())
	// Two failures and two oks a second: 50 % failures, 100 failures after
	// 50 seconds, all still in the 60 s window.
	for s := 0; s < 50; s++ {
		at, _ := feedBreaker(b, aggT0.Add(time.Duration(s)*time.Second), 2, 2)
		if s < 49 {
			g.Expect(at).To(BeZero(), "second %d", s)
		} else {
			g.Expect(at).To(Equal(4))
		}
	}
}

func TestBreakerDropsRecordsOlderThanTheWindow(t *testing.T) {
	g := NewWithT(t)
	b := NewBreaker(DefaultMarkFailRule())
	feedBreaker(b, aggT0.Add(2*time.Minute), 1, 0)
	// Late reports of failures long past must not count.
	at, _ := feedBreaker(b, aggT0, 0, 200)
	g.Expect(at).To(BeZero())
	// Out of order but inside the window: they count.
	at, _ = feedBreaker(b, aggT0.Add(2*time.Minute-30*time.Second), 0, 100)
	g.Expect(at).To(Equal(100))
}

func TestBreakerBlockLastsBlockThenCountsAfresh(t *testing.T) {
	g := NewWithT(t)
	rule := DefaultMarkFailRule()
	rule.Block = 30 * time.Second
	b := NewBreaker(rule)
	trip := aggT0.Add(500 * time.Millisecond)
	at, blk := feedBreaker(b, trip, 0, 100)
	g.Expect(at).To(Equal(100))
	g.Expect(blk.End).To(Equal(trip.Add(30 * time.Second)))

	g.Expect(b.Blocked(trip.Add(-time.Nanosecond))).To(BeFalse())
	g.Expect(b.Blocked(trip)).To(BeTrue())
	g.Expect(b.Blocked(blk.End.Add(-time.Nanosecond))).To(BeTrue())
	g.Expect(b.Blocked(blk.End)).To(BeFalse())

	// Deliveries in flight when the block began end during it: ignored.
	at, _ = feedBreaker(b, trip.Add(time.Second), 0, 500)
	g.Expect(at).To(BeZero())
	// After the block: the failures before it no longer count.
	at, _ = feedBreaker(b, blk.End, 0, 99)
	g.Expect(at).To(BeZero())
	at, blk2 := feedBreaker(b, blk.End.Add(time.Second), 0, 1)
	g.Expect(at).To(Equal(1))
	g.Expect(blk2.Failures).To(Equal(100))
	g.Expect(blk2.Start).To(Equal(blk.End.Add(time.Second)))
}

func TestBreakerBlockedIsSafeConcurrently(t *testing.T) {
	g := NewWithT(t)
	b := NewBreaker(DefaultMarkFailRule())
	second := aggT0.Add(2 * time.Minute)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var sawFirst, sawSecond atomic.Int32 // bit per reader
	for w := range 4 {
		wg.Add(1)
		go func() { // a transport worker checking the gate before each push
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				if b.Blocked(aggT0.Add(time.Second)) {
					sawFirst.Or(1 << w)
				}
				if b.Blocked(second.Add(time.Second)) {
					sawSecond.Or(1 << w)
				}
			}
		}()
	}
	feedBreaker(b, aggT0, 0, 100)
	g.Eventually(sawFirst.Load).WithTimeout(5 * time.Second).Should(Equal(int32(0xf)))
	feedBreaker(b, second, 0, 100)
	g.Eventually(sawSecond.Load).WithTimeout(5 * time.Second).Should(Equal(int32(0xf)))
	close(stop)
	wg.Wait()
	g.Expect(b.Blocked(aggT0.Add(time.Second))).To(BeFalse(), "only the latest block stops pushes")
}

func TestBreakerRuleStringAndValidate(t *testing.T) {
	g := NewWithT(t)
	g.Expect(DefaultMarkFailRule().String()).To(Equal("100 failures and 50% of deliveries in 60s, block 60s"))
	g.Expect(MarkFailRule{Window: 5 * time.Minute, MinFailures: 80, MinRatio: 0.125, Block: 90 * time.Second}.String()).
		To(Equal("80 failures and 12.5% of deliveries in 5m, block 1m30s"))
	g.Expect(DefaultMarkFailRule().Validate()).To(Succeed())
	for _, bad := range []MarkFailRule{
		{Window: 500 * time.Millisecond, MinFailures: 1, MinRatio: 0.5, Block: time.Second},
		{Window: time.Second, MinFailures: 0, MinRatio: 0.5, Block: time.Second},
		{Window: time.Second, MinFailures: 1, MinRatio: 1.5, Block: time.Second},
		{Window: time.Second, MinFailures: 1, MinRatio: 0.5, Block: 0},
	} {
		g.Expect(bad.Validate()).To(HaveOccurred(), "%+v", bad)
	}
}

// BenchmarkBreakerBlocked is the gate's cost per push, from parallel workers.
func BenchmarkBreakerBlocked(b *testing.B) {
	br := NewBreaker(DefaultMarkFailRule())
	feedBreaker(br, aggT0, 0, 100)
	at := aggT0.Add(time.Second)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if !br.Blocked(at) {
				b.Error("not blocked")
			}
		}
	})
}
