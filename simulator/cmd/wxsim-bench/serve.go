package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// The fast loopback endpoint both generators push to. It answers every
// push with "success" after reading the body, and nothing else, so that it
// is never the bottleneck of a side-by-side run. It runs in a child process
// of its own, so neither generator shares a Go runtime (scheduler, GC) with
// it, and it counts what it served: the throughput of a run is measured
// here, in the same way for both generators, not taken from their reports.

// statsPath returns the requests served since the last reset, and the
// arrival times of the first and last, in unix ns: "n first last".
const statsPath = "/_stats"

// counter records the requests an endpoint served.
type counter struct {
	n           atomic.Uint64
	first, last atomic.Int64
}

func (c *counter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == statsPath {
		c.stats(w, r)
		return
	}
	now := time.Now().UnixNano()
	_, _ = io.Copy(io.Discard, r.Body)
	c.first.CompareAndSwap(0, now)
	c.last.Store(now)
	c.n.Add(1)
	_, _ = w.Write([]byte("success"))
}

// stats answers GET with the counts and POST by resetting them.
func (c *counter) stats(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodPost {
		c.n.Store(0)
		c.first.Store(0)
		c.last.Store(0)
		return
	}
	fmt.Fprintf(w, "%d %d %d", c.n.Load(), c.first.Load(), c.last.Load())
}

// serve runs the endpoint on a loopback port and prints its address on the
// first line of standard output; it runs until killed.
func serve() error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	fmt.Println(ln.Addr().String())
	srv := &http.Server{Handler: &counter{}, ReadHeaderTimeout: 10 * time.Second}
	return srv.Serve(ln)
}

// endpoint is the driver's handle on the child process.
type endpoint struct {
	cmd    *exec.Cmd
	addr   string
	client *http.Client
}

// startEndpoint starts this executable as the endpoint and waits for its
// address.
func startEndpoint(ctx context.Context) (*endpoint, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, self, "serve")
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start endpoint: %w", err)
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		return nil, fmt.Errorf("endpoint address: %w", err)
	}
	return &endpoint{cmd: cmd, addr: strings.TrimSpace(line),
		client: &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}}, nil
}

// URL is the callback URL the generators push to.
func (e *endpoint) URL() string { return "http://" + e.addr + "/wx" }

// reset zeroes the counts before a run.
func (e *endpoint) reset() error {
	resp, err := e.client.Post("http://"+e.addr+statsPath, "text/plain", nil)
	if err != nil {
		return fmt.Errorf("reset endpoint: %w", err)
	}
	return resp.Body.Close()
}

// served is what the endpoint saw of one run.
type served struct {
	Requests uint64
	Span     time.Duration // first to last arrival
}

// Throughput is requests per second over the span.
func (s served) Throughput() float64 {
	if s.Requests < 2 || s.Span <= 0 {
		return 0
	}
	return float64(s.Requests-1) / s.Span.Seconds()
}

// stats reads the counts since the last reset.
func (e *endpoint) stats() (served, error) {
	resp, err := e.client.Get("http://" + e.addr + statsPath)
	if err != nil {
		return served{}, fmt.Errorf("endpoint stats: %w", err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return served{}, fmt.Errorf("endpoint stats: %w", err)
	}
	f := strings.Fields(string(b))
	if len(f) != 3 {
		return served{}, errors.New("endpoint stats: malformed reply")
	}
	n, _ := strconv.ParseUint(f[0], 10, 64)
	first, _ := strconv.ParseInt(f[1], 10, 64)
	last, _ := strconv.ParseInt(f[2], 10, 64)
	return served{Requests: n, Span: time.Duration(last - first)}, nil
}

// stop ends the child process.
func (e *endpoint) stop() {
	_ = e.cmd.Process.Kill()
	_ = e.cmd.Wait()
}
