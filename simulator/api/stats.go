package api

import (
	"maps"
	"net/http"
	"sync"
)

// Stats counts what the mock saw since it was created. It is what
// GET /wxsim/stats answers, to show a drill's cost: N servers each
// refreshing the token burn N tokens per round and get 40001s.
type Stats struct {
	// TokensIssued counts /cgi-bin/token issuances by appid: every
	// successful call, since each one issues a new token.
	TokensIssued map[string]int64 `json:"tokens_issued"`
	// StableTokensIssued counts new stable tokens by appid; a stable_token
	// call that returns the current token again is not counted.
	StableTokensIssued map[string]int64 `json:"stable_tokens_issued"`
	// CustomMessagesSent counts accepted customer-service messages by appid.
	CustomMessagesSent map[string]int64 `json:"custom_messages_sent"`
	// Calls counts requests by path, errors included; PathOther counts
	// paths the mock does not serve. StatsPath itself is not counted.
	Calls map[string]int64 `json:"calls"`
	// Errors counts error answers by errcode, e.g. Errors[40001] is how
	// many calls used a superseded token.
	Errors map[int]int64 `json:"errcodes"`
}

// stats is the live form of Stats, behind its own lock so that counting
// never waits for the token store.
type stats struct {
	mu sync.Mutex
	s  Stats
}

func newStats() *stats {
	return &stats{s: Stats{
		TokensIssued:       make(map[string]int64),
		StableTokensIssued: make(map[string]int64),
		CustomMessagesSent: make(map[string]int64),
		Calls:              map[string]int64{PathOther: 0},
		Errors:             make(map[int]int64),
	}}
}

// known lists path in Calls with 0, so a snapshot shows every API.
func (st *stats) known(path string) {
	st.mu.Lock()
	st.s.Calls[path] = 0
	st.mu.Unlock()
}

func (st *stats) call(path string) { st.add(st.s.Calls, path) }

func (st *stats) issued(appid string) { st.add(st.s.TokensIssued, appid) }

func (st *stats) issuedStable(appid string) { st.add(st.s.StableTokensIssued, appid) }

func (st *stats) sent(appid string) { st.add(st.s.CustomMessagesSent, appid) }

func (st *stats) fail(code int) {
	st.mu.Lock()
	st.s.Errors[code]++
	st.mu.Unlock()
}

func (st *stats) add(m map[string]int64, key string) {
	st.mu.Lock()
	m[key]++
	st.mu.Unlock()
}

func (st *stats) snapshot() Stats {
	st.mu.Lock()
	defer st.mu.Unlock()
	return Stats{
		TokensIssued:       maps.Clone(st.s.TokensIssued),
		StableTokensIssued: maps.Clone(st.s.StableTokensIssued),
		CustomMessagesSent: maps.Clone(st.s.CustomMessagesSent),
		Calls:              maps.Clone(st.s.Calls),
		Errors:             maps.Clone(st.s.Errors),
	}
}

// serveStats answers GET /wxsim/stats with the Stats as JSON.
func (s *Server) serveStats(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		writeError(w, fail(CodeRequireGET), s.cfg.Now())
		return
	}
	writeJSON(w, s.Stats())
}
