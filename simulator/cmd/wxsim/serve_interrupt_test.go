package main

import (
	"bufio"
	"context"
	"errors"
	"net/http"
	"net/http/httptrace"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	. "github.com/onsi/gomega"
)

// asMainEnv, set in a child's environment, makes the test binary run
// wxsim's main with its arguments instead of the tests: a real process to
// send real signals to, without building bin/wxsim first.
const asMainEnv = "WXSIM_CMD_TEST_RUN_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(asMainEnv) == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

// startWxsim starts wxsim as a child process and waits for the line of its
// standard output that says it is listening; it returns the address.
func startWxsim(t *testing.T, args ...string) (*exec.Cmd, *strings.Builder, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel) // kills the child should the test fail before it ends
	cmd := exec.CommandContext(ctx, os.Args[0], args...)
	cmd.Env = append(os.Environ(), asMainEnv+"=1", "WXSIM_APP_SECRET="+appSecret)
	stderr := &strings.Builder{}
	cmd.Stderr = stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	banner := regexp.MustCompile(`listening on (http://127\.0\.0\.1:\d+)/`)
	listening := make(chan []string, 1)
	go func() {
		line, _ := bufio.NewReader(out).ReadString('\n')
		listening <- banner.FindStringSubmatch(line)
	}()
	select {
	case m := <-listening:
		if m == nil {
			t.Fatalf("%v: no banner; stderr %q", args, stderr.String())
		}
		return cmd, stderr, m[1]
	case <-time.After(5 * time.Second):
		t.Fatalf("%v: not listening after 5 s", args)
	}
	return nil, nil, ""
}

// The servers stop on SIGINT or SIGTERM like every command: shut down,
// then exit 130; a push the hang behaviour holds does not delay it.
func TestServersExit130WhenInterrupted(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args []string
		sig  syscall.Signal
		held bool // a push is in flight when the signal comes
	}{
		{[]string{"endpoint", "--token", testToken, "--listen", "127.0.0.1:0"}, syscall.SIGINT, false},
		{[]string{"endpoint", "--token", testToken, "--listen", "127.0.0.1:0", "--behaviour", "hang"}, syscall.SIGTERM, true},
		{[]string{"api", "--listen", "127.0.0.1:0"}, syscall.SIGINT, false},
		{[]string{"api", "--listen", "127.0.0.1:0"}, syscall.SIGTERM, false},
	} {
		t.Run(tc.args[0]+"/"+tc.sig.String(), func(t *testing.T) {
			t.Parallel()
			g := NewWithT(t)
			cmd, stderr, base := startWxsim(t, tc.args...)
			if tc.held {
				holdPush(t, base)
			}
			g.Expect(cmd.Process.Signal(tc.sig)).To(Succeed())
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			var err error
			g.Eventually(done).WithTimeout(3 * time.Second).Should(Receive(&err))
			var exit *exec.ExitError
			g.Expect(errors.As(err, &exit)).To(BeTrue(), "%v", err)
			g.Expect(exit.ExitCode()).To(Equal(exitInterrupted), stderr.String())
			g.Expect(stderr.String()).To(BeEmpty())
		})
	}
}

// holdPush sends a push the endpoint holds, and returns once the request
// is written to the endpoint's connection, so that the signal finds it in
// flight (the hang behaviour holds it; the shutdown must not wait for it).
func holdPush(t *testing.T, base string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	t.Cleanup(cancel)
	wrote := make(chan struct{})
	trace := &httptrace.ClientTrace{WroteRequest: func(httptrace.WroteRequestInfo) { close(wrote) }}
	req, err := http.NewRequestWithContext(httptrace.WithClientTrace(ctx, trace), http.MethodPost, base+"/wx", strings.NewReader("<xml></xml>"))
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
		}
	}()
	select {
	case <-wrote:
	case <-ctx.Done():
		t.Fatal("the push was never written")
	}
}
