package main

import (
	"context"
	"fmt"
	"strconv"
	"time"
)

// Memory must stay flat in pushes (nothing is kept per push) and in
// followers (openids are derived from their index). Both are measured as
// the peak RSS of a whole wxsim process, which is what an operator sees.

// memRun is one wxsim run for the memory figures.
type memRun struct {
	Label     string
	Pushes    uint64
	Followers uint64
	Duration  time.Duration
	PeakRSS   int64 // KiB
}

// memoryFigures are the runs and the growth between them.
type memoryFigures struct {
	Pushes    []memRun // ~30 k, ~300 k (10×), ~1 M pushes
	Followers []memRun // 1 k and 1 M followers
}

// pushTargets are the push counts of the runs, smallest first.
var pushTargets = []uint64{30_000, 300_000, 1_000_000}

// runMemory makes the runs; rate is wxsim's measured full-speed keep-alive
// throughput, from which each run's duration is derived.
func runMemory(ctx context.Context, t *tools, ep *endpoint, rate float64, log func(string, ...any)) (*memoryFigures, error) {
	if rate <= 0 {
		return nil, fmt.Errorf("memory: no throughput to size the runs with")
	}
	m := &memoryFigures{}
	for _, n := range pushTargets {
		d := max(time.Duration(float64(n)/rate*float64(time.Second)).Round(100*time.Millisecond), time.Second)
		r, err := memoryRun(ctx, t, ep, d, "0", 10_000)
		if err != nil {
			return nil, err
		}
		r.Label = fmt.Sprintf("~%s pushes", countLabel(n))
		log("memory: %-16s %8d pushes in %-6s peak RSS %.1f MiB", r.Label, r.Pushes, d, float64(r.PeakRSS)/1024)
		m.Pushes = append(m.Pushes, r)
	}
	for _, f := range []uint64{1_000, 1_000_000} {
		r, err := memoryRun(ctx, t, ep, 3*time.Second, "2000/s", f)
		if err != nil {
			return nil, err
		}
		r.Label = countLabel(f) + " followers"
		log("memory: %-16s %8d pushes peak RSS %.1f MiB", r.Label, r.Pushes, float64(r.PeakRSS)/1024)
		m.Followers = append(m.Followers, r)
	}
	return m, nil
}

func memoryRun(ctx context.Context, t *tools, ep *endpoint, d time.Duration, rate string, followers uint64) (memRun, error) {
	args := []string{"attack", "--url", ep.URL(), "--token", benchToken, "--rate", rate, "--workers", "32",
		"--keepalive", "--duration", d.String(), "--followers", strconv.FormatUint(followers, 10), "--json", "--quiet"}
	time.Sleep(pause)
	res, err := runWxsim(ctx, t, nil, args)
	if err != nil {
		return memRun{}, err
	}
	return memRun{Pushes: res.Pushes, Followers: followers, Duration: d, PeakRSS: res.PeakRSS}, nil
}

// growth is b over a, minus one: 0.2 is 20 % more.
func growth(a, b int64) float64 {
	if a <= 0 {
		return 0
	}
	return float64(b)/float64(a) - 1
}

// countLabel writes 30000 as "30 k" and 1000000 as "1 M".
func countLabel(n uint64) string {
	switch {
	case n >= 1_000_000 && n%1_000_000 == 0:
		return strconv.FormatUint(n/1_000_000, 10) + " M"
	case n >= 1_000 && n%1_000 == 0:
		return strconv.FormatUint(n/1_000, 10) + " k"
	}
	return strconv.FormatUint(n, 10)
}

// overload is a run asked for more than the generator can offer, with
// capped workers: the summary must show the achieved rate below the
// target, the late pushes, and latencies measured from the intended send
// times (so they grow with the backlog instead of hiding it).
type overload struct {
	Target, Achieved float64
	Pushes, Late     uint64
	P50              float64 // ms
}

func runOverload(ctx context.Context, t *tools, ep *endpoint, rate int) (*overload, error) {
	args := []string{"attack", "--url", ep.URL(), "--token", benchToken, "--rate", strconv.Itoa(rate) + "/s",
		"--workers", "32", "--max-workers", "32", "--keepalive", "--duration", "3s", "--json", "--quiet"}
	time.Sleep(pause)
	_, out, err := runProc(ctx, t.wxsim, args...)
	if err != nil {
		return nil, err
	}
	s, err := decodeSummary(out)
	if err != nil {
		return nil, err
	}
	return &overload{Target: s.Rate.Target, Achieved: s.Rate.Achieved, Pushes: s.Pushes, Late: s.Late, P50: s.Latency.P50}, nil
}
