package simulator

import "time"

// Block is one MarkFail block: WeChat stopped pushing to the account from
// Start to End because of the failures counted in the window before Start.
type Block struct {
	Account    string    `json:"account,omitempty"` // the account's appid
	Start      time.Time `json:"start"`
	End        time.Time `json:"end"`
	Failures   int       `json:"failures"`         // failed deliveries in the window that triggered it
	Deliveries int       `json:"deliveries"`       // all deliveries in that window
	Window     string    `json:"window,omitempty"` // the rule's window they were counted in, e.g. "60s"
}
