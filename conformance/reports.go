package conformance

import (
	"errors"
	"fmt"
	"slices"

	"github.com/onsi/ginkgo/v2/reporters"
	"github.com/onsi/ginkgo/v2/types"
)

// writeReports writes Ginkgo's JSON report unchanged, and the JUnit report
// from junitView; "" skips a report.
func writeReports(r types.Report, junit, jsonReport string) error {
	var errs []error
	if jsonReport != "" {
		if err := reporters.GenerateJSONReport(r, jsonReport); err != nil {
			errs = append(errs, fmt.Errorf("--json-report %s: %w", jsonReport, err))
		}
	}
	if junit != "" {
		cfg := reporters.JunitReportConfig{
			OmitLeafNodeType: true, OmitSpecLabels: true, OmitSuiteSetupNodes: true, OmitCapturedStdOutErr: true,
			OmitTimelinesForSpecState: types.SpecStatePassed | types.SpecStateSkipped,
		}
		if err := reporters.GenerateJUnitReportWithConfig(junitView(r), junit, cfg); err != nil {
			errs = append(errs, fmt.Errorf("--junit %s: %w", junit, err))
		}
	}
	return errors.Join(errs...)
}

// junitView reshapes a report so that Ginkgo's JUnit generator names each
// test case by its ID alone (reply/2/text rather than "[It] WeChat callback
// reply the swap reply/2/text: … [must, reply]"), with the level and the
// requirement as the first properties. Failures stay <failure> elements
// whatever the level: a failed should case is a failure in JUnit, its
// message starts with "[should]", and only the exit code ignores it
// without --strict.
func junitView(r types.Report) types.Report {
	out := r
	out.SpecReports = make(types.SpecReports, 0, len(r.SpecReports))
	for _, sr := range r.SpecReports {
		if c, ok := caseOf(sr); ok {
			sr.ContainerHierarchyTexts = nil
			sr.ContainerHierarchyLabels = nil
			sr.LeafNodeLabels = nil
			sr.LeafNodeText = c.ID
			at := func(name, value string) types.ReportEntry {
				return types.ReportEntry{Name: name, Value: types.WrapEntryValue(value), Visibility: types.ReportEntryVisibilityNever,
					Location: sr.LeafNodeLocation, Time: sr.StartTime}
			}
			sr.ReportEntries = append(types.ReportEntries{at("level", string(c.Level)), at("requirement", c.Text)},
				slices.Clone(sr.ReportEntries)...)
		}
		out.SpecReports = append(out.SpecReports, sr)
	}
	return out
}
