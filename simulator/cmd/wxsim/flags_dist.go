package main

import (
	"fmt"
	"io"
	"time"

	"github.com/spf13/pflag"

	"github.com/wxsim/wxsim/simulator"
	"github.com/wxsim/wxsim/simulator/metrics"
)

// distFlags take a run beyond one machine: --shard makes this process one
// part of a bigger run, --metrics-addr lets Prometheus watch it live.
type distFlags struct {
	shard       string
	metricsAddr string
}

func (f *distFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&f.shard, "shard", "", "run shard I of N (I from 0, e.g. 0/4, a Kubernetes Indexed Job's index): 1/N of the rate, "+
		"its own slice of the followers and MsgIds, its own attack name; merge with 'wxsim report shard-*.bin'")
	fs.StringVar(&f.metricsAddr, "metrics-addr", "", "serve live Prometheus metrics at http://ADDR/metrics while the run lasts (e.g. :9090)")
}

// apply makes the plan this shard's part of the run, and starts serving
// its metrics; stop ends serving once the run has been reported.
func (f *distFlags) apply(p *simulator.Plan, stderr io.Writer) (stop func(), err error) {
	if f.shard != "" {
		s, err := simulator.ParseShard(f.shard)
		if err != nil {
			return nil, usageErr("--shard: %v", err)
		}
		if err := s.Apply(p); err != nil {
			return nil, usageErr("--shard: %v", err)
		}
	}
	if f.metricsAddr == "" {
		return func() {}, nil
	}
	c := metrics.New(p.Name)
	srv, err := metrics.Serve(f.metricsAddr, c)
	if err != nil {
		return nil, usageErr("--metrics-addr: %v", err)
	}
	fmt.Fprintf(stderr, "metrics: %s\n", srv.URL())
	observe, progress := p.Observer, p.Progress
	p.Observer = c.Observe
	if observe != nil {
		p.Observer = func(o *simulator.Outcome) { observe(o); c.Observe(o) }
	}
	p.Progress = c.Progress
	if progress != nil {
		p.Progress = func(pr simulator.Progress, final bool) { progress(pr, final); c.Progress(pr, final) }
	}
	p.Sinks = append(p.Sinks, c)
	return func() { _ = srv.Close(2 * time.Second) }, nil
}
