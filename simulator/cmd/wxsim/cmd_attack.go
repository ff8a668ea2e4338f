package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"
	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/wxsim/wxsim/simulator"
	"github.com/wxsim/wxsim/simulator/pacing"
	"github.com/wxsim/wxsim/simulator/report"
)

// attackFlags are the flags of a load run.
type attackFlags struct {
	acct       accountFlags
	tf         transportFlags
	rules      ruleFlags
	rate       string
	duration   time.Duration
	workers    uint64
	maxWorkers uint64
	mix        string
	followers  uint64
	name       string
	output     string
	alarmsFile string
	webhook    string
	alarmLang  string
	thresholds []string
	json       bool
	quiet      bool
	scen       scenarioFlags // -f, --time-scale
	dist       distFlags     // --shard, --metrics-addr
}

func (f *attackFlags) register(c *cobra.Command) {
	fs := c.Flags()
	f.acct.register(fs, true)
	f.tf.register(fs)
	f.rules.register(fs)
	fs.StringVar(&f.rate, "rate", "50/s", "pushes per second (e.g. 200/s, 12000/m); 0 for a closed loop at full speed with --workers")
	fs.DurationVar(&f.duration, "duration", 10*time.Second, "how long to push")
	fs.Uint64Var(&f.workers, "workers", 10, "initial workers (with --rate 0: the fixed number of concurrent pushes)")
	fs.Uint64Var(&f.maxWorkers, "max-workers", 0, "cap on workers (0: unbounded, the open model; late pushes are counted when capped)")
	fs.StringVar(&f.mix, "mix", simulator.DefaultMix, "push kinds by weight")
	fs.Uint64Var(&f.followers, "followers", 10000, "distinct followers (openids) the pushes come from")
	fs.StringVar(&f.name, "name", "wxsim", "the attack's name in the result stream")
	fs.StringVarP(&f.output, "output", "o", "", "write the result stream (vegeta's encoding: gob, or JSON for .json, CSV for .csv) to FILE")
	fs.StringVar(&f.alarmsFile, "alarms", "", "write every alarm as a JSON line to FILE")
	fs.StringVar(&f.webhook, "alarm-webhook", "", "POST every alarm to URL in the WeCom group-robot text format")
	fs.StringVar(&f.alarmLang, "alarm-lang", "en", "alarm language: en or zh")
	fs.StringArrayVar(&f.thresholds, "threshold", nil, "a pass/fail threshold, e.g. 'p99 < 1s', 'ok_ratio >= 0.999', 'markfail == 0' (repeatable)")
	fs.BoolVar(&f.json, "json", false, "print the JSON summary on stdout instead of the text report")
	fs.BoolVar(&f.quiet, "quiet", false, "no live progress display")
	f.scen.register(fs)
	f.dist.register(fs)
}

func (a *app) attackCommand() *cobra.Command {
	var f attackFlags
	c := &cobra.Command{
		Use:   "attack",
		Short: "push WeChat's traffic at a rate, judge every delivery, raise WeChat's alarms",
		Args:  noArgs,
		RunE: func(c *cobra.Command, _ []string) (err error) {
			plan, closers, err := f.plan(c, a)
			defer closeAll(closers, &err)
			if err != nil {
				return err
			}
			stop, err := f.dist.apply(&plan, a.stderr)
			if err != nil {
				return err
			}
			defer stop()
			tuneGC()
			return a.runPlan(c, plan, &f)
		},
	}
	f.register(c)
	return c
}

// plan turns the flags into a Plan, opening the output files it needs.
func (f *attackFlags) plan(c *cobra.Command, a *app) (simulator.Plan, []io.Closer, error) {
	var p simulator.Plan
	if f.scen.file != "" {
		return f.scenarioPlan(c, a)
	}
	if c.Flags().Changed("time-scale") {
		return p, nil, usageErr("--time-scale compresses a scenario's schedule: it needs -f SCENARIO")
	}
	account, u, err := f.acct.target(c.Flags())
	if err != nil {
		return p, nil, err
	}
	tc, err := f.tf.config()
	if err != nil {
		return p, nil, err
	}
	mf, al, err := f.rules.rules()
	if err != nil {
		return p, nil, err
	}
	mix, err := simulator.ParseMix(f.mix)
	if err != nil {
		return p, nil, usageErr("--mix: %v", err)
	}
	if err := checkFollowers(f.followers); err != nil {
		return p, nil, err
	}
	pacer, err := f.pacer()
	if err != nil {
		return p, nil, err
	}
	if f.alarmLang != "en" && f.alarmLang != "zh" {
		return p, nil, usageErr("--alarm-lang %q: want en or zh", f.alarmLang)
	}
	p = simulator.Plan{
		Name: f.name, URL: u, Account: account, Mix: mix,
		Followers: simulator.NewFollowers(0, f.followers, 0),
		MsgBase:   uint64(time.Now().Unix()) << 20,
		Pacer:     pacer, Duration: f.duration, Workers: f.workers, MaxWorkers: f.maxWorkers,
		Transport: tc, Retries: f.rules.retries, MaxReplyBytes: f.tf.maxReply,
		MarkFail: mf, Alarm: al,
	}
	for _, expr := range f.thresholds {
		t, err := simulator.ParseThreshold(expr)
		if err != nil {
			return p, nil, usageErr("--threshold: %v", err)
		}
		p.Thresholds = append(p.Thresholds, t)
	}
	return f.outputs(a, p)
}

