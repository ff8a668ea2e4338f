package report

import (
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/wxsim/wxsim/simulator"
)

// Option tunes how a report renders, or how result streams are read.
type Option func(*options)

// options are the settings every renderer shares; each uses the ones that
// apply to it.
type options struct {
	lang    string         // alarm language, "en" or "zh"
	markers []Marker       // extra vertical markers on the HTML charts
	buckets vegeta.Buckets // the latency histogram's buckets, when reading
	replay  ReplayFunc     // picks the replay's configuration from the recorded run
}

// ReplayFunc picks the configuration to replay result streams with, given
// what they recorded of their run (found is false for streams that record
// nothing, such as plain vegeta results).
type ReplayFunc func(recorded simulator.RunInfo, found bool) simulator.AggregatorConfig

// Replay has the streams replayed with the configuration f returns from the
// run they recorded, instead of the configuration passed to ReadStreams:
// the run's own MarkFail and alarm rules, limits, accounts and target rate,
// with whatever the caller overrides.
func Replay(f ReplayFunc) Option {
	return func(o *options) { o.replay = f }
}

// Marker is a labelled instant drawn as a vertical line on the HTML report's
// time axes, for events the summary does not hold (a capacity run's knee, a
// stage change).
type Marker struct {
	Time  time.Time `json:"time"`
	Label string    `json:"label"`
}

// Lang renders alarms in lang: "en" (the default) or "zh".
func Lang(lang string) Option {
	return func(o *options) { o.lang = lang }
}

// Markers adds vertical markers to the HTML report's time axes.
func Markers(ms ...Marker) Option {
	return func(o *options) { o.markers = append(o.markers, ms...) }
}

// Buckets sets the latency histogram's buckets when reading result
// streams (default DefaultBuckets); see ParseBuckets.
func Buckets(bs vegeta.Buckets) Option {
	return func(o *options) { o.buckets = bs }
}

// newOptions applies opts over the defaults.
func newOptions(opts []Option) options {
	o := options{lang: "en", buckets: defaultBuckets()}
	for _, opt := range opts {
		opt(&o)
	}
	return o
}
