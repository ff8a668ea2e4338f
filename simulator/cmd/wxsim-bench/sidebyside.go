package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"syscall"
	"time"
)

// A side-by-side run: the vegeta CLI and wxsim, at full speed with the same
// concurrency, against the same endpoint, one after the other, several
// times. Each ratio is taken within a round (same minute, same machine
// load), and rounds alternate which generator goes first.

// genRun is one generator run to make.
type genRun struct {
	Name string   // e.g. "wxsim keep-alive"
	Tool string   // "vegeta" or "wxsim"
	Args []string // after the subcommand
	Env  []string // extra environment
}

// runResult is what one run measured.
type runResult struct {
	Served  served
	PeakRSS int64         // KiB, the generator process's
	CPU     time.Duration // user + system time of the generator process
	Report  float64       // the generator's own figure (requests or ok pushes per second)
	Pushes  uint64        // wxsim only: pushes made
	Late    uint64        // wxsim only
	Target  float64       // wxsim only: asked rate
	P50     float64       // ms, the generator's own
}

// sideBySide holds the figures of all rounds.
type sideBySide struct {
	Rounds int
	Runs   map[string][]runResult // by genRun.Name
	Ratios map[string][]float64   // by goal name
	// CPURatios are vegeta's CPU time per request over wxsim's, by goal
	// name: what the throughput ratio would be if the generator had the
	// cores to itself (other load on the machine moves it less).
	CPURatios map[string][]float64
	Workers   int
	Each      time.Duration
}

// goal ties a ratio to its floor: wxsim run over vegeta run >= Min.
type goal struct {
	Name        string
	WxsimRun    string
	VegetaRun   string
	Min         float64
	Description string
}

var throughputGoals = []goal{
	{"keep-alive", "wxsim --keepalive", "vegeta (keep-alive)", 0.95, "wxsim `--keepalive` ≥ 0.95× vegeta"},
	{"connection per push", "wxsim (connection per push)", "vegeta -keepalive=false", 0.95, "wxsim default ≥ 0.95× vegeta `-keepalive=false`"},
	{"safe mode", "wxsim --mode safe --keepalive", "vegeta (keep-alive)", 0.80, "wxsim safe mode ≥ 0.8× vegeta keep-alive"},
	{"keep-alive, GOGC=100", "wxsim --keepalive, GOGC=100", "vegeta (keep-alive)", 0.95, "(reference) wxsim `--keepalive` at GOGC=100, vegeta's GC setting"},
}

// runSideBySide makes the rounds.
func runSideBySide(ctx context.Context, t *tools, ep *endpoint, targets string, rounds, workers int, each time.Duration, log func(string, ...any)) (*sideBySide, error) {
	w := strconv.Itoa(workers)
	d := each.String()
	common := []string{"attack", "--url", ep.URL(), "--token", benchToken, "--rate", "0", "--workers", w, "--duration", d, "--json", "--quiet"}
	vegeta := []string{"attack", "-rate", "0", "-max-workers", w, "-duration", d, "-targets", targets}
	pairs := [][2]genRun{
		{{"vegeta (keep-alive)", "vegeta", vegeta, nil}, {"wxsim --keepalive", "wxsim", append(slices.Clone(common), "--keepalive"), nil}},
		{{"vegeta (keep-alive)", "", nil, nil}, {"wxsim --mode safe --keepalive", "wxsim", append(slices.Clone(common), "--keepalive", "--mode", "safe", "--aes-key", benchAESKey), nil}},
		{{"vegeta -keepalive=false", "vegeta", append(slices.Clone(vegeta), "-keepalive=false"), nil}, {"wxsim (connection per push)", "wxsim", common, nil}},
		// wxsim raises the GC target of a load run (GOGC=400 unless set);
		// this pair shows it at Go's default, vegeta's setting.
		{{"vegeta (keep-alive)", "", nil, nil}, {"wxsim --keepalive, GOGC=100", "wxsim", append(slices.Clone(common), "--keepalive"), []string{"GOGC=100"}}},
	}
	sb := &sideBySide{Rounds: rounds, Runs: map[string][]runResult{}, Ratios: map[string][]float64{}, CPURatios: map[string][]float64{}, Workers: workers, Each: each}
	for r := range rounds {
		for _, pair := range pairs {
			order := []genRun{pair[0], pair[1]}
			if r%2 == 1 {
				order[0], order[1] = order[1], order[0]
			}
			for _, g := range order {
				if g.Tool == "" {
					continue // measured with the pair before, in this round
				}
				res, err := runGenerator(ctx, t, ep, g)
				if err != nil {
					return nil, fmt.Errorf("round %d, %s: %w", r+1, g.Name, err)
				}
				log("round %d: %-32s %8.0f req/s (own report %8.0f/s), %5.1f µs CPU/req, peak RSS %d MiB", r+1, g.Name,
					res.Served.Throughput(), res.Report, float64(res.CPUPerRequest().Nanoseconds())/1e3, res.PeakRSS>>10)
				sb.Runs[g.Name] = append(sb.Runs[g.Name], res)
			}
		}
		for _, gl := range throughputGoals {
			wx, vg := sb.Runs[gl.WxsimRun], sb.Runs[gl.VegetaRun]
			sb.Ratios[gl.Name] = append(sb.Ratios[gl.Name], wx[r].Served.Throughput()/vg[r].Served.Throughput())
			sb.CPURatios[gl.Name] = append(sb.CPURatios[gl.Name], vg[r].CPUPerRequest().Seconds()/wx[r].CPUPerRequest().Seconds())
		}
	}
	return sb, nil
}

