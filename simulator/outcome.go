package simulator

import (
	"time"

	"github.com/wxsim/wxsim/simulator/wechat"
)

// Class is the outcome of one delivery attempt, as WeChat would classify it.
// The spellings are the stable keys of the JSON summary's "outcomes".
type Class uint8

// The classes of product.md §2, in report order.
const (
	OK              Class = iota // valid reply in time
	DNSFailure                   // the URL's host did not resolve
	ConnectTimeout               // no connection within the connect timeout
	ConnectFailure               // refused, reset or TLS failure while connecting
	RequestTimeout               // connected, no whole reply within the response timeout
	ResponseFailure              // a reply WeChat rejects; Reason says why
	Blocked                      // not sent: a MarkFail block was in force
	numClasses
)

var classNames = [numClasses]string{"ok", "dns_failure", "connect_timeout", "connect_failure",
	"request_timeout", "response_failure", "blocked"}

// String returns the class's JSON key.
func (c Class) String() string {
	if c < numClasses {
		return classNames[c]
	}
	return "unknown"
}

// ParseClass reads a class's JSON key.
func ParseClass(s string) (Class, bool) {
	for i, n := range classNames {
		if n == s {
			return Class(i), true
		}
	}
	return 0, false
}

// Classes lists every class in report order.
func Classes() []Class {
	cs := make([]Class, numClasses)
	for i := range cs {
		cs[i] = Class(i)
	}
	return cs
}

// Failed reports whether the attempt counts as a failure for MarkFail and
// alarms (blocked pushes were never sent, so they are not failures).
func (c Class) Failed() bool { return c != OK && c != Blocked }

// Retryable reports whether WeChat re-sends the push after this outcome:
// after timeouts and connect failures, not after a reply it rejected.
func (c Class) Retryable() bool {
	return c == ConnectTimeout || c == ConnectFailure || c == RequestTimeout
}

// Outcome is what became of one delivery attempt: the unit every counter,
// breaker, alarm and report downstream consumes.
type Outcome struct {
	Class    Class
	Reason   wechat.Reason // set for ResponseFailure
	Detail   string        // a short human explanation, never a secret
	Kind     string        // the push kind, e.g. "text", "click"
	Attempt  int           // 1 for the first delivery, 2.. for retries
	Start    time.Time     // when the attempt was due (the intended send time)
	Sent     time.Time     // when it was actually sent, if later than Start (a generator behind schedule)
	Latency  time.Duration // from Start to the end of the reply (or failure)
	Code     int           // HTTP status, 0 when none was received
	RemoteIP string        // the endpoint's address, for alarm samples
	Body     []byte        // the first bytes of the reply, for alarm samples
	BodyLen  int           // the reply's whole length as read (up to the read limit)
	Account  string        // the account's appid (several accounts per run)
	Final    bool          // no further delivery of this push will follow
	Late     bool          // the generator sent it later than scheduled (beyond tolerance)
}

// SentAt is when the attempt actually left: Sent when the generator was
// behind its schedule, Start otherwise. The achieved rate is counted on it,
// latency from Start.
func (o *Outcome) SentAt() time.Time {
	if o.Sent.After(o.Start) {
		return o.Sent
	}
	return o.Start
}
