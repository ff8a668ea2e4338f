package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"math"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
)

// budget is a per-push goal of issue 6, checked on a Go benchmark.
type budget struct {
	Bench     string  // benchmark name without "Benchmark"
	Pkg       string  // package path
	What      string  // what the benchmark does
	MaxNs     float64 // ns/op ceiling
	MaxAllocs float64 // allocs/op ceiling; < 0 for none
}

var budgets = []budget{
	{"BuildAndSignPlainPush", "./simulator/wechat/", "build and sign a plain push (body + signed query)", 3000, 10},
	{"JudgeSuccess", "./simulator/wechat/", "judge a `success` reply", 500, 0},
	{"JudgeTextReply", "./simulator/wechat/", "judge a text passive reply", 12000, -1},
	{"SafePushRoundTrip", "./simulator/wechat/", "safe mode end to end: build, sign, encrypt, seal and decrypt the reply, judge", 30000, -1},
}

// calibration is an etree operation whose cost design.md gives for the
// machine the budgets were set on. Measured here in the same run, the
// ratio says how much slower or faster this machine is, so a budget can be
// judged at this machine's speed too: absolute nanoseconds mean little
// across machines (the standards ask for ratios).
type calibration struct {
	Bench string  // benchmark name without "Benchmark"
	Pkg   string  // package path
	What  string  // what the benchmark does
	RefNs float64 // ns/op on the machine the budgets were set on
}

var calibrations = []calibration{
	{"CalibrateEtreeBuild", "./simulator/wechat/", "a text push built as a fresh etree document", 2500},
	{"CalibrateEtreeParse", "./simulator/wechat/", "a text passive reply parsed by etree, nothing judged", 8600},
}

// machineFactor is the geometric mean over the calibrations of this
// machine's median ns/op over the reference: 2 means this machine takes
// twice as long. ok is false when a calibration was not measured.
func machineFactor(figs map[string]*benchFigures) (factor float64, ok bool) {
	logSum := 0.0
	for _, c := range calibrations {
		f := figs[c.Bench]
		if f == nil || len(f.Ns) == 0 {
			return 0, false
		}
		logSum += math.Log(spreadOf(f.Ns).Median / c.RefNs)
	}
	return math.Exp(logSum / float64(len(calibrations))), true
}

// benchLine is one parsed line of `go test -bench -benchmem` output.
type benchLine struct {
	Name   string
	NsOp   float64
	BOp    float64
	Allocs float64
}

// benchFigures are a benchmark's repeated measurements.
type benchFigures struct {
	Ns     []float64
	Allocs []float64
	Bytes  []float64
}

var benchRE = regexp.MustCompile(`^Benchmark(\S+?)(?:-\d+)?\s+\d+\s+([\d.]+) ns/op(?:\s+[\d.]+ MB/s)?(?:\s+([\d.]+) B/op\s+([\d.]+) allocs/op)?`)

// parseBench reads benchmark lines, ignoring everything else.
func parseBench(out []byte) []benchLine {
	var lines []benchLine
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		m := benchRE.FindStringSubmatch(strings.TrimSpace(sc.Text()))
		if m == nil {
			continue
		}
		l := benchLine{Name: m[1]}
		l.NsOp, _ = strconv.ParseFloat(m[2], 64)
		if m[3] != "" {
			l.BOp, _ = strconv.ParseFloat(m[3], 64)
			l.Allocs, _ = strconv.ParseFloat(m[4], 64)
		}
		lines = append(lines, l)
	}
	return lines
}

// runGoBenchmarks runs every budget's benchmark count times, package by
// package, and groups the figures by name.
func runGoBenchmarks(ctx context.Context, count int, log func(string, ...any)) (map[string]*benchFigures, error) {
	byPkg := map[string][]string{}
	var pkgs []string
	add := func(pkg, bench string) {
		if _, ok := byPkg[pkg]; !ok {
			pkgs = append(pkgs, pkg)
		}
		byPkg[pkg] = append(byPkg[pkg], bench)
	}
	for _, c := range calibrations {
		add(c.Pkg, c.Bench)
	}
	for _, b := range budgets {
		add(b.Pkg, b.Bench)
	}
	figs := map[string]*benchFigures{}
	for _, pkg := range pkgs {
		re := "^Benchmark(" + strings.Join(byPkg[pkg], "|") + ")$"
		log("go test -bench '%s' -count %d %s", re, count, pkg)
		cmd := exec.CommandContext(ctx, "go", "test", "-run", "^$", "-bench", re, "-benchmem",
			"-count", strconv.Itoa(count), pkg)
		cmd.Stderr = os.Stderr
		out, err := cmd.Output()
		if err != nil {
			return nil, fmt.Errorf("go test -bench %s: %w", pkg, err)
		}
		for _, l := range parseBench(out) {
			f := figs[l.Name]
			if f == nil {
				f = &benchFigures{}
				figs[l.Name] = f
			}
			f.Ns = append(f.Ns, l.NsOp)
			f.Allocs = append(f.Allocs, l.Allocs)
			f.Bytes = append(f.Bytes, l.BOp)
		}
	}
	return figs, nil
}
