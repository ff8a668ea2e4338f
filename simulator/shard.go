package simulator

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/wxsim/wxsim/simulator/pacing"
)

// Shard is one of the N parts a run larger than one machine is split into
// (product.md §7): `--shard I/N`, I counted from 0 as a Kubernetes Indexed
// Job numbers its pods (JOB_COMPLETION_INDEX).
type Shard struct {
	I, N int
}

// shardMsgStride separates the shards' MsgId ranges: each shard may make
// 2^40 pushes (a year at 30 000/s) before it would meet the next one's.
const shardMsgStride = 1 << 40

// ParseShard reads "I/N", with 0 <= I < N.
func ParseShard(s string) (Shard, error) {
	is, ns, ok := strings.Cut(s, "/")
	i, ierr := strconv.Atoi(strings.TrimSpace(is))
	n, nerr := strconv.Atoi(strings.TrimSpace(ns))
	switch {
	case !ok || ierr != nil || nerr != nil:
		return Shard{}, fmt.Errorf("shard %q: want I/N, e.g. 0/4", s)
	case n < 1 || n > 1<<20:
		return Shard{}, fmt.Errorf("shard %q: N must be 1 to %d", s, 1<<20)
	case i < 0 || i >= n:
		return Shard{}, fmt.Errorf("shard %q: I must be 0 to N-1 (shards are counted from 0)", s)
	}
	return Shard{I: i, N: n}, nil
}

// String renders the shard as ParseShard reads it.
func (s Shard) String() string { return strconv.Itoa(s.I) + "/" + strconv.Itoa(s.N) }

// Apply turns a plan for the whole run into this shard's part of it:
//   - the rate: the shard offers every N-th push of the schedule, from the
//     I-th on, so the N shards together offer exactly the pushes of the
//     whole plan, at 1/N of its rate each, whatever its stages;
//   - the followers: a contiguous 1/N slice of the follower space;
//   - the MsgIds: a range of their own (shardMsgStride apart);
//   - the attack name: "<name>-shard-I-of-N", so merged result files tell
//     the shards apart (vegeta keys plots and windows by attack name).
//
// A closed loop (--rate 0) has no rate to split: each shard runs its own
// workers. Every account of a multi-account plan is split alike. Apply
// fails when an account has fewer followers than there are shards.
func (s Shard) Apply(p *Plan) error {
	if s.N < 1 || s.I < 0 || s.I >= s.N {
		return fmt.Errorf("shard %s: out of range", s)
	}
	if s.N == 1 {
		return nil
	}
	q := *p // the plan changes only when every account could be split
	q.Accounts = slices.Clone(p.Accounts)
	if err := s.applyLoad(&q.Followers, &q.MsgBase, &q.Pacer); err != nil {
		return err
	}
	for i := range q.Accounts {
		l := &q.Accounts[i]
		if err := s.applyLoad(&l.Followers, &l.MsgBase, &l.Pacer); err != nil {
			return fmt.Errorf("account %s: %w", l.Account.AppID, err)
		}
		if l.Name != "" {
			l.Name = s.name(l.Name)
		}
	}
	q.Name = s.name(q.Name)
	*p = q
	return nil
}

// applyLoad splits one account's followers, MsgIds and rate.
func (s Shard) applyLoad(f *Followers, msgBase *uint64, pacer *pacing.Pacer) error {
	if *pacer == nil {
		return errors.New("shard: no rate")
	}
	if f.n < uint64(s.N) {
		return fmt.Errorf("shard %s: %d followers cannot be split into %d shards", s, f.n, s.N)
	}
	lo, hi := sliceBound(f.n, s.I, s.N), sliceBound(f.n, s.I+1, s.N)
	*f = NewFollowers(f.first+lo, hi-lo, f.salt)
	*msgBase += uint64(s.I) * shardMsgStride
	if !math.IsInf((*pacer).Rate(0), 1) {
		*pacer = &shardPacer{inner: *pacer, i: uint64(s.I), n: uint64(s.N)}
	}
	return nil
}

// name is the shard's attack name for a run's name.
func (s Shard) name(run string) string {
	return run + "-shard-" + strconv.Itoa(s.I) + "-of-" + strconv.Itoa(s.N)
}

// sliceBound is where slice k of n of a space of size total begins.
func sliceBound(total uint64, k, n int) uint64 {
	q, r := total/uint64(n), total%uint64(n)
	return q*uint64(k) + r*uint64(k)/uint64(n)
}

// shardPacer offers hits i, i+n, i+2n, ... of the inner schedule, at their
// own due times: the shard's hit k is the whole run's hit k·n+i.
type shardPacer struct {
	inner pacing.Pacer
	i, n  uint64
}

var _ pacing.Pacer = (*shardPacer)(nil)

// Due is when the shard's hit was due in the whole run's schedule.
func (s *shardPacer) Due(hit uint64) time.Duration {
	if hit > (math.MaxUint64-s.i)/s.n {
		return pacing.Never
	}
	return s.inner.Due(hit*s.n + s.i)
}

// Pace waits until the shard's next hit is due, as the schedule's own
// pacer does, and stops when the schedule offers the shard no more.
func (s *shardPacer) Pace(elapsed time.Duration, hits uint64) (time.Duration, bool) {
	if total := s.Hits(); (total > 0 && hits >= total) || (s.Duration() > 0 && elapsed >= s.Duration()) {
		return 0, true
	}
	due := s.Due(hits)
	switch {
	case due == pacing.Never:
		return 0, true
	case due <= elapsed:
		return 0, false
	}
	return due - elapsed, false
}

// Rate is 1/n of the whole run's rate.
func (s *shardPacer) Rate(elapsed time.Duration) float64 { return s.inner.Rate(elapsed) / float64(s.n) }

// Duration is the whole run's.
func (s *shardPacer) Duration() time.Duration { return s.inner.Duration() }

// Hits is the shard's share of a bounded schedule's hits (0: unbounded,
// or none left for this shard).
func (s *shardPacer) Hits() uint64 {
	h := s.inner.Hits()
	if h <= s.i {
		return 0
	}
	return (h - s.i + s.n - 1) / s.n
}

// String describes the shard's schedule for run headers.
func (s *shardPacer) String() string {
	return fmt.Sprintf("shard %d/%d of %v", s.i, s.n, s.inner)
}
