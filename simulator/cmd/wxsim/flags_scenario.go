package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/wxsim/wxsim/scenarios"
	"github.com/wxsim/wxsim/simulator"
	"github.com/wxsim/wxsim/simulator/pacing"
	"github.com/wxsim/wxsim/simulator/scenario"
	"github.com/wxsim/wxsim/simulator/wechat"
)

// scenarioFlags are attack's -f and --time-scale.
type scenarioFlags struct {
	file      string
	timeScale float64
}

func (f *scenarioFlags) register(fs *pflag.FlagSet) {
	fs.StringVarP(&f.file, "file", "f", "", "run the scenario in FILE (YAML, scenarios/README.md), or a bundled one by name ("+
		strings.Join(scenarios.Names(), ", ")+"); flags given as well override the file")
	fs.Float64Var(&f.timeScale, "time-scale", 1, "with -f: compress the scenario's schedule by this factor in (0, 1]: durations, periods and intervals shrink, rates stay")
}

// load reads the scenario: the file at f.file, or else the bundled
// scenario of that name.
func (f *scenarioFlags) load() (*scenario.Scenario, error) {
	s, err := scenario.Load(f.file, scenario.Options{})
	if errors.Is(err, fs.ErrNotExist) {
		name := strings.TrimSuffix(f.file, ".yaml") + ".yaml"
		if slices.Contains(scenarios.Names(), strings.TrimSuffix(name, ".yaml")) {
			return scenario.LoadFS(scenarios.FS, name, scenario.Options{})
		}
		return nil, fmt.Errorf("-f %s: no such file, nor a bundled scenario (bundled: %s)", f.file, strings.Join(scenarios.Names(), ", "))
	}
	return s, err
}

// scenarioPlan builds the plan of `attack -f`: the scenario, with the flags
// given on the command line overriding it, then the outputs as for flags.
func (f *attackFlags) scenarioPlan(c *cobra.Command, a *app) (simulator.Plan, []io.Closer, error) {
	s, err := f.scen.load()
	if err != nil {
		return simulator.Plan{}, nil, asUsage(err)
	}
	if err := f.override(c.Flags(), s); err != nil {
		return simulator.Plan{}, nil, err
	}
	p, err := s.Plan(f.scen.timeScale)
	switch {
	case errors.Is(err, scenario.ErrTimeScale):
		return p, nil, usageErr("--time-scale: %v", err)
	case err != nil:
		return p, nil, asUsage(err)
	}
	if f.alarmLang != "en" && f.alarmLang != "zh" {
		return p, nil, usageErr("--alarm-lang %q: want en or zh", f.alarmLang)
	}
	f.describe(s, p)
	return f.outputs(a, p)
}

// describe sets what the run header and the progress display show (they
// read --rate and --duration) to the scenario's schedule, as scaled.
func (f *attackFlags) describe(s *scenario.Scenario, p simulator.Plan) {
	paces := []string{fmt.Sprint(p.Pacer)}
	for _, l := range p.Accounts {
		paces = append(paces, fmt.Sprint(l.Pacer))
	}
	if len(paces) > 1 {
		for i, a := range s.Accounts {
			paces[i] = a.Name + ": " + paces[i]
		}
	}
	f.rate = "scenario " + s.Name + " (" + strings.Join(paces, "; ") + ")"
	f.duration = p.Duration
}

// override applies the flags given on the command line to the scenario:
// each replaces what the file says (account flags only with one account).
func (f *attackFlags) override(fs *pflag.FlagSet, s *scenario.Scenario) error {
	given := func(name string) bool { fl := fs.Lookup(name); return fl != nil && fl.Changed }
	if err := f.overrideAccount(given, s); err != nil {
		return err
	}
	if err := f.overrideTraffic(given, s); err != nil {
		return err
	}
	if err := f.overrideTransport(given, s); err != nil {
		return err
	}
	if err := f.overrideRules(given, s); err != nil {
		return err
	}
	if given("name") {
		s.Name = f.name
	}
	if given("threshold") {
		s.Thresholds = nil
		for _, expr := range f.thresholds {
			t, err := simulator.ParseThreshold(expr)
			if err != nil {
				return usageErr("--threshold: %v", err)
			}
			s.Thresholds = append(s.Thresholds, t)
		}
	}
	return nil
}

// overrideAccount applies --url to every account, and the account's own
// flags to the scenario's only account.
func (f *attackFlags) overrideAccount(given func(string) bool, s *scenario.Scenario) error {
	if given("url") {
		u, err := f.acct.endpointURL()
		if err != nil {
			return err
		}
		for i := range s.Accounts {
			s.Accounts[i].URL = u
		}
	}
	own := []string{"token", "aes-key", "appid", "mode", "nickname", "original-id"}
	var set []string
	for _, name := range own {
		if given(name) {
			set = append(set, "--"+name)
		}
	}
	if len(set) == 0 {
		return nil
	}
	if len(s.Accounts) > 1 {
		return usageErr("%s: the scenario has %d accounts; set each account's fields in the file (${VAR} reads the environment)",
			strings.Join(set, ", "), len(s.Accounts))
	}
	return f.overrideIdentity(given, &s.Accounts[0].Account)
}

