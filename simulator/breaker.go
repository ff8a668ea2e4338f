package simulator

import (
	"fmt"
	"math"
	"strconv"
	"sync/atomic"
	"time"
)

// MarkFailRule is when WeChat's MarkFail (自动屏蔽) blocks an account: when,
// within the last Window, at least MinFailures deliveries failed and they are
// at least MinRatio of the deliveries, pushing stops for Block. WeChat
// publishes no threshold (only the one-minute block is official), so the rule
// is an assumption printed with every run.
type MarkFailRule struct {
	Window      time.Duration // the sliding window failures are counted in
	MinFailures int           // failed deliveries needed in the window
	MinRatio    float64       // failed share of the window's deliveries needed, 0..1
	Block       time.Duration // how long pushing stops
}

// DefaultMarkFailRule is wxsim's assumption: 100 failures and 50 % of the
// deliveries in 60 s block pushing for 60 s.
func DefaultMarkFailRule() MarkFailRule {
	return MarkFailRule{Window: time.Minute, MinFailures: 100, MinRatio: 0.5, Block: time.Minute}
}

// String describes the rule the way the summary's assumptions print it, e.g.
// "100 failures and 50% of deliveries in 60s, block 60s".
func (r MarkFailRule) String() string {
	pct := strconv.FormatFloat(r.MinRatio*100, 'f', -1, 64)
	return fmt.Sprintf("%d failures and %s%% of deliveries in %s, block %s",
		r.MinFailures, pct, trimDuration(r.Window), trimDuration(r.Block))
}

// Validate reports a rule that cannot work, naming the field.
func (r MarkFailRule) Validate() error {
	switch {
	case r.Window < time.Second:
		return fmt.Errorf("markfail window %s: must be at least 1s (failures are counted per second)", r.Window)
	case r.MinFailures < 1:
		return fmt.Errorf("markfail failures %d: must be at least 1", r.MinFailures)
	case !(r.MinRatio > 0 && r.MinRatio <= 1):
		return fmt.Errorf("markfail ratio %g: must be above 0 and at most 1", r.MinRatio)
	case r.Block <= 0:
		return fmt.Errorf("markfail block %s: must be positive", r.Block)
	}
	return nil
}

// withDefaults fills the zero fields from DefaultMarkFailRule.
func (r MarkFailRule) withDefaults() MarkFailRule {
	d := DefaultMarkFailRule()
	if r.Window <= 0 {
		r.Window = d.Window
	}
	if r.MinFailures <= 0 {
		r.MinFailures = d.MinFailures
	}
	if r.MinRatio <= 0 {
		r.MinRatio = d.MinRatio
	}
	if r.Block <= 0 {
		r.Block = d.Block
	}
	return r
}

// Breaker is the MarkFail breaker of one account. Record is called by one
// goroutine (the aggregator) with every delivery; Blocked is called by the
// transport workers before every push, from any goroutine.
//
// Deliveries are counted in a ring of per-second buckets covering Window, so
// its memory is constant whatever the rate; the window slides by whole
// seconds.
type Breaker struct {
	rule    MarkFailRule
	buckets []breakerBucket // ring indexed by unix second mod len
	last    int64           // newest second recorded, or math.MinInt64
	fails   int             // failures in the window
	total   int             // deliveries in the window

	// block is the latest block, in unix ns (nil: never blocked). It is the
	// only field other goroutines read; a trip publishes a new one.
	block atomic.Pointer[blockSpan]
}

// blockSpan is a block's [start, end) in unix ns.
type blockSpan struct{ start, end int64 }

type breakerBucket struct{ fails, total int }

// NewBreaker returns a breaker for rule; a Window under one second counts
// as one second.
func NewBreaker(r MarkFailRule) *Breaker {
	n := int((r.Window + time.Second - 1) / time.Second)
	b := &Breaker{rule: r, buckets: make([]breakerBucket, max(n, 1))}
	b.reset()
	return b
}

// Rule returns the breaker's rule.
func (b *Breaker) Rule() MarkFailRule { return b.rule }

// Blocked reports whether a push due at t falls in the latest block. It is
// one atomic load, safe and cheap from any goroutine.
func (b *Breaker) Blocked(t time.Time) bool {
	sp := b.block.Load()
	if sp == nil {
		return false
	}
	ns := t.UnixNano()
	return sp.start <= ns && ns < sp.end
}

// blockedUntil returns the end of the latest block in unix ns, 0 for none.
func (b *Breaker) blockedUntil() int64 {
	if sp := b.block.Load(); sp != nil {
		return sp.end
	}
	return 0
}

// Record counts one delivery observed at t (when its reply or failure was
// seen) and returns the new Block when this delivery trips the breaker.
//
// Deliveries observed during a block (those in flight when it began) are
// ignored, and the counts start afresh after the block: WeChat lifts the
// block after its minute and judges the account anew, rather than blocking
// again at once for failures it already punished.
func (b *Breaker) Record(t time.Time, failed bool) *Block {
	if !b.observe(t.UnixNano(), failed) {
		return nil
	}
	return b.trip(t)
}

// observe counts a delivery seen at ns (unix) and reports whether the
// breaker must trip; the aggregator calls it directly to spare a
// time.Time per delivery.
func (b *Breaker) observe(ns int64, failed bool) bool {
	if ns < b.blockedUntil() || !b.count(ns/int64(time.Second), failed) {
		return false
	}
	return b.fails >= b.rule.MinFailures && b.total > 0 &&
		float64(b.fails)/float64(b.total) >= b.rule.MinRatio
}

// trip starts a block at t (when observe said so) and empties the window.
func (b *Breaker) trip(t time.Time) *Block {
	blk := &Block{Start: t, End: t.Add(b.rule.Block), Failures: b.fails, Deliveries: b.total,
		Window: trimDuration(b.rule.Window)}
	b.block.Store(&blockSpan{start: t.UnixNano(), end: blk.End.UnixNano()})
	b.reset()
	return blk
}

// count adds a delivery to the bucket of sec, sliding the window forward
// when sec is new. A delivery older than the window is dropped (false).
func (b *Breaker) count(sec int64, failed bool) bool {
	n := int64(len(b.buckets))
	if sec > b.last {
		b.advance(sec)
	} else if sec <= b.last-n {
		return false
	}
	bk := &b.buckets[ringIndex(sec, n)]
	bk.total++
	b.total++
	if failed {
		bk.fails++
		b.fails++
	}
	return true
}

// advance moves the window's newest second to sec, emptying the buckets of
// the seconds that fell out of it.
func (b *Breaker) advance(sec int64) {
	n := int64(len(b.buckets))
	from := max(b.last+1, sec-n+1)
	if b.last == math.MinInt64 || sec-b.last >= n {
		from = sec - n + 1
	}
	for s := from; s <= sec; s++ {
		bk := &b.buckets[ringIndex(s, n)]
		b.fails -= bk.fails
		b.total -= bk.total
		*bk = breakerBucket{}
	}
	b.last = sec
}

// reset empties the window.
func (b *Breaker) reset() {
	clear(b.buckets)
	b.last, b.fails, b.total = math.MinInt64, 0, 0
}

// ringIndex is the non-negative remainder of a by n, so that seconds before
// 1970 (zero times in tests) index the ring too.
func ringIndex(a, n int64) int64 {
	if m := a % n; m >= 0 {
		return m
	}
	return a%n + n
}
