package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"golang.org/x/term"

	"github.com/wxsim/wxsim/simulator"
)

// progressPrinter shows a run's progress: one line rewritten in place on a
// terminal, or a plain line every few seconds when the output is a file or
// a CI log.
type progressPrinter struct {
	w        io.Writer
	total    time.Duration
	terminal bool
	last     time.Time
	every    time.Duration
}

func newProgressPrinter(w io.Writer, total time.Duration) *progressPrinter {
	p := &progressPrinter{w: w, total: total, every: 5 * time.Second}
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		p.terminal = true
	}
	return p
}

func (p *progressPrinter) print(s simulator.Progress, final bool) {
	line := fmt.Sprintf("%s/%s  sent %d  rate %.1f/s  ok %.2f%%  p99 %s  alarms %d",
		s.Elapsed.Round(time.Second), p.total, s.Sent, s.Rate, 100*s.OKRatio, s.P99.Round(time.Microsecond), s.OpenAlarms)
	if s.Blocked {
		line += "  MARKFAIL BLOCK"
	}
	if p.terminal {
		fmt.Fprintf(p.w, "\r\033[K%s", line)
		if final {
			fmt.Fprintln(p.w)
		}
		return
	}
	if now := time.Now(); final || now.Sub(p.last) >= p.every {
		p.last = now
		fmt.Fprintln(p.w, line)
	}
}
