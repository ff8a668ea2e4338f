package main

import (
	"fmt"
	"time"

	"github.com/spf13/pflag"

	"github.com/wxsim/wxsim/simulator"
)

// ruleFlags are WeChat's unpublished policies, as flags: retries, MarkFail
// and the alarm windows. Every run prints the values in force.
type ruleFlags struct {
	retries        int
	mfWindow       time.Duration
	mfFailures     int
	mfRatio        float64
	mfBlock        time.Duration
	alarmWindow    time.Duration
	alarmThreshold int
}

func (f *ruleFlags) register(fs *pflag.FlagSet) {
	d, a := simulator.DefaultMarkFailRule(), simulator.DefaultAlarmRule()
	fs.IntVar(&f.retries, "retries", 2, "re-deliveries after a timeout or connect failure (WeChat's \"retries three times\" read as 3 deliveries in all)")
	fs.DurationVar(&f.mfWindow, "markfail-window", d.Window, "MarkFail looks at the deliveries of this window")
	fs.IntVar(&f.mfFailures, "markfail-failures", d.MinFailures, "MarkFail needs at least this many failed deliveries in the window")
	fs.Float64Var(&f.mfRatio, "markfail-ratio", d.MinRatio, "… that are at least this fraction of the window's deliveries")
	fs.DurationVar(&f.mfBlock, "markfail-block", d.Block, "how long a MarkFail block lasts (WeChat: 1 minute)")
	fs.DurationVar(&f.alarmWindow, "alarm-window", a.Window, "an alarm window's length (WeChat: 5 minutes)")
	fs.IntVar(&f.alarmThreshold, "alarm-threshold", a.Threshold, "failures in a window that raise an alarm (WeChat's 2014 default: 30)")
}

func (f *ruleFlags) rules() (simulator.MarkFailRule, simulator.AlarmRule, error) {
	mf := simulator.MarkFailRule{Window: f.mfWindow, MinFailures: f.mfFailures, MinRatio: f.mfRatio, Block: f.mfBlock}
	al := simulator.AlarmRule{Window: f.alarmWindow, Threshold: f.alarmThreshold}
	if f.retries < 0 {
		return mf, al, usageErr("--retries %d: must be 0 or more", f.retries)
	}
	if err := mf.Validate(); err != nil {
		return mf, al, usageErr("--markfail-*: %v", err)
	}
	if f.alarmWindow <= 0 || f.alarmThreshold <= 0 {
		return mf, al, usageErr("--alarm-window %s, --alarm-threshold %d: both must be above 0", f.alarmWindow, f.alarmThreshold)
	}
	return mf, al, nil
}

// overRecorded returns the rules a result stream recorded of its run, with
// each rule flag the command line set in its place: a report replays the
// run as it was made unless told otherwise.
func (f *ruleFlags) overRecorded(fs *pflag.FlagSet, rec simulator.RunInfo) (simulator.MarkFailRule, simulator.AlarmRule, int) {
	mf, al, retries := rec.MarkFail, rec.Alarm, rec.Retries
	set := func(name string, apply func()) {
		if fs.Changed(name) {
			apply()
		}
	}
	set("retries", func() { retries = f.retries })
	set("markfail-window", func() { mf.Window = f.mfWindow })
	set("markfail-failures", func() { mf.MinFailures = f.mfFailures })
	set("markfail-ratio", func() { mf.MinRatio = f.mfRatio })
	set("markfail-block", func() { mf.Block = f.mfBlock })
	set("alarm-window", func() { al.Window = f.alarmWindow })
	set("alarm-threshold", func() { al.Threshold = f.alarmThreshold })
	return mf, al, retries
}

// assumptionsLine is printed with every run.
func assumptionsLine(a simulator.Assumptions) string {
	conns := "a new connection per push (WeChat's way)"
	if a.KeepAlive {
		conns = "connections kept alive (--keepalive)"
	}
	return fmt.Sprintf("assumptions: connect timeout %s, response timeout %s, retries %d, MarkFail %s, alarm threshold %d per %s, %s",
		a.ConnectTimeout, a.ResponseTimeout, a.Retries, a.MarkFail, a.AlarmThreshold, a.AlarmWindow, conns)
}
