// Command wxsim-bench measures wxsim's per-push path and throughput, and
// writes the figures to simulator/BENCHMARKS.md (`make bench`).
//
// It runs the Go benchmarks of the per-push path against their budgets;
// starts a fast loopback endpoint in a child process; builds wxsim from
// this tree and installs the vegeta CLI at a pinned version through the Go
// module proxy; runs the two alternately at full speed, several times, and
// records min/median/max throughput ratios; measures wxsim's peak RSS over
// runs of 30 k to 1 M pushes and with 1 k and 1 M followers; checks that
// an overloaded run reports its late pushes; and profiles the engine.
//
// Run it from the module root: go run ./simulator/cmd/wxsim-bench.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "serve" {
		if err := serve(); err != nil {
			fmt.Fprintln(os.Stderr, "wxsim-bench serve:", err)
			os.Exit(1)
		}
		return
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:])
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "wxsim-bench:", err)
		os.Exit(1)
	}
}

// options are the driver's flags.
type options struct {
	out      string
	rounds   int
	each     time.Duration
	workers  int
	count    int
	vegeta   string
	skip     string
	profile  time.Duration
	overload int
}

func parseOptions(args []string) (options, error) {
	var o options
	fs := flag.NewFlagSet("wxsim-bench", flag.ContinueOnError)
	fs.StringVar(&o.out, "out", "simulator/BENCHMARKS.md", "the markdown file to put the figures in")
	fs.IntVar(&o.rounds, "rounds", 5, "side-by-side rounds")
	fs.DurationVar(&o.each, "duration", 5*time.Second, "length of each side-by-side run")
	fs.IntVar(&o.workers, "workers", 32, "concurrency of both generators")
	fs.IntVar(&o.count, "count", 5, "repetitions of each Go benchmark")
	fs.StringVar(&o.vegeta, "vegeta", "v12.13.0", "vegeta CLI version to install")
	fs.StringVar(&o.skip, "skip", "", "comma-separated steps to skip: gobench, side, memory, overload, profile")
	fs.DurationVar(&o.profile, "profile", 8*time.Second, "length of the profiled run")
	fs.IntVar(&o.overload, "overload-rate", 100_000, "pushes/s asked of the overloaded run")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if o.rounds < 1 || o.workers < 1 || o.count < 1 {
		return o, errors.New("-rounds, -workers and -count must be at least 1")
	}
	return o, nil
}

func (o options) skips(step string) bool {
	for _, s := range strings.Split(o.skip, ",") {
		if strings.TrimSpace(s) == step {
			return true
		}
	}
	return false
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "%s "+format+"\n", append([]any{time.Now().Format("15:04:05")}, args...)...)
}

func run(ctx context.Context, args []string) error {
	o, err := parseOptions(args)
	if err != nil {
		return err
	}
	r := &results{When: time.Now(), CPU: cpuModel(), Vegeta: o.vegeta, Command: "make bench"}
	if !o.skips("gobench") {
		if r.Benches, err = runGoBenchmarks(ctx, o.count, logf); err != nil {
			return err
		}
	}
	dir, err := os.MkdirTemp("", "wxsim-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if err := measureLoad(ctx, o, dir, r); err != nil {
		return err
	}
	if err := writeMarkdown(o.out, r); err != nil {
		return fmt.Errorf("write %s: %w", o.out, err)
	}
	logf("wrote %s", o.out)
	return nil
}

// measureLoad makes every measurement that needs the endpoint.
func measureLoad(ctx context.Context, o options, dir string, r *results) error {
	t, err := prepareTools(ctx, dir, o.vegeta, logf)
	if err != nil {
		return err
	}
	ep, err := startEndpoint(ctx)
	if err != nil {
		return err
	}
	defer ep.stop()
	targets, err := writeTargets(dir, ep.URL())
	if err != nil {
		return err
	}
	rate := 20_000.0 // sizes the memory runs when the side-by-side is skipped
	if !o.skips("side") {
		if r.Side, err = runSideBySide(ctx, t, ep, targets, o.rounds, o.workers, o.each, logf); err != nil {
			return err
		}
		var tp []float64
		for _, rr := range r.Side.Runs["wxsim --keepalive"] {
			tp = append(tp, rr.Served.Throughput())
		}
		rate = spreadOf(tp).Median
	}
	if !o.skips("memory") {
		if r.Memory, err = runMemory(ctx, t, ep, rate, logf); err != nil {
			return err
		}
	}
	if !o.skips("overload") {
		if r.Overload, err = runOverload(ctx, t, ep, o.overload); err != nil {
			return err
		}
		logf("overload: target %.0f/s achieved %.0f/s late %d", r.Overload.Target, r.Overload.Achieved, r.Overload.Late)
	}
	if !o.skips("profile") {
		logf("profiling the engine for %s", o.profile)
		if r.ProfFlat, r.ProfCum, err = profileRun(ctx, dir, ep, o.workers, o.profile); err != nil {
			return err
		}
	}
	return nil
}

// cpuModel reads the CPU's name for the record.
func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return "unknown CPU"
	}
	for _, l := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(l, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown CPU"
}