// outputs adds what a run reports to: the alarm sinks, the result stream
// and the progress display, opening the files they need. The webhook is
// checked first, before any file is created.
func (f *attackFlags) outputs(a *app, p simulator.Plan) (simulator.Plan, []io.Closer, error) {
	var closers []io.Closer
	if f.webhook != "" {
		if err := checkWebhook(f.webhook); err != nil {
			return p, nil, err
		}
	}
	if !f.json {
		p.Sinks = append(p.Sinks, simulator.NewConsoleSink(a.stderr, f.alarmLang))
	}
	if f.alarmsFile != "" {
		fh, err := os.Create(f.alarmsFile)
		if err != nil {
			return p, closers, usageErr("--alarms: %v", err)
		}
		closers = append(closers, fh)
		p.Sinks = append(p.Sinks, simulator.NewJSONLinesSink(fh))
	}
	if f.webhook != "" {
		p.Sinks = append(p.Sinks, simulator.NewWebhookSink(f.webhook, nil, f.alarmLang))
	}
	if f.output != "" {
		enc, closer, err := openOutput(f.output)
		if err != nil {
			return p, closers, usageErr("--output: %v", err)
		}
		closers = append(closers, closer)
		p.Output = enc
	}
	if !f.quiet && !f.json {
		p.Progress = newProgressPrinter(a.stderr, f.duration).print
	}
	return p, closers, nil
}

// pacer reads --rate and --duration.
func (f *attackFlags) pacer() (pacing.Pacer, error) {
	if f.duration <= 0 {
		return nil, usageErr("--duration %s: must be above 0", f.duration)
	}
	rate, err := pacing.ParseRate(f.rate)
	if err != nil {
		return nil, usageErr("--rate: %v", err)
	}
	if rate == 0 {
		if f.workers == 0 {
			return nil, usageErr("--rate 0 needs --workers N above 0: the closed loop's concurrency")
		}
		f.maxWorkers = f.workers
		return pacing.Closed(), nil
	}
	return pacing.Constant(rate, f.duration), nil
}

// runPlan runs the plan, then reports: the summary on stdout (text or
// JSON), alarms already went to their sinks. An interrupted run still
// reports everything it measured.
func (a *app) runPlan(c *cobra.Command, p simulator.Plan, f *attackFlags) error {
	if !f.json {
		fmt.Fprintf(a.stderr, "attack %s: %s at %s for %s (%s)\n%s\n", p.URL, describe(p.Account), f.rate, f.duration, p.Mix,
			assumptionsLine(p.Assumptions()))
	}
	s, err := simulator.Run(c.Context(), p)
	if s == nil {
		return asUsage(err)
	}
	if f.json {
		if werr := report.WriteJSON(a.stdout, s); werr != nil {
			return werr
		}
	} else if werr := report.WriteText(a.stdout, s, report.Lang(f.alarmLang)); werr != nil {
		return werr
	}
	switch {
	case errors.Is(err, simulator.ErrInterrupted):
		return errInterrupted
	case err != nil:
		return fmt.Errorf("result stream: %w", err)
	}
	for _, t := range s.Thresholds {
		if !t.OK {
			return errVerdictFailed
		}
	}
	return nil
}

// openOutput opens a result stream in the encoding its name asks for.
func openOutput(path string) (vegeta.Encoder, io.Closer, error) {
	fh, err := os.Create(path)
	if err != nil {
		return nil, nil, err
	}
	bw := bufio.NewWriterSize(fh, 64<<10)
	closer := flushCloser{bw, fh}
	switch strings.ToLower(filepath.Ext(path)) {
	case ".json", ".jsonl":
		return vegeta.NewJSONEncoder(bw), closer, nil
	case ".csv":
		return vegeta.NewCSVEncoder(bw), closer, nil
	default:
		return vegeta.NewEncoder(bw), closer, nil
	}
}

type flushCloser struct {
	w *bufio.Writer
	f *os.File
}

func (fc flushCloser) Close() error {
	ferr := fc.w.Flush()
	cerr := fc.f.Close()
	return errors.Join(ferr, cerr)
}

// closeAll closes the run's output files; a failure to flush the last
// results becomes the command's error unless it already has one, so no
// measurement is lost silently.
func closeAll(cs []io.Closer, err *error) {
	var errs []error
	for _, c := range cs {
		errs = append(errs, c.Close())
	}
	if cerr := errors.Join(errs...); cerr != nil && *err == nil {
		*err = fmt.Errorf("writing the run's files: %w", cerr)
	}
}
