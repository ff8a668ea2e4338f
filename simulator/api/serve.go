package api

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/wxsim/wxsim/simulator/internal/httpserve"
)

// Server limits: ReadHeaderTimeout stops clients that open connections and
// never send a request; the mock's answers are quick, so requests also
// get a read and write bound.
const (
	readHeaderTimeout = 10 * time.Second
	readTimeout       = 30 * time.Second
	writeTimeout      = 30 * time.Second
	idleTimeout       = 2 * time.Minute
	shutdownGrace     = 5 * time.Second
)

// Serve serves h (usually a *Server) on ln until ctx ends, then shuts
// down, giving requests still running shutdownGrace to finish. It closes
// ln and returns nil after a shutdown, or the error that stopped serving.
func Serve(ctx context.Context, ln net.Listener, h http.Handler) error {
	srv := &http.Server{Handler: h, ReadHeaderTimeout: readHeaderTimeout, ReadTimeout: readTimeout, WriteTimeout: writeTimeout, IdleTimeout: idleTimeout}
	if err := httpserve.Run(ctx, ln, srv, shutdownGrace); err != nil {
		return fmt.Errorf("api: %w", err)
	}
	return nil
}