// overrideIdentity replaces the account's fields given as flags; a key
// given without a mode keeps the file's mode.
func (f *attackFlags) overrideIdentity(given func(string) bool, a *wechat.Account) error {
	for name, pair := range map[string][2]*string{
		"token": {&a.Token, &f.acct.token}, "aes-key": {&a.EncodingAESKey, &f.acct.aesKey},
		"appid": {&a.AppID, &f.acct.appid}, "nickname": {&a.Nickname, &f.acct.nickname},
		"original-id": {&a.OriginalID, &f.acct.originalID},
	} {
		if given(name) {
			*pair[0] = *pair[1]
		}
	}
	if given("mode") {
		m, err := wechat.ParseMode(f.acct.mode)
		if err != nil {
			return usageErr("--mode %q: want plain, compat or safe", f.acct.mode)
		}
		a.Mode = m
	}
	if a.Mode.Encrypted() && a.EncodingAESKey == "" {
		return usageErr("--mode %s needs --aes-key (or aes_key in the scenario)", a.Mode)
	}
	return asUsage(a.Validate())
}

// overrideTraffic applies --rate and --mix and --followers to every
// account, and --duration, --workers and --max-workers to the run. A
// constant --rate lasts as long as the scenario would have, unless
// --duration says otherwise.
func (f *attackFlags) overrideTraffic(given func(string) bool, s *scenario.Scenario) error {
	if given("rate") {
		r, err := pacing.ParseRate(f.rate)
		if err != nil {
			return usageErr("--rate: %v", err)
		}
		if s.Duration == 0 {
			s.Duration = s.Length() // the constant rate lasts as long as the stages did
		}
		for i := range s.Accounts {
			s.Accounts[i].Pace = scenario.Pace{Rate: r, Closed: r == 0}
		}
	}
	if given("mix") {
		m, err := simulator.ParseMix(f.mix)
		if err != nil {
			return usageErr("--mix: %v", err)
		}
		for i := range s.Accounts {
			s.Accounts[i].Mix = m
		}
	}
	if given("followers") {
		if err := checkFollowers(f.followers); err != nil {
			return err
		}
		for i := range s.Accounts {
			s.Accounts[i].Followers = f.followers
		}
	}
	if given("duration") {
		if f.duration <= 0 {
			return usageErr("--duration %s: must be above 0", f.duration)
		}
		s.Duration = f.duration
	}
	if given("workers") {
		s.Workers = f.workers
	}
	if given("max-workers") {
		s.MaxWorkers = f.maxWorkers
	}
	if s.Accounts[0].Pace.Closed && s.Workers == 0 {
		return usageErr("--rate 0 needs --workers N above 0: the closed loop's concurrency")
	}
	return nil
}

// overrideTransport applies the transport flags given.
func (f *attackFlags) overrideTransport(given func(string) bool, s *scenario.Scenario) error {
	tc, err := f.tf.config() // validates every transport flag, given or default
	if err != nil {
		return err
	}
	t := &s.Transport
	if given("connect-timeout") {
		t.ConnectTimeout = tc.ConnectTimeout
	}
	if given("response-timeout") {
		t.ResponseTimeout = tc.ResponseTimeout
	}
	if given("keepalive") {
		t.KeepAlive = tc.KeepAlive
	}
	if given("insecure") {
		t.Insecure = tc.Insecure
	}
	if given("source-ip") {
		t.SourceIPs = tc.SourceIPs
	}
	if given("max-reply-bytes") {
		s.MaxReplyBytes = f.tf.maxReply
	}
	return nil
}

// overrideRules applies the retry, MarkFail and alarm flags given.
func (f *attackFlags) overrideRules(given func(string) bool, s *scenario.Scenario) error {
	mf, al, err := f.rules.rules() // validates every rule flag, given or default
	if err != nil {
		return err
	}
	if given("retries") {
		s.Retries = f.rules.retries
	}
	for name, apply := range map[string]func(){
		"markfail-window": func() { s.MarkFail.Window = mf.Window }, "markfail-failures": func() { s.MarkFail.MinFailures = mf.MinFailures },
		"markfail-ratio": func() { s.MarkFail.MinRatio = mf.MinRatio }, "markfail-block": func() { s.MarkFail.Block = mf.Block },
		"alarm-window": func() { s.Alarm.Window = al.Window }, "alarm-threshold": func() { s.Alarm.Threshold = al.Threshold },
	} {
		if given(name) {
			apply()
		}
	}
	return nil
}
