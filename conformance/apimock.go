package conformance

import (
	"context"
	"fmt"
	"net"
	"sync"

	"github.com/wxsim/wxsim/simulator/api"
)

// apiMock is WeChat's server API played by wxsim for the api cases: the
// endpoint under test is configured to call it instead of
// api.weixin.qq.com, and the cases read what it received.
type apiMock struct {
	srv  *api.Server
	addr string
	stop context.CancelFunc
	done sync.WaitGroup
}

// startAPIMock serves the mock for cfg's account on cfg.APIListen until
// the returned mock is closed. A listen failure is a configuration error:
// the address is the user's to choose.
func startAPIMock(cfg Config) (*apiMock, error) {
	srv, err := api.New(api.Config{
		Accounts:    []api.Account{{AppID: cfg.Account.AppID, Secret: cfg.AppSecret}},
		CallbackURL: cfg.URL,
	})
	if err != nil {
		return nil, fmt.Errorf("%w: --api: %w", ErrInvalidConfig, err)
	}
	ln, err := net.Listen("tcp", cfg.APIListen)
	if err != nil {
		return nil, fmt.Errorf("%w: --api-listen %s: %w", ErrInvalidConfig, cfg.APIListen, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	m := &apiMock{srv: srv, addr: ln.Addr().String(), stop: cancel}
	m.done.Add(1)
	go func() {
		defer m.done.Done()
		_ = api.Serve(ctx, ln, srv) // ends with Close; nothing to report after the run
	}()
	return m, nil
}

// BaseURL is what the endpoint's SDK must use instead of
// https://api.weixin.qq.com.
func (m *apiMock) BaseURL() string { return "http://" + m.addr }

// Close shuts the mock down and waits for it.
func (m *apiMock) Close() {
	m.stop()
	m.done.Wait()
}
