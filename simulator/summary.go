package simulator

import "time"

// Summary is the result of a run: the JSON summary of product.md §4. Its keys
// are stable: add keys, never rename them.
type Summary struct {
	Pushes     uint64            `json:"pushes"`     // pushes due (first attempts, blocked ones included)
	Deliveries uint64            `json:"deliveries"` // attempts actually sent
	Lost       uint64            `json:"lost"`       // pushes whose deliveries all failed, or that were blocked
	Late       uint64            `json:"late"`       // pushes sent later than scheduled beyond the tolerance
	Unsent     uint64            `json:"unsent"`     // pushes due before the end that the generator never sent
	Outcomes   map[string]uint64 `json:"outcomes"`   // attempts by class, plus blocked pushes
	Reasons    map[string]uint64 `json:"reasons"`    // response failures by reason
	Retries    uint64            `json:"retries"`    // deliveries beyond the first of their push
	Rate       RateSummary       `json:"rate"`
	LatencyMS  LatencySummary    `json:"latency_ms"`
	Kinds      map[string]uint64 `json:"kinds"` // pushes by kind
	MarkFail   []Block           `json:"markfail"`
	Alarms     []Alarm           `json:"alarms"`
	Thresholds []ThresholdResult `json:"thresholds"`
	Assumption Assumptions       `json:"assumptions"`

	SinkErrors []string `json:"sink_errors"` // alarms a sink failed to deliver (e.g. a webhook); [] when none

	Start    time.Time `json:"start"`    // first scheduled push
	End      time.Time `json:"end"`      // last reply or failure
	Duration string    `json:"duration"` // End - Start, as a Go duration
}

// RateSummary compares the offered rate with the rate asked for.
type RateSummary struct {
	Target   float64 `json:"target"`   // pushes/s asked (mean over the run); 0 for a closed loop
	Achieved float64 `json:"achieved"` // pushes/s offered
}

// LatencySummary holds latency quantiles in milliseconds, measured from each
// attempt's intended send time (so a generator falling behind shows up).
type LatencySummary struct {
	P50 float64 `json:"p50"`
	P90 float64 `json:"p90"`
	P95 float64 `json:"p95"`
	P99 float64 `json:"p99"`
	Max float64 `json:"max"`
}

// ThresholdResult is one threshold's verdict for a run.
type ThresholdResult struct {
	Expr  string `json:"expr"`
	OK    bool   `json:"ok"`
	Value string `json:"value"` // the measured value, formatted like the expression's
}

// assumptionsFor renders the rules in force, the same way for a live run
// and for a report read back from result streams.
func assumptionsFor(l Limits, retries int, mf MarkFailRule, al AlarmRule, keepAlive bool) Assumptions {
	al = al.withDefaults()
	return Assumptions{ConnectTimeout: trimDuration(l.ConnectTimeout), ResponseTimeout: trimDuration(l.ResponseTimeout),
		Retries: retries, MarkFail: mf.String(), AlarmThreshold: al.Threshold, AlarmWindow: trimDuration(al.Window),
		KeepAlive: keepAlive}
}

// Assumptions are the rules in force for a run, printed with every run
// because WeChat publishes some of them ambiguously or not at all.
type Assumptions struct {
	ConnectTimeout  string `json:"connect_timeout"`
	ResponseTimeout string `json:"response_timeout"`
	Retries         int    `json:"retries"`
	MarkFail        string `json:"markfail"`
	AlarmThreshold  int    `json:"alarm_threshold"`
	AlarmWindow     string `json:"alarm_window"` // the window AlarmThreshold counts in
	// KeepAlive: connections were reused; WeChat opens one per push.
	KeepAlive bool `json:"keepalive"`
}
