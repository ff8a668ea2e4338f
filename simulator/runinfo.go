package simulator

import (
	"encoding/json"
	"net/http"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// hdrRun carries a RunInfo, as JSON, on the first result of every stream a
// run writes: once per stream, not per result, so it costs nothing per
// push, and a stream read on its own still knows how it was made.
const hdrRun = "X-Wxsim-Run"

// RunInfo is what a result stream records of the run that wrote it, so that
// `wxsim report` replays the MarkFail breaker and the alarm windows with
// the rules the run used, not with defaults, and reports the rate asked
// and the accounts' nicknames. It holds no secret: appids and nicknames
// only.
type RunInfo struct {
	MarkFail   MarkFailRule  `json:"markfail"`
	Alarm      AlarmRule     `json:"alarm"`
	Limits     Limits        `json:"limits"`
	Retries    int           `json:"retries"`
	KeepAlive  bool          `json:"keepalive"`
	Accounts   []AccountInfo `json:"accounts"`
	TargetRate float64       `json:"target_rate"` // this stream's share, for a shard
}

// runInfoOf is the record of an aggregator configuration.
func runInfoOf(c AggregatorConfig) RunInfo {
	return RunInfo{MarkFail: c.MarkFail, Alarm: c.Alarm, Limits: c.Limits, Retries: c.Retries,
		KeepAlive: c.KeepAlive, Accounts: c.Accounts, TargetRate: c.TargetRate}
}

// Config is the aggregator configuration that replays the recorded run.
func (ri RunInfo) Config() AggregatorConfig {
	return AggregatorConfig{MarkFail: ri.MarkFail, Alarm: ri.Alarm, Limits: ri.Limits, Retries: ri.Retries,
		KeepAlive: ri.KeepAlive, Accounts: ri.Accounts, TargetRate: ri.TargetRate}
}

// Record puts ri on r, which should be the first result of its stream (a
// run records itself once per stream).
func (ri RunInfo) Record(r *vegeta.Result) {
	b, err := json.Marshal(ri)
	if err != nil { // plain data: cannot fail
		return
	}
	if r.Headers == nil {
		r.Headers = http.Header{}
	}
	r.Headers[hdrRun] = []string{string(b)}
}

// DropRunInfo removes the run record from r, for a writer that joins several
// runs into one stream and records the whole once.
func DropRunInfo(r *vegeta.Result) { delete(r.Headers, hdrRun) }

// RunInfoOf returns the run record a result carries, if it is the first
// result of a stream wxsim wrote; ok is false otherwise (a later result,
// or a plain vegeta result).
func RunInfoOf(r *vegeta.Result) (ri RunInfo, ok bool) {
	v := http.Header(r.Headers).Get(hdrRun)
	if v == "" {
		return RunInfo{}, false
	}
	if err := json.Unmarshal([]byte(v), &ri); err != nil {
		return RunInfo{}, false
	}
	return ri, true
}
