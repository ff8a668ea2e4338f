package main

import (
	"os"
	"runtime/debug"
)

// loadGCPercent is the garbage collector's target for a load run. A run's
// live heap is a few megabytes and stays flat (nothing is kept per push),
// while every push allocates a few kilobytes that die at once: with Go's
// default target of 100 % the collector runs several times a second and
// costs about a sixth of the CPU per push. 400 % trades about 12 MiB of
// peak RSS for that CPU (simulator/BENCHMARKS.md). GOGC, when set, wins.
const loadGCPercent = 400

// tuneGC applies loadGCPercent unless the user set GOGC.
func tuneGC() {
	if _, set := os.LookupEnv("GOGC"); !set {
		debug.SetGCPercent(loadGCPercent)
	}
}
