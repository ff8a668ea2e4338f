//go:build unix

package endpoint

import (
	"fmt"
	"net"
	"syscall"
)

// setBacklogZero calls listen(2) again on the listening socket with a
// backlog of 0; the kernel then keeps at most one connection waiting.
// (Go's own listen uses the system maximum and offers no knob.)
func setBacklogZero(ln net.Listener) error {
	tl, ok := ln.(*net.TCPListener)
	if !ok {
		return fmt.Errorf("listener %T is not TCP", ln)
	}
	rc, err := tl.SyscallConn()
	if err != nil {
		return fmt.Errorf("listen backlog 0: %w", err)
	}
	var lerr error
	if err := rc.Control(func(fd uintptr) { lerr = syscall.Listen(int(fd), 0) }); err != nil {
		return fmt.Errorf("listen backlog 0: %w", err)
	}
	if lerr != nil {
		return fmt.Errorf("listen backlog 0: %w", lerr)
	}
	return nil
}
