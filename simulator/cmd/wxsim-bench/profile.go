package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"runtime/pprof"
	"strings"
	"time"

	"github.com/wxsim/wxsim/simulator"
	"github.com/wxsim/wxsim/simulator/pacing"
	"github.com/wxsim/wxsim/simulator/wechat"
)

// profileRun runs the engine in this process at full speed with keep-alive
// against the endpoint (which runs in its own process, so the profile
// holds the generator only) and returns pprof's top entries, flat and
// cumulative.
func profileRun(ctx context.Context, dir string, ep *endpoint, workers int, d time.Duration) (flat, cum string, err error) {
	mix, err := simulator.ParseMix(simulator.DefaultMix)
	if err != nil {
		return "", "", err
	}
	plan := simulator.Plan{Name: "profile", URL: ep.URL(), Account: benchAccount(wechat.Plain), Mix: mix,
		Followers: simulator.NewFollowers(0, 10_000, 0), Pacer: pacing.Closed(), Duration: d,
		Workers: uint64(workers), MaxWorkers: uint64(workers), Retries: 2,
		Transport: simulator.TransportConfig{ConnectTimeout: 3 * time.Second, ResponseTimeout: 5 * time.Second, KeepAlive: true}}
	path := filepath.Join(dir, "cpu.prof")
	f, err := os.Create(path)
	if err != nil {
		return "", "", err
	}
	defer f.Close()
	time.Sleep(pause)
	// The wxsim binary runs attacks with a GC target of 400 % (see
	// cmd/wxsim/gctune.go); profile what it runs.
	defer debug.SetGCPercent(debug.SetGCPercent(400))
	if err := pprof.StartCPUProfile(f); err != nil {
		return "", "", err
	}
	_, runErr := simulator.Run(ctx, plan)
	pprof.StopCPUProfile()
	if runErr != nil {
		return "", "", fmt.Errorf("profile run: %w", runErr)
	}
	self, err := os.Executable()
	if err != nil {
		return "", "", err
	}
	if flat, err = pprofTop(ctx, self, path, false); err != nil {
		return "", "", err
	}
	cum, err = pprofTop(ctx, self, path, true)
	return flat, cum, err
}

// pprofTop renders `go tool pprof -top` without its header lines.
func pprofTop(ctx context.Context, exe, prof string, cum bool) (string, error) {
	args := []string{"tool", "pprof", "-top", "-nodecount", "25"}
	if cum {
		args = append(args, "-cum")
	}
	out, err := exec.CommandContext(ctx, "go", append(args, exe, prof)...).Output()
	if err != nil {
		return "", fmt.Errorf("go tool pprof: %w", err)
	}
	lines := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
	for i, l := range lines {
		if strings.Contains(l, "flat%") {
			return strings.Join(lines[i:], "\n"), nil
		}
	}
	return string(out), nil
}
