package main

import (
	"context"
	"errors"
	"fmt"
)

// The exit codes of product.md §3, the same for every command.
const (
	exitOK          = 0   // everything held
	exitFailed      = 1   // a threshold, conformance case or push verdict failed
	exitUsage       = 2   // bad flag, bad scenario, unreadable file
	exitInterrupted = 130 // interrupted, after flushing what was measured
)

// exitError carries an exit code up to run, with the message to print.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit %d", e.code)
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

// usageErr marks a usage or input error (exit 2).
func usageErr(format string, args ...any) error {
	return &exitError{code: exitUsage, err: fmt.Errorf(format, args...)}
}

// asUsage marks an existing error as a usage error.
func asUsage(err error) error {
	if err == nil {
		return nil
	}
	return &exitError{code: exitUsage, err: err}
}

// errVerdictFailed is returned when a check ran fine but its verdict is a
// failure (exit 1); the command has already printed why.
var errVerdictFailed = &exitError{code: exitFailed}

// errInterrupted is returned after an interrupted run flushed its results.
var errInterrupted = &exitError{code: exitInterrupted}

// codeOf maps an error to its exit code; an unmarked error is exit 2, as
// anything that stops a command before it measures is an input problem.
func codeOf(err error) int {
	if err == nil {
		return exitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	return exitUsage
}

// serverEnd maps how a server command's Serve ended to the command's
// result. Ctrl-C or SIGTERM is how a server is meant to stop, but the
// contract is the same for every command: exit 130 once it has shut down,
// so that scripts tell an interrupted run from a finished one. A shutdown
// that did not finish cleanly is still reported on the way out.
func (a *app) serverEnd(ctx context.Context, err error) error {
	if ctx.Err() == nil {
		return err // serving stopped on its own: that is an error
	}
	if err != nil && !errors.Is(err, context.Canceled) {
		fmt.Fprintln(a.stderr, "wxsim: shutting down:", err)
	}
	return errInterrupted
}
