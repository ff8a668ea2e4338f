// Package report renders a run's results for people and machines (text,
// JSON, latency histogram, a self-contained HTML page) and reads result
// streams back, merging the shards of a distributed run.
//
// Readers stream: a result file of any size is folded into one
// simulator.Aggregator result by result, so memory grows with the seconds of
// the run, never with its number of results.
package report
