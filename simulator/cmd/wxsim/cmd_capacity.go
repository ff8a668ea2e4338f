package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/wxsim/wxsim/simulator"
	"github.com/wxsim/wxsim/simulator/capacity"
	"github.com/wxsim/wxsim/simulator/pacing"
)

// capacityFlags are the flags of a capacity search.
type capacityFlags struct {
	acct         accountFlags
	tf           transportFlags
	rules        ruleFlags
	start        string
	maxRate      string
	step         string
	steps        int
	stepDuration time.Duration
	pause        time.Duration
	ramp         time.Duration
	window       time.Duration
	maxGrowth    time.Duration
	workers      uint64
	maxWorkers   uint64
	mix          string
	followers    uint64
	name         string
	thresholds   []string
	output       string
	html         string
	json         bool
	htmlFile     *os.File // --html, created before the first step
}

func (f *capacityFlags) register(c *cobra.Command) {
	fs := c.Flags()
	f.acct.register(fs, true)
	f.tf.register(fs)
	f.rules.register(fs)
	fs.StringVar(&f.start, "start", "100/s", "the first step's rate (a ramp's first rate)")
	fs.StringVar(&f.maxRate, "max-rate", "5000/s", "the highest rate to try, a ramp's last (about what one 2-core machine can generate)")
	fs.StringVar(&f.step, "step", "100/s", "how much each step adds to the rate")
	fs.IntVar(&f.steps, "steps", 0, "instead of --step: reach --max-rate in this many steps")
	fs.DurationVar(&f.stepDuration, "step-duration", capacity.DefaultStepDuration, "how long each step pushes; longer steps show a slowly growing queue")
	fs.DurationVar(&f.pause, "pause", capacity.DefaultPause, "quiet time between steps")
	fs.DurationVar(&f.ramp, "ramp", 0, "instead of steps: ramp the rate linearly from --start to --max-rate over DURATION, in one run, judged in windows")
	fs.DurationVar(&f.window, "window", capacity.DefaultWindow, "with --ramp: the length of the windows the ramp is judged in")
	fs.DurationVar(&f.maxGrowth, "max-growth", capacity.DefaultMaxGrowth,
		"a step also breaks when its median latency climbs more than this from its first third to its last: a queue building up (0: off)")
	fs.Uint64Var(&f.workers, "workers", 10, "initial workers per step")
	fs.Uint64Var(&f.maxWorkers, "max-workers", 0, "a fixed cap on workers (0: per step, twice the rate times the latency bound)")
	fs.StringVar(&f.mix, "mix", simulator.DefaultMix, "push kinds by weight")
	fs.Uint64Var(&f.followers, "followers", 10000, "distinct followers (openids) the pushes come from")
	fs.StringVar(&f.name, "name", "wxsim-capacity", "the attack's name in the result stream")
	fs.StringArrayVar(&f.thresholds, "threshold", nil, "a bound every step must hold (repeatable; default: "+
		strings.Join(capacity.DefaultThresholds, ", ")+")")
	fs.StringVarP(&f.output, "output", "o", "", "write every step's result stream to FILE (as attack --output)")
	fs.StringVar(&f.html, "html", "", "write the HTML report of the whole search, the steps (a ramp's start) and the knee marked, to FILE")
	fs.BoolVar(&f.json, "json", false, "print the result as JSON on stdout (mode, knee, limit, steps or windows); the table goes to stderr")
}

func (a *app) capacityCommand() *cobra.Command {
	var f capacityFlags
	c := &cobra.Command{
		Use:   "capacity",
		Short: "step or ramp the rate up until a threshold breaks: the highest rate the endpoint sustains (the knee)",
		Long: `Steps a constant rate up, one step after another (--start, + --step, … up to
--max-rate), each for --step-duration, and judges every step against the
thresholds (default: ` + strings.Join(capacity.DefaultThresholds, ", ") + `)
and against --max-growth: an endpoint offered more than it serves queues the
excess, and its latency climbs through the step long before it reaches a
p99 bound. It stops after the first step that does not hold and prints the
knee: the highest rate at which every threshold held.

With --ramp DURATION the rate instead climbs linearly from --start to
--max-rate in one run, without pauses, and every --window of it is judged
as a step; the table has a row per window (its first column is the
window's number, its rate the window's mean). A ramp is a quick first
look: its knee is off by about one or two windows' climb, because a queue
takes time to show, and a window is judged only a connect plus a response
timeout after it ends. The steps are the precise measurement.

A step that does not hold is either "breached" (the endpoint broke a
threshold) or "generator" (this machine could not offer the rate: too few
pushes sent or too many late; the knee is then only a lower bound).

Exit status: 0 when a knee was found, 1 when even the first step (window)
did not hold, 2 for bad flags, 130 when interrupted.`,
		Args: noArgs,
		RunE: func(c *cobra.Command, _ []string) (err error) {
			cfg, closers, err := f.config(c)
			defer closeAll(closers, &err)
			if err != nil {
				return err
			}
			return a.runCapacity(c, cfg, &f)
		},
	}
	f.register(c)
	return c
}

