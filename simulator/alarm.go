package simulator

import "time"

// AlarmType names an interface-alarm (接口报警) type; the spellings are the
// JSON summary's.
type AlarmType string

// The alarm types of product.md §2.
const (
	AlarmDNSFailure       AlarmType = "dns_failure"
	AlarmConnectTimeout   AlarmType = "connect_timeout" // connect timeouts and connect failures
	AlarmRequestTimeout   AlarmType = "request_timeout"
	AlarmResponseFailure  AlarmType = "response_failure"
	AlarmMarkFail         AlarmType = "markfail"
	AlarmTicketTimeout    AlarmType = "ticket_timeout"
	AlarmTicketFailure    AlarmType = "ticket_failure"
	AlarmComponentTimeout AlarmType = "component_timeout"
	AlarmComponentFailure AlarmType = "component_failure"
)

// Alarm is one alarm as WeChat's interface-alarm group would receive it.
type Alarm struct {
	Type     AlarmType `json:"type"`
	Account  string    `json:"account,omitempty"` // appid
	Nickname string    `json:"nickname,omitempty"`
	Time     time.Time `json:"time"`    // the first failure in the window
	Count    int       `json:"count"`   // failures in the window
	Window   string    `json:"window"`  // e.g. "5m"
	Partial  bool      `json:"partial"` // the run ended before the window closed
	Sample   string    `json:"sample"`  // the first failure, e.g. [IP=127.0.0.1][Event=unsubscribe]
	Content  string    `json:"content"` // the guide's wording, with the limits in force
	Advice   []string  `json:"advice"`  // what to check and fix, from the troubleshooting guide
	// Limit is the limit the content names (the connect or response timeout,
	// or the MarkFail block), e.g. "5s", so renderers can word the content
	// in another language; empty for types without one.
	Limit string `json:"limit,omitempty"`
}
