package conformance

import (
	"bytes"
	"testing"

	"github.com/onsi/ginkgo/v2/types"
	. "github.com/onsi/gomega"
)

// spec builds the report of one case as Ginkgo would.
func spec(id string, level Level, state types.SpecState, msg string) types.SpecReport {
	return types.SpecReport{
		LeafNodeType: types.NodeTypeIt, LeafNodeText: id + ": A requirement.",
		ContainerHierarchyTexts: []string{"WeChat callback", "area"},
		LeafNodeLabels:          []string{string(level), "area"},
		State:                   state, Failure: types.Failure{Message: msg},
	}
}

func report(specs ...types.SpecReport) types.Report { return types.Report{SpecReports: specs} }

func TestResultDecidesByLevel(t *testing.T) {
	failedShould := report(
		spec("handshake/1", Must, types.SpecStatePassed, ""),
		spec("signature/3", Should, types.SpecStateFailed, "[should] …"),
		spec("crypto/2", Must, types.SpecStateSkipped, "not applicable: plain mode"),
		spec("load/1", Must, types.SpecStateSkipped, ""),
	)
	cases := []struct {
		name   string
		r      types.Report
		strict bool
		passed bool
	}{
		{"a failed should case passes without --strict", failedShould, false, true},
		{"and fails with --strict", failedShould, true, false},
		{"a failed must case fails", report(spec("reply/1/text", Must, types.SpecStateFailed, "x")), false, false},
		{"a panicked must case fails", report(spec("reply/1/text", Must, types.SpecStatePanicked, "x")), false, false},
		{"a timed-out should case fails under --strict", report(spec("timing/2", Should, types.SpecStateTimedout, "x")), true, false},
		{"nothing selected never passes", report(spec("load/1", Must, types.SpecStateSkipped, "")), false, false},
		{"an interrupt fails", types.Report{SpecReports: failedShould.SpecReports, SpecialSuiteFailureReasons: []string{"Interrupted by User"}}, false, false},
		{"an interrupted case fails the run", report(spec("handshake/1", Must, types.SpecStatePassed, ""), spec("load/1", Must, types.SpecStateInterrupted, "interrupted")), false, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			NewWithT(t).Expect(resultOf(c.r, c.strict).Passed).To(Equal(c.passed))
		})
	}
}

func TestResultStatesAndCounts(t *testing.T) {
	g := NewWithT(t)
	r := resultOf(report(
		spec("handshake/1", Must, types.SpecStatePassed, ""),
		spec("signature/3", Should, types.SpecStateFailed, "msg"),
		spec("crypto/2", Must, types.SpecStateSkipped, "not applicable"),
		spec("load/1", Must, types.SpecStateSkipped, ""),
		types.SpecReport{LeafNodeType: types.NodeTypeReportAfterSuite, State: types.SpecStatePassed},
	), false)
	g.Expect(r.Cases).To(HaveLen(4), "only It nodes are cases")
	g.Expect(r.Cases[0].State).To(Equal(Passed))
	g.Expect(r.Cases[1].State).To(Equal(Failed))
	g.Expect(r.Cases[1].Level).To(Equal(Should))
	g.Expect(r.Cases[2].State).To(Equal(Skipped))
	g.Expect(r.Cases[3].State).To(Equal(NotSelected))
	g.Expect(r.Selected()).To(Equal(3))
	g.Expect(r.FailedIDs()).To(Equal([]string{"signature/3"}))
	g.Expect(r.Count(Failed, Should)).To(Equal(1))
	g.Expect(r.Count(Failed, Must)).To(Equal(0))
	stopped := resultOf(report(spec("load/1", Must, types.SpecStateInterrupted, "interrupted by user")), false)
	g.Expect(stopped.Cases[0].State).To(Equal(Interrupted), "an interrupted case has no verdict")
	g.Expect(stopped.Interrupted).To(BeTrue())
	g.Expect(stopped.FailedIDs()).To(BeEmpty())
	var b bytes.Buffer
	g.Expect(WriteResult(&b, r)).To(Succeed())
	g.Expect(b.String()).To(ContainSubstring("3 cases selected: 1 passed, 1 failed (0 must, 1 should), 1 skipped"))
	g.Expect(b.String()).To(ContainSubstring("PASS: every must case passed; 1 should case(s) failed, which --strict would count"))
}

func TestCaseOfReadsTheFinding(t *testing.T) {
	g := NewWithT(t)
	sr := spec("reply/2/text", Must, types.SpecStateFailed, "[must] reply/2/text: …")
	for name, v := range map[string]string{entryExpected: "want", entrySeen: "saw", entryFix: "do", entryRequest: "POST …"} {
		sr.ReportEntries = append(sr.ReportEntries, types.ReportEntry{Name: name, Value: types.WrapEntryValue(v)})
	}
	c, ok := caseOf(sr)
	g.Expect(ok).To(BeTrue())
	g.Expect(c.Expected).To(Equal("want"))
	g.Expect(c.Seen).To(Equal("saw"))
	g.Expect(c.Fix).To(Equal("do"))
	g.Expect(c.Evidence).To(Equal([]Evidence{{Name: entryRequest, Value: "POST …"}}))
	g.Expect(c.Area).To(Equal("reply"))
}

func TestJUnitViewNamesCasesByID(t *testing.T) {
	g := NewWithT(t)
	r := report(spec("reply/2/text", Should, types.SpecStateFailed, "[should] x"),
		types.SpecReport{LeafNodeType: types.NodeTypeReportAfterSuite, LeafNodeText: SuiteName})
	v := junitView(r)
	g.Expect(v.SpecReports).To(HaveLen(2))
	g.Expect(v.SpecReports[0].FullText()).To(Equal("reply/2/text"))
	g.Expect(v.SpecReports[0].ReportEntries[0].Name).To(Equal("level"))
	g.Expect(v.SpecReports[0].ReportEntries[0].StringRepresentation()).To(Equal("should"))
	g.Expect(v.SpecReports[0].ReportEntries[1].StringRepresentation()).To(Equal("A requirement."))
	g.Expect(r.SpecReports[0].ReportEntries).To(BeEmpty(), "the original report is left alone")
	g.Expect(v.SpecReports[1].LeafNodeText).To(Equal(SuiteName))
}
