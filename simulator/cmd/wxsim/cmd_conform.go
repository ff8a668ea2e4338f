package main

import (
	"errors"
	"flag"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/wxsim/wxsim/conformance"
)

// conformCommand runs the Ginkgo conformance suite in-process: one case
// per WeChat requirement, each with a stable ID, for a CI gate.
func (a *app) conformCommand() *cobra.Command {
	var (
		gofs        = flag.NewFlagSet("conform", flag.ContinueOnError)
		cf          = conformance.BindFlags(gofs)
		junit       string
		jsonReport  string
		labelFilter string
		focus       []string
		list        bool
	)
	c := &cobra.Command{
		Use:   "conform",
		Short: "run the conformance suite against --url: one case per WeChat requirement, a pass/fail gate for CI",
		Long: `Runs the conformance suite in-process against --url. Every case has a stable
ID (area/n, or area/n/kind), a level and one requirement:
  must    WeChat's own rules; any failure fails the run (exit 1)
  should  good practice; failures are reported, and fail the run only with --strict
A failure prints what was expected, what was seen and the fix from WeChat's
troubleshooting guide; --junit and --json-report carry the raw requests and
replies too. Select cases with --focus ID-PREFIX (e.g. reply/2, signature)
or --label-filter over the labels must, should and the area names.
--list prints the catalogue. Every suite flag also reads WXSIM_<FLAG>
(WXSIM_URL, WXSIM_TOKEN, WXSIM_LOAD_RATE, …).`,
		Args: noArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			if list {
				return a.listCases()
			}
			cfg, err := cf.Config()
			if err != nil {
				return asUsage(err)
			}
			opts := conformance.RunOptions{JUnit: junit, JSONReport: jsonReport, LabelFilter: labelFilter, Focus: focus, Out: a.stdout}
			return a.conform(c, cfg, opts)
		},
	}
	c.Flags().AddGoFlagSet(gofs)
	c.Flags().StringVar(&junit, "junit", "", "write a JUnit report to `FILE` (test cases named by ID)")
	c.Flags().StringVar(&jsonReport, "json-report", "", "write Ginkgo's JSON report to `FILE`")
	c.Flags().StringVar(&labelFilter, "label-filter", "", "run the cases matching a Ginkgo label `QUERY` over must, should and the areas, e.g. 'must && !load'")
	c.Flags().StringSliceVar(&focus, "focus", nil, "run only the cases whose ID starts with `ID-PREFIX` (whole segments; repeatable or comma-separated)")
	c.Flags().BoolVar(&list, "list", false, "print the catalogue (ID, level, requirement) and exit")
	return c
}

// conform runs the suite and maps its result to the exit codes: 0 every
// must case (and with --strict every should case) passed, 1 a case failed,
// 2 a usage problem, 130 interrupted.
func (a *app) conform(c *cobra.Command, cfg conformance.Config, opts conformance.RunOptions) error {
	if err := opts.Validate(); err != nil {
		return asUsage(err)
	}
	t := cfg.Transport
	fmt.Fprintf(a.stdout, "conform %s (%s; limits: connect %s, response %s)\n\n", cfg.URL, describe(cfg.Account), t.ConnectTimeout, t.ResponseTimeout)
	res, err := conformance.Run(c.Context(), cfg, opts)
	switch {
	case errors.Is(err, conformance.ErrInvalidConfig):
		return asUsage(err)
	case err != nil && !errors.Is(err, conformance.ErrReport):
		return err
	}
	if werr := conformance.WriteResult(a.stdout, res); werr != nil {
		return werr
	}
	switch {
	case err != nil:
		return asUsage(err) // an unwritable report file is an input error
	case res.Interrupted || c.Context().Err() != nil:
		return errInterrupted
	case res.Selected() == 0:
		return usageErr("no case matched --focus %s --label-filter %q: see 'wxsim conform --list'", strings.Join(opts.Focus, ","), opts.LabelFilter)
	case !res.Passed:
		return errVerdictFailed
	}
	return nil
}

// listCases prints the catalogue.
func (a *app) listCases() error {
	reqs, err := conformance.Catalogue()
	if err != nil {
		return err
	}
	return conformance.WriteCatalogue(a.stdout, reqs)
}
