package report

import (
	"cmp"
	"fmt"
	"io"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/wxsim/wxsim/simulator"
)

// ShardInfo describes one shard of a merged run: the results of one attack
// name in one stream. Shards run side by side (product.md §7), each with
// its own clock and start, so each has its own window.
type ShardInfo struct {
	File    string    `json:"file"`
	Attack  string    `json:"attack"`
	Results uint64    `json:"results"` // delivery attempts and blocked pushes
	Pushes  uint64    `json:"pushes"`  // first attempts
	First   time.Time `json:"first"`   // when its first push was due
	Last    time.Time `json:"last"`    // when its last push was due
	Rate    float64   `json:"rate"`    // pushes/s over its own window
}

// shardKey tells shards apart: two streams may carry the same attack name
// (two runs of the default name), and one stream several (concatenated).
type shardKey struct {
	file   int
	attack string
}

// shards tracks each shard's window while results stream by.
type shards struct {
	index map[shardKey]int
	list  []ShardInfo
}

// add counts r, whose outcome is o, in its shard.
func (s *shards) add(c *cursor, r *vegeta.Result, o *simulator.Outcome) {
	k := shardKey{c.file, r.Attack}
	i, ok := s.index[k]
	if !ok {
		if s.index == nil {
			s.index = map[shardKey]int{}
		}
		i = len(s.list)
		s.index[k] = i
		s.list = append(s.list, ShardInfo{File: c.name, Attack: r.Attack})
	}
	sh := &s.list[i]
	sh.Results++
	if o.Attempt > 1 {
		return
	}
	sh.Pushes++
	if sent := o.SentAt(); sh.Pushes == 1 || sent.Before(sh.First) {
		sh.First = sent
	}
	if sent := o.SentAt(); sent.After(sh.Last) {
		sh.Last = sent
	}
}

// rate sets each shard's rate and returns their sum: the rate the shards
// offered together. Vegeta divides all requests by the global first..last
// span instead, which understates the rate of shards whose clocks or
// starts differ (tsenart/vegeta#582).
func (s *shards) rate() float64 {
	var total float64
	for i := range s.list {
		s.list[i].Rate = windowRate(s.list[i].Pushes, s.list[i].Last.Sub(s.list[i].First))
		total += s.list[i].Rate
	}
	return total
}

// windowRate is the aggregator's rule for one window: n pushes due over a
// span are n-1 intervals, so (n-1)/span is the rate the pacer kept; a span
// under a millisecond is too short to tell.
func windowRate(n uint64, span time.Duration) float64 {
	if n < 2 || span < time.Millisecond {
		return 0
	}
	return float64(n-1) / span.Seconds()
}

// WriteShards writes one row per shard: where it came from, its counts,
// its window and its rate, then the sum, so a reader can see how the
// merged rate was reached and spot a shard that lagged or stopped early.
func WriteShards(w io.Writer, shards []ShardInfo) error {
	ew := &errWriter{w: w}
	ew.printf("Shards: %d (the achieved rate is the sum of each shard's rate over its own window)\n", len(shards))
	tw := ew.table()
	fmt.Fprintf(tw, "  file\tattack\tresults\tpushes\tfirst push\tlast push\trate\n")
	var total float64
	for _, sh := range shards {
		total += sh.Rate
		fmt.Fprintf(tw, "  %s\t%s\t%d\t%d\t%s\t%s\t%.2f/s\n", sh.File, cmp.Or(sh.Attack, "-"),
			sh.Results, sh.Pushes, stamp(sh.First), stamp(sh.Last), sh.Rate)
	}
	fmt.Fprintf(tw, "  total\t\t\t\t\t\t%.2f/s\n", total)
	ew.flush(tw)
	if ew.err != nil {
		return fmt.Errorf("write shards: %w", ew.err)
	}
	return nil
}
