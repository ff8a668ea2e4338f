package report

import (
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/wxsim/wxsim/simulator"
)

// Merged is what reading one or more result streams yields: one run's
// summary, series and histogram, however many shards it was split into.
type Merged struct {
	Summary   *simulator.Summary
	Series    []simulator.SecondBucket
	Histogram *vegeta.Histogram // latencies of the deliveries (blocked pushes were never sent)
	Shards    []ShardInfo       // in order of first appearance
	Results   uint64            // results read, all streams
	// Foreign counts results wxsim did not write (a plain vegeta stream):
	// their outcome is guessed from the status code alone.
	Foreign uint64
}

// Stream is a named result stream, e.g. standard input.
type Stream struct {
	Name string // names the stream in errors
	R    io.Reader
}

// ReadFiles reads the result streams at paths as the shards of one run;
// see ReadStreams.
func ReadFiles(paths []string, cfg simulator.AggregatorConfig, opts ...Option) (*Merged, error) {
	streams := make([]Stream, 0, len(paths))
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			closeAll(streams)
			return nil, fmt.Errorf("read results: %w", err)
		}
		streams = append(streams, Stream{Name: p, R: f})
	}
	defer closeAll(streams)
	return ReadStreams(streams, cfg, opts...)
}

// recorded merges what the streams recorded of their runs: the first
// stream's rules, every stream's accounts, and the target rates summed (a
// shard records its share of the run's).
func (m merger) recorded() (simulator.RunInfo, bool) {
	var rec simulator.RunInfo
	found := false
	seen := map[string]bool{}
	for _, c := range m {
		ri, ok := simulator.RunInfoOf(&c.head)
		if !ok {
			continue
		}
		if !found {
			rec, found = ri, true
			rec.Accounts, rec.TargetRate = nil, 0
		}
		rec.TargetRate += ri.TargetRate
		for _, a := range ri.Accounts {
			if !seen[a.AppID] {
				seen[a.AppID] = true
				rec.Accounts = append(rec.Accounts, a)
			}
		}
	}
	return rec, found
}

// ReadStreams reads result streams (vegeta's gob, JSON or CSV encoding, as
// `wxsim attack --output` and `vegeta attack` write them) as the shards of
// one run. Every result, converted with simulator.OutcomeOf, goes to one
// Aggregator in the order results ended across all streams, streaming:
// memory grows with the run's seconds and shards, not with its results.
//
// The achieved rate is the sum of each shard's own rate over its own
// window (product.md §7), where a shard is an attack name within a stream.
// A stream that is not a result stream, or breaks off, is an error naming
// it; an empty stream is a shard with no results.
func ReadStreams(streams []Stream, cfg simulator.AggregatorConfig, opts ...Option) (*Merged, error) {
	if len(streams) == 0 {
		return nil, errNoStreams
	}
	o := newOptions(opts)
	var m merger
	for i, s := range streams {
		c, err := openCursor(s.Name, i, s.R)
		if err != nil {
			return nil, fmt.Errorf("read results: %w", err)
		} else if c != nil {
			m = append(m, c)
		}
	}
	if o.replay != nil {
		rec, found := m.recorded()
		cfg = o.replay(rec, found)
	}
	f := newFold(cfg, o.buckets)
	if err := m.each(f.add); err != nil {
		return nil, fmt.Errorf("read results: %w", err)
	}
	return f.close(), nil
}

// fold accumulates the results of a merge.
type fold struct {
	agg    *simulator.Aggregator
	hist   *vegeta.Histogram
	shards shards
	end    time.Time // the latest end of a result
	merged Merged
}

func newFold(cfg simulator.AggregatorConfig, buckets vegeta.Buckets) *fold {
	return &fold{agg: simulator.NewAggregator(cfg),
		hist: &vegeta.Histogram{Buckets: buckets, Counts: make([]uint64, len(buckets))}}
}

// add counts one result everywhere; r is reused by the caller.
func (f *fold) add(c *cursor, r *vegeta.Result) {
	o, ours := simulator.OutcomeOf(r)
	f.merged.Results++
	if !ours {
		f.merged.Foreign++
	}
	f.agg.Add(&o)
	f.shards.add(c, r, &o)
	if o.Class != simulator.Blocked {
		f.hist.Add(r)
	}
	if e := r.End(); e.After(f.end) {
		f.end = e
	}
}

// close ends the run at its last result, raising the alarms of windows
// still open, and puts the per-shard rate on the summary.
func (f *fold) close() *Merged {
	f.agg.Close(f.end)
	m := f.merged
	m.Summary = f.agg.Summary()
	m.Summary.Rate.Achieved = f.shards.rate()
	m.Series = f.agg.Series()
	m.Histogram = f.hist
	m.Shards = f.shards.list
	return &m
}

// closeAll closes the streams that can be closed.
func closeAll(streams []Stream) {
	for _, s := range streams {
		if c, ok := s.R.(io.Closer); ok {
			_ = c.Close()
		}
	}
}

// errNoStreams is returned when there is nothing to read.
var errNoStreams = errors.New("read results: no result streams given")
