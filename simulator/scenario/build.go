package scenario

import (
	"net"
	"strings"

	"github.com/wxsim/wxsim/simulator"
)

// scenario builds the whole file: the shared settings, then the accounts.
func (b *builder) scenario(r *rawScenario) *Scenario {
	s := &Scenario{
		File:          b.file,
		Name:          b.str("name", r.Name, false),
		Description:   b.str("description", r.Description, false),
		Workers:       DefaultWorkers,
		Retries:       DefaultRetries,
		MaxReplyBytes: simulator.DefaultMaxReplyBytes,
	}
	s.Accounts = b.accounts(r)
	if d, ok := b.duration("duration", r.Duration); ok {
		s.Duration = d
	}
	if n, ok := b.count("workers", r.Workers, 1); ok {
		s.Workers = n
	}
	if n, ok := b.count("max_workers", r.MaxWorkers, 0); ok {
		s.MaxWorkers = n
	}
	s.Transport = b.transport(r)
	if n, ok := b.count("max_reply_bytes", r.MaxReply, 1); ok {
		s.MaxReplyBytes = int64(n)
	}
	if n, ok := b.count("retries", r.Retries, 0); ok {
		s.Retries = int(n)
	}
	s.MarkFail = b.markFail(r.MarkFail)
	s.Alarm = b.alarms(r.Alarms)
	s.Thresholds = b.thresholds(r.Thresholds)
	b.needDuration(s)
	return s
}

// transport reads the timeouts and how connections are made.
func (b *builder) transport(r *rawScenario) simulator.TransportConfig {
	l := simulator.DefaultLimits()
	tc := simulator.TransportConfig{ConnectTimeout: l.ConnectTimeout, ResponseTimeout: l.ResponseTimeout,
		KeepAlive: b.boolean("keepalive", r.KeepAlive), Insecure: b.boolean("insecure", r.Insecure)}
	if t := r.Timeouts; t != nil {
		if d, ok := b.duration("timeouts.connect", t.Connect); ok {
			tc.ConnectTimeout = d
		}
		if d, ok := b.duration("timeouts.response", t.Response); ok {
			tc.ResponseTimeout = d
		}
	}
	for i, t := range r.SourceIPs {
		path := "source_ips[" + itoa(i) + "]"
		s := b.str(path, t, false)
		ip := net.ParseIP(s)
		if ip == nil {
			b.fail(path, "%q is not an IP address", s)
			break
		}
		tc.SourceIPs = append(tc.SourceIPs, ip)
	}
	return tc
}

// markFail reads the MarkFail rule; fields left out keep WeChat's defaults.
func (b *builder) markFail(r *rawMarkFail) simulator.MarkFailRule {
	mf := simulator.DefaultMarkFailRule()
	if r == nil {
		return mf
	}
	if d, ok := b.duration("markfail.window", r.Window); ok {
		if d < 1e9 {
			b.fail("markfail.window", "must be at least 1s (failures are counted per second), got %s", d)
		}
		mf.Window = d
	}
	if n, ok := b.count("markfail.failures", r.Failures, 1); ok {
		mf.MinFailures = int(n)
	}
	if v, ok := b.ratio("markfail.ratio", r.Ratio); ok {
		mf.MinRatio = v
	}
	if d, ok := b.duration("markfail.block", r.Block); ok {
		mf.Block = d
	}
	return mf
}

// alarms reads the alarm rule.
func (b *builder) alarms(r *rawAlarms) simulator.AlarmRule {
	al := simulator.DefaultAlarmRule()
	if r == nil {
		return al
	}
	if d, ok := b.duration("alarms.window", r.Window); ok {
		al.Window = d
	}
	if n, ok := b.count("alarms.threshold", r.Threshold, 1); ok {
		al.Threshold = int(n)
	}
	return al
}

// thresholds parses each expression.
func (b *builder) thresholds(ts []text) []simulator.Threshold {
	var out []simulator.Threshold
	for i, t := range ts {
		path := "thresholds[" + itoa(i) + "]"
		s := b.str(path, t, false)
		if b.failed() {
			return nil
		}
		th, err := simulator.ParseThreshold(s)
		if err != nil {
			b.fail(path, "%s", strings.TrimPrefix(err.Error(), "threshold "))
			return nil
		}
		out = append(out, th)
	}
	return out
}

// needDuration checks that a constant rate or an interval has a length.
func (b *builder) needDuration(s *Scenario) {
	if b.failed() || s.Duration > 0 {
		return
	}
	for _, a := range s.Accounts {
		if len(a.Pace.Stages) == 0 {
			b.fail("duration", "required with rate or every: how long to push (e.g. 30s), or give stages instead")
			return
		}
	}
}
