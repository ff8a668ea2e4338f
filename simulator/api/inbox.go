package api

import (
	"sync"
	"time"
)

// InboxCap bounds how many accepted customer-service messages the mock
// remembers; older ones are forgotten first, so a long drill cannot grow
// its memory.
const InboxCap = 4096

// CustomMessage is one customer-service message the mock accepted: what a
// follower would have received.
type CustomMessage struct {
	AppID   string    `json:"appid"`
	ToUser  string    `json:"touser"`
	MsgType string    `json:"msgtype"`
	Content string    `json:"content,omitempty"` // text messages only
	At      time.Time `json:"at"`
}

// inbox is a ring of the last InboxCap accepted messages.
type inbox struct {
	mu   sync.Mutex
	msgs []CustomMessage
	next int // the oldest slot once the ring is full
}

func (in *inbox) add(m CustomMessage) {
	in.mu.Lock()
	defer in.mu.Unlock()
	if len(in.msgs) < InboxCap {
		in.msgs = append(in.msgs, m)
		return
	}
	in.msgs[in.next] = m
	in.next = (in.next + 1) % InboxCap
}

// all returns the remembered messages, oldest first.
func (in *inbox) all() []CustomMessage {
	in.mu.Lock()
	defer in.mu.Unlock()
	out := make([]CustomMessage, 0, len(in.msgs))
	out = append(out, in.msgs[in.next:]...)
	return append(out, in.msgs[:in.next]...)
}

// CustomMessages returns the customer-service messages the mock accepted,
// oldest first (at most the last InboxCap). A conformance case reads it to
// see whether an endpoint that acknowledged a push with "success" really
// answered the follower afterwards.
func (s *Server) CustomMessages() []CustomMessage { return s.inbox.all() }
