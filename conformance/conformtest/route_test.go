package conformtest

import (
	"slices"
	"strings"
	"testing"
	"time"

	. "github.com/onsi/gomega"

	"github.com/wxsim/wxsim/conformance"
	"github.com/wxsim/wxsim/simulator/wechat"
)

// ginkgoArgs are what `ginkgo ./conformance -- …` passes to the suite's
// test binary before the user's own flags: Ginkgo's flags (the CLI always
// sends a seed) and no go test timeout.
func ginkgoArgs(labelFilter string) []string {
	return []string{"--test.timeout=0", "--ginkgo.seed=1", "--ginkgo.no-color", "--ginkgo.label-filter=" + labelFilter}
}

// TestGinkgoRoute runs the suite the second way, as the Ginkgo CLI runs
// its test binary, and checks that it judges, reports and exits as
// `wxsim conform` does.
func TestGinkgoRoute(t *testing.T) {
	needBinaries(t)
	t.Run("a must case fails the run", func(t *testing.T) {
		t.Parallel()
		url := serve(t, wechat.Safe, "wrongswap", 0)
		args := append(append(ginkgoArgs("reply"), "--url", url), accountArgs(wechat.Safe)...)
		r := execSuite(t, time.Minute, suiteBin, args...)
		g := NewWithT(t)
		g.Expect(r.failed).To(Equal([]string{"reply/2/text"}), r.output)
		g.Expect(r.code).To(Equal(1))
		g.Expect(r.passed).To(HaveLen(4*len(basicKinds()) - 1))
		all, err := conformance.Catalogue()
		g.Expect(err).NotTo(HaveOccurred())
		g.Expect(r.notSelected).To(Equal(len(all)-4*len(basicKinds())), "the label filter selects the reply area")
		checkJUnit(t, r)
	})
	for _, strict := range []bool{false, true} {
		name := "should cases alone pass without --strict"
		if strict {
			name = "and fail it with --strict"
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			url := serve(t, wechat.Plain, "unsigned", 0)
			args := append(append(ginkgoArgs("handshake || signature"), "--url", url), accountArgs(wechat.Plain)...)
			if strict {
				args = append(args, "--strict")
			}
			r := execSuite(t, time.Minute, suiteBin, args...)
			g := NewWithT(t)
			g.Expect(r.failed).To(ContainElements("handshake/2", "signature/1"), r.output)
			g.Expect(slices.ContainsFunc(r.failed, func(id string) bool { return !shouldCase(id) })).To(BeFalse())
			g.Expect(r.code).To(Equal(map[bool]int{false: 0, true: 1}[strict]), r.output)
			g.Expect(r.output).To(ContainSubstring(map[bool]string{false: "PASS: every must case passed;", true: "FAIL: a must or should case failed (strict)"}[strict]))
			checkJUnit(t, r)
		})
	}
	t.Run("a bad configuration exits 2 before any case", func(t *testing.T) {
		t.Parallel()
		r := execSuite(t, time.Minute, suiteBin, append(ginkgoArgs("handshake"), "--url", "http://127.0.0.1:9/")...)
		g := NewWithT(t)
		g.Expect(r.code).To(Equal(2))
		g.Expect(r.output).To(ContainSubstring("--token: required (or WXSIM_TOKEN)"))
		g.Expect(r.passed).To(BeEmpty())
	})
}

// TestUsageErrors: `wxsim conform` exits 2, naming the input, before any
// case runs.
func TestUsageErrors(t *testing.T) {
	needBinaries(t)
	base := []string{"conform", "--url", "http://127.0.0.1:9/", "--token", "t"}
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"conform", "--token", "t"}, "--url: required (or WXSIM_URL)"},
		{append(base, "--focus", "replies"), `--focus: "replies" is not an ID prefix`},
		{append(base, "--label-filter", "must &&"), `--label-filter "must &&"`},
		{append(base, "--load-rate", "lots"), `--load-rate "lots"`},
		{append(base, "--threshold", "p42 < 1s"), `--threshold "p42 < 1s"`},
		{append(base, "--component"), "--component needs --mode compat or safe"},
		{append(base, "extra"), "takes no arguments"},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.args[1:], " "), func(t *testing.T) {
			t.Parallel()
			r := execSuite(t, 30*time.Second, wxsimBin, c.args...)
			g := NewWithT(t)
			g.Expect(r.code).To(Equal(2), r.output)
			g.Expect(r.output).To(ContainSubstring(c.want))
			g.Expect(r.passed).To(BeEmpty(), "no case ran")
		})
	}
	t.Run("a focus that matches nothing", func(t *testing.T) {
		t.Parallel()
		url := serve(t, wechat.Plain, "correct", 0)
		r := execSuite(t, 30*time.Second, wxsimBin, append([]string{"conform", "--url", url, "--focus", "reply/99"}, accountArgs(wechat.Plain)...)...)
		NewWithT(t).Expect(r.code).To(Equal(2), r.output)
		NewWithT(t).Expect(r.output).To(ContainSubstring("no case matched --focus reply/99"))
	})
}
