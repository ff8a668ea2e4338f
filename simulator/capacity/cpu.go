package capacity

import (
	"bufio"
	"os"
	"runtime/metrics"
	"strconv"
	"strings"
)

// cpuSample is a reading of CPU time: busy and total, in any one unit.
type cpuSample struct {
	busy, total float64
	ok          bool
}

// busyBetween returns the share of CPU busy between two samples, or -1
// when it cannot be told.
func busyBetween(a, b cpuSample) float64 {
	if !a.ok || !b.ok || b.total <= a.total {
		return -1
	}
	return (b.busy - a.busy) / (b.total - a.total)
}

// sampleCPU reads the machine's CPU time from /proc/stat where there is
// one (Linux): the generator is starved whoever uses the cores, itself or
// an endpoint on the same machine. Elsewhere it falls back to this
// process's share of GOMAXPROCS from the Go runtime.
func sampleCPU() cpuSample {
	if s, ok := procStat(); ok {
		return s
	}
	return runtimeCPU()
}

// procStat reads the "cpu" line of /proc/stat: user nice system idle
// iowait irq softirq steal, in clock ticks; idle and iowait are idle.
func procStat() (cpuSample, bool) {
	f, err := os.Open("/proc/stat")
	if err != nil {
		return cpuSample{}, false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	if !sc.Scan() {
		return cpuSample{}, false
	}
	fields := strings.Fields(sc.Text())
	if len(fields) < 5 || fields[0] != "cpu" {
		return cpuSample{}, false
	}
	var s cpuSample
	for i, f := range fields[1:min(len(fields), 9)] {
		v, err := strconv.ParseFloat(f, 64)
		if err != nil {
			return cpuSample{}, false
		}
		s.total += v
		if i != 3 && i != 4 { // idle, iowait
			s.busy += v
		}
	}
	s.ok = true
	return s, true
}

// runtimeCPU reads this process's CPU time from the Go runtime's
// estimates: the total available to GOMAXPROCS, and the idle part.
func runtimeCPU() cpuSample {
	ms := []metrics.Sample{{Name: "/cpu/classes/total:cpu-seconds"}, {Name: "/cpu/classes/idle:cpu-seconds"}}
	metrics.Read(ms)
	if ms[0].Value.Kind() != metrics.KindFloat64 || ms[1].Value.Kind() != metrics.KindFloat64 {
		return cpuSample{}
	}
	total, idle := ms[0].Value.Float64(), ms[1].Value.Float64()
	return cpuSample{busy: total - idle, total: total, ok: true}
}
