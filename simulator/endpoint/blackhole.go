package endpoint

import (
	"errors"
	"fmt"
	"net"
	"sync"
	"time"
)

// blackholeFill bounds the connects that fill the listen queue, and
// blackholeProbe is how long one of them may wait before the queue counts
// as full. Loopback connects complete in microseconds, so 100 ms is ample.
const (
	blackholeFill  = 8
	blackholeProbe = 100 * time.Millisecond
)

// blackholeListener is a TCP listener whose accept queue is full: its
// socket listens with backlog 0 and holds connects that are never accepted,
// so the kernel drops every further SYN and connects time out — a real
// connect-timeout fault on loopback, without root or firewall rules.
// Accept blocks until Close, because accepting would free the queue.
type blackholeListener struct {
	net.Listener
	fillers []net.Conn
	done    chan struct{}
	once    sync.Once
}

// listenBlackhole listens on addr with a full accept queue, and checks
// that a further connect does time out before returning.
func listenBlackhole(addr string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("blackhole: %w", err)
	}
	l := &blackholeListener{Listener: ln, done: make(chan struct{})}
	if err := setBacklogZero(ln); err != nil {
		l.Close()
		return nil, fmt.Errorf("blackhole %s: %w", ln.Addr(), err)
	}
	if err := l.fill(); err != nil {
		l.Close()
		return nil, fmt.Errorf("blackhole %s: %w", ln.Addr(), err)
	}
	return l, nil
}

// fill connects until a connect times out, which proves the queue full.
func (l *blackholeListener) fill() error {
	target := dialable(l.Listener.Addr().(*net.TCPAddr))
	for range blackholeFill {
		c, err := net.DialTimeout("tcp", target, blackholeProbe)
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			return nil
		}
		if err != nil {
			return fmt.Errorf("filling the listen queue: %w", err)
		}
		l.fillers = append(l.fillers, c)
	}
	return fmt.Errorf("the listen queue did not fill after %d connects: the kernel ignores backlog 0", blackholeFill)
}

// dialable is the address to connect to for a listener's address: its
// loopback twin when it listens on every address.
func dialable(a *net.TCPAddr) string {
	ip := a.IP
	switch {
	case ip == nil || ip.Equal(net.IPv4zero):
		ip = net.IPv4(127, 0, 0, 1)
	case ip.Equal(net.IPv6unspecified):
		ip = net.IPv6loopback
	}
	return net.JoinHostPort(ip.String(), fmt.Sprint(a.Port))
}

// Accept waits until the listener is closed: nothing is ever accepted.
func (l *blackholeListener) Accept() (net.Conn, error) {
	<-l.done
	return nil, &net.OpError{Op: "accept", Net: "tcp", Addr: l.Addr(), Err: net.ErrClosed}
}

// Close releases the queued connects and the socket.
func (l *blackholeListener) Close() error {
	var err error
	l.once.Do(func() {
		close(l.done)
		for _, c := range l.fillers {
			c.Close()
		}
		err = l.Listener.Close()
	})
	return err
}
