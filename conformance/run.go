package conformance

import (
	"context"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"sync/atomic"
	"time"

	. "github.com/onsi/ginkgo/v2" //nolint:revive // the Ginkgo DSL reads best unqualified
	"github.com/onsi/ginkgo/v2/formatter"
	"github.com/onsi/ginkgo/v2/types"
	"github.com/onsi/gomega"
)

// SuiteName is the suite's description in Ginkgo reports and JUnit.
const SuiteName = "wxsim conformance"

// RunOptions choose which cases run and where the reports go. The zero
// value runs every case with Ginkgo's own configuration (its command-line
// flags in the `ginkgo ./conformance` route) and its console output.
type RunOptions struct {
	JUnit       string   // write a JUnit report here (cases named by ID)
	JSONReport  string   // write Ginkgo's JSON report here
	LabelFilter string   // a Ginkgo label filter, e.g. "must && !load"
	Focus       []string // ID prefixes, e.g. "reply/2" or "signature"

	// Out, when set, receives one line per case as it ends (and the
	// failures' details); Ginkgo's own console output is then silenced.
	Out io.Writer
}

// ErrAlreadyRan is returned by Run and Catalogue when the suite already
// ran in this process: Ginkgo runs a suite once per process.
var ErrAlreadyRan = errors.New("conformance: the suite already ran in this process (Ginkgo runs a suite once per process)")

// ErrReport wraps a failure to write the JUnit or JSON report.
var ErrReport = errors.New("conformance: writing a report")

var ran atomic.Bool

// hooks connect the package-level report nodes to the run in progress.
var hooks struct {
	each  func(types.SpecReport)
	suite types.Report
}

var (
	_ = ReportAfterEach(func(r types.SpecReport) {
		if hooks.each != nil {
			hooks.each(r)
		}
	})
	_ = ReportAfterSuite(SuiteName, func(r types.Report) { hooks.suite = r })
)

// Run validates cfg, runs the suite in-process with Ginkgo and returns
// every case's result. A bad configuration or option returns an error
// wrapping ErrInvalidConfig before any case runs. Reports are written even
// when cases fail; a write failure returns the result with an error
// wrapping ErrReport. Run can be called once per process.
func Run(ctx context.Context, cfg Config, opts RunOptions) (Result, error) {
	if err := cfg.Validate(); err != nil {
		return Result{}, err
	}
	suiteCfg, repCfg, err := ginkgoConfig(cfg, opts)
	if err != nil {
		return Result{}, err
	}
	s, err := newSession(ctx, cfg)
	if err != nil {
		return Result{}, err
	}
	if cfg.API {
		m, err := startAPIMock(cfg)
		if err != nil {
			return Result{}, err
		}
		defer m.Close()
		s.api = m
		if opts.Out != nil {
			fmt.Fprintf(opts.Out, "WeChat's server API is played at %s for the api cases: the endpoint must call it instead of https://api.weixin.qq.com\n", m.BaseURL())
		}
	}
	if !ran.CompareAndSwap(false, true) {
		return Result{}, ErrAlreadyRan
	}
	junit, jsonReport := reportPaths(&repCfg, opts)
	active = s
	defer func() { active = nil }()
	if opts.Out != nil {
		out := opts.Out
		hooks.each = func(r types.SpecReport) {
			if c, ok := caseOf(r); ok && c.State != NotSelected {
				writeCase(out, c)
			}
		}
		defer silenceGinkgo()()
	}
	gomega.RegisterFailHandler(Fail)
	RunSpecs(&failRecorder{}, SuiteName, suiteCfg, repCfg)
	hooks.each = nil
	res := resultOf(hooks.suite, cfg.Strict)
	res.Interrupted = res.Interrupted || ctx.Err() != nil
	if err := writeReports(hooks.suite, junit, jsonReport); err != nil {
		return res, fmt.Errorf("%w: %w", ErrReport, err)
	}
	return res, nil
}

// Validate checks the options before a run: the label filter parses and
// every focus is an ID prefix. Errors wrap ErrInvalidConfig.
func (o RunOptions) Validate() error {
	if o.LabelFilter != "" {
		if _, err := types.ParseLabelFilter(o.LabelFilter); err != nil {
			return fmt.Errorf("%w: --label-filter %q: %s", ErrInvalidConfig, o.LabelFilter, plainGinkgoError(err))
		}
	}
	if _, err := focusPattern(o.Focus); err != nil {
		return fmt.Errorf("%w: --focus: %w", ErrInvalidConfig, err)
	}
	return nil
}

// plainGinkgoError is the last line of a Ginkgo error's message without
// its colour markup: what is wrong, without the banner.
func plainGinkgoError(err error) string {
	var ge types.GinkgoError
	if !errors.As(err, &ge) {
		return firstLineOf(err.Error())
	}
	msg := strings.TrimSpace(markup.ReplaceAllString(ge.Message, ""))
	if i := strings.LastIndexByte(msg, '\n'); i >= 0 {
		msg = msg[i+1:]
	}
	return msg
}

var markup = regexp.MustCompile(`\{\{[^}]*\}\}`)

// ginkgoConfig starts from Ginkgo's configuration (its flags, in the
// ginkgo route) and applies the options, checking them first.
func ginkgoConfig(cfg Config, opts RunOptions) (types.SuiteConfig, types.ReporterConfig, error) {
	suiteCfg, repCfg := GinkgoConfiguration()
	if err := opts.Validate(); err != nil {
		return suiteCfg, repCfg, err
	}
	if opts.LabelFilter != "" {
		suiteCfg.LabelFilter = opts.LabelFilter
	}
	if focus, _ := focusPattern(opts.Focus); focus != "" {
		suiteCfg.FocusStrings = append(suiteCfg.FocusStrings, focus)
	}
	// The default hour is short for a long load run; the suite's own
	// limits bound every case anyway.
	if need := time.Hour + 3*(cfg.LightDuration+cfg.LoadDuration) + 200*cfg.patience(); suiteCfg.Timeout < need {
		suiteCfg.Timeout = need
	}
	return suiteCfg, repCfg, nil
}

// reportPaths takes the report paths from the options, or from Ginkgo's
// own flags, and clears the latter: Run writes both reports itself so
// that JUnit names each case by its ID in both ways of running the suite.
func reportPaths(repCfg *types.ReporterConfig, opts RunOptions) (junit, jsonReport string) {
	junit, jsonReport = opts.JUnit, opts.JSONReport
	if junit == "" {
		junit = repCfg.JUnitReport
	}
	if jsonReport == "" {
		jsonReport = repCfg.JSONReport
	}
	repCfg.JUnitReport, repCfg.JSONReport = "", ""
	return junit, jsonReport
}

// silenceGinkgo sends Ginkgo's console reporter to io.Discard (the caller
// prints its own lines) and returns the undo.
func silenceGinkgo() func() {
	prev := formatter.ColorableStdOut
	formatter.ColorableStdOut = io.Discard
	return func() { formatter.ColorableStdOut = prev }
}

// failRecorder is the "t" RunSpecs needs: whether the run passed is decided
// from the report (must and should levels), not from Ginkgo's verdict.
type failRecorder struct{ failed bool }

func (f *failRecorder) Fail() { f.failed = true }
