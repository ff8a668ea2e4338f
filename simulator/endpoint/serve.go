package endpoint

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/wxsim/wxsim/simulator/internal/httpserve"
)

// Server limits. ReadHeaderTimeout stops clients that open connections and
// never send a request; there is no read or write timeout, because the
// slow and hang behaviours hold requests on purpose.
const (
	readHeaderTimeout = 10 * time.Second
	idleTimeout       = 2 * time.Minute
	shutdownGrace     = 5 * time.Second
)

// Listen opens the endpoint's listener on addr: an ordinary TCP listener,
// or for the blackhole behaviour one whose accept queue is full, so that
// connects to it time out. The blackhole listener is checked before it is
// returned: a connect to it has already timed out once.
func Listen(addr string, b Behaviour) (net.Listener, error) {
	if b.Name == Blackhole {
		return listenBlackhole(addr)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("endpoint: %w", err)
	}
	return ln, nil
}

// Serve serves h (usually an *Endpoint) on ln until ctx ends, then shuts
// down: requests still running get shutdownGrace to finish, and requests
// held by the behaviour (hang, slow, capacity) end at once, because every
// request's context ends with ctx. It closes ln and returns nil after a
// shutdown, or the error that stopped serving.
func Serve(ctx context.Context, ln net.Listener, h http.Handler) error {
	srv := &http.Server{Handler: h, ReadHeaderTimeout: readHeaderTimeout, IdleTimeout: idleTimeout}
	if err := httpserve.Run(ctx, ln, srv, shutdownGrace); err != nil {
		return fmt.Errorf("endpoint: %w", err)
	}
	return nil
}
