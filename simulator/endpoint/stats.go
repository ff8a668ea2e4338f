package endpoint

import (
	"sync"
	"sync/atomic"

	"github.com/wxsim/wxsim/simulator/wechat"
)

// Stats counts what the endpoint saw since it was created. Tests read it to
// check what arrived, e.g. that no push got through during a MarkFail block.
type Stats struct {
	Requests     int64            `json:"requests"`      // every request, whatever its method or fate
	Handshakes   int64            `json:"handshakes"`    // GET handshakes answered with their echostr
	Pushes       int64            `json:"pushes"`        // valid pushes (signed, decrypted, parsed), re-deliveries included
	Duplicates   int64            `json:"duplicates"`    // of Pushes, re-deliveries acknowledged without processing
	BadSignature int64            `json:"bad_signature"` // handshakes and pushes refused with 401
	BadRequest   int64            `json:"bad_request"`   // refused otherwise: wrong method, too large, undecryptable, unparsable
	Faults       int64            `json:"faults"`        // answers the behaviour deliberately broke (500, bad body, hang, reset…; dropasync's lost messages)
	ByKind       map[string]int64 `json:"by_kind"`       // valid pushes by kind name, re-deliveries included

	// The asynchronous behaviours' calls to WeChat's server API.
	APISent      int64 `json:"api_sent"`      // custom/send calls answered errcode 0
	APIFailed    int64 `json:"api_failed"`    // messages given up: an error, or an errcode after the last try
	APIDropped   int64 `json:"api_dropped"`   // messages dropped: the send queue was full, or still queued when the endpoint closed
	TokenFetches int64 `json:"token_fetches"` // GET /cgi-bin/token calls, failed ones included
}

// counters are the live, lock-free form of Stats. Kinds are counted in a
// slice indexed through a read-only map built once, so the hot path does
// one map read and one atomic add.
type counters struct {
	requests, handshakes, pushes, duplicates, badSignature, badRequest, faults atomic.Int64

	apiSent, apiFailed, apiDropped, tokenFetches atomic.Int64

	kindIndex map[*wechat.Kind]int
	kindNames []string
	byKind    []atomic.Int64

	// Kinds wxsim does not send (a real WeChat's new events) are rare, so
	// a locked map by name is fine for them.
	otherMu sync.Mutex
	other   map[string]int64
}

func newCounters(kinds []*wechat.Kind) *counters {
	c := &counters{
		kindIndex: make(map[*wechat.Kind]int, len(kinds)),
		kindNames: make([]string, len(kinds)),
		byKind:    make([]atomic.Int64, len(kinds)),
	}
	for i, k := range kinds {
		c.kindIndex[k] = i
		c.kindNames[i] = k.Name
	}
	return c
}

func (c *counters) countKind(k *wechat.Kind) {
	if i, ok := c.kindIndex[k]; ok {
		c.byKind[i].Add(1)
		return
	}
	c.otherMu.Lock()
	if c.other == nil {
		c.other = make(map[string]int64)
	}
	c.other[k.Name]++
	c.otherMu.Unlock()
}

func (c *counters) snapshot() Stats {
	s := Stats{
		Requests:     c.requests.Load(),
		Handshakes:   c.handshakes.Load(),
		Pushes:       c.pushes.Load(),
		Duplicates:   c.duplicates.Load(),
		BadSignature: c.badSignature.Load(),
		BadRequest:   c.badRequest.Load(),
		Faults:       c.faults.Load(),
		ByKind:       make(map[string]int64),
		APISent:      c.apiSent.Load(),
		APIFailed:    c.apiFailed.Load(),
		APIDropped:   c.apiDropped.Load(),
		TokenFetches: c.tokenFetches.Load(),
	}
	for i := range c.byKind {
		if n := c.byKind[i].Load(); n > 0 {
			s.ByKind[c.kindNames[i]] = n
		}
	}
	c.otherMu.Lock()
	for name, n := range c.other {
		s.ByKind[name] += n
	}
	c.otherMu.Unlock()
	return s
}
