// Command wxsim plays WeChat's servers against an Official Account
// developer's callback endpoint: signed pushes at any rate, WeChat's
// timeouts, retries, MarkFail blocks and alarms, and a conformance suite.
//
// This package is the only place that reads flags, prints to the user and
// decides exit codes; everything it runs lives in the library packages.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

// Version is set at build time through -ldflags "-X main.Version=…".
var Version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
