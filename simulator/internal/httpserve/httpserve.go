// Package httpserve runs the simulator's own HTTP servers (the reference
// endpoint, the API mock) until their context ends, and shuts them down
// gracefully: the one lifecycle both share.
package httpserve

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"time"
)

// Run serves srv on ln until ctx ends, then shuts it down, giving
// requests still running grace to finish before it closes them. Every
// request's context ends with ctx, so handlers that hold requests on
// purpose return at once. It closes ln and returns nil after a shutdown,
// or the error that stopped serving. A library does not print: srv's
// error log is discarded unless set.
func Run(ctx context.Context, ln net.Listener, srv *http.Server, grace time.Duration) error {
	srv.BaseContext = func(net.Listener) context.Context { return ctx }
	if srv.ErrorLog == nil {
		srv.ErrorLog = log.New(io.Discard, "", 0)
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		return fmt.Errorf("serving on %s: %w", ln.Addr(), err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		srv.Close()
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serving on %s: %w", ln.Addr(), err)
	}
	return nil
}