// config turns the flags into a search.
func (f *capacityFlags) config(c *cobra.Command) (capacity.Config, []io.Closer, error) {
	var cfg capacity.Config
	p, err := f.plan(c)
	if err != nil {
		return cfg, nil, err
	}
	cfg, err = f.search(c)
	if err != nil {
		return cfg, nil, err
	}
	ts, err := capacity.ParseThresholds(f.thresholds)
	if err != nil {
		return cfg, nil, usageErr("--threshold: %v", err)
	}
	if err := f.checkDurations(cfg.Ramp > 0); err != nil {
		return cfg, nil, err
	}
	closers, err := f.openFiles(&p)
	if err != nil {
		return cfg, closers, err
	}
	cfg.Plan, cfg.Thresholds, cfg.MaxWorkers, cfg.MaxGrowth = p, ts, f.maxWorkers, f.maxGrowth
	return cfg, closers, nil
}

// search reads how the rate climbs: a ladder of steps, or with --ramp a
// ramp judged in windows.
func (f *capacityFlags) search(c *cobra.Command) (capacity.Config, error) {
	fs := c.Flags()
	if !fs.Changed("ramp") {
		if fs.Changed("window") {
			return capacity.Config{}, usageErr("--window needs --ramp: steps are judged whole")
		}
		rates, err := f.ladder(c)
		return capacity.Config{Rates: rates, StepDuration: f.stepDuration, Pause: f.pause}, err
	}
	return f.rampSearch(fs)
}

// rampSearch reads a ramp: --start, --max-rate, --ramp and --window, with
// none of the step flags.
func (f *capacityFlags) rampSearch(fs *pflag.FlagSet) (capacity.Config, error) {
	var clash []string
	for _, name := range []string{"step", "steps", "step-duration", "pause"} {
		if fs.Changed(name) {
			clash = append(clash, "--"+name)
		}
	}
	switch {
	case len(clash) > 0:
		return capacity.Config{}, usageErr("--ramp and %s: a ramp has no steps; it climbs from --start to --max-rate", strings.Join(clash, ", "))
	case f.ramp <= 0:
		return capacity.Config{}, usageErr("--ramp %s: must be above 0", f.ramp)
	case f.window < capacity.MinWindow:
		return capacity.Config{}, usageErr("--window %s: must be at least %s (every open window keeps its own counters)", f.window, capacity.MinWindow)
	case f.window > f.ramp:
		return capacity.Config{}, usageErr("--window %s: must not be longer than --ramp (%s)", f.window, f.ramp)
	}
	start, maxRate, err := f.rates()
	if err != nil {
		return capacity.Config{}, err
	}
	rates, err := capacity.RampEnds(start, maxRate)
	if err != nil {
		return capacity.Config{}, usageErr("--start, --max-rate: %v", err)
	}
	return capacity.Config{Rates: rates, Ramp: f.ramp, Window: f.window}, nil
}

// checkDurations checks the durations the mode uses.
func (f *capacityFlags) checkDurations(ramp bool) error {
	switch {
	case ramp && f.maxGrowth < 0:
		return usageErr("--max-growth %s: must be 0 or more", f.maxGrowth)
	case !ramp && (f.stepDuration <= 0 || f.pause < 0 || f.maxGrowth < 0):
		return usageErr("--step-duration %s, --pause %s, --max-growth %s: the step must last above 0, the others be 0 or more",
			f.stepDuration, f.pause, f.maxGrowth)
	}
	return nil
}

// openFiles creates the --output and --html files before the first step,
// so a path that cannot be written fails at once rather than after the
// whole search; the HTML report is written into its file at the end.
func (f *capacityFlags) openFiles(p *simulator.Plan) ([]io.Closer, error) {
	var closers []io.Closer
	if f.output != "" {
		enc, closer, err := openOutput(f.output)
		if err != nil {
			return closers, usageErr("--output: %v", err)
		}
		closers = append(closers, closer)
		p.Output = enc
	}
	if f.html != "" {
		fh, err := os.Create(f.html)
		if err != nil {
			return closers, usageErr("--html: %v", err)
		}
		closers = append(closers, fh)
		f.htmlFile = fh
	}
	return closers, nil
}

// plan builds what every step shares: account, endpoint, transport, rules.
func (f *capacityFlags) plan(c *cobra.Command) (simulator.Plan, error) {
	var p simulator.Plan
	account, u, err := f.acct.target(c.Flags())
	if err != nil {
		return p, err
	}
	tc, err := f.tf.config()
	if err != nil {
		return p, err
	}
	mf, al, err := f.rules.rules()
	if err != nil {
		return p, err
	}
	mix, err := simulator.ParseMix(f.mix)
	if err != nil {
		return p, usageErr("--mix: %v", err)
	}
	if err := checkFollowers(f.followers); err != nil {
		return p, err
	}
	return simulator.Plan{Name: f.name, URL: u, Account: account, Mix: mix,
		Followers: simulator.NewFollowers(0, f.followers, 0), MsgBase: uint64(time.Now().Unix()) << 20,
		Workers: f.workers, Transport: tc, Retries: f.rules.retries, MaxReplyBytes: f.tf.maxReply,
		MarkFail: mf, Alarm: al}, nil
}

