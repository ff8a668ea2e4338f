package conformance_test

// This file is the second way to run the suite: through Ginkgo's CLI,
//
//	go run github.com/onsi/ginkgo/v2/ginkgo --junit-report=conform.xml ./conformance -- --url http://… --token …
//
// with the same flags (and WXSIM_* variables) as `wxsim conform`, after
// the "--". Plain `go test ./conformance` without a URL only runs the
// package's unit tests.

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/onsi/ginkgo/v2"

	"github.com/wxsim/wxsim/conformance"
)

var suiteFlags = conformance.BindFlags(flag.CommandLine)

// TestMain checks the configuration before any case runs, exiting 2 with
// the message when it is wrong, as `wxsim conform` does.
func TestMain(m *testing.M) {
	flag.Parse()
	if suiteRequested() {
		if _, err := suiteFlags.Config(); err != nil {
			fmt.Fprintln(os.Stderr, "conformance:", err)
			os.Exit(2)
		}
	}
	os.Exit(m.Run())
}

// suiteRequested tells a conformance run (a suite flag or WXSIM_* variable,
// or Ginkgo's CLI, which always passes --ginkgo.* flags) from the unit
// tests a plain `go test ./...` runs.
func suiteRequested() bool {
	ginkgoCLI := false
	flag.Visit(func(f *flag.Flag) { ginkgoCLI = ginkgoCLI || strings.HasPrefix(f.Name, "ginkgo.") })
	return ginkgoCLI || suiteFlags.Given()
}

func TestConformance(t *testing.T) {
	if !suiteRequested() {
		t.Skip("no --url or WXSIM_URL: run `wxsim conform` or `ginkgo ./conformance -- --url …` to check an endpoint")
	}
	if sc, _ := ginkgo.GinkgoConfiguration(); sc.ParallelTotal > 1 {
		t.Fatal("run the conformance suite on one process (no ginkgo -p): its cases share one endpoint and run in order")
	}
	cfg, err := suiteFlags.Config()
	if err != nil {
		t.Fatal(err) // TestMain already exits 2 on this; kept for direct callers
	}
	res, err := conformance.Run(context.Background(), cfg, conformance.RunOptions{})
	if werr := conformance.WriteResult(os.Stdout, res); werr != nil {
		t.Error(werr)
	}
	if err != nil {
		t.Fatal(err)
	}
	if !res.Passed {
		t.Fail()
	}
}
