// Package conformtest tests the conformance suite from outside, the way
// users run it: the wxsim binary's `conform` command and the suite's test
// binary (the `ginkgo ./conformance` route), against the reference
// endpoint and each of its fault behaviours. Ginkgo runs a suite once per
// process, so every run here is a subprocess.
package conformtest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/wxsim/wxsim/simulator/endpoint"
	"github.com/wxsim/wxsim/simulator/wechat"
)

// The binaries TestMain builds once for every test.
var (
	wxsimBin string // wxsim, with its conform command
	suiteBin string // the conformance package's test binary
	buildErr error
)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "conformtest")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	wxsimBin, suiteBin = filepath.Join(dir, "wxsim"), filepath.Join(dir, "conformance.test")
	buildErr = errors.Join(
		goTool("build", "-o", wxsimBin, "github.com/wxsim/wxsim/simulator/cmd/wxsim"),
		goTool("test", "-c", "-o", suiteBin, "github.com/wxsim/wxsim/conformance"),
	)
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// goTool runs the go command (GOFLAGS and the rest of the environment
// pass through), reporting its output on failure.
func goTool(args ...string) error {
	out, err := exec.Command("go", args...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("go %s: %w\n%s", strings.Join(args, " "), err, out)
	}
	return nil
}

// needBinaries fails the test when the builds failed, or when wxsim has
// no conform command yet.
func needBinaries(t *testing.T) {
	t.Helper()
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	if out, err := exec.Command(wxsimBin, "conform", "--help").CombinedOutput(); err != nil {
		t.Fatalf("wxsim has no conform command (is a.conformCommand() in root.go's command list?): %v\n%s", err, out)
	}
}

// testKey is a syntactically valid EncodingAESKey used only by tests.
const testKey = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"

// account is the test account in mode m.
func account(m wechat.Mode) wechat.Account {
	a := wechat.Account{AppID: "wx0123456789abcdef", Nickname: "Demo Account", OriginalID: "gh_0123456789ab",
		Token: "conformtest-token", Mode: m}
	if m.Encrypted() {
		a.EncodingAESKey = testKey
	}
	return a
}

// serve starts the reference endpoint with behaviour b on loopback and
// returns its URL; the test's cleanup stops it.
func serve(t *testing.T, m wechat.Mode, b string, seed int64) string {
	t.Helper()
	return serveWith(t, endpoint.Config{Account: account(m), Seed: seed}, b)
}

// serveWith is serve for a whole endpoint configuration.
func serveWith(t *testing.T, cfg endpoint.Config, b string) string {
	t.Helper()
	beh, err := endpoint.ParseBehaviour(b)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Behaviour = beh
	r, err := endpoint.Start("127.0.0.1:0", cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Stop() })
	return r.URL
}

// appSecret is the test account's AppSecret, for the api cases: distinct,
// so that a leak into any output is easy to spot.
const appSecret = "conformtest-app-s3cret"

// freeAddr returns a loopback address nothing listens on, for the API
// mock of a run: the endpoint must know it before the suite starts the
// mock there.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// accountArgs are the flags for the test account in mode m.
func accountArgs(m wechat.Mode) []string {
	a := account(m)
	args := []string{"--token", a.Token, "--appid", a.AppID, "--mode", m.String()}
	if m.Encrypted() {
		args = append(args, "--aes-key", a.EncodingAESKey)
	}
	return args
}

// run is one subprocess run of the suite and what it left behind.
type run struct {
	code           int
	output         string
	jsonReport     string
	junitReport    string
	failed, passed []string
	skipped        []string
	notSelected    int
}

// execSuite runs bin with args (plus its JSON and JUnit report flags into
// a fresh directory) and reads the JSON report back; it fails the test
// when the run cannot be made or outlasts timeout.
func execSuite(t *testing.T, timeout time.Duration, bin string, args ...string) run {
	t.Helper()
	r, err := runSuite(t.TempDir(), timeout, bin, args...)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// runSuite is execSuite for any goroutine: it returns its error.
func runSuite(dir string, timeout time.Duration, bin string, args ...string) (run, error) {
	r := run{jsonReport: filepath.Join(dir, "report.json"), junitReport: filepath.Join(dir, "junit.xml")}
	if bin == wxsimBin {
		args = append(args, "--json-report", r.jsonReport, "--junit", r.junitReport)
	} else {
		args = append(args, "--ginkgo.json-report="+r.jsonReport, "--ginkgo.junit-report="+r.junitReport)
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = cleanEnv()
	out, err := cmd.CombinedOutput()
	r.output = string(out)
	var ee *exec.ExitError
	switch {
	case ctx.Err() != nil:
		return r, fmt.Errorf("%s %s: took longer than %s:\n%s", filepath.Base(bin), strings.Join(args, " "), timeout, out)
	case errors.As(err, &ee):
		r.code = ee.ExitCode()
	case err != nil:
		return r, fmt.Errorf("%s %s: %w\n%s", filepath.Base(bin), strings.Join(args, " "), err, out)
	}
	return r, r.read()
}

// read sorts the cases of the JSON report by state; a run stopped by a
// usage error leaves no report, and no cases.
func (r *run) read() error {
	b, err := os.ReadFile(r.jsonReport)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	var reports []types.Report
	if err == nil {
		err = json.Unmarshal(b, &reports)
	}
	if err != nil || len(reports) != 1 {
		return fmt.Errorf("JSON report %s: %v (%d suites)", r.jsonReport, err, len(reports))
	}
	for _, sr := range reports[0].SpecReports {
		if sr.LeafNodeType != types.NodeTypeIt {
			continue
		}
		id, _, _ := strings.Cut(sr.LeafNodeText, ": ")
		switch {
		case sr.State == types.SpecStatePassed:
			r.passed = append(r.passed, id)
		case sr.State == types.SpecStateSkipped && sr.Failure.Message != "":
			r.skipped = append(r.skipped, id)
		case sr.State == types.SpecStateSkipped:
			r.notSelected++
		default:
			r.failed = append(r.failed, id)
		}
	}
	slices.Sort(r.failed)
	return nil
}

// cleanEnv is the environment without WXSIM_* variables, so that a
// developer's own settings cannot change what a test run means.
func cleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "WXSIM_") {
			env = append(env, kv)
		}
	}
	return env
}
