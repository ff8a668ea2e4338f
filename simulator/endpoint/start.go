package endpoint

import (
	"context"
	"errors"
)

// Running is an endpoint serving in the background: what tests, the demo
// and drills start on a loopback port and stop when done.
type Running struct {
	*Endpoint
	URL    string // http://ADDR/wx
	cancel context.CancelFunc
	done   chan error
}

// Start serves a new endpoint for cfg on addr (e.g. "127.0.0.1:0") in the
// background, with the listener its behaviour needs (blackhole included).
func Start(addr string, cfg Config) (*Running, error) {
	e, err := New(cfg)
	if err != nil {
		return nil, err
	}
	ln, err := Listen(addr, cfg.Behaviour)
	if err != nil {
		e.Close()
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	r := &Running{Endpoint: e, URL: "http://" + ln.Addr().String() + "/wx", cancel: cancel, done: make(chan error, 1)}
	go func() { r.done <- Serve(ctx, ln, e) }()
	return r, nil
}

// Stop releases held requests, shuts the server down and waits for it.
func (r *Running) Stop() error {
	cerr := r.Endpoint.Close()
	r.cancel()
	return errors.Join(cerr, <-r.done)
}
