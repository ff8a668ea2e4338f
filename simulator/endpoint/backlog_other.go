//go:build !unix

package endpoint

import (
	"errors"
	"net"
)

// setBacklogZero is only implemented where listen(2) can be called again.
func setBacklogZero(net.Listener) error {
	return errors.New("a listener with a full backlog needs a unix system")
}
