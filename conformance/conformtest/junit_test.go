package conformtest

import (
	"encoding/xml"
	"os"
	"slices"
	"strings"
	"testing"

	. "github.com/onsi/gomega"
)

// The JUnit schema as CI servers read it (the common junit.xsd: Jenkins,
// GitLab, GitHub's test reporters), written out here rather than borrowed
// from Ginkgo so that the check does not trust the writer's own types.
type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Errors   int         `xml:"errors,attr"`
	Skipped  int         `xml:"skipped,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name       string          `xml:"name,attr"`
	Classname  string          `xml:"classname,attr"`
	Time       float64         `xml:"time,attr"`
	Failure    *junitProblem   `xml:"failure"`
	Error      *junitProblem   `xml:"error"`
	Skipped    *junitSkipped   `xml:"skipped"`
	SystemErr  string          `xml:"system-err"`
	Properties []junitProperty `xml:"properties>property"`
}

type junitProblem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

type junitSkipped struct {
	Message string `xml:"message,attr"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

// checkJUnit reads a run's JUnit report into the schema and checks it
// against the JSON report: one suite, one test case per case named by its
// ID, failures as <failure> (never <error>) carrying the finding and the
// evidence, skipped cases as <skipped>.
func checkJUnit(t *testing.T, r run) {
	t.Helper()
	g := NewWithT(t)
	b, err := os.ReadFile(r.junitReport)
	g.Expect(err).NotTo(HaveOccurred())
	var js junitSuites
	g.Expect(xml.Unmarshal(b, &js)).To(Succeed())
	g.Expect(js.Suites).To(HaveLen(1))
	s := js.Suites[0]
	g.Expect(s.Cases).To(HaveLen(len(r.passed) + len(r.failed) + len(r.skipped) + r.notSelected))
	g.Expect(s.Failures).To(Equal(len(r.failed)))
	g.Expect(s.Errors).To(BeZero())
	var failed []string
	for _, c := range s.Cases {
		g.Expect(c.Name).To(MatchRegexp(`^[a-z]+/[1-9][0-9]*(/[a-z_]+)?$`), "a test case is named by its ID")
		g.Expect(c.Error).To(BeNil(), c.Name)
		g.Expect(property(c, "level")).To(BeElementOf(`"must"`, `"should"`), c.Name)
		g.Expect(property(c, "requirement")).NotTo(BeEmpty(), c.Name)
		if slices.Contains(r.skipped, c.Name) {
			g.Expect(c.Skipped).NotTo(BeNil(), c.Name)
		}
		if c.Failure == nil {
			continue
		}
		failed = append(failed, c.Name)
		level := strings.Trim(property(c, "level"), `"`)
		g.Expect(c.Failure.Message).To(HavePrefix("["+level+"] "+c.Name+": "), "the message leads with the level and the requirement")
		g.Expect(c.Failure.Message).To(ContainSubstring("expected: "))
		g.Expect(c.Failure.Message).To(ContainSubstring("seen: "))
		g.Expect(c.Failure.Message).To(ContainSubstring("fix: "))
		for _, p := range []string{"expected", "seen", "fix"} {
			g.Expect(property(c, p)).NotTo(BeEmpty(), "%s carries %s", c.Name, p)
		}
		// Single-push cases carry the raw request and reply; the light
		// and load runs carry their JSON summary.
		evidence := "reply"
		if property(c, evidence) == "" {
			evidence = "summary"
		}
		g.Expect(property(c, evidence)).NotTo(BeEmpty(), "%s carries its evidence", c.Name)
		g.Expect(c.SystemErr).To(ContainSubstring(evidence), "the timeline carries the evidence too")
	}
	slices.Sort(failed)
	g.Expect(failed).To(Equal(r.failed), "JUnit failures agree with the JSON report")
}

func property(c junitCase, name string) string {
	for _, p := range c.Properties {
		if p.Name == name {
			return p.Value
		}
	}
	return ""
}
