// Package scenario loads wxsim's scenario files: YAML documents that
// describe one attack (accounts, target, rate over time, mix, timeouts,
// retries, MarkFail and alarm rules, thresholds) so that capacity planners
// write their traffic once and rerun it. The format is specified in
// scenarios/README.md.
//
// Loading is strict. Every problem is an *Error naming the file, the line and
// the field ("launch-day.yaml:14: stages[2].amp: must be < target (50), got
// 60"): unknown fields, values of the wrong shape, bad durations, rates,
// mixes, modes and thresholds, impossible stages, a missing URL or token.
// Values may take secrets from the environment (`token: ${WXSIM_TOKEN}`), so
// that secrets need not be written into files; errors never show a secret.
//
// A loaded Scenario is plain data the caller may still adjust (the command
// line overrides the file), then Plan turns it into a simulator.Plan,
// compressing its schedule by a time scale when asked.
package scenario