// rates reads --start and --max-rate.
func (f *capacityFlags) rates() (start, maxRate float64, err error) {
	if start, err = parseRateFlag("start", f.start); err != nil {
		return 0, 0, err
	}
	maxRate, err = parseRateFlag("max-rate", f.maxRate)
	return start, maxRate, err
}

// parseRateFlag reads a rate flag such as "100/s".
func parseRateFlag(flag, s string) (float64, error) {
	r, err := pacing.ParseRate(s)
	if err != nil {
		return 0, usageErr("--%s: %v", flag, err)
	}
	return r, nil
}

// ladder reads --start, --max-rate and --step or --steps.
func (f *capacityFlags) ladder(c *cobra.Command) ([]float64, error) {
	start, maxRate, err := f.rates()
	if err != nil {
		return nil, err
	}
	step, err := parseRateFlag("step", f.step)
	if err != nil {
		return nil, err
	}
	if c.Flags().Changed("steps") {
		if c.Flags().Changed("step") {
			return nil, usageErr("--step and --steps: give one of them")
		}
		if step, err = capacity.StepFor(start, maxRate, f.steps); err != nil {
			return nil, usageErr("--steps: %v", err)
		}
	}
	rates, err := capacity.Ladder(start, maxRate, step)
	if err != nil {
		return nil, usageErr("--start, --max-rate, --step: %v", err)
	}
	return rates, nil
}

// runCapacity runs the search, printing each step as it ends, then the
// knee; the JSON and HTML reports when asked.
func (a *app) runCapacity(c *cobra.Command, cfg capacity.Config, f *capacityFlags) error {
	table := a.stdout
	if f.json {
		table = a.stderr
	}
	p := cfg.Plan
	fmt.Fprintf(a.stderr, "capacity %s: %s, %s\nthresholds: %s\n%s\n",
		p.URL, describe(p.Account), searchLine(cfg), thresholdList(cfg.Thresholds), assumptionsLine(p.Assumptions()))
	_ = capacity.WriteHeader(table)
	cfg.OnStep = func(st capacity.Step) { _ = capacity.WriteStep(table, st) }
	r, err := capacity.Run(c.Context(), cfg)
	if r == nil {
		if f.htmlFile != nil {
			_ = os.Remove(f.html) // nothing was measured: leave no empty report behind
		}
		return asUsage(err)
	}
	_ = capacity.WriteKnee(table, r)
	if werr := a.capacityReports(r, cfg, f); werr != nil {
		return werr
	}
	switch {
	case errors.Is(err, simulator.ErrInterrupted):
		return errInterrupted
	case err != nil:
		return err
	case r.KneeStep < 0:
		return errVerdictFailed
	}
	return nil
}

// capacityReports writes the JSON on stdout and the HTML file, as asked.
func (a *app) capacityReports(r *capacity.Result, cfg capacity.Config, f *capacityFlags) error {
	if f.json {
		if err := capacity.WriteJSON(a.stdout, r, cfg); err != nil {
			return err
		}
	}
	if f.htmlFile == nil {
		return nil
	}
	title := fmt.Sprintf("wxsim capacity %s: %s", cfg.Plan.URL, capacity.KneeLine(r))
	if err := capacity.WriteHTML(f.htmlFile, r, title); err != nil {
		return fmt.Errorf("--html %s: %w", f.html, err)
	}
	return nil // closeAll closes the file and reports a failed close
}

// searchLine describes how the rate will climb, for the run header.
func searchLine(cfg capacity.Config) string {
	from, to := fmtRate(cfg.Rates[0]), fmtRate(cfg.Rates[len(cfg.Rates)-1])
	if cfg.Ramp > 0 {
		return fmt.Sprintf("ramp %s/s → %s/s over %s, judged in %s windows (a row per window)", from, to, cfg.Ramp, cfg.Window)
	}
	return fmt.Sprintf("%d steps of %s from %s/s to %s/s", len(cfg.Rates), cfg.StepDuration, from, to)
}

// thresholdList joins threshold expressions for the run header.
func thresholdList(ts []simulator.Threshold) string {
	s := make([]string, len(ts))
	for i, t := range ts {
		s[i] = t.Expr
	}
	return strings.Join(s, ", ")
}

// fmtRate prints a rate without float noise.
func fmtRate(r float64) string { return strings.TrimSuffix(fmt.Sprintf("%.1f", r), ".0") }
