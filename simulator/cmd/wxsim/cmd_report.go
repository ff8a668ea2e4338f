package main

import (
	"os"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/wxsim/wxsim/simulator"
	"github.com/wxsim/wxsim/simulator/report"
)

// reportCommand reads one or more result streams, merged, and reports them.
func (a *app) reportCommand() *cobra.Command {
	var (
		typ        string
		buckets    string
		lang       string
		output     string
		title      string
		thresholds []string
		rules      ruleFlags
		tf         transportFlags
	)
	c := &cobra.Command{
		Use:   "report FILE…",
		Short: "read result streams (merged; shards' rates summed per shard) and report: text, json, hist or html",
		Long: `Reads result streams written by 'wxsim attack --output' (vegeta's
encoding: gob, JSON or CSV; plain vegeta result files are read too, their
outcome guessed from the status code). Several files are merged in time
order, the MarkFail breaker and alarm windows replayed over them with the
rules the run recorded in its stream (any rule flag given here replaces
the recorded value; streams that record none, such as plain vegeta
results, use the flags' values), and the achieved rate computed per shard
window, then summed. '-' reads standard input.`,
		Args: func(c *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usageErr("report needs at least one result file (or - for standard input)")
			}
			return nil
		},
		RunE: func(c *cobra.Command, args []string) error {
			mf, al, err := rules.rules()
			if err != nil {
				return err
			}
			var ts []simulator.Threshold
			for _, expr := range thresholds {
				t, err := simulator.ParseThreshold(expr)
				if err != nil {
					return usageErr("--threshold: %v", err)
				}
				ts = append(ts, t)
			}
			bs, err := report.ParseBuckets(buckets)
			if err != nil {
				return usageErr("--buckets: %v", err)
			}
			if typ != "text" && typ != "json" && typ != "hist" && typ != "html" {
				return usageErr("--type %q: want text, json, hist or html", typ)
			}
			cfg := simulator.AggregatorConfig{MarkFail: mf, Alarm: al, Retries: rules.retries,
				Limits: simulator.Limits{ConnectTimeout: tf.connectTimeout, ResponseTimeout: tf.responseTimeout}}
			m, err := a.readStreams(args, bs, report.Replay(replayWith(c.Flags(), &rules, &tf, cfg)))
			if err != nil {
				return asUsage(err)
			}
			s := m.Summary
			var ok bool
			s.Thresholds, ok = simulator.EvalThresholds(ts, s)
			w := a.stdout
			if output != "" {
				fh, err := os.Create(output)
				if err != nil {
					return usageErr("--output: %v", err)
				}
				defer fh.Close()
				w = fh
			}
			switch typ {
			case "json":
				err = report.WriteJSON(w, s)
			case "hist":
				err = report.WriteHistogram(w, m.Histogram)
			case "html":
				err = report.WriteHTML(w, s, m.Series, title, report.Lang(lang))
			default:
				err = report.WriteText(w, s, report.Lang(lang))
				if err == nil && len(m.Shards) > 1 {
					err = report.WriteShards(w, m.Shards)
				}
			}
			if err != nil {
				return err
			}
			if !ok {
				return errVerdictFailed
			}
			return nil
		},
	}
	fs := c.Flags()
	fs.StringVar(&typ, "type", "text", "text, json, hist or html")
	fs.StringVar(&buckets, "buckets", report.DefaultBuckets, "latency buckets for --type hist")
	fs.StringVar(&lang, "alarm-lang", "en", "alarm language: en or zh")
	fs.StringVarP(&output, "output", "o", "", "write the report to FILE instead of standard output")
	fs.StringVar(&title, "title", "wxsim report", "the HTML page's title")
	fs.StringArrayVar(&thresholds, "threshold", nil, "a pass/fail threshold (repeatable); exit 1 when one fails")
	rules.register(fs)
	fs.DurationVar(&tf.connectTimeout, "connect-timeout", simulator.DefaultLimits().ConnectTimeout, "the connect timeout the run used, for alarm wording (default: as recorded in the stream)")
	fs.DurationVar(&tf.responseTimeout, "response-timeout", simulator.DefaultLimits().ResponseTimeout, "the response timeout the run used, for alarm wording (default: as recorded in the stream)")
	return c
}

// replayWith replays a stream with the run it recorded, each rule or limit
// flag set on the command line in place of the recorded value; a stream
// that recorded nothing is replayed with fallback, the flags' values.
func replayWith(fs *pflag.FlagSet, rules *ruleFlags, tf *transportFlags, fallback simulator.AggregatorConfig) report.ReplayFunc {
	return func(rec simulator.RunInfo, found bool) simulator.AggregatorConfig {
		if !found {
			return fallback
		}
		r := rec.Config()
		r.MarkFail, r.Alarm, r.Retries = rules.overRecorded(fs, rec)
		if fs.Changed("connect-timeout") {
			r.Limits.ConnectTimeout = tf.connectTimeout
		}
		if fs.Changed("response-timeout") {
			r.Limits.ResponseTimeout = tf.responseTimeout
		}
		return r
	}
}

// readStreams reads the named files, "-" being standard input.
func (a *app) readStreams(paths []string, bs vegeta.Buckets, replay report.Option) (*report.Merged, error) {
	var streams []report.Stream
	for _, p := range paths {
		if p == "-" {
			streams = append(streams, report.Stream{Name: "standard input", R: a.stdin})
			continue
		}
		fh, err := os.Open(p)
		if err != nil {
			return nil, err
		}
		defer fh.Close()
		streams = append(streams, report.Stream{Name: p, R: fh})
	}
	return report.ReadStreams(streams, simulator.AggregatorConfig{}, report.Buckets(bs), replay)
}
