package api

import (
	"net/http"
	"sync"
	"time"
)

// The paths the mock serves. StatsPath is the mock's own, not WeChat's.
const (
	PathToken         = "/cgi-bin/token"
	PathStableToken   = "/cgi-bin/stable_token"
	PathCallbackIP    = "/cgi-bin/getcallbackip"
	PathAPIDomainIP   = "/cgi-bin/get_api_domain_ip"
	PathCallbackCheck = "/cgi-bin/callback/check"
	PathCustomSend    = "/cgi-bin/message/custom/send"
	StatsPath         = "/wxsim/stats"
	PathOther         = "other" // Stats.Calls key of every path not served
)

// Server is the mock API: an http.Handler. It is safe for concurrent use.
type Server struct {
	cfg   Config
	mux   *http.ServeMux
	stats *stats
	inbox inbox // accepted customer-service messages

	// mu guards the accounts' token lineages and quotas and the store;
	// it is never held across network I/O (callback/check's probes).
	mu       sync.Mutex
	accounts map[string]*account
	store    *store
}

// account is a configured Account with its live state.
type account struct {
	Account
	token, stable lineage

	tokenDay, stableDay, stableMinute, forceDay counter
	lastForce                                   time.Time
}

// call is what a handler gets besides the request: the time of the call
// and, for the APIs that take one, the validated access_token's grant.
type call struct {
	now   time.Time
	grant *grant
}

// handler serves one API: it returns the answer to write, or the error.
type handler func(r *http.Request, c *call) (any, *apiError)

// okAnswer is the answer of handlers whose success is
// {"errcode":0,"errmsg":"ok"}.
type okAnswer struct{}

// New returns a Server for cfg.
func New(cfg Config) (*Server, error) {
	cfg = cfg.withDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, mux: http.NewServeMux(), stats: newStats(),
		accounts: make(map[string]*account, len(cfg.Accounts)), store: newStore(cfg.TokenTTL)}
	for _, a := range cfg.Accounts {
		s.accounts[a.AppID] = &account{Account: a,
			tokenDay: counter{window: dayStart}, stableDay: counter{window: dayStart},
			stableMinute: counter{window: minuteStart}, forceDay: counter{window: dayStart}}
	}
	s.route(PathToken, http.MethodGet, false, s.getToken)
	s.route(PathStableToken, http.MethodPost, false, s.stableToken)
	s.route(PathCallbackIP, http.MethodGet, true, s.callbackIP)
	s.route(PathAPIDomainIP, http.MethodGet, true, s.apiDomainIP)
	s.route(PathCallbackCheck, http.MethodPost, true, s.callbackCheck)
	s.route(PathCustomSend, http.MethodPost, true, s.customSend)
	s.mux.HandleFunc(StatsPath, s.serveStats)
	s.mux.HandleFunc("/", s.notFound)
	return s, nil
}

// ServeHTTP serves the mock API.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mux.ServeHTTP(w, r)
}

// route registers h at path: counted, checked for its method (WeChat
// answers a wrong method with 43001/43002, not HTTP 405) and, when
// needsToken, for its access_token.
func (s *Server) route(path, method string, needsToken bool, h handler) {
	s.stats.known(path)
	s.mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
		c := &call{now: s.cfg.Now()}
		s.stats.call(path)
		answer, e := s.dispatch(r, c, method, needsToken, h)
		if e != nil {
			s.stats.fail(e.code)
			writeError(w, e, c.now)
			return
		}
		if _, ok := answer.(okAnswer); ok {
			writeOK(w)
			return
		}
		writeJSON(w, answer)
	})
}

func (s *Server) dispatch(r *http.Request, c *call, method string, needsToken bool, h handler) (any, *apiError) {
	if r.Method != method {
		if method == http.MethodGet {
			return nil, fail(CodeRequireGET)
		}
		return nil, fail(CodeRequirePOST)
	}
	if needsToken {
		g, e := s.checkToken(r.URL.Query().Get("access_token"), c.now)
		if e != nil {
			return nil, e
		}
		c.grant = g
	}
	return h(r, c)
}

// checkToken validates the access_token of a call: 41001 when missing.
func (s *Server) checkToken(token string, now time.Time) (*grant, *apiError) {
	if token == "" {
		return nil, fail(CodeMissingToken)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.store.check(token, now)
}

// notFound answers paths the mock does not serve with HTTP 404, counted
// under PathOther so that a drill sees calls to APIs it lacks.
func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	s.stats.call(PathOther)
	http.NotFound(w, r)
}

// Stats returns what the mock counted since it was created.
func (s *Server) Stats() Stats { return s.stats.snapshot() }
