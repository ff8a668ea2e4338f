package endpoint

import (
	"encoding/binary"
	"hash/maphash"
	"sync"
	"time"

	"github.com/wxsim/wxsim/simulator/wechat"
)

// Defaults of the de-duplication memory. WeChat re-sends a push at most
// twice, each after a 5 s timeout, so every re-delivery arrives within about
// 15 s of the first; a generation of 15 s keeps each key for 15 to 30 s.
const (
	DefaultDedupWindow = 15 * time.Second
	DefaultDedupSize   = 1 << 18 // keys per generation: 15 s at about 17k pushes/s
)

// dedup remembers the pushes seen recently, so that a re-delivery is
// acknowledged without being processed twice. Memory is bounded: keys live
// in two generations of at most size keys each; the current one becomes
// the previous one when it is window old or full, and the old previous one
// is dropped. Keys are 64-bit hashes, not the strings, to keep entries small.
type dedup struct {
	seed   maphash.Seed
	window time.Duration
	size   int

	mu    sync.Mutex
	cur   map[uint64]struct{}
	prev  map[uint64]struct{}
	start time.Time // when cur began
}

func newDedup(window time.Duration, size int) *dedup {
	if window <= 0 {
		window = DefaultDedupWindow
	}
	if size <= 0 {
		size = DefaultDedupSize
	}
	return &dedup{
		seed: maphash.MakeSeed(), window: window, size: size,
		cur: make(map[uint64]struct{}), prev: make(map[uint64]struct{}),
	}
}

// seen records the push's key and reports whether it was already recorded.
func (d *dedup) seen(p *wechat.Push, now time.Time) bool {
	k := d.key(p)
	d.mu.Lock()
	defer d.mu.Unlock()
	if now.Sub(d.start) >= d.window || len(d.cur) >= d.size {
		d.rotate(now)
	}
	if _, ok := d.cur[k]; ok {
		return true
	}
	if _, ok := d.prev[k]; ok {
		return true
	}
	d.cur[k] = struct{}{}
	return false
}

// rotate makes cur the previous generation and starts an empty one,
// reusing the dropped map's storage.
func (d *dedup) rotate(now time.Time) {
	clear(d.prev)
	d.prev, d.cur = d.cur, d.prev
	d.start = now
}

// key is WeChat's de-duplication key: MsgId for messages, FromUserName and
// CreateTime for events. The kind's name is hashed in too: a real
// re-delivery has the same body, so this never misses one, and it keeps
// two different events of one follower in the same second (a subscribe
// and a click, or a load test's dense follower pool) apart.
func (d *dedup) key(p *wechat.Push) uint64 {
	var h maphash.Hash
	h.SetSeed(d.seed)
	var num [8]byte
	if p.Kind.Message && p.Kind.HasMsgID {
		h.WriteByte('m')
		binary.LittleEndian.PutUint64(num[:], p.MsgID)
	} else {
		h.WriteByte('e')
		h.WriteString(p.Kind.Name)
		h.WriteByte(0)
		h.WriteString(p.FromUserName)
		binary.LittleEndian.PutUint64(num[:], uint64(p.CreateTime))
	}
	h.Write(num[:])
	return h.Sum64()
}

// len reports how many keys are remembered, for tests of the bound.
func (d *dedup) len() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return len(d.cur) + len(d.prev)
}