// pause lets sockets in TIME_WAIT and the CPU settle between runs.
const pause = time.Second

// runGenerator makes one run and reads what the endpoint served.
func runGenerator(ctx context.Context, t *tools, ep *endpoint, g genRun) (runResult, error) {
	time.Sleep(pause)
	if err := ep.reset(); err != nil {
		return runResult{}, err
	}
	var res runResult
	var err error
	switch g.Tool {
	case "vegeta":
		res, err = runVegeta(ctx, t, g.Args)
	default:
		res, err = runWxsim(ctx, t, g.Env, g.Args)
	}
	if err != nil {
		return res, err
	}
	res.Served, err = ep.stats()
	return res, err
}

// runVegeta runs `vegeta attack` into a result file, then `vegeta report`
// for vegeta's own figures.
func runVegeta(ctx context.Context, t *tools, args []string) (runResult, error) {
	out := filepath.Join(t.dir, "vegeta.bin")
	u, _, err := runUsage(ctx, nil, t.vegeta, append(slices.Clone(args), "-output", out)...)
	if err != nil {
		return runResult{}, err
	}
	_, rep, err := runProc(ctx, t.vegeta, "report", "-type", "json", out)
	if err != nil {
		return runResult{}, err
	}
	var m struct {
		Throughput float64 `json:"throughput"`
		Latencies  struct {
			P50 float64 `json:"50th"`
		} `json:"latencies"`
	}
	if err := json.Unmarshal(rep, &m); err != nil {
		return runResult{}, fmt.Errorf("vegeta report: %w", err)
	}
	return runResult{PeakRSS: u.rss, CPU: u.cpu, Report: m.Throughput, P50: m.Latencies.P50 / 1e6}, nil
}

// wxsimSummary is the part of the JSON summary the bench reads.
type wxsimSummary struct {
	Pushes   uint64            `json:"pushes"`
	Late     uint64            `json:"late"`
	Outcomes map[string]uint64 `json:"outcomes"`
	Rate     struct {
		Target   float64 `json:"target"`
		Achieved float64 `json:"achieved"`
	} `json:"rate"`
	Latency struct {
		P50 float64 `json:"p50"`
	} `json:"latency_ms"`
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
}

func decodeSummary(out []byte) (*wxsimSummary, error) {
	var s wxsimSummary
	if err := json.Unmarshal(out, &s); err != nil {
		return nil, fmt.Errorf("wxsim summary: %w", err)
	}
	return &s, nil
}

// runWxsim runs `wxsim attack --json` and reads its summary.
func runWxsim(ctx context.Context, t *tools, env, args []string) (runResult, error) {
	u, out, err := runUsage(ctx, env, t.wxsim, args...)
	if err != nil {
		return runResult{}, err
	}
	s, err := decodeSummary(out)
	if err != nil {
		return runResult{}, err
	}
	res := runResult{PeakRSS: u.rss, CPU: u.cpu, Pushes: s.Pushes, Late: s.Late, Target: s.Rate.Target, P50: s.Latency.P50}
	if span := s.End.Sub(s.Start); span > 0 {
		res.Report = float64(s.Outcomes["ok"]) / span.Seconds()
	}
	return res, nil
}

// runProc runs a program and returns its peak RSS in KiB and its standard
// output; a failure carries the tail of its standard error.
func runProc(ctx context.Context, name string, args ...string) (int64, []byte, error) {
	u, out, err := runUsage(ctx, nil, name, args...)
	return u.rss, out, err
}

// usage is what the kernel measured of a child process.
type usage struct {
	rss int64 // peak RSS, KiB
	cpu time.Duration
}

// runUsage runs a program and returns its resource usage and standard
// output; a failure carries the tail of its standard error.
func runUsage(ctx context.Context, env []string, name string, args ...string) (usage, []byte, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	if env != nil {
		cmd.Env = append(os.Environ(), env...)
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var u usage
	if cmd.ProcessState != nil {
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			u.rss = ru.Maxrss // KiB on Linux
			u.cpu = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
		}
	}
	if err != nil {
		tail := stderr.Bytes()
		if len(tail) > 400 {
			tail = tail[len(tail)-400:]
		}
		return u, nil, fmt.Errorf("%s %v: %w: %s", filepath.Base(name), args[0], err, tail)
	}
	return u, stdout.Bytes(), nil
}

// spread is the min, median and max of xs.
type spread struct{ Min, Median, Max float64 }

func spreadOf(xs []float64) spread {
	if len(xs) == 0 {
		return spread{}
	}
	s := slices.Sorted(slices.Values(xs))
	med := s[len(s)/2]
	if len(s)%2 == 0 {
		med = (s[len(s)/2-1] + s[len(s)/2]) / 2
	}
	return spread{Min: s[0], Median: med, Max: s[len(s)-1]}
}

// CPUPerRequest is the generator's CPU time per request the endpoint served.
func (r runResult) CPUPerRequest() time.Duration {
	if r.Served.Requests == 0 {
		return 0
	}
	return r.CPU / time.Duration(r.Served.Requests)
}
